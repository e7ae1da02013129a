"""The observed series of an area, from the statistics' one query layer (`pivot()`).

Unique patients per year (or per month) in the city or one district. Periods inside the span
with no patient come back as zeros, so that the forecasts see a series without gaps; periods not
yet complete (the current year, the current month) are left out, so that a half-reported year
never reads as a collapse.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from medtour.stats.query import PivotQuery, pivot
from medtour.targets.forecasting.series import month_code, month_index


def _filters(area: str | None, extra: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return ((("district", area),) if area else ()) + extra


def _column(
    rows: str, area: str | None, user: Any, extra: tuple[tuple[str, str], ...]
) -> dict[str, int]:
    result = pivot(PivotQuery(rows=(rows,), filters=_filters(area, extra)), user=user)
    return {
        member.codes[0]: int(value)
        for member, value in zip(result.rows, result.row_totals, strict=True)
        if value is not None
    }


def last_complete_year() -> int:
    return timezone.localdate().year - 1


def last_complete_month() -> str:
    today = timezone.localdate()
    return month_code(today.year * 12 + today.month - 2)


def annual_series(
    area: str | None, *, user: Any = None, filters: tuple[tuple[str, str], ...] = ()
) -> dict[int, float]:
    """{year: unique patients} of AREA (None: the city) up to the last complete year."""
    found = {int(code): value for code, value in _column("year", area, user, filters).items()}
    years = [year for year in found if year <= last_complete_year()]
    if not years:
        return {}
    return {year: float(found.get(year, 0)) for year in range(min(years), max(years) + 1)}


def monthly_series(
    area: str | None, *, user: Any = None, filters: tuple[tuple[str, str], ...] = ()
) -> dict[str, float]:
    """{"2016-03": unique patients} of AREA up to the last complete month; FILTERS narrow it
    (e.g. (("nationality", "CN"),) for one segment)."""
    found = _column("month", area, user, filters)
    limit = month_index(last_complete_month())
    indices = [month_index(code) for code in found if month_index(code) <= limit]
    if not indices:
        return {}
    return {
        month_code(index): float(found.get(month_code(index), 0))
        for index in range(min(indices), max(indices) + 1)
    }
