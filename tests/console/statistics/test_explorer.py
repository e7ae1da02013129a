"""The table explorer: a pivot from a form, real totals, HTMX partial, CSV and XLSX."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

URL = "/console/statistics/table/"


def test_the_explorer_answers_rows_columns_and_filters(
    city_records: Any, persona_client: Any
) -> None:
    response = persona_client("analyst").get(
        URL, {"rows": "district", "cols": "year", "measure": "patients"}
    )
    table = response.context["table"]
    assert table.total[-1].value == 5  # a, b, c, d, e: not 2 + 3 + 2
    filtered = persona_client("analyst").get(
        URL, {"rows": "district", "filter": ["year:2016", "nationality:CN"]}
    )
    assert [row[1].value for row in filtered.context["table"].rows] == [2, 1] or [
        row[1].value for row in filtered.context["table"].rows
    ] == [1, 2]
    assert filtered.context["table"].total[1].value == 2


def test_htmx_gets_only_the_table(city_records: Any, persona_client: Any) -> None:
    response = persona_client("analyst").get(URL, {"rows": "year"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<table" in html and "<form" not in html and "<nav" not in html


def test_chart_table_links_prefill_the_explorer(city_records: Any, persona_client: Any) -> None:
    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    ranking = next(p for p in response.context["panels"] if p["panel"].key == "ranking")
    assert "rows=district" in ranking["table_url"]
    assert "filter=year%3A2016" in ranking["table_url"]
    drilled = persona_client("analyst").get(ranking["table_url"])
    assert drilled.context["table"].total[1].value == 4


def test_a_bad_filter_is_explained(persona_client: Any) -> None:
    response = persona_client("analyst").get(URL, {"rows": "year", "filter": "planet:mars"})
    assert response.status_code == 200
    assert response.context["table"] is None
    assert "planet:mars" in response.context["error"]


def test_the_explorer_downloads_csv_and_xlsx(city_records: Any, persona_client: Any) -> None:
    client = persona_client("analyst")
    csv = client.get("/console/statistics/table.csv", {"rows": "district", "filter": "year:2016"})
    assert csv.content.startswith("\ufeff".encode())
    assert csv.content.decode("utf-8-sig").splitlines()[-1].endswith(",4")
    xlsx = client.get("/console/statistics/table.xlsx", {"rows": "district"})
    assert xlsx.content.startswith(b"PK")


def test_an_officer_s_explorer_stays_in_their_district(
    city_records: Any, persona_client: Any
) -> None:
    response = persona_client("officer_mapo").get(URL, {"rows": "district"})
    assert [row[0].value for row in response.context["table"].rows] == ["마포구"] or [
        row[0].value for row in response.context["table"].rows
    ] == ["Mapo-gu"]
