"""Who the API thinks is calling: a bearer token, a signed-in session, or anyone."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from medtour.api.models import ApiToken
from medtour.api.tokens import revoke_token

pytestmark = pytest.mark.django_db


def codes(response: Any) -> set[str]:
    return {item["code"] for item in response.json()["items"]}


def test_valid_token_gives_the_users_scope(
    client: Any, registry: Any, officer_mapo: Any, token_for: Any
) -> None:
    response = client.get(
        "/api/v1/institutions", HTTP_AUTHORIZATION=f"Bearer {token_for(officer_mapo)}"
    )
    assert response.status_code == 200
    assert codes(response) == {"gangnam-clinic", "mapo-clinic", "mapo-suspended"}


def test_token_works_for_staff_only_endpoints(
    client: Any, facilitators: Any, agent: Any, token_for: Any
) -> None:
    response = client.get("/api/v1/facilitators", HTTP_AUTHORIZATION=f"Bearer {token_for(agent)}")
    assert response.status_code == 200
    assert codes(response) == {"agency-a", "agency-b"}


@pytest.mark.parametrize(
    "url", ["/api/v1/institutions", "/api/v1/districts", "/api/v1/facilitators"]
)
def test_wrong_token_is_refused_even_on_public_endpoints(client: Any, url: str) -> None:
    response = client.get(url, HTTP_AUTHORIZATION="Bearer mt_not-a-real-key")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token is not valid."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(client: Any, analyst: Any, token_for: Any) -> None:
    key = token_for(analyst)
    revoke_token(token=ApiToken.objects.get(), actor=None)
    response = client.get("/api/v1/institutions", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has been revoked."}


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Basic dXNlcjpwYXNz"])
def test_other_authorization_schemes_are_refused_with_a_hint(client: Any, header: str) -> None:
    response = client.get("/api/v1/institutions", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_refusal_is_in_the_requested_language(client: Any) -> None:
    english = client.get("/api/v1/institutions?lang=en", HTTP_AUTHORIZATION="Bearer nope")
    korean = client.get("/api/v1/institutions?lang=ko", HTTP_AUTHORIZATION="Bearer nope")
    assert english.status_code == korean.status_code == 401
    assert english["Content-Language"] == "en"
    assert korean["Content-Language"] == "ko"


def test_session_of_a_signed_in_user_counts(
    persona_client: Any, registry: Any, officer_gangnam: Any
) -> None:
    response = persona_client("officer_gangnam").get("/api/v1/institutions")
    assert codes(response) == {"gangnam-clinic", "mapo-clinic", "gangnam-expired"}


def test_token_wins_over_the_session(
    persona_client: Any, registry: Any, officer_mapo: Any, token_for: Any
) -> None:
    client = persona_client("analyst")
    response = client.get(
        "/api/v1/institutions", HTTP_AUTHORIZATION=f"Bearer {token_for(officer_mapo)}"
    )
    assert codes(response) == {"gangnam-clinic", "mapo-clinic", "mapo-suspended"}


def test_session_needs_the_second_factor_where_the_console_does(
    persona_client: Any, analyst: Any
) -> None:
    Authenticator.objects.filter(user=analyst).delete()
    response = persona_client("analyst").get("/api/v1/institutions")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_anonymous_caller_gets_public_data_without_credentials(client: Any, registry: Any) -> None:
    response = client.get("/api/v1/institutions")
    assert response.status_code == 200
    assert codes(response) == {"gangnam-clinic", "mapo-clinic"}
