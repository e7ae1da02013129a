"""Writing validated rows into the records table, fast, inside the caller's transaction.

PostgreSQL gets new rows through one `COPY … FROM STDIN` (CSV written by Polars), straight into
the table: the commit has already told new rows from corrections under a lock on the
institution, so no staging table and no `ON CONFLICT` is needed, and the natural-key constraint
still refuses anything that slipped through. Each batch is written sorted by pseudonym, so
consecutive rows land on neighbouring pages of the natural-key index instead of at random (a
quarter less work for the database). SQLite gets `executemany` in batches.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection

from medtour.records.models import PatientRecord, PseudonymLink, RecordRevision

SQLITE_BATCH = 10_000
COPY_SLICE = 20_000
INSERT_COLUMNS = (
    "institution_id",
    "submission_id",
    "pseudonym",
    "pseudonym_version",
    "year",
    "district_id",
    "birth_year",
    "sex",
    "nationality_id",
    "province",
    "department_id",
    "first_visit",
    "last_visit",
    "care_type",
    "inpatient_days",
    "fees_krw",
    "facilitator_id",
    "diagnosis",
    "revision",
)
UPDATE_COLUMNS = (
    "submission_id",
    "pseudonym",
    "pseudonym_version",
    "birth_year",
    "sex",
    "nationality_id",
    "province",
    "last_visit",
    "care_type",
    "inpatient_days",
    "fees_krw",
    "facilitator_id",
    "diagnosis",
    "revision",
)


@dataclass(frozen=True)
class Context:
    """What every row of one commit shares."""

    institution_id: int
    submission_id: int
    pseudonym_version: int
    year: int
    district_id: int


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _with_context(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(context.institution_id, dtype=pl.Int64).alias("institution_id"),
        pl.lit(context.submission_id, dtype=pl.Int64).alias("submission_id"),
        pl.lit(context.pseudonym_version, dtype=pl.Int32).alias("pseudonym_version"),
        pl.lit(context.year, dtype=pl.Int32).alias("year"),
        pl.lit(context.district_id, dtype=pl.Int64).alias("district_id"),
        pl.lit(1, dtype=pl.Int64).alias("revision"),
    )


class RecordInserter:
    """Inserts rows never seen before, batch after batch; on PostgreSQL through one COPY.

    Nothing else may use the connection until it is closed.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self.count = 0
        self._stack = contextlib.ExitStack()
        self._copy: Any = None
        self._columns = ", ".join(connection.ops.quote_name(name) for name in INSERT_COLUMNS)

    def __enter__(self) -> RecordInserter:
        if connection.vendor == "postgresql":
            cursor = self._stack.enter_context(connection.cursor())
            self._copy = self._stack.enter_context(
                cursor.cursor.copy(
                    f"COPY {_table(PatientRecord)} ({self._columns}) FROM STDIN "
                    "WITH (FORMAT csv, NULL '\\N')"
                )
            )
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)

    def write(self, frame: pl.DataFrame) -> int:
        if frame.is_empty():
            return 0
        # In pseudonym order; sorting what already is sorted (and flagged so) costs nothing.
        rows = _with_context(frame, self.context).select(INSERT_COLUMNS).sort("pseudonym")
        if self._copy is not None:
            for start in range(0, rows.height, COPY_SLICE):  # the CSV text of a slice at a time
                text = (
                    rows.slice(start, COPY_SLICE)
                    .with_columns(
                        (pl.lit("\\x") + pl.col("pseudonym").bin.encode("hex")).alias("pseudonym")
                    )
                    .write_csv(include_header=False, null_value="\\N", date_format="%Y-%m-%d")
                )
                self._copy.write(text.encode("utf-8"))
        else:
            # Dates as the ISO text SQLite stores: no Python adapter call per cell.
            text_dates = rows.with_columns(
                pl.col("first_visit", "last_visit").dt.to_string("%Y-%m-%d")
            )
            placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
            _executemany(
                f"INSERT INTO {_table(PatientRecord)} ({self._columns}) VALUES ({placeholders})",
                text_dates.iter_rows(),
            )
        self.count += rows.height
        return rows.height


def _executemany(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _json_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def apply_corrections(frame: pl.DataFrame, context: Context, value_columns: Sequence[str]) -> int:
    """Changed rows: keep the old values as a revision, then write the new ones."""
    if frame.is_empty():
        return 0
    revisions = []
    updates = []
    for row in frame.iter_rows(named=True):
        revisions.append(
            RecordRevision(
                record_id=row["record_id"],
                revision=row["old_revision"],
                values={name: _json_value(row[f"old_{name}"]) for name in value_columns},
                submission_id=row["old_submission_id"],
                replaced_by_id=context.submission_id,
            )
        )
        updates.append(
            (
                context.submission_id,
                row["pseudonym"],
                context.pseudonym_version,
                *(row[name] for name in UPDATE_COLUMNS[3:-1]),
                row["old_revision"] + 1,
                row["record_id"],
            )
        )
    RecordRevision.objects.bulk_create(revisions, batch_size=5_000)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in UPDATE_COLUMNS)
    _executemany(f"UPDATE {_table(PatientRecord)} SET {assignments} WHERE id = %s", updates)
    return len(updates)


def rekey(frame: pl.DataFrame, context: Context) -> int:
    """Records met through the previous key get the current pseudonym (unchanged rows)."""
    if frame.is_empty():
        return 0
    rows = [
        (row[0], context.pseudonym_version, row[1])
        for row in frame.select("pseudonym", "record_id").iter_rows()
    ]
    _executemany(
        f"UPDATE {_table(PatientRecord)} SET pseudonym = %s, pseudonym_version = %s WHERE id = %s",
        rows,
    )
    return len(rows)


def link_pseudonyms(frame: pl.DataFrame, old_version: int, new_version: int) -> None:
    """Remember old -> new pseudonym for everyone in these rows (during a rotation)."""
    pairs = frame.select("previous_pseudonym", "pseudonym").unique().iter_rows()
    PseudonymLink.objects.bulk_create(
        [
            PseudonymLink(
                old_version=old_version,
                old_pseudonym=old,
                new_version=new_version,
                new_pseudonym=new,
            )
            for old, new in pairs
        ],
        batch_size=5_000,
        ignore_conflicts=True,
    )
