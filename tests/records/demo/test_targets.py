"""District targets: published figures kept, the rest estimated, second districts on top."""

from __future__ import annotations

import pytest

from medtour.institutions.demo.calibration import registered_by_district
from medtour.records.demo.published import read_published
from medtour.records.demo.targets import YearNotPublished, year_targets

ALL_DISTRICTS = {f"district-{code}": code for code in registered_by_district()}
NAMES = {**ALL_DISTRICTS, "Gangnam-gu": "11680", "Seocho-gu": "11650", "Mapo-gu": "11440",
         "Jung-gu": "11140", "Songpa-gu": "11710", "Seodaemun-gu": "11410",
         "Jungnang-gu": "11260"}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "seoul", "districts"),
    [
        (2014, 154816, {"11680": 56388}),
        (2015, 165689, {"11680": 54533}),
        (2016, 216646, {"11680": 76385, "11650": 26367, "11410": 14505, "11260": 27}),
        (2024, 999642, {"11680": 377073, "11650": 288475, "11440": 124447, "11140": 120222,
                        "11710": 15511}),
    ],
)  # fmt: skip
def test_published_totals_are_kept_exactly(year: int, seoul: int, districts: dict) -> None:
    targets = year_targets(read_published(), year, NAMES)

    assert targets.seoul == seoul
    for code, count in districts.items():
        assert targets.districts[code] == count
    assert len(targets.districts) == 25


@pytest.mark.parametrize("year", range(2014, 2025))
def test_districts_add_up_to_seoul_plus_second_districts(year: int) -> None:
    targets = year_targets(read_published(), year, NAMES)

    assert sum(targets.districts.values()) == targets.seoul + targets.extra_memberships
    assert 0 < targets.extra_memberships <= 0.05 * targets.seoul
    assert min(targets.districts.values()) > 0
    assert max(targets.districts.values()) <= targets.seoul


def test_derived_figures_are_followed_too() -> None:
    published = read_published()
    targets_2022 = year_targets(published, 2022, NAMES)
    targets_2023 = year_targets(published, 2023, NAMES)

    assert targets_2022.seoul == 146385
    assert targets_2022.seoul_figure.quality == "derived"
    assert targets_2023.districts["11650"] == 82187


def test_scale_multiplies() -> None:
    targets = year_targets(read_published(), 2016, NAMES, scale=10)

    assert targets.seoul == 2166460
    assert targets.districts["11680"] == 763850


def test_a_year_without_a_seoul_total_is_refused() -> None:
    with pytest.raises(YearNotPublished):
        year_targets(read_published(), 2013, NAMES)
