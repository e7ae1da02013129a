"""Open data is public: every persona reads the same pages and files (docs/open-data.md)."""

from __future__ import annotations

from tests.conftest import PERSONAS

TABLE = {"year": 2016, "table": "patients-by-district"}

ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("portal:open_data", "GET", "", dict.fromkeys(PERSONAS, 200)),
    # The permission tests run without records: no year is published, so every persona gets
    # the same 404 (tests/portal/test_opendata.py reads the tables with data).
    ("portal:open_data_table", "GET", "open_data_table", dict.fromkeys(PERSONAS, 404)),
    ("portal:open_data_csv", "GET", "open_data_table", dict.fromkeys(PERSONAS, 404)),
    ("portal:open_data_metadata", "GET", "open_data_table", dict.fromkeys(PERSONAS, 404)),
]
TARGETS = {"open_data_table": TABLE}
