"""Aggregate returns fill cells without records, marked, and never add to record counts."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.records.models import AggregateReturn, ReportingPeriod
from medtour.reference.city import current_city
from medtour.reference.models import Country, District
from medtour.stats.result import TOTAL
from tests.stats.builders import GANGNAM, MAPO, clinic, episode
from tests.stats.conftest import table, totals

pytestmark = pytest.mark.django_db


def aggregate(
    year: int, count: int, district: str | None = None, nationality: str | None = None
) -> None:
    period, _created = ReportingPeriod.objects.get_or_create(
        year=year, quarter=None, month=None, defaults={"deadline": f"{year + 1}-01-31"}
    )
    AggregateReturn.objects.create(
        period=period,
        city=current_city().code,
        district=District.objects.get(code=district) if district else None,
        nationality=Country.objects.get(alpha2=nationality) if nationality else None,
        measure="unique_patients",
        count=count,
        source="test",
    )


@pytest.fixture
def mixed() -> None:
    """2016 has records in Gangnam; 2010 only aggregate returns (two districts and the city)."""
    episode("ann", clinic(GANGNAM))
    aggregate(2010, 70, GANGNAM)
    aggregate(2010, 50, MAPO)
    aggregate(2010, 100)  # the city: not 120, people in both districts count once
    aggregate(2016, 999, GANGNAM)  # records exist for this cell: the return is not used


def test_returns_fill_cells_without_records_and_say_so(mixed: None, ask: Any) -> None:
    result = ask(rows=("district",), cols=("year",))
    assert table(result) == {
        (MAPO, "2010"): 50,
        (MAPO, "2016"): None,
        (GANGNAM, "2010"): 70,
        (GANGNAM, "2016"): 1,
    }
    assert totals(result, "cols") == {"2010": 100, "2016": 1}
    assert result.sources == {(0, 0): "aggregate", (1, 0): "aggregate", (TOTAL, 0): "aggregate"}
    assert totals(result, "rows") == {MAPO: None, GANGNAM: 1}  # no all-years return
    assert result.total == 1


def test_returns_do_not_apply_to_other_dimensions(mixed: None, ask: Any) -> None:
    result = ask(rows=("sex",), cols=("year",))
    assert [col.codes for col in result.cols] == [("2016",)]
    assert result.sources == {}
