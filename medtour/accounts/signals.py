"""Sign-ins, sign-outs and security changes go to the audit log.

Receivers only record; they never block a sign-in. Successful sign-ins are taken from allauth's
signal (sent once the second factor is done), not Django's, so a half-finished sign-in is not logged
as one and test helpers such as `force_login` leave the log alone.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from medtour.accounts.models import User
from medtour.audit.models import AuditAction, SignInStage
from medtour.audit.services import record_event


def record_sign_in_failure(request: HttpRequest | None, email: str, *, stage: SignInStage) -> None:
    """A failed sign-in: the e-mail tried, the account it names (if any), the stage that failed."""
    email = (email or "").strip()[:254]
    account = User.objects.filter(email__iexact=email).first() if email else None
    record_event(
        actor=None,
        actor_label=email,
        action=AuditAction.SIGN_IN_FAILED,
        target=account,
        changes={"stage": str(stage)},
        request=request,
    )


@receiver(account_signals.user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_event(actor=user, action=AuditAction.SIGN_IN, target=user, request=request)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    record_sign_in_failure(request, str(email), stage=SignInStage.PASSWORD)


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action=AuditAction.SIGN_OUT, target=user, request=request)


@receiver(account_signals.user_signed_up, dispatch_uid="audit_sign_up")
def _signed_up(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    from medtour.accounts.services import user_creation_changes

    record_event(
        actor=user,
        action=AuditAction.CREATE,
        target=user,
        changes=user_creation_changes(user),
        request=request,
    )


@receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
@receiver(account_signals.password_set, dispatch_uid="audit_password_set")
@receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    actor = user if request is not None and request.user.is_authenticated else None
    record_event(
        actor=actor,
        actor_label="" if actor else user.email,
        action=AuditAction.PASSWORD_CHANGE,
        target=user,
        request=request,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit_second_factor_failed")
def _second_factor_failed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_sign_in_failure(request, user.email, stage=SignInStage.SECOND_FACTOR)


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_mfa_added")
def _authenticator_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        record_event(actor=user, action=AuditAction.MFA_ACTIVATE, target=user, request=request)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_mfa_removed")
def _authenticator_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        record_event(actor=user, action=AuditAction.MFA_DEACTIVATE, target=user, request=request)
