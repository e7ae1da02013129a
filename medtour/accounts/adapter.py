"""How allauth treats Medtour accounts: public sign-up makes patients, never staff.

The error messages are ours (not allauth's catalogue, which has no Kazakh) so that every message a
person reads is translated with the rest of Medtour.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

from medtour.accounts.models import Role
from medtour.accounts.signals import record_sign_in_failure
from medtour.audit.models import SignInStage

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account has been deactivated."),
        "cannot_remove_primary_email": _("You cannot remove your primary e-mail address."),
        "duplicate_email": _("This e-mail address is already part of your account."),
        "email_password_mismatch": _("The e-mail address or the password is not correct."),
        "email_taken": _("An account with this e-mail address already exists."),
        "enter_current_password": _("Enter your current password."),
        "incorrect_code": _("The code is not correct."),
        "incorrect_password": _("The password is not correct."),
        "invalid_or_expired_key": _("This link is invalid or has expired."),
        "invalid_login": _("The sign-in is not valid."),
        "invalid_password_reset": _("This password link is invalid or has expired."),
        "max_email_addresses": _("You cannot add more than %d e-mail addresses."),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Wait a few minutes before trying again, "
            "or reset your password."
        ),
        "unknown_email": _("No account uses this e-mail address."),
        "unverified_primary_email": _("Your primary e-mail address must be verified first."),
        "select_only_one": _("Select only one."),
        "same_as_current": _("The new value must be different from the current one."),
        "rate_limited": _("Too many requests. Wait a moment before trying again."),
    }

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.role = Role.PATIENT
        user.district = None
        user.institution = None
        language = get_language()
        if language in LANGUAGE_CODES:
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff go to the console; patients to the public home page in their language."""
        if getattr(request.user, "is_staff_role", False):
            return reverse("console:home")
        language = getattr(request.user, "preferred_language", "") or get_language()
        with override(language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE):
            return reverse("portal:home")

    def format_email_subject(self, subject: str) -> str:
        return gettext("[Medtour] %(subject)s") % {"subject": subject}

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Refused before the password is even checked: Django sends no signal, so we audit here.
            email = str(credentials.get("email", ""))
            record_sign_in_failure(request, email, stage=SignInStage.THROTTLED)
            raise


class MfaAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": _(
            "You cannot add an e-mail address while two-factor authentication is on."
        ),
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication, so the authenticator app cannot be "
            "removed. Ask an administrator if you have lost your device."
        ),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app before generating recovery codes."
        ),
        "incorrect_code": _("The code is not correct."),
        "unverified_email": _(
            "Verify your e-mail address before setting up two-factor authentication."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """People whose role requires a second factor keep their authenticator app."""
        if authenticator.type == Authenticator.Type.TOTP and getattr(
            authenticator.user, "mfa_required", False
        ):
            return False
        return super().can_delete_authenticator(authenticator)
