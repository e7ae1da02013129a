"""The health check, request ids and the JSON request log."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.urls import reverse

from medtour.serving.logs import logging_config

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_check(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache", "tasks", "mail"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["tasks"]["backend"] == "DatabaseBackend"
    assert reverse("healthz") == "/healthz"


def test_healthz_answers_a_probe_by_ip_over_plain_http(client: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["medtour.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
    # Every other page still refuses the unknown host.
    assert client.get("/en/", HTTP_HOST="10.0.0.7").status_code == 400


def test_healthz_is_503_when_a_check_fails(client: Any, settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }  # stores nothing: the cache check fails
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {
        "ok": False,
        "error": "RuntimeError",
        "ms": pytest.approx(body["checks"]["cache"]["ms"]),
    }
    assert "SECRET" not in response.content.decode()


def test_each_response_carries_a_request_id(client: Any) -> None:
    first = client.get("/en/")["X-Request-ID"]
    assert len(first) == 32 and first != client.get("/en/")["X-Request-ID"]
    assert client.get("/en/", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == (
        "abcdef0123456789"
    )
    assert client.get("/en/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_request_log_is_one_json_line_with_the_request(client: Any, capsys: Any) -> None:
    config = logging_config(log_format="json", level="INFO")
    logging.config.dictConfig(config)
    try:
        client.get("/en/?q=private+search", HTTP_X_REQUEST_ID="req-0123456789")
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    (entry,) = [line for line in lines if line["logger"] == "medtour.request"]
    assert entry["level"] == "INFO"
    assert entry["request_id"] == "req-0123456789"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/en/", 200)
    assert entry["duration_ms"] >= 0
    assert "time" in entry and "private" not in json.dumps(lines)
