"""A foreign visitor finds a registered clinic in their language, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_visitor_reads_the_home_page_in_kazakh_and_switches_to_japanese(page: Any) -> None:
    page.goto("/kk/")
    assert page.get_attribute("html", "lang") == "kk"
    kazakh_heading = page.inner_text("h1")
    assert kazakh_heading.strip()

    page.select_option("#language-select", "ja")
    page.wait_for_url(re.compile(r"/ja/$"))
    assert page.get_attribute("html", "lang") == "ja"
    assert page.inner_text("h1") != kazakh_heading

    page.goto("/")  # the choice is remembered
    assert page.url.endswith("/ja/")


def test_visitor_finds_a_clinic_through_the_district_map(page: Any) -> None:
    page.goto("/en/institutions/")
    districts = page.locator("figure svg a")
    assert districts.count() == 25

    page.locator("figure svg a[*|href*='district=11680']").first.click()
    page.wait_for_url(re.compile(r"district=11680"))
    first_result = page.locator("main article a, main li a, main td a").filter(
        has_not_text=re.compile(r"^\d+$")
    )
    assert first_result.count() > 0
    first_result.first.click()
    page.wait_for_load_state()
    assert "Gangnam-gu" in page.inner_text("main")


def test_demo_data_is_marked_synthetic_on_public_pages(page: Any) -> None:
    page.goto("/en/institutions/")
    english_notice = page.inner_text(".synthetic-notice")
    assert english_notice.startswith("Demonstration data")
    page.goto("/ru/institutions/")
    russian_notice = page.inner_text(".synthetic-notice")
    assert russian_notice.strip()
    assert russian_notice != english_notice
