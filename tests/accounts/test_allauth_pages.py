"""allauth's pages, e-mails and messages are ours: Medtour's layout and Medtour's wording."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.template.loader import render_to_string

from medtour.accounts.models import User
from tests.accounts.helpers import PASSWORD, PERSONA_TOTP_SECRET, sign_in, totp_code, verified

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Create a patient account"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your e-mail"),
    ("/accounts/password/reset/key/1-bad-token/", "This link no longer works"),
    ("/accounts/password/reset/key/done/", "Password saved"),
    ("/accounts/confirm-email/", "Confirm your e-mail address"),
    ("/accounts/confirm-email/not-a-key/", "This confirmation link has expired"),
    ("/accounts/inactive/", "Account deactivated"),
]
SIGNED_IN_PAGES = [
    ("/accounts/logout/", "Do you want to sign out?"),
    ("/accounts/password/change/", "Change password"),
    ("/accounts/email/", "E-mail addresses"),
    ("/accounts/reauthenticate/", "Confirm it is you"),
    ("/accounts/2fa/", "Two-factor authentication"),
    ("/accounts/2fa/reauthenticate/", "Confirm it is you"),
]


def _in_our_layout(response: Any) -> str:
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in page
    assert 'class="synthetic-notice"' in page
    return page


@pytest.mark.parametrize(("path", "heading"), ANONYMOUS_PAGES)
def test_anonymous_pages_use_the_medtour_layout(client: Any, path: str, heading: str):
    assert heading in _in_our_layout(client.get(path))


@pytest.mark.parametrize(("path", "heading"), SIGNED_IN_PAGES)
def test_signed_in_pages_use_the_medtour_layout(
    client: Any, coordinator: User, path: str, heading: str
):
    TOTP.activate(coordinator, PERSONA_TOTP_SECRET)
    client.force_login(coordinator)

    assert heading in _in_our_layout(client.get(path))


def test_a_user_without_password_is_offered_to_set_one(client: Any, coordinator: User):
    coordinator.set_unusable_password()
    coordinator.save()
    client.force_login(coordinator)

    page = _in_our_layout(client.get("/accounts/password/set/"))

    assert "Set your password" in page


def test_recovery_code_pages(client: Any, coordinator: User):
    TOTP.activate(coordinator, PERSONA_TOTP_SECRET)
    verified(coordinator)
    sign_in(client, "coordinator@example.test")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    client.post("/accounts/reauthenticate/?next=/", {"password": PASSWORD})

    generate = _in_our_layout(client.get("/accounts/2fa/recovery-codes/generate/"))
    assert "Generate new recovery codes" in generate
    shown = client.post("/accounts/2fa/recovery-codes/generate/", follow=True)
    assert _in_our_layout(shown).count("<li><code>") == 10


def test_message_templates_are_ours():
    # allauth adds some messages after its transaction commits, which a test transaction delays.
    text = render_to_string("mfa/messages/recovery_codes_generated.txt").strip()

    assert text == "New recovery codes have been generated; the old ones no longer work."


def test_password_reset_email_is_ours(client: Any, coordinator: User):
    verified(coordinator)

    client.post("/accounts/password/reset/", {"email": "coordinator@example.test"})

    message = mail.outbox[0]
    assert message.subject == "[Medtour] Set a new password"
    assert "To choose a new password, open this link:" in message.body
    assert re.search(r"/accounts/password/reset/key/\S+", message.body)


def test_unknown_address_gets_our_email_without_revealing_anything_on_the_page(client: Any):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})

    assert response["Location"] == "/accounts/password/reset/done/"
    assert mail.outbox[0].subject == "[Medtour] No account with this address"


def test_signed_in_message_is_ours(client: Any, coordinator: User):
    verified(coordinator)

    response = client.post(
        "/accounts/login/",
        {"login": "coordinator@example.test", "password": PASSWORD},
        follow=True,
    )

    assert "Signed in as coordinator@example.test." in response.content.decode()
