"""The district choropleth: 25 linked shapes whose counts are the database's, cached per data."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from medtour.accounts.scope import public_institutions
from medtour.institutions.models import Institution
from medtour.localization.text import localize
from medtour.portal.district_map import (
    DistrictEntry,
    district_boundaries,
    district_entries,
    district_map_svg,
    map_cache_key,
)
from medtour.portal.map_drawing import label_point, legend_values, shade
from medtour.reference.models import District
from tests.conftest import GANGNAM, MAPO

pytestmark = pytest.mark.django_db
LINK = re.compile(r'<a xlink:href="([^"]*)"><title>([^<]*)</title><path aria-label="([^"]*)"')


def map_of(client: Any, url: str) -> str:
    content = client.get(url).content.decode()
    return content[content.index("<svg") : content.index("</svg>") + len("</svg>")]


def links(svg: str) -> dict[str, tuple[str, str]]:
    """{district code: (link, aria-label)} for each district shape."""
    found = {}
    for href, title, label in LINK.findall(svg):
        href = html.unescape(href)
        assert html.unescape(title) == html.unescape(label)
        found[re.search(r"district=(\w+)", href).group(1)] = (href, html.unescape(label))
    return found


def expected_label(district: District, count: int, language: str = "en") -> str:
    with translation.override(language):
        return DistrictEntry(
            code=district.code, name=localize(district.names).text, count=count, url=""
        ).description


def test_map_draws_every_district_as_a_linked_shape(client: Any, registry: Any) -> None:
    svg = map_of(client, "/en/institutions/")
    assert set(links(svg)) == set(District.objects.values_list("code", flat=True))
    assert len(links(svg)) == 25
    assert svg.count('aria-roledescription="geoshape"') == 25


def test_map_counts_match_the_database(client: Any, registry: Any) -> None:
    found = links(map_of(client, "/en/institutions/"))
    for district in District.objects.all():
        count = public_institutions().filter(district=district).count()
        assert found[district.code][1] == expected_label(district, count)


def test_map_counts_follow_the_other_filters(client: Any, registry: Any) -> None:
    found = links(map_of(client, f"/en/institutions/?language=zh&district={MAPO}"))
    gangnam, mapo = District.objects.get(code=GANGNAM), District.objects.get(code=MAPO)
    assert found[GANGNAM][1] == expected_label(gangnam, 1)
    assert found[MAPO][1] == expected_label(mapo, 1)


def test_map_links_filter_the_list_keeping_language_and_other_filters(
    client: Any, registry: Any
) -> None:
    found = links(map_of(client, "/ja/institutions/?type=clinic&district=11110&page=2"))
    assert found[MAPO][0] == f"/ja/institutions/?type=clinic&district={MAPO}"
    response = client.get(found[MAPO][0])
    assert response.status_code == 200


@pytest.mark.parametrize("language", ["ko", "en", "zh-hans", "ja", "ru", "kk"])
def test_map_writes_district_names_in_the_page_language(
    client: Any, registry: Any, language: str
) -> None:
    svg = map_of(client, f"/{language}/institutions/")
    labels = {html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    for district in District.objects.all():
        assert localize(district.names, language).text in labels


def test_map_outlines_the_chosen_district(client: Any, registry: Any) -> None:
    assert 'stroke-width="3"' not in map_of(client, "/en/institutions/")
    assert map_of(client, f"/en/institutions/?district={MAPO}").count('stroke-width="3"') == 1


def test_map_is_safe_under_the_content_security_policy(client: Any, registry: Any) -> None:
    svg = map_of(client, "/en/institutions/")
    assert "style=" not in svg
    assert "<script" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )


def test_map_is_cached_per_language_and_data(registry: Any) -> None:
    def entries() -> list[DistrictEntry]:
        counts = {registry["gangnam_a"].district_id: 3}
        return district_entries(counts, selected=None, url_for=lambda d: f"/x/?district={d.code}")

    cache.clear()
    boundaries = district_boundaries([entry.code for entry in entries()])
    with translation.override("en"):
        drawn = district_map_svg(entries())
        key = map_cache_key("en", entries(), boundaries)
        assert cache.get(key) == str(drawn)
    assert map_cache_key("ru", entries(), boundaries) != key
    changed = [DistrictEntry(**{**entry.__dict__, "count": entry.count + 1}) for entry in entries()]
    assert map_cache_key("en", changed, boundaries) != key


def test_table_beside_the_map_gives_the_same_counts(client: Any, registry: Any) -> None:
    content = client.get("/en/institutions/").content.decode()
    rows = re.findall(
        r'<th scope="row"><a href="[^"]*district=(\w+)"[^>]*>[^<]*</a></th>\s*'
        r'<td class="num">([^<]*)</td>',
        content,
    )
    assert len(rows) == 25
    counts = dict(rows)
    assert counts[GANGNAM] == "3"
    assert counts[MAPO] == "1"
    assert counts["11110"] == "0"  # the expired Jongno clinic is not counted
    assert Institution.objects.filter(district__code="11110").exists()


def test_labels_sit_inside_each_district_bounding_box(db: None) -> None:
    for district in District.objects.all():
        lon, lat = label_point(district.boundary)
        ring = district.boundary["coordinates"][0]
        assert min(p[0] for p in ring) < lon < max(p[0] for p in ring)
        assert min(p[1] for p in ring) < lat < max(p[1] for p in ring)


@pytest.mark.parametrize(
    ("top", "values"),
    [(0, [0, 1]), (1, [0, 1]), (12, [0, 12]), (143, [0, 10, 143]), (966, [0, 10, 100, 966])],
)
def test_legend_shows_whole_numbers_up_to_the_largest_count(top: int, values: list[int]) -> None:
    assert legend_values(top) == values


def test_shade_is_logarithmic_so_small_districts_stay_visible() -> None:
    assert shade(0, 966) == 0
    assert shade(966, 966) == 1
    assert shade(18, 966) > 0.4  # linear would be 0.02
