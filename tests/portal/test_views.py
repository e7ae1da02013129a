"""The public pages: every language, the filters, what is public, demo marking, local formats."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from medtour.institutions.models import Institution
from medtour.localization.text import localize
from medtour.reference.models import District
from tests.conftest import GANGNAM, MAPO
from tests.factories import InstitutionFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
pytestmark = pytest.mark.django_db


def page(client: Any, url: str, **headers: Any) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def listed_codes(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/[a-z-]+/institutions/([\w-]+)/">', html)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", "institutions/", "institutions/gangnam-a/"])
def test_every_page_renders_in_the_language_of_its_prefix(
    client: Any, registry: Any, language: str, path: str
) -> None:
    html = page(client, f"/{language}/{path}")
    assert f'<html lang="{language}">' in html
    assert f'href="/{language}/institutions/"' in html  # navigation stays in the language
    assert re.search(rf'href="/(?!{language}/)[a-z]{{2}}(-hans)?/institutions/', html) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_names_the_districts_in_the_page_language(
    client: Any, registry: Any, language: str
) -> None:
    html = page(client, f"/{language}/institutions/")
    for district in District.objects.all():
        assert localize(district.names, language).text in html


def test_home_links_to_the_list_and_to_clinics_speaking_the_visitors_language(
    client: Any, registry: Any
) -> None:
    html = page(client, "/ru/")
    assert 'href="/ru/institutions/"' in html
    assert 'href="/ru/institutions/?language=ru"' in html
    assert 'href="/ru/institutions/?department=' in html


def test_home_counts_only_public_institutions(client: Any, registry: Any) -> None:
    html = page(client, "/en/")
    assert re.search(r"\b4 institutions are registered", html)


def test_home_formats_numbers_for_the_language(client: Any, registry: Any) -> None:
    template = registry["gangnam_c"]
    Institution.objects.bulk_create(
        Institution(
            code=f"bulk-{n}",
            names={"ko": f"대량 {n}"},
            type=template.type,
            district=template.district,
            address=template.address,
        )
        for n in range(1000)
    )
    assert "1,004" in page(client, "/en/")
    assert "1\xa0004" in page(client, "/ru/")


def test_list_shows_only_registered_active_institutions(client: Any, registry: Any) -> None:
    codes = listed_codes(page(client, "/en/institutions/"))
    assert sorted(codes) == ["gangnam-a", "gangnam-b", "gangnam-c", "mapo-a"]


def test_list_is_ordered_by_name_in_the_page_language(client: Any, registry: Any) -> None:
    assert listed_codes(page(client, "/en/institutions/")) == [
        "gangnam-a",  # Ganada Clinic
        "mapo-a",  # Mapo Korean Medicine
        "gangnam-c",  # Saaja Dental
        "gangnam-b",  # 라마바병원 (no English name: Korean, after Latin letters)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"district={MAPO}", ["mapo-a"]),
        (f"district={GANGNAM}&type=dental", ["gangnam-c"]),
        ("language=ru", ["gangnam-a"]),
        ("language=zh", ["gangnam-b", "mapo-a"]),
        ("type=hospital", ["gangnam-b"]),
        ("q=saaja", ["gangnam-c"]),
        ("q=라마바", ["gangnam-b"]),
    ],
)
def test_filters_narrow_the_list(client: Any, registry: Any, query: str, expected: list) -> None:
    assert sorted(listed_codes(page(client, f"/en/institutions/?{query}"))) == expected


def test_department_filter(client: Any, registry: Any) -> None:
    first = registry["departments"][0].code
    assert sorted(listed_codes(page(client, f"/en/institutions/?department={first}"))) == [
        "gangnam-a",
        "mapo-a",
    ]


def test_unknown_filter_value_is_reported_and_ignored(client: Any, registry: Any) -> None:
    html = page(client, "/en/institutions/?district=99999&type=hospital")
    assert 'class="errorlist"' in html
    assert listed_codes(html) == ["gangnam-b"]


def test_list_is_paginated_and_pages_keep_the_filters(client: Any, registry: Any) -> None:
    for n in range(25):
        InstitutionFactory(
            code=f"extra-{n:02d}", names={"ko": f"추가 {n:02d}", "en": f"Extra {n:02d}"}
        )
    first = page(client, "/en/institutions/?type=clinic")
    assert len(listed_codes(first)) == 20
    assert 'href="?type=clinic&amp;page=2"' in first
    second = page(client, "/en/institutions/?type=clinic&page=2")
    assert len(listed_codes(second)) == 6  # 25 extra + gangnam-a
    assert not set(listed_codes(first)) & set(listed_codes(second))


def test_htmx_request_gets_only_the_results(client: Any, registry: Any) -> None:
    html = page(client, "/en/institutions/?district=11440", HTTP_HX_REQUEST="true")
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert listed_codes(html) == ["mapo-a"]


def test_demo_records_are_marked_in_the_list_and_on_their_page(client: Any, registry: Any) -> None:
    listing = page(client, "/en/institutions/")
    cards = dict(re.findall(r'institutions/([\w-]+)/">.*?</h3>(.*?)</article>', listing, re.S))
    assert 'class="badge synthetic"' in cards["gangnam-b"]
    assert 'class="badge synthetic"' not in cards["gangnam-a"]
    assert 'class="badge synthetic"' in page(client, "/en/institutions/gangnam-b/")
    assert 'class="badge synthetic"' not in page(client, "/en/institutions/gangnam-a/")


def test_detail_marks_names_shown_in_another_language(client: Any, registry: Any) -> None:
    html = page(client, "/ja/institutions/gangnam-b/")  # only a Korean name
    assert '<h1><span lang="ko">라마바병원</span> <small class="fallback-language"' in html
    html = page(client, "/ru/institutions/gangnam-a/")  # Russian name, English profile
    assert "<h1>Клиника Ганада</h1>" in html
    assert '<span lang="en">Skin care.<br>Open on Saturdays.</span>' in html


def test_detail_shows_the_korean_name_for_taxi_drivers_only_when_needed(
    client: Any, registry: Any
) -> None:
    assert '<strong lang="ko">가나다의원</strong>' in page(client, "/en/institutions/gangnam-a/")
    assert 'class="korean-name"' not in page(client, "/ko/institutions/gangnam-a/")
    assert 'class="korean-name"' not in page(client, "/en/institutions/gangnam-b/")


def test_detail_shows_the_public_facts(client: Any, registry: Any) -> None:
    html = page(client, "/en/institutions/gangnam-a/")
    assert 'href="tel:02-555-0100"' in html
    assert "KAHF" in html
    assert localize(registry["departments"][0].names, "en").text in html
    assert f'href="/en/institutions/?district={GANGNAM}"' in html


@pytest.mark.parametrize(
    ("language", "date"),
    [("ko", "2030년 12월 31일"), ("ja", "2030年12月31日"), ("ru", "31 декабря 2030 г.")],  # noqa: RUF001
)
def test_detail_formats_dates_for_the_language(
    client: Any, registry: Any, language: str, date: str
) -> None:
    assert date in page(client, f"/{language}/institutions/gangnam-b/")


@pytest.mark.parametrize("code", ["jongno-expired", "gangnam-inactive", "no-such-code"])
def test_detail_of_a_non_public_institution_is_not_found(
    client: Any, registry: Any, code: str
) -> None:
    assert client.get(f"/en/institutions/{code}/").status_code == 404


def test_list_runs_a_fixed_number_of_queries(
    client: Any, registry: Any, django_assert_max_num_queries: Any
) -> None:
    page(client, "/en/institutions/")  # fills the map cache
    with django_assert_max_num_queries(10):
        page(client, "/en/institutions/")


def test_rejected_filter_values_are_not_carried_into_links(client: Any, registry: Any) -> None:
    html = page(client, f"/en/institutions/?type=spaceship&district={MAPO}")
    assert 'class="errorlist"' in html
    assert 'href="/en/institutions/?type=spaceship' not in html
    assert f'href="/en/institutions/?district={GANGNAM}"' in html
