"""Which dimension sets are materialised: every set of at most two dimensions, and the
larger sets that the dashboards, the briefing and the benchmark ask for (declared here).

A cuboid's id is the bit mask of its dimensions in `DIMENSION_COLUMNS` order, so it never
changes when the list grows. The set is closed under subsets: a query over D reads D and the
subsets it needs for its totals (docs/statistics.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import combinations

from medtour.stats.models import DIMENSION_COLUMNS

# Larger sets, by who uses them: district dashboards (a district officer's scope adds the
# district to every query), the briefing's breakdowns, the benchmark's filtered shapes.
# Institution-wide breakdowns beyond two dimensions are left to the records engine: one
# institution's records are few and found through the natural-key index, while cuboids
# keyed by institution are the largest by far (400,000 cells for year x institution x
# nationality in the demo).
DECLARED: tuple[frozenset[str], ...] = tuple(
    frozenset(names)
    for names in (
        ("year", "district", "nationality"),
        ("year", "district", "department"),
        ("year", "district", "country_group"),
        ("year", "district", "sex"),
        ("year", "district", "age_band"),
        ("year", "district", "care_type"),
        ("year", "district", "channel"),
        ("year", "nationality", "department"),
        ("year", "nationality", "sex"),
        ("year", "nationality", "age_band"),
        ("month", "district", "nationality"),
        ("year", "district", "nationality", "department"),
        ("year", "district", "nationality", "sex"),
    )
)
MAX_FULL_SIZE = 2


def cuboid_id(dims: Iterable[str]) -> int:
    mask = 0
    for name in dims:
        mask |= 1 << DIMENSION_COLUMNS.index(name)
    return mask


def dims_of(cuboid: int) -> tuple[str, ...]:
    return tuple(name for bit, name in enumerate(DIMENSION_COLUMNS) if cuboid >> bit & 1)


@cache
def materialised() -> frozenset[int]:
    sets: set[frozenset[str]] = set()
    for size in range(MAX_FULL_SIZE + 1):
        sets.update(frozenset(c) for c in combinations(DIMENSION_COLUMNS, size))
    for declared in DECLARED:
        for size in range(len(declared) + 1):
            sets.update(frozenset(c) for c in combinations(sorted(declared), size))
    return frozenset(cuboid_id(dims) for dims in sets)


def is_materialised(dims: Iterable[str]) -> bool:
    return cuboid_id(dims) in materialised()
