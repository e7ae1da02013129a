"""Every screen and API endpoint against every persona, the forbidden cases included.

The table below is the specification of who may open what. `test_every_route_is_in_the_table`
fails when a new screen or endpoint is added without a row here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import permission_rows
from tests.conftest import PERSONAS
from tests.factories import FacilitatorFactory
from tests.permission_table import (
    ADMIN,
    CITY_WIDE,
    EVERYONE,
    INSTITUTION_STAFF,
    OFFICERS,
    READERS,
    SIGNED_OUT,
    STAFF,
    WATCHERS,
    api,
    expect,
)

pytestmark = pytest.mark.django_db

# (url name, method, kwargs key, expected statuses). kwargs keys name objects built in `targets`.
ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("set_language", "POST", "", dict.fromkeys(PERSONAS, 302)),
    ("root", "GET", "", dict.fromkeys(PERSONAS, 302)),
    ("portal:home", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("portal:institutions", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("portal:institution", "GET", "public_code", dict.fromkeys(PERSONAS, 200)),
    ("console:home", "GET", "", expect(STAFF)),
    ("console:institution-list", "GET", "", expect(STAFF)),
    (
        "console:institution-detail",
        "GET",
        "gangnam_clinic",
        expect(CITY_WIDE | {"officer_gangnam", "staff_gangnam"}, officer_mapo=404, staff_mapo=404),
    ),
    ("console:institution-register", "GET", "", expect(ADMIN | OFFICERS)),
    (
        "console:institution-edit",
        "GET",
        "gangnam_clinic",
        expect(
            {"admin_user", "officer_gangnam", "staff_gangnam"}, officer_mapo=404, staff_mapo=404
        ),
    ),
    (
        "console:institution-deactivate",
        "GET",
        "gangnam_clinic",
        expect({"admin_user", "officer_gangnam"}, officer_mapo=404, staff_mapo=404),
    ),
    (
        "console:institution-reactivate",
        "GET",
        "gangnam_clinic",
        expect({"admin_user", "officer_gangnam"}, officer_mapo=404, staff_mapo=404),
    ),
    ("console:institution-import", "GET", "", expect(ADMIN | OFFICERS)),
    ("console:institution-import-preview", "GET", "unknown_upload", expect(ADMIN | OFFICERS, 404)),
    ("console:institution-import-commit", "POST", "unknown_upload", expect(ADMIN | OFFICERS, 404)),
    ("console:institution-export", "GET", "csv", expect(STAFF)),
    ("console:facilitator-list", "GET", "", expect(STAFF - INSTITUTION_STAFF)),
    ("console:facilitator-detail", "GET", "facilitator", expect(STAFF - INSTITUTION_STAFF)),
    ("console:facilitator-register", "GET", "", expect(ADMIN)),
    ("console:facilitator-edit", "GET", "facilitator", expect(ADMIN)),
    ("console:facilitator-deactivate", "GET", "facilitator", expect(ADMIN)),
    ("console:facilitator-reactivate", "GET", "facilitator", expect(ADMIN)),
    ("console:submission-list", "GET", "", expect(READERS)),
    ("console:submission-upload", "GET", "", expect(INSTITUTION_STAFF)),
    ("console:submission-record", "GET", "", expect(INSTITUTION_STAFF)),
    ("console:records-template", "GET", "", expect(READERS)),
    ("console:submission-detail", "GET", "unknown_submission", expect(READERS, 404)),
    ("console:submission-refused", "GET", "unknown_submission_csv", expect(READERS, 404)),
    ("console:submission-annotated", "POST", "unknown_submission", expect(INSTITUTION_STAFF, 404)),
    ("console:submission-commit", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:submission-discard", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:submission-approve", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:submission-return", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:submission-lock", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:submission-resubmit", "POST", "unknown_submission", expect(READERS, 404)),
    ("console:period-list", "GET", "", expect(READERS)),
    ("console:period-missing", "GET", "unknown_period", expect(WATCHERS, 404)),
    ("console:period-remind", "POST", "unknown_period", expect(OFFICERS | ADMIN, 404)),
    ("console:user-list", "GET", "", expect(ADMIN)),
    ("console:user-create", "GET", "", expect(ADMIN)),
    ("console:user-edit", "GET", "other_user", expect(ADMIN)),
    ("console:user-deactivate", "GET", "other_user", expect(ADMIN)),
    ("console:user-reactivate", "POST", "other_user", expect(ADMIN, 302)),
    ("console:user-invite", "POST", "other_user", expect(ADMIN, 302)),
    ("console:user-reset-second-factor", "POST", "other_user", expect(ADMIN, 302)),
    ("console:user-institution-options", "GET", "", expect(ADMIN)),
    ("console:audit-log", "GET", "", expect(ADMIN)),
    ("console:my-account", "GET", "", expect(STAFF)),
    ("api-v1:api-root", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:openapi-json", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_districts", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_departments", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_languages", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_countries", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:resolve_country_value", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_institutions", "GET", "", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:get_institution", "GET", "public_code", dict.fromkeys(PERSONAS, 200)),
    ("api-v1:list_facilitators", "GET", "", api(STAFF - INSTITUTION_STAFF)),
    # Without a file django-ninja answers 422 before the role check; the role cases for uploads
    # are in tests/api/endpoints/test_records.py.
    ("api-v1:upload_submission", "POST", "", api(EVERYONE - SIGNED_OUT, 422)),
    ("api-v1:get_submission", "GET", "unknown_submission_id", api(READERS, 404)),
    ("api-v1:list_submission_errors", "GET", "unknown_submission_id", api(READERS, 404)),
    ("api-v1:commit_submission", "POST", "unknown_submission_id", api(READERS, 404)),
]
QUERY = {"api-v1:resolve_country_value": {"value": "Қытай"}}
EXTRA_TARGETS: dict[str, dict[str, Any]] = {}
for _area in permission_rows.areas():
    ROUTES += _area.ROUTES
    QUERY.update(getattr(_area, "QUERY", {}))
    EXTRA_TARGETS.update(getattr(_area, "TARGETS", {}))


def _walk(patterns: list[Any], namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def our_routes() -> set[str]:
    ours = ("portal:", "console:", "api-v1:")
    return {
        name
        for name in _walk(get_resolver().url_patterns)
        if name.startswith(ours) or name in {"set_language", "root"}
    }


def test_every_route_is_in_the_table() -> None:
    assert our_routes() == {name for name, _method, _key, _expected in ROUTES}


@pytest.fixture
def targets(gangnam_clinic: Any, agent: Any) -> dict[str, dict[str, Any]]:
    """URL arguments for the routes that need them."""
    facilitator = FacilitatorFactory()
    return {
        "": {},
        "gangnam_clinic": {"pk": gangnam_clinic.pk},
        "public_code": {"code": gangnam_clinic.code},
        "facilitator": {"pk": facilitator.pk},
        "other_user": {"pk": agent.pk},
        "unknown_upload": {"pk": uuid.uuid4()},
        "csv": {"file_format": "csv"},
        "unknown_submission": {"pk": 999999},
        "unknown_submission_csv": {"pk": 999999, "file_format": "csv"},
        "unknown_period": {"pk": 999999},
        "unknown_submission_id": {"submission_id": 999999},
        **EXTRA_TARGETS,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("route", "method", "key", "expected"), ROUTES, ids=[route[0] for route in ROUTES]
)
def test_route_answers_each_persona_as_specified(
    persona_client: Any,
    targets: dict[str, dict[str, Any]],
    persona: str,
    route: str,
    method: str,
    key: str,
    expected: dict[str, int],
) -> None:
    from django.urls import reverse

    client = persona_client(persona)
    url = reverse(route, kwargs=targets[key])
    if method == "GET":
        response = client.get(url, QUERY.get(route, {}))
    else:
        response = client.post(url, {"language": "en", "next": "/en/"})
    assert response.status_code == expected[persona], (
        f"{persona} {method} {url}: {response.status_code}, expected {expected[persona]}"
    )
    if expected[persona] == 302 and persona == "anonymous" and route.startswith("console:"):
        assert "/accounts/login/" in response["Location"]
