"""The rules of `disclosure.protect`, one at a time (the attack is in test_disclosure_attack)."""

from __future__ import annotations

import pytest

from medtour.stats.disclosure import Grid, Kind, Relation, feasible_intervals, protect


def test_primary_suppression_hides_one_to_threshold_minus_one_and_never_zero() -> None:
    values = {"zero": 0, "one": 1, "four": 4, "five": 5, "total": 10}
    protection = protect(values, [], threshold=5)
    assert protection.suppressed == {"one": "primary", "four": "primary"}


def test_a_threshold_of_one_hides_nothing() -> None:
    assert not protect({"a": 1, "b": 2}, [], threshold=1).suppressed


@pytest.mark.parametrize("threshold", [0, -3])
def test_a_threshold_below_one_is_refused(threshold: int) -> None:
    with pytest.raises(ValueError):
        protect({"a": 1}, [], threshold=threshold)


def test_missing_figures_count_as_zero() -> None:
    protection = protect({"a": None, "b": 7, "t": 7}, [Relation("t", ("a", "b"))], threshold=5)
    assert not protection.suppressed


def test_a_relation_naming_an_unknown_figure_is_an_error() -> None:
    with pytest.raises(ValueError, match="without a value"):
        protect({"a": 1}, [Relation("t", ("a",))], threshold=5)


def test_a_sum_the_figures_contradict_is_weakened_to_a_union() -> None:
    relation = Relation("t", ("a", "b"), Kind.SUM)
    protection = protect({"a": 6, "b": 7, "t": 10}, [relation], threshold=5)
    assert protection.weakened == [relation]
    assert protection.relations == [Relation("t", ("a", "b"), Kind.UNION)]


def test_a_bound_between_measures_narrows_a_hidden_figure() -> None:
    """Patients never exceed episodes: 3 patients under 3 published episodes is no secret."""
    bound = Relation("episodes", ("patients",), Kind.COVERS)
    values = {"patients": 3, "episodes": 3}
    assert feasible_intervals(values, [bound], {"patients"}) == {"patients": (0.0, 3.0)}
    protection = protect(values, [bound], threshold=5)
    assert protection.is_suppressed("episodes")


def test_a_partial_breakdown_leaves_room_for_the_rest() -> None:
    """Top columns only: the total is at least the sum, the remainder is unknown."""
    values = {"a": 3, "b": 20, "t": 40}
    relation = Relation("t", ("a", "b"), Kind.AT_LEAST_SUM)
    assert feasible_intervals(values, [relation], {"a"}) == {"a": (0.0, 20.0)}
    assert set(protect(values, [relation], threshold=5).suppressed) == {"a"}


def test_grid_relations_follow_the_additivity_of_each_dimension() -> None:
    grid = Grid(
        cells=(("a", "b"),),
        row_totals=("r",),
        col_totals=("x", "y"),
        total="t",
        rows_additive=False,
        cols_additive=True,
        cols_complete=False,
    )
    kinds = {(relation.total, relation.parts): relation.kind for relation in grid.relations()}
    assert kinds[("r", ("a", "b"))] is Kind.AT_LEAST_SUM
    assert kinds[("x", ("a",))] is Kind.UNION
    assert kinds[("t", ("r",))] is Kind.UNION
    assert Grid.one_way(("a", "b"), "t").relations() == [Relation("t", ("a", "b"))]


def test_the_same_tables_give_the_same_decisions() -> None:
    grid = Grid(
        cells=(("a", "b", "c"), ("d", "e", "f")),
        row_totals=("r0", "r1"),
        col_totals=("c0", "c1", "c2"),
        total="t",
    )
    values = {"a": 2, "b": 9, "c": 12, "d": 8, "e": 7, "f": 30, "r0": 23, "r1": 45}
    values |= {"c0": 10, "c1": 16, "c2": 42, "t": 68}
    first = protect(values, grid.relations(), threshold=5).suppressed
    assert protect(dict(reversed(values.items())), grid.relations(), threshold=5).suppressed
    assert protect(values, grid.relations(), threshold=5).suppressed == first
