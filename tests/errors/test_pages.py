"""Medtour's own error pages: in the reader's language, JSON under /api/, and nothing leaked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from medtour.errors import views
from medtour.identifiers import LARGEST_KEY, parse_id

pytestmark = pytest.mark.django_db


def _explode(request: Any) -> Any:
    raise RuntimeError("secret-internal-detail /srv/medtour/settings.py")


urlpatterns = [path("boom/", _explode)]


@pytest.fixture
def exploding_urls(settings: Any) -> None:
    import medtour.urls

    settings.ROOT_URLCONF = __name__
    globals()["handler500"] = medtour.urls.handler500
    globals()["urlpatterns"] = [*urlpatterns, *medtour.urls.urlpatterns]


def test_unknown_portal_page_is_ours_in_the_prefix_language(client: Client) -> None:
    response = client.get("/ja/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "ページが見つかりません" in body


def test_forbidden_console_page_speaks_russian(client: Client, patient: Any) -> None:
    patient.preferred_language = "ru"
    patient.save()
    client.force_login(patient)
    response = client.get("/console/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 403
    assert "У вас нет доступа к этой странице" in response.content.decode()  # noqa: RUF001


def test_server_error_page_leaks_nothing(exploding_urls: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret-internal-detail" not in body
    assert "Traceback" not in body and "settings.py" not in body
    assert "500" in body


@pytest.mark.parametrize("where", ["/en/institutions/?q=a%00b", "/console/audit/?actor=%00"])
def test_nul_characters_are_refused_with_400(client: Client, admin_user: Any, where: str) -> None:
    client.force_login(admin_user)
    response = client.get(where)
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_nul_in_a_form_post_is_refused(client: Client) -> None:
    response = client.post("/en/institutions/", {"q": "x\x00"})
    assert response.status_code == 400


def test_api_errors_stay_json(client: Client) -> None:
    response = client.get("/api/v1/institutions/?q=%00")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_each_status_has_a_translated_title() -> None:
    from django.utils import translation

    with translation.override("kk"):
        titles = {status: title for status, (title, _text) in views._messages().items()}
    with translation.override("en"):
        english = {status: title for status, (title, _text) in views._messages().items()}
    assert all(titles[status] != english[status] for status in titles)


def test_audit_log_filter_by_e_mail_is_a_filter_not_an_error(
    client: Client, admin_user: Any
) -> None:
    """Regression: `?actor=<e-mail>` once answered 500 (issue 12)."""
    client.force_login(admin_user)
    response = client.get("/console/audit/", {"actor": "coordinator@medtour.example"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "where", ["/console/reporting/submissions/", "/console/reporting/aggregates/"]
)
def test_period_beyond_64_bits_matches_nothing(client: Client, admin_user: Any, where: str) -> None:
    """Regression: a period id past SQLite's integers was an OverflowError (500)."""
    client.force_login(admin_user)
    assert client.get(where, {"period": "99999999999999999999"}).status_code == 200
    assert client.get(where, {"period": "²"}).status_code == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("0", None), ("-3", None), ("²", None), ("", None), (None, None),
     (str(LARGEST_KEY), LARGEST_KEY), (str(LARGEST_KEY + 1), None), ("4 2", None)],
)  # fmt: skip
def test_parse_id(text: str | None, expected: int | None) -> None:
    assert parse_id(text) == expected
