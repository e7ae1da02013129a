"""The engines behind `pivot()`: one interface, two implementations (docs/statistics.md).

`RecordsEngine` computes any query straight from the records: exact, the oracle of the tests,
and the fallback for shapes the cube store does not hold. `CubeEngine` (the default) reads
pre-aggregated cells (`medtour.stats.cube`). A columnar or distributed store would be a third
class with the same `pivot()`.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import polars as pl
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from medtour.stats import frames
from medtour.stats.plan import Key, Plan, Readings, prepare
from medtour.stats.query import PivotQuery, PivotResult
from medtour.stats.result import assemble

logger = logging.getLogger(__name__)


class Engine(Protocol):
    def pivot(self, query: PivotQuery, *, user: Any = None) -> PivotResult: ...


# Filters the database applies while reading (cheap, and cuts what is read);
# the others are applied to the frame.
_PUSHED_DOWN = {
    "year": "year",
    "district": "district_id",
    "institution": "institution_id",
    "nationality": "nationality_id",
    "department": "department_id",
}


def _where(plan: Plan) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for name, value in plan.filters:
        if name in _PUSHED_DOWN:
            clauses.append(f"{_PUSHED_DOWN[name]} = %s")
            params.append(value)
        elif name == "channel":
            clauses.append("facilitator_id IS NULL" if value else "facilitator_id IS NOT NULL")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def filtered(frame: pl.DataFrame, plan: Plan, groups: pl.DataFrame | None = None) -> pl.DataFrame:
    """Episodes that pass every filter; a country-group filter keeps its countries' episodes."""
    for name, value in plan.filters:
        if name == "country_group":
            members = (groups if groups is not None else frames.country_groups()).filter(
                pl.col("country_group") == value
            )
            frame = frame.join(members.select("nationality"), on="nationality", how="semi")
        else:
            frame = frame.filter(pl.col(name) == value)
    return frame


def _keyed(table: pl.DataFrame, dims: tuple[str, ...], measure: str) -> dict[Key, int]:
    if table.is_empty():
        return {}
    return {tuple(row[:-1]): int(row[-1]) for row in table.select(*dims, measure).iter_rows()}


def readings_of_frame(
    frame: pl.DataFrame, plan: Plan, groups: pl.DataFrame | None = None, engine: str = "records"
) -> Readings:
    """Exact readings of PLAN over episodes FRAME (already filtered)."""
    if groups is None and "country_group" in plan.rows + plan.cols:
        groups = frames.country_groups()
    rows, cols, measure = plan.rows, plan.cols, plan.measure
    table = frames.measures_by(frame, rows + cols, groups)
    cells = {
        (key[: len(rows)], key[len(rows) :]): value
        for key, value in _keyed(table, rows + cols, measure).items()
    }
    row_totals = _keyed(frames.measures_by(frame, rows, groups), rows, measure) if rows else {}
    col_totals = _keyed(frames.measures_by(frame, cols, groups), cols, measure) if cols else {}
    grand = frames.measures_by(frame, (), groups)
    total = int(grand[measure][0]) if not grand.is_empty() and grand["episodes"][0] else None
    return Readings(cells, row_totals, col_totals, total, engine=engine)


class RecordsEngine:
    """Every query answered from the records themselves."""

    name = "records"

    def pivot(self, query: PivotQuery, *, user: Any = None) -> PivotResult:
        plan = prepare(query, user=user)
        return assemble(plan, self.read(plan), as_of=timezone.now().isoformat())

    def read(self, plan: Plan) -> Readings:
        where, params = _where(plan)
        groups = frames.country_groups() if "country_group" in plan.dims() else None
        frame = filtered(frames.episodes(where, params), plan, groups)
        return readings_of_frame(frame, plan, groups, engine=self.name)


def current_engine() -> Engine:
    """`settings.STATISTICS_ENGINE` (a dotted path) if set, else the cube engine."""
    path = getattr(settings, "STATISTICS_ENGINE", "medtour.stats.cube.engine.CubeEngine")
    engine: Engine = import_string(path)()
    return engine
