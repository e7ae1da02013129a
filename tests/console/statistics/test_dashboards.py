"""The three dashboards: figures from pivot() in the caller's scope, refused outside it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

GANGNAM, MAPO = "11680", "11440"


def text_of(response: Any) -> str:
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_city_dashboard_shows_every_panel_with_real_totals(
    city_records: Any, persona_client: Any
) -> None:
    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    assert response.status_code == 200
    keys = [panel["panel"].key for panel in response.context["panels"]]
    assert keys == [
        "totals",
        "ranking",
        "map",
        "nationality",
        "nationality_trend",
        "department",
        "cosmetic",
        "concentration",
        "published",
    ]
    panels = {panel["panel"].key: panel["panel"] for panel in response.context["panels"]}
    # 4 unique patients in 2016 although the districts hold 3 + 2
    assert panels["ranking"].table.total[2].value == 4
    assert [row[2].value for row in panels["ranking"].table.rows] == [3, 2]
    # growth 2015 -> 2016: 2 -> 4 patients
    assert panels["totals"].table.rows[1][2].value == pytest.approx(100.0)
    assert response.context["pivot_count"] <= 6


def test_the_cosmetic_share_is_plastic_surgery_and_dermatology_over_department_patients(
    city_records: Any, persona_client: Any, analyst: Any
) -> None:
    analyst.preferred_language = "en"
    analyst.save(update_fields=["preferred_language"])
    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    panels = {panel["panel"].key: panel["panel"] for panel in response.context["panels"]}
    row_2016 = panels["cosmetic"].table.rows[1]
    # 2016: a (plastic surgery, dermatology), c (dermatology) = 3 of 6 department-based patients
    assert [row_2016[1].value, row_2016[2].value] == [3, 6]
    assert row_2016[3].value == pytest.approx(50.0)
    assert "dermatology" in panels["cosmetic"].definition


def test_concentration_compares_shares_of_patients_and_of_registered_institutions(
    city_records: Any, persona_client: Any
) -> None:
    response = persona_client("admin_user").get("/console/statistics/city/", {"year": "2016"})
    panels = {panel["panel"].key: panel["panel"] for panel in response.context["panels"]}
    rows = {row[0].value: row for row in panels["concentration"].table.rows}
    with translation.override("ko"):
        gangnam = rows["강남구"]
    assert gangnam[1].value == 1
    assert gangnam[2].value == pytest.approx(50.0)
    assert gangnam[4].value == pytest.approx(75.0)
    assert gangnam[5].value == pytest.approx(1.5)


def test_published_figures_sit_beside_recorded_ones(city_records: Any, persona_client: Any) -> None:
    from medtour.records.demo.published import read_published

    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    panels = {panel["panel"].key: panel["panel"] for panel in response.context["panels"]}
    rows = {row[0].value: row for row in panels["published"].table.rows}
    published = read_published().seoul_totals
    assert rows["2016"][1].value == int(published[2016].value)
    assert rows["2016"][2].value == 4


def test_a_district_officer_sees_their_district_and_is_refused_another(
    city_records: Any, persona_client: Any
) -> None:
    client = persona_client("officer_gangnam")
    mine = client.get(f"/console/statistics/district/{GANGNAM}/", {"year": "2016"})
    assert mine.status_code == 200
    panels = {panel["panel"].key: panel["panel"] for panel in mine.context["panels"]}
    assert panels["totals"].table.rows[-1][1].value == 3
    assert "map" not in panels and "concentration" not in panels
    assert client.get(f"/console/statistics/district/{MAPO}/").status_code == 403
    assert client.get("/console/statistics/city/").status_code == 403
    assert client.get("/console/statistics/district/99999/").status_code == 404


def test_the_statistics_entry_opens_each_role_s_own_dashboard(persona_client: Any) -> None:
    assert persona_client("analyst").get("/console/statistics/")["Location"].endswith("/city/")
    officer = persona_client("officer_mapo").get("/console/statistics/")
    assert officer["Location"].endswith(f"/district/{MAPO}/")
    staff = persona_client("staff_gangnam").get("/console/statistics/")
    assert staff["Location"].endswith("/institution/gangnam-clinic/")


def test_institution_staff_see_their_institution_only(
    city_records: Any, persona_client: Any
) -> None:
    client = persona_client("staff_mapo")
    response = client.get("/console/statistics/institution/mapo-clinic/", {"year": "2016"})
    assert response.status_code == 200
    panels = {panel["panel"].key: panel["panel"] for panel in response.context["panels"]}
    assert panels["totals"].table.rows[-1][1].value == 2
    assert response.context["pivot_count"] <= 5
    assert client.get("/console/statistics/institution/gangnam-clinic/").status_code == 404


def test_charts_are_inline_svg_without_script_or_style_attributes(
    city_records: Any, persona_client: Any
) -> None:
    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    html = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 9
    assert all("<script" not in svg and " style=" not in svg for svg in svgs)
    # a hover text on the map's districts, with the localized name
    assert "<title>강남구: 3</title>" in html or "<title>Gangnam-gu: 3</title>" in html


def test_the_page_says_the_demo_records_are_synthetic(
    city_records: Any, persona_client: Any
) -> None:
    from medtour.records.models import Submission

    Submission.objects.update(source_format="demo")
    response = persona_client("analyst").get("/console/statistics/city/")
    assert response.context["is_demo"]
    assert 'class="synthetic-data"' in response.content.decode()


def test_without_records_the_dashboard_says_so(persona_client: Any) -> None:
    response = persona_client("analyst").get("/console/statistics/city/")
    assert response.status_code == 200
    assert response.context["panels"] == [] or response.context["years"] == []
