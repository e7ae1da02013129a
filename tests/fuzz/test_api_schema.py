"""schemathesis against /api/v1/openapi.json: every operation, signed out and with a token.

No generated request may get a server error, and every response must match the schema the API
publishes. The number of examples per operation is bounded for `make test`; `make fuzz` raises
it (FUZZ_LEVEL=full).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from medtour.api.tokens import issue_token
from tests.fuzz.inputs import FULL

pytestmark = pytest.mark.django_db

EXAMPLES = 200 if FULL else 12


def _load_schema() -> Any:
    # Loaded at collection, in-process: describing the API reads no database.
    from medtour.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the connection that holds the
    test's transaction (schemathesis calls the WSGI application directly)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(admin_user: Any, staff_gangnam: Any) -> list[dict[str, str]]:
    """No token, an administrator's token and a clinic's staff token."""
    headers: list[dict[str, str]] = [{}]
    for user in (admin_user, staff_gangnam):
        issued = issue_token(user=user, name="fuzz", actor=user)
        headers.append({"Authorization": f"Bearer {issued.key}"})
    return headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_operation_never_fails_nor_breaks_its_schema(
    case: Any, credentials: list[dict[str, str]]
) -> None:
    for headers in credentials:
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )
