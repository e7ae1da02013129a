"""The default engine: reads pre-aggregated cells, four small indexed reads per query.

A query over dimensions D (rows, columns and filters) reads cuboid D for the cells, D minus the
columns for the row totals, D minus the rows for the column totals, and the filters alone for
the grand total: every figure is an exact count of its own, never a sum of others. A shape
whose cuboid is not materialised goes to the records engine (logged, and `engine` says so).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection

from medtour.stats.cube.cuboids import cuboid_id, is_materialised
from medtour.stats.engine import RecordsEngine
from medtour.stats.models import StatisticsState
from medtour.stats.plan import Key, Plan, Readings, prepare
from medtour.stats.query import PivotQuery, PivotResult, QueryError
from medtour.stats.result import assemble

logger = logging.getLogger(__name__)


class NotMaterialised(QueryError):
    """The cube store does not hold this shape (and the engine may not fall back)."""


class CubeEngine:
    name = "cube"

    def __init__(self, *, fallback: bool = True) -> None:
        self.fallback = fallback

    def pivot(self, query: PivotQuery, *, user: Any = None) -> PivotResult:
        plan = prepare(query, user=user)
        state = StatisticsState.objects.first()
        if state is None or not is_materialised(plan.dims()):
            if not self.fallback:
                raise NotMaterialised(",".join(sorted(plan.dims())))
            logger.info("statistics: %s answered from the records", sorted(plan.dims()))
            return RecordsEngine().pivot(query, user=user)
        return assemble(plan, self.read(plan), as_of=state.refreshed_at.isoformat())

    def read(self, plan: Plan) -> Readings:
        rows, cols = plan.rows, plan.cols
        filters = plan.filter_dims
        cells = _read(plan, rows + cols, filters)
        return Readings(
            cells={(key[: len(rows)], key[len(rows) :]): value for key, value in cells.items()},
            row_totals=_read(plan, rows, {*filters, *rows}) if rows else {},
            col_totals=_read(plan, cols, {*filters, *cols}) if cols else {},
            total=_read(plan, (), filters).get(()),
            engine=self.name,
        )


def _read(plan: Plan, axes: tuple[str, ...], dims: Any) -> dict[Key, int]:
    """Values of PLAN's measure in cuboid AXES + DIMS, filtered, keyed by the AXES members."""
    dims = set(axes) | set(dims)
    quote = connection.ops.quote_name
    where = ["cuboid = %s"]
    params: list[Any] = [cuboid_id(dims)]
    for name, value in plan.filters:
        where.append(f"{quote(name)} = %s")
        params.append(value)
    selected = ", ".join([*(quote(name) for name in axes), quote(plan.measure)])
    sql = f"SELECT {selected} FROM stats_statisticscell WHERE {' AND '.join(where)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row[:-1]): int(row[-1]) for row in cursor.fetchall()}
