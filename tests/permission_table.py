"""Who may open what: the persona sets and helpers that every permission row uses.

Rows live in `tests/test_permissions.py` (the core) and in `tests/permission_rows/<area>.py`
(one module per area: `ROUTES`, and optionally `QUERY` and `TARGETS`), so that areas built at
the same time do not edit one table.
"""

from __future__ import annotations

from tests.conftest import PERSONAS

SIGNED_OUT = {"anonymous"}
PATIENTS = {"patient", "patient_other"}
# Interpreters and drivers sign in for their own jobs only; the console is not theirs.
FIELD_STAFF = {"interpreter", "interpreter_other", "driver"}
STAFF = set(PERSONAS) - SIGNED_OUT - PATIENTS - FIELD_STAFF
CITY_WIDE = {"analyst", "agent", "coordinator", "admin_user"}
OFFICERS = {"officer_gangnam", "officer_mapo"}
INSTITUTION_STAFF = {"staff_gangnam", "staff_mapo"}
ADMIN = {"admin_user"}
EVERYONE = set(PERSONAS)
READERS = INSTITUTION_STAFF | OFFICERS | {"analyst", "admin_user"}  # of patient submissions
WATCHERS = OFFICERS | {"analyst", "admin_user"}  # of who has not reported


def expect(allowed: set[str], ok: int = 200, **others: int) -> dict[str, int]:
    """Status per persona: OK for ALLOWED, 302 (to sign-in) when signed out, else 403.

    OTHERS overrides single personas, e.g. `officer_mapo=404` for a record outside their scope.
    """
    table = {
        name: ok if name in allowed else (302 if name in SIGNED_OUT else 403) for name in PERSONAS
    }
    table.update(others)
    return table


def api(allowed: set[str], ok: int = 200, **others: int) -> dict[str, int]:
    """The API answers 401 to the signed-out and 403 to the signed-in without the right."""
    table = {
        name: ok if name in allowed else (401 if name in SIGNED_OUT else 403) for name in PERSONAS
    }
    table.update(others)
    return table
