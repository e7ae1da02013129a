"""The briefing: city analysts and administrators (the city and any district), district
officers (their own district); nobody else."""

from __future__ import annotations

from tests.permission_table import WATCHERS, expect

ROUTES = [
    ("console:briefing", "GET", "", expect(WATCHERS)),
    ("console:briefing-download", "GET", "", expect(WATCHERS)),
]
QUERY = {"console:briefing-download": {"format": "md", "year": "2016"}}
