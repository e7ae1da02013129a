"""One build or refresh at a time, each reading one consistent state of the records.

On PostgreSQL a session advisory lock is taken *before* the transaction starts, and the
transaction runs REPEATABLE READ: its snapshot is then taken after any other refresh has
committed, and records and submissions are read as of one instant. Inside an outer transaction
(tests, callers' own atomic blocks) the isolation level can no longer change, so the records
table is locked against writers instead. SQLite serialises writers by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from medtour.records.models import PatientRecord

LOCK_ID = 20160101


@contextmanager
def exclusive_snapshot() -> Iterator[None]:
    postgres = connection.vendor == "postgresql"
    outer = connection.in_atomic_block
    if postgres and not outer:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
    try:
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    if outer:
                        table = connection.ops.quote_name(PatientRecord._meta.db_table)
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
                        cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
                    else:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        if postgres and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
