"""Targets and forecasts: analysts read the city and every district, district officers read and
edit their own district, administrators do everything; nobody else may open these screens."""

from __future__ import annotations

from tests.permission_table import ADMIN, OFFICERS, expect

TARGET_READERS = ADMIN | OFFICERS | {"analyst"}
TARGET_EDITORS = ADMIN | OFFICERS

ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("console:targets", "GET", "", expect(TARGET_READERS)),
    ("console:targets-scenario", "GET", "", expect(TARGET_READERS)),
    ("console:target-create", "GET", "", expect(TARGET_EDITORS)),
    ("console:target-edit", "GET", "unknown_target", expect(TARGET_EDITORS, 404)),
    ("console:target-delete", "GET", "unknown_target", expect(TARGET_EDITORS, 404)),
]
TARGETS = {"unknown_target": {"pk": 999999}}
