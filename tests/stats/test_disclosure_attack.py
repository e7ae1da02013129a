"""The attacker: publish tables, then work out every hidden cell from everything published.

The attack is written here independently of `medtour.stats.disclosure`: every figure of every
published table is a variable, the published ones fixed to their values, the hidden ones free and
non-negative (integrality relaxed), under every constraint a reader knows (row and column totals,
shared margins of other tables of the same period). For each hidden figure we solve its min and
max and require that the interval is at least the threshold wide.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from medtour.stats.disclosure import Grid, Protection, protect

SMALL_AND_LARGE = [0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]


@dataclass
class Attacker:
    """What a reader knows: figures by name, which of them are published, and linear facts."""

    values: dict[str, int]
    published: set[str]
    equalities: list[dict[str, int]] = field(default_factory=list)  # Σ coef·figure = 0
    at_most: list[dict[str, int]] = field(default_factory=list)  # Σ coef·figure ≤ 0

    def sums(self, total: str, parts: Iterable[str]) -> None:
        self.equalities.append({total: -1, **dict.fromkeys(parts, 1)})

    def unions(self, total: str, parts: Iterable[str]) -> None:
        """A unique count: each part ≤ total ≤ Σ parts."""
        parts = list(parts)
        self.at_most.append({total: 1, **dict.fromkeys(parts, -1)})
        for part in parts:
            self.at_most.append({part: 1, total: -1})

    def interval(self, target: str) -> tuple[float, float]:
        names = sorted(self.values)
        column = {name: i for i, name in enumerate(names)}
        bounds = [
            (self.values[name], self.values[name]) if name in self.published else (0, None)
            for name in names
        ]

        def matrix(rows: list[dict[str, int]]) -> np.ndarray | None:
            if not rows:
                return None
            built = np.zeros((len(rows), len(names)))
            for r, row in enumerate(rows):
                for name, coefficient in row.items():
                    built[r, column[name]] += coefficient
            return built

        a_eq, a_ub = matrix(self.equalities), matrix(self.at_most)
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(names))
            objective[column[target]] = sign
            result = linprog(
                objective,
                A_eq=a_eq,
                b_eq=None if a_eq is None else np.zeros(len(self.equalities)),
                A_ub=a_ub,
                b_ub=None if a_ub is None else np.zeros(len(self.at_most)),
                bounds=bounds,
                method="highs",
            )
            if result.status == 3:
                ends.append(float("inf"))
                continue
            assert result.status == 0, result.message
            ends.append(sign * result.fun)
        return ends[0], ends[1]

    def hidden(self) -> list[str]:
        return sorted(set(self.values) - self.published)


def assert_safe(attacker: Attacker, threshold: int) -> None:
    for name in attacker.published:
        value = attacker.values[name]
        assert value == 0 or value >= threshold, f"{name}={value} published"
    for name in attacker.hidden():
        low, high = attacker.interval(name)
        assert low <= attacker.values[name] <= high + 1e-6
        assert high - low >= threshold - 1e-6, f"{name} narrowed to [{low}, {high}]"


# Tables by name: "A:r1:c2" is a cell, "A:r1:*" a row total, "*:c2" / "A:*:c2" a column total.


def grid_names(table: str, rows: int, cols: int, row_total: str = "{t}:r{i}:*") -> Grid:
    return Grid(
        cells=tuple(tuple(f"{table}:r{i}:c{j}" for j in range(cols)) for i in range(rows)),
        row_totals=tuple(row_total.format(t=table, i=i) for i in range(rows)),
        col_totals=tuple(f"{table}:*:c{j}" for j in range(cols)),
        total="*",
    )


def fill(grid: Grid, counts: list[list[int]], values: dict[str, int]) -> None:
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            values[grid.cells[i][j]] = value
        values[grid.row_totals[i]] = sum(row)
    for j in range(len(grid.col_totals)):
        values[grid.col_totals[j]] = sum(row[j] for row in counts)
    values[grid.total] = sum(map(sum, counts))


def know_sums(attacker: Attacker, grid: Grid) -> None:
    attacker.sums(grid.total, grid.row_totals)
    attacker.sums(grid.total, grid.col_totals)
    for i, row in enumerate(grid.cells):
        attacker.sums(grid.row_totals[i], row)
    for j, total in enumerate(grid.col_totals):
        attacker.sums(total, [row[j] for row in grid.cells])


def publish(values: dict[str, int], protection: Protection) -> set[str]:
    return {name for name in values if not protection.is_suppressed(name)}


# By hand ------------------------------------------------------------------------------------


def test_one_hidden_cell_in_a_row_is_worked_out_from_the_total_unless_others_are_hidden() -> None:
    grid = grid_names("A", 3, 3)
    values: dict[str, int] = {}
    fill(grid, [[20, 3, 15], [10, 12, 30], [8, 9, 40]], values)

    # Classic single suppression: hide only the 3, and the row total gives it back exactly.
    naive = Attacker(values, set(values) - {"A:r0:c1"})
    know_sums(naive, grid)
    assert naive.interval("A:r0:c1") == pytest.approx((3, 3))

    protection = protect(values, grid.relations(), threshold=5)
    assert protection.reason("A:r0:c1") == "primary"
    assert {name for name, reason in protection.suppressed.items() if reason == "secondary"}
    attacker = Attacker(values, publish(values, protection))
    know_sums(attacker, grid)
    assert_safe(attacker, threshold=5)
    # Secondary suppression forms the smallest rectangle: four cells, no margin.
    assert len(protection.suppressed) == 4


def test_two_small_cells_in_a_row_still_narrow_each_other_below_the_threshold() -> None:
    """1 and 2 hidden together in one row: each lies in [0, 3], narrower than 5."""
    grid = grid_names("A", 2, 3)
    values: dict[str, int] = {}
    fill(grid, [[1, 2, 30], [20, 25, 30]], values)
    naive = Attacker(values, set(values) - {"A:r0:c0", "A:r0:c1"})
    know_sums(naive, grid)
    low, high = naive.interval("A:r0:c0")
    assert high - low < 5

    protection = protect(values, grid.relations(), threshold=5)
    attacker = Attacker(values, publish(values, protection))
    know_sums(attacker, grid)
    assert_safe(attacker, threshold=5)


def test_small_totals_are_hidden_and_zeros_are_published() -> None:
    grid = grid_names("A", 2, 2)
    values: dict[str, int] = {}
    fill(grid, [[0, 3], [0, 40]], values)
    protection = protect(values, grid.relations(), threshold=5)
    assert protection.reason("A:r0:*") == "primary"  # a row total of 3
    assert protection.reason("A:*:c0") is None  # zero: not sensitive
    assert not protection.is_suppressed("A:r0:c0")
    attacker = Attacker(values, publish(values, protection))
    know_sums(attacker, grid)
    assert_safe(attacker, threshold=5)


def test_tables_protected_one_by_one_leak_through_a_shared_margin_and_jointly_do_not() -> None:
    """Districts alone, and districts x department: both publish the district totals."""
    by_district = Grid.one_way(("d0", "d1", "d2"), "*")
    by_department = Grid(
        cells=(("D:0:0", "D:0:1"), ("D:1:0", "D:1:1"), ("D:2:0", "D:2:1")),
        row_totals=("d0", "d1", "d2"),
        col_totals=("D:*:0", "D:*:1"),
        total="*",
    )
    values = {
        **{"D:0:0": 15, "D:0:1": 15, "D:1:0": 3, "D:1:1": 0, "D:2:0": 5, "D:2:1": 40},
        **{"D:*:0": 23, "D:*:1": 55, "d0": 30, "d1": 3, "d2": 45, "*": 78},
    }
    districts_only = {key: values[key] for key in ("d0", "d1", "d2", "*")}

    # One by one, each table hides a different complement for the district of 3 ...
    alone = protect(districts_only, by_district.relations(), threshold=5)
    beside = protect(values, by_department.relations(), threshold=5)
    assert alone.reason("d0") == "secondary" and not beside.is_suppressed("d0")
    assert beside.reason("d2") == "secondary" and not alone.is_suppressed("d2")
    # ... so between them they publish every other district, and the 3 is a subtraction away.
    leaked = Attacker(values, publish(districts_only, alone) | publish(values, beside))
    know_sums(leaked, by_department)
    assert leaked.interval("d1") == pytest.approx((3, 3))

    together = protect(values, by_district.relations() + by_department.relations(), threshold=5)
    attacker = Attacker(values, publish(values, together))
    know_sums(attacker, by_department)
    assert_safe(attacker, threshold=5)


def test_the_threshold_is_a_parameter() -> None:
    grid = grid_names("A", 2, 2)
    values: dict[str, int] = {}
    fill(grid, [[7, 30], [20, 25]], values)
    assert not protect(values, grid.relations(), threshold=5).suppressed
    strict = protect(values, grid.relations(), threshold=10)
    assert strict.reason("A:r0:c0") == "primary"
    attacker = Attacker(values, publish(values, strict))
    know_sums(attacker, grid)
    assert_safe(attacker, threshold=10)


# Unique patients: totals are unions, not sums -----------------------------------------------


def unique_patient_tables(
    people: list[set[tuple[int, int]]], rows: int, cols: int
) -> tuple[Grid, dict[str, int]]:
    """Each person is seen in some (district, department) cells; count persons, not visits."""
    grid = grid_names("P", rows, cols)
    grid = Grid(grid.cells, grid.row_totals, grid.col_totals, grid.total, False, False)
    values: dict[str, int] = {}
    for i, j in itertools.product(range(rows), range(cols)):
        values[grid.cells[i][j]] = sum(1 for cells in people if (i, j) in cells)
    for i in range(rows):
        values[grid.row_totals[i]] = sum(1 for cells in people if any(c[0] == i for c in cells))
    for j in range(cols):
        values[grid.col_totals[j]] = sum(1 for cells in people if any(c[1] == j for c in cells))
    values[grid.total] = sum(1 for cells in people if cells)
    return grid, values


def know_unions(attacker: Attacker, grid: Grid) -> None:
    attacker.unions(grid.total, grid.row_totals)
    attacker.unions(grid.total, grid.col_totals)
    for i, row in enumerate(grid.cells):
        attacker.unions(grid.row_totals[i], row)
    for j, total in enumerate(grid.col_totals):
        attacker.unions(total, [row[j] for row in grid.cells])


def test_unique_patients_are_protected_with_union_bounds() -> None:
    # 2 people seen in cell (0, 0), both also in (0, 1): the row total is not the sum.
    people = [{(0, 0), (0, 1)}, {(0, 0), (0, 1)}] + [{(0, 1)}] * 20 + [{(1, 0)}] * 9
    people += [{(1, 1)}] * 12 + [{(0, 1), (1, 1)}] * 3
    grid, values = unique_patient_tables(people, 2, 2)
    assert values["P:r0:*"] < values["P:r0:c0"] + values["P:r0:c1"]
    protection = protect(values, grid.relations(), threshold=5)
    assert protection.reason("P:r0:c0") == "primary"
    attacker = Attacker(values, publish(values, protection))
    know_unions(attacker, grid)
    assert_safe(attacker, threshold=5)


def test_declaring_unique_patients_additive_is_corrected_to_a_union() -> None:
    people = [{(0, 0), (0, 1)}] * 2 + [{(0, 1)}] * 20 + [{(1, 0)}] * 9 + [{(1, 1)}] * 12
    grid, values = unique_patient_tables(people, 2, 2)
    additive = Grid(grid.cells, grid.row_totals, grid.col_totals, grid.total)
    protection = protect(values, additive.relations(), threshold=5)
    assert protection.weakened  # the row total of row 0 is not the sum of its cells
    attacker = Attacker(values, publish(values, protection))
    know_unions(attacker, grid)
    assert_safe(attacker, threshold=5)


# Random tables ------------------------------------------------------------------------------

counts = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.sampled_from(SMALL_AND_LARGE), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)
attack_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@attack_settings
@given(table=counts, threshold=st.integers(2, 6))
def test_no_hidden_cell_of_a_random_table_can_be_narrowed(
    table: list[list[int]], threshold: int
) -> None:
    grid = grid_names("A", len(table), len(table[0]))
    values: dict[str, int] = {}
    fill(grid, table, values)
    protection = protect(values, grid.relations(), threshold=threshold)
    attacker = Attacker(values, publish(values, protection))
    know_sums(attacker, grid)
    assert_safe(attacker, threshold)


@attack_settings
@given(
    cube=st.lists(
        st.lists(
            st.lists(st.sampled_from(SMALL_AND_LARGE), min_size=3, max_size=3),
            min_size=3,
            max_size=3,
        ),
        min_size=2,
        max_size=4,
    ),
    threshold=st.integers(3, 5),
)
def test_no_hidden_cell_of_two_linked_random_tables_can_be_narrowed(
    cube: list[list[list[int]]], threshold: int
) -> None:
    """district x nationality x department counts, published as two tables sharing districts."""
    rows, nationalities, departments = len(cube), len(cube[0]), 3
    by_nationality = grid_names("N", rows, nationalities, row_total="d{i}")
    by_department = grid_names("D", rows, departments, row_total="d{i}")
    values: dict[str, int] = {}
    fill(by_nationality, [[sum(cell) for cell in plane] for plane in cube], values)
    fill(by_department, [[sum(col) for col in zip(*plane, strict=True)] for plane in cube], values)
    relations = by_nationality.relations() + by_department.relations()
    protection = protect(values, relations, threshold=threshold)
    attacker = Attacker(values, publish(values, protection))
    know_sums(attacker, by_nationality)
    know_sums(attacker, by_department)
    assert_safe(attacker, threshold)


@attack_settings
@given(seed=st.integers(0, 10_000), threshold=st.integers(3, 5))
def test_no_hidden_unique_patient_count_can_be_narrowed(seed: int, threshold: int) -> None:
    generator = random.Random(seed)
    rows, cols = generator.randint(2, 4), generator.randint(2, 4)
    people = [
        {
            (generator.randrange(rows), generator.randrange(cols))
            for _ in range(generator.choice([1, 1, 1, 2, 3]))
        }
        for _ in range(generator.randint(5, 60))
    ]
    grid, values = unique_patient_tables(people, rows, cols)
    protection = protect(values, grid.relations(), threshold=threshold)
    attacker = Attacker(values, publish(values, protection))
    know_unions(attacker, grid)
    assert_safe(attacker, threshold)
