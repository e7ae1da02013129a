"""Disclosure control for published tables: primary and secondary cell suppression.

Pure and engine-independent: it sees figures under opaque, hashable keys and the linear relations
a reader knows between them (a total and its parts), never a record. The same key in two tables is
the same figure, so tables of one period that share margins are protected together.

The rules (docs/open-data.md):

- **Primary.** A figure from 1 to threshold - 1 is sensitive, whether a cell or a total. Zero is
  not: "no patient from this country" identifies nobody, and hiding zeros would only hide the
  shape of the table.
- **Secondary.** Every suppressed figure must keep a feasible interval at least `threshold` wide:
  solving min and max of it by linear programming over every published figure and every relation
  (non-negative, integrality relaxed) must leave `max - min >= threshold`. So a reader can neither
  work a hidden figure out exactly nor even tell whether it is below the threshold. Until that
  holds, each failing figure gets one complement: the published figure with the smallest positive
  value among those sharing a relation with it, preferring relations where it hides alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

Key = Any  # any hashable: the same key in two tables is the same figure
Interval = tuple[float, float]
_TOLERANCE = 1e-6


class Kind(StrEnum):
    """How a total relates to its parts."""

    SUM = "sum"  # total = Σ parts: an additive measure over a complete breakdown
    AT_LEAST_SUM = "at_least_sum"  # total ≥ Σ parts: additive, the breakdown shows only some parts
    UNION = "union"  # max(parts) ≤ total ≤ Σ parts: unique persons over a complete breakdown
    COVERS = "covers"  # total ≥ every part: unique persons over a partial breakdown, or any bound

    @classmethod
    def of(cls, *, additive: bool, complete: bool) -> Kind:
        if additive:
            return cls.SUM if complete else cls.AT_LEAST_SUM
        return cls.UNION if complete else cls.COVERS


# What a relation becomes when the figures contradict it (e.g. one person under two
# nationalities): the strongest weaker relation that still holds.
_WEAKER = {Kind.SUM: Kind.UNION, Kind.AT_LEAST_SUM: Kind.COVERS, Kind.UNION: Kind.COVERS}


@dataclass(frozen=True)
class Relation:
    total: Key
    parts: tuple[Key, ...]
    kind: Kind = Kind.SUM

    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)

    def holds(self, values: Mapping[Key, int]) -> bool:
        total = values[self.total]
        parts = [values[part] for part in self.parts]
        if self.kind is Kind.SUM:
            return total == sum(parts)
        if self.kind is Kind.AT_LEAST_SUM:
            return total >= sum(parts)
        if self.kind is Kind.UNION:
            return max(parts, default=0) <= total <= sum(parts)
        return total >= max(parts, default=0)

    def weakened(self) -> Relation | None:
        kind = _WEAKER.get(self.kind)
        return None if kind is None else Relation(self.total, self.parts, kind)


@dataclass(frozen=True)
class Grid:
    """The keys of a two-way table: cells[i][j], row totals, column totals and the grand total.

    `rows_additive`: the measure adds up over the row dimension (a column total relates to its
    column by SUM, else by UNION); `rows_complete`: every member of the row dimension is shown.
    Likewise for columns. A one-way table is a Grid without cells and columns (`one_way`).
    """

    cells: tuple[tuple[Key, ...], ...]
    row_totals: tuple[Key, ...]
    col_totals: tuple[Key, ...]
    total: Key
    rows_additive: bool = True
    cols_additive: bool = True
    rows_complete: bool = True
    cols_complete: bool = True

    @classmethod
    def one_way(
        cls, parts: Sequence[Key], total: Key, *, additive: bool = True, complete: bool = True
    ) -> Grid:
        return cls((), tuple(parts), (), total, additive, True, complete, True)

    def relations(self) -> list[Relation]:
        across_cols = Kind.of(additive=self.cols_additive, complete=self.cols_complete)
        across_rows = Kind.of(additive=self.rows_additive, complete=self.rows_complete)
        relations = [Relation(self.total, self.row_totals, across_rows)]
        if self.col_totals:
            relations.append(Relation(self.total, self.col_totals, across_cols))
        for row_total, row in zip(self.row_totals, self.cells or (), strict=bool(self.cells)):
            if row:
                relations.append(Relation(row_total, row, across_cols))
        for j, col_total in enumerate(self.col_totals):
            relations.append(Relation(col_total, tuple(row[j] for row in self.cells), across_rows))
        return relations


class Reason(StrEnum):
    PRIMARY = "primary"  # the figure itself is below the threshold
    SECONDARY = "secondary"  # hidden so that a primary one cannot be worked out


@dataclass
class Protection:
    threshold: int
    suppressed: dict[Key, Reason]
    # For each hidden figure, an interval the reader cannot narrow it below when it was last
    # checked: wide enough, or else the exact min and max (see `certified_intervals`).
    intervals: dict[Key, Interval]
    relations: list[Relation]  # as audited: weakened where the figures contradicted them
    weakened: list[Relation] = field(default_factory=list)  # the relations as declared

    def is_suppressed(self, key: Key) -> bool:
        return key in self.suppressed

    def reason(self, key: Key) -> Reason | None:
        return self.suppressed.get(key)


def is_sensitive(value: int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def protect(
    values: Mapping[Key, int | None], relations: Iterable[Relation], *, threshold: int
) -> Protection:
    """Decide which figures to hide so that none below THRESHOLD can be seen or worked out."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    figures = {key: int(value or 0) for key, value in values.items()}
    if any(value < 0 for value in figures.values()):
        raise ValueError("figures must not be negative")
    audited, weakened = _truthful(_unique(relations), figures)
    suppressed = {
        key: Reason.PRIMARY for key, value in figures.items() if is_sensitive(value, threshold)
    }
    intervals: dict[Key, Interval] = {}
    order = {key: index for index, key in enumerate(figures)}
    by_member: dict[Key, list[Relation]] = defaultdict(list)
    for relation in audited:
        for member in set(relation.members()):
            by_member[member].append(relation)

    to_check = set(suppressed)
    while to_check:
        found = certified_intervals(figures, audited, set(suppressed), to_check, threshold)
        intervals.update(found)
        failing = [key for key, interval in found.items() if not wide_enough(interval, threshold)]
        complements: set[Key] = set()
        for key in sorted(failing, key=order.__getitem__):
            # One complement per failing figure and round, unless this round already hid
            # something next to it where it no longer hides alone.
            alone = any(_hidden_count(relation, suppressed) == 1 for relation in by_member[key])
            if alone or not _neighbours(key, by_member) & complements:
                complement = _complement(key, by_member, suppressed, figures, order)
                suppressed[complement] = Reason.SECONDARY
                complements.add(complement)
        # Hiding more only relaxes the reader's problem: what passed keeps passing.
        to_check = set(failing) | complements
    return Protection(threshold, suppressed, intervals, audited, weakened)


def wide_enough(interval: Interval, threshold: int) -> bool:
    low, high = interval
    return high - low >= threshold - _TOLERANCE


def feasible_intervals(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    suppressed: set[Key],
    *,
    only: Iterable[Key] | None = None,
) -> dict[Key, Interval]:
    """The reader's min and max of each hidden figure (of ONLY, if given), by linear programming.

    Published figures are fixed to their values; hidden ones are free but non-negative; each
    relation is a linear equality or inequality. Unbounded above gives `inf`.
    """
    wanted = set(suppressed if only is None else only)
    intervals: dict[Key, Interval] = {}
    for component, relations_of_component in _components(relations, suppressed):
        targets = [key for key in component if key in wanted]
        if not targets:
            continue
        index = {key: i for i, key in enumerate(component)}
        problem = _constraints(relations_of_component, values, index)
        for key in targets:
            intervals[key] = (_bound(problem, index[key], 1.0), -_bound(problem, index[key], -1.0))
    return intervals


def certified_intervals(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    suppressed: set[Key],
    targets: Iterable[Key],
    threshold: int,
) -> dict[Key, Interval]:
    """For each target, an interval the reader cannot narrow: wide enough, or the exact one.

    Solving min and max for every hidden figure means two programmes each; most figures are
    cleared faster together. The true figures are one feasible point; a programme pushing all
    uncleared targets up at once (each capped at its value + threshold) finds another, and
    every target that moved by the threshold is cleared by the pair. Likewise downwards. What
    is left gets its exact min and max.
    """
    wanted = set(targets)
    intervals: dict[Key, Interval] = {}
    for component, relations_of_component in _components(relations, suppressed):
        remaining = [key for key in component if key in wanted]
        if not remaining:
            continue
        index = {key: i for i, key in enumerate(component)}
        problem = _constraints(relations_of_component, values, index)
        for direction in (1.0, -1.0):
            while remaining:
                moved = _push(problem, index, remaining, values, threshold, direction)
                cleared = [
                    key
                    for key in remaining
                    if direction * (moved[index[key]] - values[key]) >= threshold - _TOLERANCE
                ]
                if not cleared:
                    break
                for key in cleared:
                    ends = sorted((float(values[key]), float(moved[index[key]])))
                    intervals[key] = (ends[0], ends[1])
                remaining = [key for key in remaining if key not in intervals]
        for key in remaining:
            column = index[key]
            intervals[key] = (_bound(problem, column, 1.0), -_bound(problem, column, -1.0))
    return intervals


def _push(
    problem: _Problem,
    index: Mapping[Key, int],
    targets: Sequence[Key],
    values: Mapping[Key, int],
    threshold: int,
    direction: float,
) -> np.ndarray:
    """A feasible point moving TARGETS (up: direction 1) by at most the threshold each."""
    objective = np.zeros(problem.size)
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * problem.size
    for key in targets:
        column = index[key]
        objective[column] = -direction
        value = float(values[key])
        bounds[column] = (
            (0.0, value + threshold) if direction > 0 else (max(0.0, value - threshold), None)
        )
    result = _solve(problem, objective, bounds)
    if result.status != 0:
        raise RuntimeError(f"disclosure audit failed: {result.message}")
    return np.asarray(result.x)


# The linear programme ---------------------------------------------------------------------


Terms = list[tuple[Key, float]]  # Σ sign·figure
Row = tuple[dict[int, float], float]  # Σ coefficient·x[column] against a bound


@dataclass
class _Problem:
    size: int
    upper_rows: list[Row]  # Σ a·x ≤ b
    equal_rows: list[Row]  # Σ a·x = b

    @cached_property
    def upper(self) -> tuple[csr_array, np.ndarray]:
        return self._matrix(self.upper_rows)

    @cached_property
    def equal(self) -> tuple[csr_array, np.ndarray]:
        return self._matrix(self.equal_rows)

    def _matrix(self, rows: list[Row]) -> tuple[csr_array, np.ndarray]:
        entries = [
            (r, column, coefficient)
            for r, (coefficients, _bound) in enumerate(rows)
            for column, coefficient in coefficients.items()
        ]
        matrix = csr_array(
            (
                [coefficient for _r, _c, coefficient in entries],
                ([r for r, _c, _v in entries], [c for _r, c, _v in entries]),
            ),
            shape=(len(rows), self.size),
        )
        return matrix, np.array([bound for _coefficients, bound in rows], dtype=float)


def _constraints(
    relations: Iterable[Relation], values: Mapping[Key, int], index: Mapping[Key, int]
) -> _Problem:
    problem = _Problem(len(index), [], [])

    def row(terms: Terms) -> Row | None:
        """Σ sign·member, split into hidden (coefficients) and known (moved to the right)."""
        coefficients: dict[int, float] = defaultdict(float)
        known = 0.0
        for key, sign in terms:
            if key in index:
                coefficients[index[key]] += sign
            else:
                known += sign * values[key]
        coefficients = {column: value for column, value in coefficients.items() if value}
        return (coefficients, -known) if coefficients else None

    for relation in relations:
        total, parts = relation.total, relation.parts
        parts_minus_total = [*((part, 1.0) for part in parts), (total, -1.0)]
        equal: list[Terms] = []
        upper: list[Terms] = []
        if relation.kind is Kind.SUM:
            equal.append(parts_minus_total)
        elif relation.kind is Kind.AT_LEAST_SUM:
            upper.append(parts_minus_total)
        else:
            if relation.kind is Kind.UNION:
                upper.append([(key, -sign) for key, sign in parts_minus_total])
            upper.extend([(part, 1.0), (total, -1.0)] for part in parts)
        problem.equal_rows.extend(built for built in map(row, equal) if built is not None)
        problem.upper_rows.extend(built for built in map(row, upper) if built is not None)
    return problem


def _bound(problem: _Problem, column: int, direction: float) -> float:
    """min of direction·x[column]; -inf when unbounded below."""
    objective = np.zeros(problem.size)
    objective[column] = direction
    result = _solve(problem, objective, [(0.0, None)] * problem.size)
    if result.status == 3:
        return -math.inf
    if result.status != 0:
        raise RuntimeError(f"disclosure audit failed: {result.message}")
    return float(result.fun)


def _solve(
    problem: _Problem, objective: np.ndarray, bounds: list[tuple[float, float | None]]
) -> Any:
    upper, upper_bounds = problem.upper
    equal, equal_bounds = problem.equal
    return linprog(
        objective,
        A_ub=upper if len(upper_bounds) else None,
        b_ub=upper_bounds if len(upper_bounds) else None,
        A_eq=equal if len(equal_bounds) else None,
        b_eq=equal_bounds if len(equal_bounds) else None,
        bounds=bounds,
        method="highs",
    )


# Bookkeeping ------------------------------------------------------------------------------


def _unique(relations: Iterable[Relation]) -> list[Relation]:
    """Tables of one period repeat their shared margins: audit each relation once."""
    return list(dict.fromkeys(relations))


def _truthful(
    relations: list[Relation], values: Mapping[Key, int]
) -> tuple[list[Relation], list[Relation]]:
    audited, weakened = [], []
    for relation in relations:
        missing = [key for key in relation.members() if key not in values]
        if missing:
            raise ValueError(f"relation names figures without a value: {missing!r}")
        current: Relation | None = relation
        while current is not None and not current.holds(values):
            current = current.weakened()
        if current != relation:
            weakened.append(relation)
        if current is not None:
            audited.append(current)
    return audited, weakened


def _components(
    relations: Sequence[Relation], suppressed: set[Key]
) -> list[tuple[list[Key], list[Relation]]]:
    """Hidden figures linked by relations, each with the relations that touch it."""
    parent: dict[Key, Key] = {key: key for key in suppressed}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    touching = []
    for relation in relations:
        hidden = [key for key in relation.members() if key in suppressed]
        if not hidden:
            continue
        touching.append((relation, hidden[0]))
        for key in hidden[1:]:
            parent[root(key)] = root(hidden[0])
    members: dict[Key, list[Key]] = defaultdict(list)
    for key in suppressed:
        members[root(key)].append(key)
    relations_of: dict[Key, list[Relation]] = defaultdict(list)
    for relation, first in touching:
        relations_of[root(first)].append(relation)
    return [(keys, relations_of[head]) for head, keys in members.items()]


def _neighbours(key: Key, by_member: Mapping[Key, list[Relation]]) -> set[Key]:
    return {member for relation in by_member.get(key, ()) for member in relation.members()}


def _hidden_count(relation: Relation, suppressed: Mapping[Key, Reason]) -> int:
    return sum(1 for member in relation.members() if member in suppressed)


def _totals_of(key: Key, by_member: Mapping[Key, list[Relation]]) -> int:
    """How many breakdowns KEY is the total of (a bound between two figures is not one)."""
    return sum(
        1
        for relation in by_member.get(key, ())
        if relation.total == key and len(relation.parts) > 1
    )


def _complement(
    key: Key,
    by_member: Mapping[Key, list[Relation]],
    suppressed: Mapping[Key, Reason],
    values: Mapping[Key, int],
    order: Mapping[Key, int],
) -> Key:
    """The published figure to hide next to KEY.

    Preferred, in order: a positive figure (a zero widens little); one in a relation where KEY
    hides alone; a cell rather than a total (totals are what readers use most); one that also
    keeps company to another figure hiding alone elsewhere (this is
    how rectangles form in a two-way table); the smallest. When every figure sharing a relation
    with KEY is hidden already, look one relation further, and so on; a figure whose whole
    neighbourhood is hidden is unbounded, so this ends.
    """
    frontier, seen = {key}, {key}
    while frontier:
        best: tuple[tuple[bool, int, int, int, int, int], Key] | None = None
        for hidden in frontier:
            for relation in by_member.get(hidden, ()):
                hidden_count = _hidden_count(relation, suppressed)
                for member in relation.members():
                    if member in suppressed:
                        continue
                    keeps_company = sum(
                        1
                        for other in by_member.get(member, ())
                        if other != relation and _hidden_count(other, suppressed) == 1
                    )
                    value = values[member]
                    score = (
                        value == 0,
                        hidden_count,
                        _totals_of(member, by_member),
                        -keeps_company,
                        value,
                        order[member],
                    )
                    if best is None or score < best[0]:
                        best = (score, member)
        if best is not None:
            return best[1]
        frontier = {
            member
            for hidden in frontier
            for relation in by_member.get(hidden, ())
            for member in relation.members()
        } - seen
        seen |= frontier
    raise RuntimeError(f"no figure left to hide next to {key!r}")
