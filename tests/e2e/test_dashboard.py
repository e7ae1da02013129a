"""The statistics dashboards in a real browser: sign in, read, drill down, download, refuse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from tests.e2e.signing import sign_in as _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

GANGNAM, MAPO = "11680", "11440"


def sign_in(page: Any, server_env: dict[str, str], email: str) -> None:
    _sign_in(page, server_env, email, totp=True)


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_analyst_reads_the_city_drills_into_a_table_and_downloads_csv(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "analyst@medtour.example")
    page.goto("/console/statistics/")
    page.wait_for_url(re.compile(r"/console/statistics/city/"))
    page.select_option("#year", "2016")
    page.locator("form.year-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"year=2016"))

    # Seoul's total for 2016, in the yearly table, is the real total of the district ranking
    totals = page.locator("#panel-totals tbody tr", has_text="2016").locator("td").first
    seoul = _number(totals.text_content())
    ranking_total = _number(page.locator("#panel-ranking tfoot td").nth(1).text_content())
    assert seoul > 0 and seoul == ranking_total
    assert page.locator("#panel-map svg path > title").count() == 25  # one per district

    # drill from the ranking chart into its pivot table (HTMX swaps it in below the chart)
    page.locator("#panel-ranking .stats-actions a", has_text="Table").click()
    drilled = page.locator("#drill-ranking table")
    drilled.wait_for()
    assert "Gangnam-gu" in drilled.inner_text()
    assert _number(drilled.locator("tfoot td").last.inner_text()) == seoul

    with page.expect_download() as info:
        page.locator("#panel-ranking > .stats-actions a", has_text="data (CSV)").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    assert "Gangnam-gu" in content.decode("utf-8-sig")


def test_a_district_officer_sees_their_district_and_not_another(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "gangnam@medtour.example")
    page.goto("/console/statistics/")
    page.wait_for_url(re.compile(rf"/console/statistics/district/{GANGNAM}/"))
    assert "Gangnam-gu" in page.inner_text("h1")
    refused = page.goto(f"/console/statistics/district/{MAPO}/")
    assert refused is not None and refused.status == 403
    city = page.goto("/console/statistics/city/")
    assert city is not None and city.status == 403


def test_switching_the_language_translates_the_dashboard(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "gangnam@medtour.example")
    page.goto(f"/console/statistics/district/{GANGNAM}/")
    try:
        page.select_option("#language-select", "ru")
        page.wait_for_selector("html[lang=ru]")
        text = page.inner_text("main")
        with translation.override("ru"):
            year, patients = translation.gettext("year"), translation.gettext("unique patients")
        assert year != "year" and year in text
        assert patients in text
        assert "Каннам-гу" in text  # noqa: RUF001
    finally:
        page.select_option("#language-select", "en")
        page.wait_for_selector("html[lang=en]")
