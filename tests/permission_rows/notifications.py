"""The outgoing mail queue is for administrators only (it holds patients' addresses); the
health check answers everyone (load balancers probe it without signing in)."""

from __future__ import annotations

from tests.conftest import PERSONAS
from tests.permission_table import ADMIN, expect

ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("console:mail-list", "GET", "", expect(ADMIN)),
    ("console:mail-retry", "POST", "unknown_mail", expect(ADMIN, 404)),
    ("healthz", "GET", "", dict.fromkeys(PERSONAS, 200)),
]
TARGETS = {"unknown_mail": {"pk": 999999}}
