from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP

from medtour.accounts.models import MFA_REQUIRED_ROLES, Role, User
from medtour.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import PASSWORD, sign_in, totp_code, verified
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db

ACTIVATE_URL = "/accounts/2fa/totp/activate/"


def confirm_password(client: Any, path: str) -> Any:
    """allauth asks for the password again before any two-factor change, even just after sign-in."""
    response = client.get(path)
    assert response["Location"] == f"/accounts/reauthenticate/?next={quote(path, safe='')}"
    return client.post(response["Location"], {"password": PASSWORD})


@pytest.fixture
def analyst_without_totp(db: None) -> User:
    return verified(UserFactory(email="new.analyst@example.test", role=Role.CITY_ANALYST))


def test_the_roles_that_require_a_second_factor():
    assert {Role.CITY_ANALYST, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR} == MFA_REQUIRED_ROLES


@pytest.mark.parametrize("path", ["/console/", "/console/account/", "/console/people/"])
def test_analyst_without_totp_is_sent_to_setup_before_any_console_page(
    client: Any, analyst_without_totp: User, path: str
):
    client.force_login(analyst_without_totp)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{ACTIVATE_URL}?next={quote(path, safe='')}"


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.ADMINISTRATOR, Role.CITY_ANALYST])
def test_every_mfa_role_without_totp_is_sent_to_setup(client: Any, role: Role):
    officer_district = district("11680") if role == Role.DISTRICT_OFFICER else None
    user = UserFactory(role=role, district=officer_district)
    client.force_login(user)

    assert client.get("/console/")["Location"].startswith(ACTIVATE_URL)


@pytest.mark.parametrize("persona", ["agent", "coordinator", "staff_gangnam"])
def test_roles_without_the_requirement_use_the_console_without_totp(
    persona_client: Any, persona: str
):
    assert persona_client(persona).get("/console/").status_code == 200


def test_analyst_without_totp_can_still_reach_account_pages(
    client: Any, analyst_without_totp: User
):
    client.force_login(analyst_without_totp)

    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/accounts/password/change/").status_code == 200


def test_analyst_sets_up_totp_with_a_real_code_and_then_reaches_the_console(
    client: Any, analyst_without_totp: User, django_capture_on_commit_callbacks: Any
):
    sign_in(client, "new.analyst@example.test")
    assert client.get("/console/")["Location"].startswith(ACTIVATE_URL)
    assert confirm_password(client, ACTIVATE_URL)["Location"] == ACTIVATE_URL

    setup = client.get(ACTIVATE_URL)
    page = setup.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Your role requires two-factor authentication." in page
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE_URL, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=analyst_without_totp, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get("/console/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.MFA_ACTIVATE, actor=analyst_without_totp
    ).exists()


def test_setup_refuses_a_wrong_code(client: Any, analyst_without_totp: User):
    sign_in(client, "new.analyst@example.test")
    confirm_password(client, ACTIVATE_URL)
    client.get(ACTIVATE_URL)

    response = client.post(ACTIVATE_URL, {"code": "000000"})

    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=analyst_without_totp).exists()


def test_setup_shows_recovery_codes_and_the_way_to_the_console(
    client: Any, analyst_without_totp: User
):
    sign_in(client, "new.analyst@example.test")
    confirm_password(client, ACTIVATE_URL)
    client.get(ACTIVATE_URL)

    response = client.post(
        ACTIVATE_URL, {"code": totp_code(client.session[SECRET_SESSION_KEY])}, follow=True
    )

    page = response.content.decode()
    assert "Recovery codes" in page
    assert "Continue to the console" in page
    assert page.count("<li><code>") == 10


def test_user_with_totp_must_enter_a_code_after_the_password(client: Any, analyst: User):
    verified(analyst)

    response = sign_in(client, "analyst@example.test")

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/console/").status_code == 302  # not signed in yet
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "Enter the 6-digit code your authenticator app shows now." in page


def test_the_right_code_completes_the_sign_in(client: Any, analyst: User):
    verified(analyst)
    sign_in(client, "analyst@example.test")

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_a_wrong_code_keeps_the_user_out_and_is_audited(client: Any, analyst: User):
    verified(analyst)
    sign_in(client, "analyst@example.test")

    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})

    assert response.status_code == 200
    assert client.get("/console/").status_code == 302
    failure = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failure.changes == {"stage": "second_factor"}
    assert failure.actor_label == "analyst@example.test"
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_a_code_cannot_be_used_twice(client: Any, analyst: User):
    verified(analyst)
    code = totp_code()
    sign_in(client, "analyst@example.test")
    first = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert first["Location"] == "/console/"
    client.post("/accounts/logout/")

    sign_in(client, "analyst@example.test")
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert client.get("/console/").status_code == 302


def test_mfa_page_hides_removal_for_roles_that_require_it(client: Any, analyst: User):
    client.force_login(analyst)

    page = client.get("/accounts/2fa/").content.decode()

    assert "so the app cannot be removed" in page
    assert "/accounts/2fa/totp/deactivate/" not in page


def test_mfa_adapter_refuses_to_remove_the_app_of_a_role_that_requires_it(
    client: Any, analyst: User, settings: Any
):
    settings.MFA_ADAPTER = "medtour.accounts.adapter.MfaAdapter"
    verified(analyst)
    sign_in(client, "analyst@example.test")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    confirm_password(client, "/accounts/2fa/totp/deactivate/")

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "Your role requires two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=analyst, type=Authenticator.Type.TOTP).exists()


def test_roles_without_the_requirement_may_remove_their_app(
    client: Any, coordinator: User, settings: Any
):
    settings.MFA_ADAPTER = "medtour.accounts.adapter.MfaAdapter"
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(coordinator, secret)
    verified(coordinator)
    sign_in(client, "coordinator@example.test")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    confirm_password(client, "/accounts/2fa/totp/deactivate/")

    client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_DEACTIVATE, actor=coordinator).exists()
