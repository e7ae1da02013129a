"""Cells of a cuboid computed from episodes: exact distinct counts, fast on millions of rows.

A person with a single episode counts once in that episode's cell whatever the dimensions, so
only the episodes of people seen more than once need a distinct count; the rest are counted.
Most people have one episode, so the expensive part runs on a fraction of the rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from medtour.stats.cube.cuboids import cuboid_id
from medtour.stats.frames import MEASURE_COLUMNS
from medtour.stats.models import DIMENSION_COLUMNS

CELL_COLUMNS = ("cuboid", "key", *DIMENSION_COLUMNS, *MEASURE_COLUMNS)
CELL_SCHEMA = {
    "cuboid": pl.Int64,
    "key": pl.String,
    **dict.fromkeys(DIMENSION_COLUMNS, pl.Int64),
    **dict.fromkeys(MEASURE_COLUMNS, pl.Int64),
}


def with_single_flag(frame: pl.DataFrame) -> pl.DataFrame:
    """Mark episodes of people who have no other episode in FRAME."""
    return frame.with_columns((~pl.col("patient").is_duplicated()).alias("single"))


def _grouped(frame: pl.DataFrame, dims: list[str], aggregations: list[pl.Expr]) -> pl.DataFrame:
    if dims:
        return frame.group_by(dims).agg(aggregations)
    return frame.select(aggregations)


def cuboid_cells(frame: pl.DataFrame, dims: Iterable[str], groups: pl.DataFrame) -> pl.DataFrame:
    """The cells of cuboid DIMS over FRAME (which carries the `single` flag), as CELL_COLUMNS."""
    dims = [name for name in DIMENSION_COLUMNS if name in set(dims)]
    if "country_group" in dims:
        frame = frame.join(groups, on="nationality", how="inner")
    if frame.is_empty():
        return pl.DataFrame(schema=CELL_SCHEMA)
    counted = _grouped(
        frame,
        dims,
        [
            pl.len().alias("episodes"),
            pl.col("inpatient_days").sum(),
            pl.col("fees").sum(),
            pl.col("single").sum().alias("singles"),
        ],
    )
    repeated = _grouped(
        frame.filter(~pl.col("single")),
        dims,
        [
            pl.col("patient").n_unique().alias("repeated"),
            pl.col("patient_department").n_unique().alias("repeated_departments"),
        ],
    )
    if dims:
        cells = counted.join(repeated, on=dims, how="left")
    else:
        cells = pl.concat([counted, repeated], how="horizontal")
    key = pl.concat_str([pl.col(name).cast(pl.String) for name in dims], separator=",")
    return cells.select(
        pl.lit(cuboid_id(dims), dtype=pl.Int64).alias("cuboid"),
        (key if dims else pl.lit("")).alias("key"),
        *(
            pl.col(name).cast(pl.Int64)
            if name in dims
            else pl.lit(None, dtype=pl.Int64).alias(name)
            for name in DIMENSION_COLUMNS
        ),
        (pl.col("singles") + pl.col("repeated").fill_null(0)).cast(pl.Int64).alias("patients"),
        (pl.col("singles") + pl.col("repeated_departments").fill_null(0))
        .cast(pl.Int64)
        .alias("department_patients"),
        pl.col("episodes").cast(pl.Int64),
        pl.col("inpatient_days").cast(pl.Int64),
        pl.col("fees").cast(pl.Int64),
    )
