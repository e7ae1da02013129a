"""Permission rows for the statistics dashboards, chart downloads and the table explorer.

Statistics are for analysts and administrators (the city), district officers (their district)
and institution staff (their institution); agents, coordinators and patients get 403.
"""

from __future__ import annotations

from typing import Any

from tests.permission_table import INSTITUTION_STAFF, OFFICERS, READERS, expect

CITY = {"analyst", "admin_user"}

ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("console:statistics", "GET", "", expect(READERS, 302)),
    ("console:statistics-city", "GET", "", expect(CITY)),
    ("console:statistics-district", "GET", "stats_gangnam", expect(CITY | {"officer_gangnam"})),
    (
        "console:statistics-institution",
        "GET",
        "stats_gangnam_clinic",
        expect(CITY | {"officer_gangnam", "staff_gangnam"}, officer_mapo=404, staff_mapo=404),
    ),
    ("console:statistics-chart", "GET", "stats_chart_csv", expect(CITY | {"officer_gangnam"})),
    ("console:statistics-table", "GET", "", expect(READERS)),
    ("console:statistics-table-download", "GET", "stats_csv", expect(READERS)),
]
QUERY: dict[str, dict[str, Any]] = {
    "console:statistics-chart": {"area": "district:11680"},
    "console:statistics-table": {"rows": "district", "measure": "patients"},
    "console:statistics-table-download": {"rows": "district", "measure": "patients"},
}
TARGETS: dict[str, dict[str, Any]] = {
    "stats_gangnam": {"code": "11680"},
    "stats_gangnam_clinic": {"code": "gangnam-clinic"},
    "stats_chart_csv": {"panel": "totals", "file_format": "csv"},
    "stats_csv": {"file_format": "csv"},
}
assert INSTITUTION_STAFF | OFFICERS <= READERS
