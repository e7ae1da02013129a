"""Writing cells: COPY on PostgreSQL, executemany on SQLite; deltas added in place."""

from __future__ import annotations

import polars as pl
from django.db import connection

from medtour.stats.cube.cells import CELL_COLUMNS
from medtour.stats.frames import MEASURE_COLUMNS
from medtour.stats.models import StatisticsCell

SQLITE_BATCH = 20_000


def table() -> str:
    return connection.ops.quote_name(StatisticsCell._meta.db_table)


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(name) for name in CELL_COLUMNS)


def _copy(frame: pl.DataFrame, target: str) -> None:
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {target} ({_columns()}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy,
    ):
        step = 500_000
        for start in range(0, frame.height, step):
            text = frame.slice(start, step).write_csv(include_header=False, null_value="\\N")
            copy.write(text.encode("utf-8"))


def _executemany(sql: str, frame: pl.DataFrame) -> None:
    with connection.cursor() as cursor:
        for start in range(0, frame.height, SQLITE_BATCH):
            cursor.executemany(sql, frame.slice(start, SQLITE_BATCH).rows())


def insert(frame: pl.DataFrame) -> None:
    """Add new cells (the table holds none of these keys)."""
    frame = frame.select(CELL_COLUMNS)
    if frame.is_empty():
        return
    if connection.vendor == "postgresql":
        _copy(frame, table())
        return
    placeholders = ", ".join(["%s"] * len(CELL_COLUMNS))
    _executemany(f"INSERT INTO {table()} ({_columns()}) VALUES ({placeholders})", frame)


def clear() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table()}")
        else:
            cursor.execute(f"DELETE FROM {table()}")


def add(deltas: pl.DataFrame) -> None:
    """Add DELTAS (cells with signed measures) to the stored cells, creating missing ones,
    then drop cells left without any episode."""
    deltas = deltas.select(CELL_COLUMNS)
    if deltas.is_empty():
        return
    quote = connection.ops.quote_name
    updates = ", ".join(
        f"{quote(name)} = {table()}.{quote(name)} + excluded.{quote(name)}"
        for name in MEASURE_COLUMNS
    )
    conflict = f"ON CONFLICT (cuboid, {quote('key')}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE statistics_delta (LIKE {table()} INCLUDING DEFAULTS)"
            )
            cursor.execute("ALTER TABLE statistics_delta DROP COLUMN id")
            _copy(deltas, "statistics_delta")
            cursor.execute(
                f"INSERT INTO {table()} ({_columns()}) SELECT {_columns()} FROM statistics_delta "
                f"{conflict}"
            )
            cursor.execute(
                f"DELETE FROM {table()} AS cell USING statistics_delta AS delta "
                "WHERE cell.cuboid = delta.cuboid AND cell.key = delta.key AND cell.episodes <= 0"
            )
            cursor.execute("DROP TABLE statistics_delta")
        else:
            placeholders = ", ".join(["%s"] * len(CELL_COLUMNS))
            _executemany(
                f"INSERT INTO {table()} ({_columns()}) VALUES ({placeholders}) {conflict}", deltas
            )
            cursor.execute(f"DELETE FROM {table()} WHERE episodes <= 0")
