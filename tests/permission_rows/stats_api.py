"""The statistics API: analysts and administrators (the city), district officers (their
district), institution staff (their institution); patients, agents and coordinators get 403,
the signed-out 401. Public figures go through open data only."""

from __future__ import annotations

from tests.permission_table import INSTITUTION_STAFF, OFFICERS, api

STATISTICS_READERS = OFFICERS | INSTITUTION_STAFF | {"analyst", "admin_user"}

ROUTES = [("api-v1:stats_pivot", "GET", "", api(STATISTICS_READERS))]
QUERY = {"api-v1:stats_pivot": {"rows": "district", "cols": "year"}}
