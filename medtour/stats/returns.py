"""Aggregate returns: totals reported where no records exist (a past year, a district).

They fill cells that have no records, marked "aggregate", and are never added to record counts.
A return applies when the query's dimensions are period (year, quarter or month: exactly one),
district, nationality and department only, and its own cell matches exactly (a return for the
whole city has no district; one for all nationalities has no nationality).
"""

from __future__ import annotations

from dataclasses import dataclass

from medtour.records.models import AggregateMeasure, AggregateReturn
from medtour.reference.city import current_city
from medtour.stats.plan import Key, Plan, Readings

MEASURE_OF_RETURN = {
    "patients": AggregateMeasure.UNIQUE_PATIENTS,
    "department_patients": AggregateMeasure.DEPARTMENT_PATIENTS,
    "episodes": AggregateMeasure.PATIENT_VISITS,
    "fees": AggregateMeasure.FEES_KRW,
}
PERIODS = ("year", "quarter", "month")
PLACES = ("district", "nationality", "department")


@dataclass(frozen=True)
class Return:
    values: dict[str, int | None]  # the period dimension and the three places
    count: int


def _period(ret: AggregateReturn) -> tuple[str, int]:
    period = ret.period
    if period.quarter:
        return "quarter", period.year * 10 + period.quarter
    if period.month:
        return "month", period.year * 100 + period.month
    return "year", period.year


def _returns(measure: str) -> list[Return]:
    found = AggregateReturn.objects.filter(
        city=current_city().code, measure=MEASURE_OF_RETURN[measure]
    ).select_related("period")
    result = []
    for ret in found:
        kind, value = _period(ret)
        values: dict[str, int | None] = dict.fromkeys(PERIODS)
        values[kind] = value
        values.update(
            district=ret.district_id, nationality=ret.nationality_id, department=ret.department_id
        )
        result.append(Return(values, ret.count))
    return result


def _applies(plan: Plan) -> bool:
    dims = plan.dims()
    return (
        plan.measure in MEASURE_OF_RETURN
        and dims <= {*PERIODS, *PLACES}
        and len(dims & set(PERIODS)) == 1
    )


def _keyed(
    returns: list[Return], plan: Plan, axes: tuple[str, ...], filters: dict[str, int]
) -> dict[Key, int]:
    dims = set(axes) | set(filters)
    if len(dims & set(PERIODS)) != 1:
        return {}
    keyed: dict[Key, int] = {}
    for ret in returns:
        if any(ret.values[name] is None for name in dims):
            continue
        if any(ret.values[name] is not None for name in (*PERIODS, *PLACES) if name not in dims):
            continue
        if any(ret.values[name] != value for name, value in filters.items()):
            continue
        keyed[tuple(ret.values[name] or 0 for name in axes)] = ret.count
    return keyed


def aggregate_readings(plan: Plan) -> Readings | None:
    """The returns that match PLAN's cells and totals, as readings; None when none can apply."""
    if not _applies(plan):
        return None
    returns = _returns(plan.measure)
    if not returns:
        return None
    filters = dict(plan.filters)
    rows, cols = plan.rows, plan.cols
    cells = {
        (key[: len(rows)], key[len(rows) :]): count
        for key, count in _keyed(returns, plan, rows + cols, filters).items()
    }
    total = _keyed(returns, plan, (), filters).get(())
    return Readings(
        cells=cells,
        row_totals=_keyed(returns, plan, rows, filters) if rows else {},
        col_totals=_keyed(returns, plan, cols, filters) if cols else {},
        total=total,
        engine="aggregate",
    )
