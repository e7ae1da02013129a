"""/api/v1/openapi.json describes every endpoint, and is a valid OpenAPI 3.1 document."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver
from jsonschema import Draft202012Validator

from medtour.api.v1 import api

pytestmark = pytest.mark.django_db
ENDPOINTS = {
    "/api/v1/districts",
    "/api/v1/departments",
    "/api/v1/languages",
    "/api/v1/countries",
    "/api/v1/countries/resolve",
    "/api/v1/institutions",
    "/api/v1/institutions/{code}",
    "/api/v1/facilitators",
    "/api/v1/records/submissions",
    "/api/v1/records/submissions/{submission_id}",
    "/api/v1/records/submissions/{submission_id}/errors",
    "/api/v1/records/submissions/{submission_id}/commit",
    "/api/v1/stats/pivot",
}
# Endpoints that answer only signed-in callers with the right role.
PRIVATE = {"/api/v1/facilitators", "/api/v1/stats/pivot"} | {
    path for path in ENDPOINTS if path.startswith("/api/v1/records/")
}
WRITES = {"/api/v1/records/submissions", "/api/v1/records/submissions/{submission_id}/commit"}


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def test_document_lists_every_endpoint(document: dict[str, Any]) -> None:
    assert set(document["paths"]) == ENDPOINTS


def test_every_served_operation_is_documented(document: dict[str, Any]) -> None:
    served = set()
    for pattern in api.urls[0]:
        assert isinstance(pattern, URLPattern | URLResolver)
        route = str(pattern.pattern)
        if route and "openapi" not in route:  # "" is the API root, answered by medtour.api.urls
            served.add("/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    assert served == ENDPOINTS


def test_document_has_titles_descriptions_and_security(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Medtour API"
    assert document["info"]["description"]
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "SignedInSession"}
    for path, operations in document["paths"].items():
        assert set(operations) == ({"post"} if path in WRITES else {"get"}), path
        for method, operation in operations.items():
            success = "201" if (method, path) == ("post", "/api/v1/records/submissions") else "200"
            assert operation["summary"] and operation["description"] and operation["tags"], path
            assert {success, "401", "422"} <= set(operation["responses"]), path
            assert any(parameter["name"] == "lang" for parameter in operation["parameters"]), path
            assert all(parameter.get("description") for parameter in operation["parameters"]), path


def test_public_endpoints_allow_calls_without_credentials(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for operation in operations.values():
            security = operation["security"]
            assert {"BearerToken": []} in security
            assert ({} in security) == (path not in PRIVATE), path


def test_document_is_valid_openapi(document: dict[str, Any]) -> None:
    """Schemas are valid JSON Schema 2020-12 (as OpenAPI 3.1 requires) and every $ref resolves."""
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for reference in re.findall(r'"\$ref": "([^"]+)"', _dump(document)):
        assert reference.startswith("#/components/schemas/")
        assert reference.rsplit("/", 1)[1] in document["components"]["schemas"]
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path"}
                Draft202012Validator.check_schema(parameter["schema"])


def test_document_follows_the_callers_language(client: Any) -> None:
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    russian = client.get("/api/v1/openapi.json?lang=ru", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert russian["Content-Language"] == "ru"


def test_api_root_points_to_the_document(client: Any) -> None:
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["version"] == "1"


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document)
