"""The briefing page and its downloads, per persona and scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from medtour.reference.models import District
from tests.stats.briefing_data import build_small_city
from tests.stats.builders import GANGNAM, MAPO

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_city() -> None:
    build_small_city()


def test_the_analyst_reads_the_city_briefing_in_russian(
    persona_client: Any, small_city: None
) -> None:
    client = persona_client("analyst")
    response = client.get(
        reverse("console:briefing"), {"year": 2016, "area": "seoul", "lang": "ru"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ru"' in page
    assert District.objects.get(code=GANGNAM).names["ru"] in page
    assert "<svg" in page
    assert "format=pdf" in page


def test_the_page_defaults_to_the_latest_year_and_the_first_area(
    persona_client: Any, small_city: None
) -> None:
    response = persona_client("analyst").get(reverse("console:briefing"))
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["year"] == 2016
    assert response.context["form"].cleaned_data["area"] == "seoul"


def test_an_htmx_request_gets_only_the_result(persona_client: Any, small_city: None) -> None:
    response = persona_client("analyst").get(
        reverse("console:briefing"), {"year": 2016, "lang": "en"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="briefing-result">')
    assert "<h1>Foreign patients in Seoul, 2016</h1>" in page


def test_the_officer_briefs_their_district_and_not_the_city_nor_another(
    persona_client: Any, small_city: None
) -> None:
    client = persona_client("officer_gangnam")
    page = client.get(reverse("console:briefing"), {"year": 2016, "lang": "en"})
    assert page.status_code == 200
    assert page.context["form"].cleaned_data["area"] == GANGNAM
    assert "Gangnam-gu" in page.content.decode()
    for area in ("seoul", MAPO):
        assert client.get(reverse("console:briefing"), {"area": area}).status_code == 403
        download = client.get(reverse("console:briefing-download"), {"area": area, "format": "md"})
        assert download.status_code == 403


@pytest.mark.parametrize(
    ("file_format", "content_type", "start"),
    [
        ("md", "text/markdown", b"# "),
        ("html", "text/html", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_downloads_in_each_format(
    persona_client: Any, small_city: None, file_format: str, content_type: str, start: bytes
) -> None:
    response = persona_client("admin_user").get(
        reverse("console:briefing-download"),
        {"year": 2016, "area": "seoul", "lang": "kk", "format": file_format},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.startswith(start)
    assert f'filename="briefing-seoul-2016-kk.{file_format}"' in response["Content-Disposition"]


def test_an_unknown_format_is_a_bad_request(persona_client: Any, small_city: None) -> None:
    response = persona_client("analyst").get(
        reverse("console:briefing-download"), {"format": "doc"}
    )
    assert response.status_code == 400


def test_the_menu_shows_the_briefing_to_those_who_may_read_it(persona_client: Any) -> None:
    url = reverse("console:briefing")
    assert url in persona_client("analyst").get(reverse("console:home")).content.decode()
    assert url not in persona_client("agent").get(reverse("console:home")).content.decode()
