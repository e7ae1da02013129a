"""Every counting-rule test runs against each engine: the records (the oracle) and the cubes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from medtour.stats.engine import RecordsEngine
from medtour.stats.query import PivotQuery, PivotResult

ENGINES = ["records", "cube"]


def _engine(name: str) -> Any:
    if name == "records":
        return RecordsEngine()
    from medtour.stats.cube.build import rebuild
    from medtour.stats.cube.engine import CubeEngine

    rebuild()
    return CubeEngine(fallback=False)


@pytest.fixture(params=ENGINES)
def ask(request: pytest.FixtureRequest, db: None) -> Callable[..., PivotResult]:
    """`ask(rows=..., cols=..., measure=..., filters=...)` on a freshly built engine."""

    def run(
        rows: tuple[str, ...] = (),
        cols: tuple[str, ...] = (),
        measure: str = "patients",
        filters: tuple[tuple[str, str], ...] = (),
        user: Any = None,
    ) -> PivotResult:
        engine = _engine(request.param)
        return engine.pivot(
            PivotQuery(rows=rows, cols=cols, measure=measure, filters=filters), user=user
        )

    return run


def table(result: PivotResult) -> dict[tuple[str, str], int | None]:
    """Cells by (row code, col code), codes joined with '/'."""
    return {
        ("/".join(row.codes), "/".join(col.codes)): result.cells[r][c]
        for r, row in enumerate(result.rows)
        for c, col in enumerate(result.cols)
    }


def totals(result: PivotResult, axis: str) -> dict[str, int | None]:
    members = result.rows if axis == "rows" else result.cols
    values = result.row_totals if axis == "rows" else result.col_totals
    return {"/".join(m.codes): v for m, v in zip(members, values, strict=True)}
