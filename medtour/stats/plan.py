"""A query checked, encoded and confined to the caller's scope: what an engine executes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from medtour.accounts.scope import StatisticsScope, statistics_scope
from medtour.stats.dimensions import Members
from medtour.stats.query import DIMENSIONS, MEASURES, PivotQuery, QueryError

MAX_AXIS_DIMENSIONS = 2

Key = tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    query: PivotQuery
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    measure: str
    # (dimension, encoded member): the query's filters and the caller's scope, ANDed.
    filters: tuple[tuple[str, int], ...]
    members: dict[str, Members] = field(compare=False, hash=False)
    scope: StatisticsScope = field(default_factory=StatisticsScope)

    @property
    def filter_dims(self) -> tuple[str, ...]:
        return tuple(name for name, _value in self.filters)

    def dims(self) -> frozenset[str]:
        return frozenset(self.rows) | frozenset(self.cols) | frozenset(self.filter_dims)


@dataclass
class Readings:
    """What an engine found: measure values by (row key, col key), the real totals."""

    cells: dict[tuple[Key, Key], int]
    row_totals: dict[Key, int]
    col_totals: dict[Key, int]
    total: int | None
    engine: str = "records"


def _check_dimension(name: str) -> str:
    if name not in DIMENSIONS:
        raise QueryError(_("Unknown dimension “%(name)s”.") % {"name": name})
    return name


def prepare(query: PivotQuery, *, user: Any = None) -> Plan:
    """Check QUERY and encode it; PermissionDenied for a caller without statistics or who
    asks outside their scope; QueryError naming the bad part."""
    scope = statistics_scope(user)
    if query.measure not in MEASURES:
        raise QueryError(_("Unknown measure “%(name)s”.") % {"name": query.measure})
    rows = tuple(_check_dimension(name) for name in query.rows)
    cols = tuple(_check_dimension(name) for name in query.cols)
    axes = rows + cols
    if len(set(axes)) != len(axes):
        raise QueryError(_("A dimension can be on the rows or the columns, not twice."))
    if len(axes) > MAX_AXIS_DIMENSIONS:
        raise QueryError(_("A table has at most two dimensions across rows and columns."))
    members = {name: Members(name) for name in {*axes, *(name for name, _c in query.filters)}}
    filters: dict[str, int] = {}
    for name, code in query.filters:
        _check_dimension(name)
        value = members[name].value(code)
        if filters.get(name, value) != value:
            raise QueryError(
                _("Filter “%(name)s” is given twice with different members.") % {"name": name}
            )
        filters[name] = value
    for name, value in _scope_filters(scope):
        if filters.get(name, value) != value:
            raise PermissionDenied(_("These figures are outside your scope."))
        filters[name] = value
        members.setdefault(name, Members(name))
    return Plan(
        query=query,
        rows=rows,
        cols=cols,
        measure=query.measure,
        filters=tuple(sorted(filters.items())),
        members=members,
        scope=scope,
    )


def _scope_filters(scope: StatisticsScope) -> list[tuple[str, int]]:
    if scope.institution_id is not None:
        return [("institution", scope.institution_id)]
    if scope.district_id is not None:
        return [("district", scope.district_id)]
    return []
