"""Helpers for sign-in tests: verified e-mail addresses and real authenticator codes."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from medtour.accounts.models import User

PASSWORD = "correct horse battery staple"  # what tests.factories.UserFactory sets
PERSONA_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # what tests/conftest.py activates


def verified(user: User) -> User:
    """allauth lets only verified addresses sign in (mandatory verification)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    return user


def fresh_totp_window(margin: float = 2.0) -> None:
    """Wait out the end of a 30-second window, so a code computed now is still valid when used."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.05)


def totp_code(secret: str = PERSONA_TOTP_SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now, computed with allauth's own TOTP helper."""
    if offset == 0:
        fresh_totp_window()
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})
