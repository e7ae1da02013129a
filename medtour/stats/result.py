"""From an engine's readings to the `PivotResult` every caller gets: members in their natural
order with labels in the active language, aggregate returns where records are missing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from medtour.stats.plan import Key, Plan, Readings
from medtour.stats.query import Member, PivotResult
from medtour.stats.returns import aggregate_readings

AGGREGATE = "aggregate"
TOTAL = -1  # sources[(r, TOTAL)] is row r's total, sources[(TOTAL, TOTAL)] the grand total


def _members(plan: Plan, dims: tuple[str, ...], keys: set[Key]) -> list[tuple[Key, Member]]:
    if not dims:
        return [((), Member(codes=(), label=_("all")))]
    ordered = sorted(
        keys,
        key=lambda key: tuple(
            plan.members[name].order(value) for name, value in zip(dims, key, strict=True)
        ),
    )
    result = []
    for key in ordered:
        parts = [plan.members[name] for name in dims]
        codes = tuple(part.code(value) for part, value in zip(parts, key, strict=True))
        label = " · ".join(part.label(value) for part, value in zip(parts, key, strict=True))
        result.append((key, Member(codes=codes, label=label)))
    return result


def assemble(plan: Plan, readings: Readings, *, as_of: str) -> PivotResult:
    returns = aggregate_readings(plan)
    sources: dict[tuple[int, int], str] = {}
    row_keys = {r for r, _c in readings.cells} | set(readings.row_totals)
    col_keys = {c for _r, c in readings.cells} | set(readings.col_totals)
    if returns is not None:
        row_keys |= {r for r, _c in returns.cells} | set(returns.row_totals)
        col_keys |= {c for _r, c in returns.cells} | set(returns.col_totals)
    rows = _members(plan, plan.rows, row_keys)
    cols = _members(plan, plan.cols, col_keys)

    def pick(found: int | None, fallback: int | None, where: tuple[int, int]) -> int | None:
        if found is None and fallback is not None:
            sources[where] = AGGREGATE
            return fallback
        return found

    aggregate = returns or Readings({}, {}, {}, None)
    total = pick(readings.total, aggregate.total, (TOTAL, TOTAL))
    cells = [
        [
            pick(readings.cells.get((rk, ck)), aggregate.cells.get((rk, ck)), (r, c))
            for c, (ck, _cm) in enumerate(cols)
        ]
        for r, (rk, _rm) in enumerate(rows)
    ]
    if plan.rows:
        row_totals = [
            pick(readings.row_totals.get(rk), aggregate.row_totals.get(rk), (r, TOTAL))
            for r, (rk, _m) in enumerate(rows)
        ]
    else:
        row_totals = [total]
    if plan.cols:
        col_totals = [
            pick(readings.col_totals.get(ck), aggregate.col_totals.get(ck), (TOTAL, c))
            for c, (ck, _m) in enumerate(cols)
        ]
    else:
        col_totals = [total]
    return PivotResult(
        query=plan.query,
        rows=[member for _key, member in rows],
        cols=[member for _key, member in cols],
        cells=cells,
        row_totals=row_totals,
        col_totals=col_totals,
        total=total,
        sources=sources,
        as_of=as_of,
    )
