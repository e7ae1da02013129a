"""The one query layer of the statistics: every screen, the API, the commands and the briefing
ask `pivot()` (docs/statistics.md).

A query names at most two dimensions across rows and columns, one measure and equality filters.
Codes are stable and language-free (`CN`, `11680`, `plastic_surgery`, `2016`, `2016-Q1`,
`2016-03`); labels are localised when the result is built. Totals are the real totals of the
cells' union (a patient treated in two districts counts once in the city), never sums of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Dimension code -> label. Time dimensions are periods: year `2016`, quarter `2016-Q1`,
# month `2016-03`, from the episode's first treatment date's reporting year and month.
DIMENSIONS: dict[str, Any] = {
    "year": _("year"),
    "quarter": _("quarter"),
    "month": _("month"),
    "district": _("district"),
    "institution": _("institution"),
    "institution_type": _("institution type"),
    "nationality": _("nationality"),
    "country_group": _("country group"),
    "department": _("department"),
    "sex": _("sex"),
    "age_band": _("age band"),
    "care_type": _("care type"),
    "channel": _("facilitator or direct"),
}

MEASURES: dict[str, Any] = {
    # each person once per period and area (and per any other cell of the query)
    "patients": _("unique patients"),
    # each person once per department: the sum over departments of the unique patients
    "department_patients": _("patients counted per department"),
    "episodes": _("episodes"),
    "inpatient_days": _("inpatient days"),
    "fees": _("fees (KRW)"),
}

AGE_BANDS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70+")
CHANNELS = ("facilitated", "direct")


class QueryError(ValueError):
    """A query the engine cannot answer; the message names the offending part, translated."""


@dataclass(frozen=True)
class PivotQuery:
    rows: tuple[str, ...] = ()
    cols: tuple[str, ...] = ()
    measure: str = "patients"
    filters: tuple[tuple[str, str], ...] = ()  # (dimension, code), ANDed

    def dimensions(self) -> frozenset[str]:
        return frozenset(self.rows) | frozenset(self.cols) | {name for name, _ in self.filters}


@dataclass(frozen=True)
class Member:
    """One row or column of a result: a tuple of codes (one per axis dimension) and its label."""

    codes: tuple[str, ...]
    label: str


@dataclass
class PivotResult:
    query: PivotQuery
    rows: list[Member]
    cols: list[Member]
    cells: list[list[int | None]]  # rows x cols; None where no record and no aggregate exists
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None
    # Where a figure comes from: "records", "aggregate" (an aggregate return fills a cell with
    # no records) or "estimate". Keyed by (row index, col index); absent means "records".
    # Totals use index -1: (r, -1) is row r's total, (-1, c) column c's, (-1, -1) the total.
    sources: dict[tuple[int, int], str] = field(default_factory=dict)
    as_of: str = ""  # ISO timestamp of the last refresh the figures include

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.query.measure,
            "rows": [{"codes": list(m.codes), "label": m.label} for m in self.rows],
            "cols": [{"codes": list(m.codes), "label": m.label} for m in self.cols],
            "cells": self.cells,
            "row_totals": self.row_totals,
            "col_totals": self.col_totals,
            "total": self.total,
            "sources": [
                {"row": r, "col": c, "source": source}
                for (r, c), source in sorted(self.sources.items())
            ],
            "as_of": self.as_of,
        }


def pivot(query: PivotQuery, *, user: Any = None) -> PivotResult:
    """Answer QUERY within USER's statistical scope (None: the whole city, for commands).

    The scope comes from `medtour.accounts.scope.statistics_scope(user)`: analysts and
    administrators see the city, a district officer their district, institution staff their
    institution; others may not ask (PermissionDenied). Labels are in the active language.
    """
    from medtour.stats.engine import current_engine

    return current_engine().pivot(query, user=user)
