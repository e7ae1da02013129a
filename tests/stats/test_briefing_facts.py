"""The briefing's facts on a small hand-built city: every number worked out by hand."""

from __future__ import annotations

import pytest

from medtour.stats.briefing_facts import (
    BriefingError,
    Ranked,
    Threshold,
    annual_rate,
    briefing_facts,
    crossed_threshold,
)
from tests.stats.briefing_data import build_small_city
from tests.stats.builders import GANGNAM, MAPO, SEOCHO

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_city() -> None:
    build_small_city()


def test_the_city_total_counts_a_patient_of_two_districts_once(small_city: None) -> None:
    facts = briefing_facts(2016, "seoul")
    assert facts.area is None
    assert facts.total == 11
    assert facts.series == {2014: 4, 2015: 8, 2016: 11}


def test_growth_against_last_year_and_the_long_run(small_city: None) -> None:
    facts = briefing_facts(2016, "seoul")
    assert facts.previous == (2015, 8)
    assert facts.growth == pytest.approx(3 / 8)
    assert facts.base == (2014, 4)
    assert facts.long_run_growth == pytest.approx(7 / 4)
    assert facts.cagr == pytest.approx((11 / 4) ** 0.5 - 1)


def test_leading_districts_and_the_ratio_of_the_first_to_the_second(small_city: None) -> None:
    facts = briefing_facts(2016, "seoul")
    assert [(ranked.code, ranked.value) for ranked in facts.districts] == [
        (GANGNAM, 7),
        (SEOCHO, 3),
        (MAPO, 2),
    ]
    assert facts.district_ratio == 2.3  # 7 / 3, one decimal
    # shares are of the real total (11), so they add up to more than 100 %
    assert facts.districts[0].share == pytest.approx(7 / 11)


def test_nationalities_departments_and_care_types_with_their_shares(small_city: None) -> None:
    facts = briefing_facts(2016, "seoul")
    assert facts.nationalities == [
        Ranked("CN", 6, pytest.approx(6 / 11)),
        Ranked("US", 3, pytest.approx(3 / 11)),
        Ranked("RU", 2, pytest.approx(2 / 11)),
    ]
    # patients counted once per department: 13 in all
    assert [(ranked.code, ranked.value) for ranked in facts.departments] == [
        ("internal_medicine", 6),
        ("dermatology", 4),
        ("plastic_surgery", 3),
    ]
    assert facts.departments[0].share == pytest.approx(6 / 13)
    assert facts.episodes == 13
    assert [(ranked.code, ranked.value) for ranked in facts.care_types] == [
        ("outpatient", 11),
        ("checkup", 1),
        ("inpatient", 1),
    ]


def test_a_district_briefing_has_no_district_ranking(small_city: None) -> None:
    facts = briefing_facts(2016, GANGNAM)
    assert facts.area == GANGNAM
    assert facts.total == 7
    assert facts.series == {2014: 4, 2015: 6, 2016: 7}
    assert facts.districts == []
    assert facts.district_ratio is None
    assert facts.threshold is None  # 6 -> 7 crosses no round mark


def test_the_round_threshold_crossed_since_last_year(small_city: None) -> None:
    assert briefing_facts(2016, "seoul").threshold == Threshold(10, first_time=True)


def test_records_are_the_source_and_not_synthetic(small_city: None) -> None:
    quality = briefing_facts(2016, "seoul").quality
    assert quality.sources == frozenset({"records"})
    assert quality.synthetic is False


def test_a_year_without_records_has_no_total(small_city: None) -> None:
    facts = briefing_facts(2010, "seoul")
    assert facts.total is None
    assert facts.growth is None


def test_an_unknown_area_is_refused(small_city: None) -> None:
    with pytest.raises(BriefingError):
        briefing_facts(2016, "99999")


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ({2015: 165_689, 2016: 216_646}, Threshold(200_000, first_time=True)),
        ({2014: 210_000, 2015: 165_689, 2016: 216_646}, Threshold(200_000, first_time=False)),
        ({2015: 120_000, 2016: 165_689}, Threshold(150_000, first_time=True)),
        ({2015: 96_000, 2016: 104_000}, Threshold(100_000, first_time=True)),
        ({2015: 120_000, 2016: 140_000}, None),
        ({2015: 216_646, 2016: 165_689}, None),
        ({2016: 216_646}, None),
    ],
)
def test_threshold_rule(series: dict[int, int], expected: Threshold | None) -> None:
    assert crossed_threshold(series, 2016) == expected


def test_annual_rate_is_the_compound_rate() -> None:
    assert annual_rate(121, 100, 2) == pytest.approx(0.1)
    assert annual_rate(100, 0, 2) is None
