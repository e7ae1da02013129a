"""The done-criterion of the briefing: on the demo data (2015-2016 at scale 1.0, calibrated
exactly to the published totals), the Seoul 2016 briefing states the published facts.

Every expected figure is read from the city's published statistics file, never retyped.
Seeding the two years and building the statistics take about 40 s on SQLite on the 2-core
machine; the briefing then asks pivot() five questions (about 20 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from medtour.records.demo.published import read_published
from medtour.reference.models import District
from medtour.stats.briefing import build_briefing
from medtour.stats.briefing_prose import percent, ratio
from medtour.stats.briefing_render import to_markdown
from tests.demo_seeding import demo_seeded


@pytest.fixture(scope="module")
def seoul_demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """seed_demo builds the statistics, so the briefing reads the cube engine."""
    with demo_seeded(
        django_db_blocker, tmp_path_factory.mktemp("var"), "--years", "2015-2016", "--scale", "1.0"
    ):
        yield


def _district_code(english_name: str) -> str:
    return next(
        district.code
        for district in District.objects.all()
        if district.names.get("en") == english_name
    )


@pytest.mark.django_db
def test_the_seoul_2016_briefing_states_the_published_facts(seoul_demo: None) -> None:
    published = read_published()
    total_2016 = int(published.seoul_totals[2016].value)
    total_2015 = int(published.seoul_totals[2015].value)
    districts_2016 = {
        region: int(figure.value)
        for (year, region), figure in published.district_totals.items()
        if year == 2016
    }
    first, second = sorted(districts_2016, key=districts_2016.__getitem__, reverse=True)[:2]

    briefing = build_briefing(2016, "seoul", "en", charts=False)
    facts = briefing.facts
    assert facts.total == total_2016
    assert facts.previous == (2015, total_2015)
    assert [(ranked.code, ranked.value) for ranked in facts.districts[:2]] == [
        (_district_code(first), districts_2016[first]),
        (_district_code(second), districts_2016[second]),
    ]
    expected_ratio = round(districts_2016[first] / districts_2016[second], 1)
    assert facts.district_ratio == expected_ratio
    assert facts.quality.synthetic

    text = to_markdown(briefing)
    with translation.override("en"):
        assert f"{total_2016:,} foreign patients were treated in Seoul" in text
        growth = percent((total_2016 - total_2015) / total_2015, "en")
        assert f"That is {growth} more than in 2015, when there were {total_2015:,}." in text
        assert f"{first} ({districts_2016[first]:,})" in text
        assert f"{first} treated {ratio(expected_ratio, 'en')} times as many" in text
        assert f"as {second}." in text
        assert "passed 200,000" in text
    assert "synthetic" in text
