"""Exact changes of every cell, from the affected people's episodes tagged by what happened.

Each episode of an affected person is *unchanged* (the same before and after), *added* (only
after: new, or a correction's new values) or *removed* (only before: a correction's old
values). Additive measures change by the added minus the removed. A person's distinct count in
a cell changes only where they gain their first or lose their last episode there:

    +1 where they have an added episode, no removed one and no unchanged one;
    -1 where they have a removed episode, no added one and no unchanged one.

So per cuboid only the unchanged episodes that share a cell with an added or removed episode
of the same person matter. Those of a cuboid are a subset of those of any of its sub-cuboids,
so the cuboids are computed smallest first, each filtering its parent's relevant episodes: at
ten million records a submission's people carry ~600,000 earlier episodes, but the cuboids
with a year, district or institution keep only the few in the submission's cells.

A cell and a (cell, person) pair are packed into one 64-bit integer (each dimension offset by
its minimum in these episodes, in as many bits as its range needs), so every step is a hash
of one integer column. A cuboid too wide to pack is computed the plain way: cells of
unchanged + added minus cells of unchanged + removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from medtour.stats import frames
from medtour.stats.cube.cells import CELL_SCHEMA
from medtour.stats.cube.cuboids import dims_of
from medtour.stats.frames import MEASURE_COLUMNS
from medtour.stats.models import DIMENSION_COLUMNS

PACKED_BITS = 62
ADDITIVE = ("episodes", "inpatient_days", "fees")


@dataclass(frozen=True)
class Packing:
    """Offsets and bit widths of the dimensions (and of the patient number) in these
    episodes."""

    offsets: dict[str, int]
    bits: dict[str, int]
    patient_bits: int

    @classmethod
    def of(cls, parts: list[pl.DataFrame], groups: pl.DataFrame) -> Packing:
        columns = [name for name in DIMENSION_COLUMNS if name != "country_group"]
        ranges = pl.concat(
            [
                part.select(
                    *(pl.col(name).min().cast(pl.Int64).alias(f"{name}_low") for name in columns),
                    *(pl.col(name).max().cast(pl.Int64).alias(f"{name}_high") for name in columns),
                    pl.col("patient").max().cast(pl.Int64).alias("patient_high"),
                )
                for part in parts
                if not part.is_empty()
            ]
        )

        def extreme(series: pl.Series, pick: str) -> int:
            value: Any = series.min() if pick == "low" else series.max()
            return int(value or 0)

        low = {name: extreme(ranges[f"{name}_low"], "low") for name in columns}
        high = {name: extreme(ranges[f"{name}_high"], "high") for name in columns}
        low["country_group"] = extreme(groups["country_group"], "low")
        high["country_group"] = extreme(groups["country_group"], "high")
        offsets = {name: low[name] for name in DIMENSION_COLUMNS}
        bits = {
            name: max(1, (high[name] - offsets[name]).bit_length()) for name in DIMENSION_COLUMNS
        }
        patient_high = extreme(ranges["patient_high"], "high")
        return cls(offsets, bits, max(1, patient_high.bit_length()))

    def fits(self, dims: list[str]) -> bool:
        width = sum(self.bits[name] for name in dims) + self.patient_bits
        if "department" not in dims:
            width += self.bits["department"]
        return width <= PACKED_BITS

    def cell(self, dims: list[str]) -> pl.Expr:
        packed = pl.lit(0, dtype=pl.Int64)
        for name in dims:
            packed = packed * (1 << self.bits[name]) + (
                pl.col(name).cast(pl.Int64) - self.offsets[name]
            )
        return packed

    def decoded(self, dims: list[str]) -> list[pl.Expr]:
        expressions = []
        shift = 0
        for name in reversed(dims):
            width = 1 << self.bits[name]
            value = pl.col("cell") // (1 << shift) % width + self.offsets[name]
            expressions.append(value.cast(pl.Int64).alias(name))
            shift += self.bits[name]
        return expressions

    def pair(self) -> pl.Expr:
        return pl.col("cell") * (1 << self.patient_bits) + pl.col("patient")

    def department_pair(self) -> pl.Expr:
        department = pl.col("department").cast(pl.Int64) - self.offsets["department"]
        return self.pair() * (1 << self.bits["department"]) + department


def _distinct_change(changed: pl.DataFrame, pair: str, known: pl.Series) -> pl.DataFrame:
    """Per cell: people (or pairs) gained minus lost, given the pairs of the relevant
    unchanged episodes (KNOWN)."""
    if changed.is_empty():
        return pl.DataFrame(schema={"cell": pl.Int64, pair: pl.Int64})
    if not (changed["sign"] < 0).any():
        gained = changed.select("cell", pair).unique(subset=pair)
        gained = gained.filter(~pl.col(pair).is_in(known.implode()))
        return gained.group_by("cell").agg(pl.len().cast(pl.Int64).alias(pair))
    per_pair = (
        changed.group_by(pair)
        .agg(
            pl.col("cell").first(),
            (pl.col("sign") > 0).any().alias("added"),
            (pl.col("sign") < 0).any().alias("removed"),
        )
        .filter((pl.col("added") != pl.col("removed")) & ~pl.col(pair).is_in(known.implode()))
    )
    return per_pair.group_by("cell").agg(
        pl.when(pl.col("added")).then(1).otherwise(-1).sum().cast(pl.Int64).alias(pair)
    )


@dataclass
class Episodes:
    """The affected people's episodes: CHANGED carries `sign` (+1 added, -1 removed) and
    `simple` (its person has this one added episode and nothing else: +1 in every distinct
    count of its cells, no hashing needed)."""

    unchanged: pl.DataFrame
    changed: pl.DataFrame
    groups: pl.DataFrame

    @classmethod
    def tagged(cls, unchanged: pl.DataFrame, changed: pl.DataFrame) -> Episodes:
        simple = (
            (pl.col("patient").count().over("patient") == 1)
            & (pl.col("sign") > 0)
            & ~pl.col("patient").is_in(unchanged["patient"].unique().implode())
        )
        return cls(unchanged, changed.with_columns(simple.alias("simple")), frames.country_groups())


def _cuboid(
    dims: list[str], changed: pl.DataFrame, relevant: pl.DataFrame, packing: Packing
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Signed cell changes of cuboid DIMS (by packed cell) and the unchanged episodes that
    share a (cell, person) pair with a changed one."""
    cell = packing.cell(dims).alias("cell")
    changed = changed.with_columns(cell)
    sums = changed.group_by("cell").agg(
        pl.col("sign").sum().alias("episodes"),
        (pl.col("inpatient_days") * pl.col("sign")).sum().alias("inpatient_days"),
        (pl.col("fees") * pl.col("sign")).sum().alias("fees"),
        pl.col("simple").sum().cast(pl.Int64).alias("simple"),
    )
    complex_ = changed.filter(~pl.col("simple"))
    per_department = "department" not in dims
    pairs = [packing.pair().alias("pair")]
    if per_department:
        pairs.append(packing.department_pair().alias("department_pair"))
    complex_ = complex_.with_columns(pairs)
    base = relevant.columns
    known = (
        relevant.with_columns(cell)
        .with_columns(pairs)
        .filter(pl.col("pair").is_in(complex_["pair"].unique().implode()))
    )
    relevant = known.select(base)
    patients = _distinct_change(complex_, "pair", known["pair"])
    table = sums.join(patients, on="cell", how="full", coalesce=True)
    if per_department:
        department = _distinct_change(complex_, "department_pair", known["department_pair"])
        table = table.join(department, on="cell", how="full", coalesce=True)
    else:
        table = table.with_columns(pl.col("pair").alias("department_pair"))
    table = table.fill_null(0).select(
        "cell",
        (pl.col("simple") + pl.col("pair")).alias("patients"),
        (pl.col("simple") + pl.col("department_pair")).alias("department_patients"),
        *ADDITIVE,
    )
    return table, relevant


def _measures(frame: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    aggregations = [
        pl.col("patient").n_unique().cast(pl.Int64).alias("patients"),
        pl.col("patient_department").n_unique().cast(pl.Int64).alias("department_patients"),
        pl.len().cast(pl.Int64).alias("episodes"),
        pl.col("inpatient_days").sum().cast(pl.Int64),
        pl.col("fees").sum().cast(pl.Int64),
    ]
    if not dims:
        return frame.select(aggregations)
    return frame.group_by(dims).agg(aggregations)


def _plain(dims: list[str], changed: pl.DataFrame, relevant: pl.DataFrame) -> pl.DataFrame:
    """Cells over unchanged + added minus cells over unchanged + removed (wide cuboids;
    country groups are already joined in when DIMS has them)."""
    columns = relevant.columns
    after = _measures(
        pl.concat([relevant, changed.filter(pl.col("sign") > 0).select(columns)]), dims
    )
    before = _measures(
        pl.concat([relevant, changed.filter(pl.col("sign") < 0).select(columns)]), dims
    )
    if not dims:
        return after.select(pl.col(name) - before[name][0] for name in MEASURE_COLUMNS)
    joined = after.join(before, on=dims, how="full", coalesce=True, suffix="_before")
    return joined.fill_null(0).select(
        *dims, *(pl.col(name) - pl.col(f"{name}_before") for name in MEASURE_COLUMNS)
    )


def _as_cells(table: pl.DataFrame, cuboid: int, dims: list[str]) -> pl.DataFrame:
    key = pl.concat_str([pl.col(name).cast(pl.String) for name in dims], separator=",")
    return table.select(
        pl.lit(cuboid, dtype=pl.Int64).alias("cuboid"),
        (key if dims else pl.lit("")).alias("key"),
        *(
            pl.col(name).cast(pl.Int64)
            if name in dims
            else pl.lit(None, dtype=pl.Int64).alias(name)
            for name in DIMENSION_COLUMNS
        ),
        *(pl.col(name).cast(pl.Int64) for name in MEASURE_COLUMNS),
    )


def _with_groups(frame: pl.DataFrame, groups: pl.DataFrame) -> pl.DataFrame:
    return frame.join(groups, on="nationality", how="inner")


def deltas(episodes: Episodes, cuboids: Iterable[int]) -> pl.DataFrame:
    """Signed changes of every cell of CUBOIDS; cells that do not change are left out."""
    groups = episodes.groups
    changed = episodes.changed
    if changed.is_empty():
        return pl.DataFrame(schema=CELL_SCHEMA)
    packing = Packing.of([episodes.unchanged, changed], groups)
    changed_groups = _with_groups(changed, groups)
    relevant: dict[int, pl.DataFrame] = {}
    parts = []
    for cuboid in sorted(cuboids, key=lambda c: (c.bit_count(), c)):
        dims = list(dims_of(cuboid))
        size = cuboid.bit_count()
        parents = [relevant[c] for c in relevant if c & cuboid == c and c.bit_count() == size - 1]
        parent = min(parents, key=len) if parents else episodes.unchanged
        grouped = "country_group" in dims
        if grouped and "country_group" not in parent.columns:
            parent = _with_groups(parent, groups)
        mine = changed_groups if grouped else changed
        if packing.fits(dims):
            table, relevant[cuboid] = _cuboid(dims, mine, parent, packing)
            table = table.with_columns(packing.decoded(dims))
        else:
            table, relevant[cuboid] = _plain(dims, mine, parent), parent
        parts.append(_as_cells(table, cuboid, dims))
    changes = pl.concat(parts)
    return changes.filter(pl.any_horizontal(pl.col(name) != 0 for name in MEASURE_COLUMNS))
