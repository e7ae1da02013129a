"""Every error is JSON with a message: bad parameters, missing pages, unknown addresses."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_invalid_parameters_are_listed_by_name(client: Any) -> None:
    response = client.get("/api/v1/countries?page=abc&page_size=1000&lang=en")
    assert response.status_code == 422
    body = response.json()
    assert "page" in body["detail"] and "page_size" in body["detail"]
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"page", "page_size"}
    assert "200" in fields["page_size"]


def test_unknown_language_is_refused_with_the_choices(client: Any) -> None:
    response = client.get("/api/v1/districts?lang=fr")
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "'zh-hans'" in message and "'kk'" in message


def test_page_beyond_the_last_is_not_found(client: Any) -> None:
    response = client.get("/api/v1/districts?page=3&page_size=20&lang=en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Page 3 does not exist: there are 2 pages."}


def test_pages_link_to_each_other(client: Any) -> None:
    first = client.get("/api/v1/districts?page_size=10").json()
    assert (first["count"], first["page"], first["pages"]) == (25, 1, 3)
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["page"] == 2
    assert [item["code"] for item in second["items"]] != [item["code"] for item in first["items"]]
    assert client.get(second["previous"]).json() == first


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/institutions/a/b", "/api/v1/x.json"])
def test_unknown_addresses_answer_json(client: Any, path: str) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "openapi.json" in response.json()["detail"]
