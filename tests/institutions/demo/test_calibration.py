"""The demo's published figures are in the city's statistics file, and its totals add up."""

from __future__ import annotations

import csv

import pytest

from medtour.institutions.demo import calibration as cal
from medtour.reference.city import find_city_dir, read_city


@pytest.fixture(scope="module")
def published_rows() -> list[dict[str, str]]:
    path = read_city(find_city_dir(cal.CITY)).file("statistics")
    assert path is not None
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("figure", cal.PUBLISHED, ids=lambda f: f"{f.region}-{f.year}-{f.value}")
def test_every_published_figure_is_a_row_of_the_statistics_file(
    published_rows: list[dict[str, str]], figure: cal.Published
) -> None:
    matches = [
        row
        for row in published_rows
        if row["scope"] == figure.scope
        and row["region"] == figure.region
        and int(row["year"]) == figure.year
        and row["category"] == figure.category
    ]

    assert [float(row["value"]) for row in matches] == [figure.value]


def test_registered_institutions_add_up_to_the_published_seoul_total() -> None:
    counts = cal.registered_by_district()

    assert sum(counts.values()) == 1994
    assert len(counts) == 25
    assert counts["11680"] == round(2800 * 0.345)


def test_largest_remainder_keeps_the_total() -> None:
    assert cal.largest_remainder({"a": 1, "b": 1, "c": 1}, 10) == {"a": 4, "b": 3, "c": 3}
    assert sum(cal.largest_remainder({"a": 0.2, "b": 0.7}, 7).values()) == 7
    assert cal.largest_remainder({"a": 1}, 0) == {"a": 0}
