"""Aggregate returns: officers, analysts and administrators read; officers and administrators
write (an officer's own district only, checked with real totals in
tests/console/reporting/test_aggregates.py)."""

from __future__ import annotations

from tests.permission_table import ADMIN, OFFICERS, expect

AGGREGATE_READERS = OFFICERS | {"analyst", "admin_user"}
AGGREGATE_WRITERS = OFFICERS | ADMIN

ROUTES = [
    ("console:aggregate-list", "GET", "", expect(AGGREGATE_READERS)),
    ("console:aggregate-create", "GET", "", expect(AGGREGATE_WRITERS)),
    ("console:aggregate-import", "GET", "", expect(AGGREGATE_WRITERS)),
    ("console:aggregate-edit", "GET", "unknown_aggregate", expect(AGGREGATE_WRITERS, 404)),
    ("console:aggregate-delete", "GET", "unknown_aggregate", expect(AGGREGATE_WRITERS, 404)),
]
TARGETS = {"unknown_aggregate": {"pk": 999999}}
