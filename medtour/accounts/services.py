"""Managing people: the one write path for creating, changing and deactivating user accounts.

Each service checks the capability in `scope.py`, validates, saves in one transaction and writes the
audit event with the field diff. Console views, commands and tests all call these.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.core.context import request_context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from medtour.accounts import scope
from medtour.accounts.models import MANAGED_ROLES, Role, User
from medtour.audit.models import AuditAction
from medtour.audit.services import diff, record_event, snapshot
from medtour.institutions.models import Institution
from medtour.reference.models import District

# The fields whose changes the audit log shows for a user.
USER_AUDIT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "role",
    "district",
    "institution",
    "is_active",
    "preferred_language",
)
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class _Keep(enum.Enum):
    KEEP = "keep"


# "Leave as it is" for arguments where None has a meaning of its own (no district).
KEEP = _Keep.KEEP


def user_creation_changes(user: User) -> dict[str, list[Any]]:
    return diff({}, snapshot(user, USER_AUDIT_FIELDS))


def _require_user_manager(actor: Any) -> None:
    if not scope.can_manage_users(actor):
        raise PermissionDenied(_("Only administrators manage user accounts."))


def _scope_for_role(
    role: str,
    district: District | None,
    institution: Institution | None,
    *,
    strict: bool = True,
) -> tuple[District | None, Institution | None]:
    """The district and institution a role keeps: officers a district, staff an institution.

    Other roles keep neither, so a later role change never revives a stale scope. With strict
    off, a missing scope is left for the caller's validation to report.
    """
    if role == Role.DISTRICT_OFFICER:
        if district is None and strict:
            raise ValidationError({"district": _("A district officer needs a district.")})
        return district, None
    if role == Role.INSTITUTION_STAFF:
        if institution is None and strict:
            raise ValidationError(
                {"institution": _("Institution staff need the institution they work at.")}
            )
        return None, institution
    return None, None


def _validate_all(*checks: Callable[[], object]) -> None:
    """Run every check and report all the problems together, so a form shows them at once."""
    errors: dict[str, list[ValidationError]] = {}
    for check in checks:
        try:
            check()
        except ValidationError as error:
            error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _check_role(role: str, *, allowed: frozenset[str] | set[str]) -> None:
    if role not in allowed:
        raise ValidationError({"role": _("Choose one of the listed roles.")})


def _check_language(language: str) -> None:
    if language and language not in LANGUAGE_CODES:
        raise ValidationError({"preferred_language": _("Choose one of the listed languages.")})


def _normalized_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email_free(email: str) -> None:
    taken = (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )
    if taken:
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})


def create_staff_user(
    *,
    actor: Any,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    district: District | None = None,
    institution: Institution | None = None,
    preferred_language: str = "",
    request: HttpRequest | None = None,
    invite: bool = True,
) -> User:
    """A staff account without a password; the invitation e-mail lets its owner set one.

    The e-mail address counts as verified: the only way into the account is the link sent to it.
    """
    _require_user_manager(actor)
    if invite and request is None:
        raise ValueError("An invitation needs the request to build its link.")
    email = _normalized_email(email)
    scope_of_role = _scope_for_role(role, district, institution, strict=False)
    user = User(
        email=email,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        district=scope_of_role[0],
        institution=scope_of_role[1],
        preferred_language=preferred_language,
    )
    user.set_unusable_password()
    _validate_all(
        lambda: _check_role(role, allowed=MANAGED_ROLES),
        lambda: _check_language(preferred_language),
        lambda: _scope_for_role(role, district, institution),
        lambda: _check_email_free(email),
        # The checks above give clearer messages than the database constraints would.
        lambda: user.full_clean(
            exclude=["password"], validate_unique=False, validate_constraints=False
        ),
    )
    with transaction.atomic():
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            target=user,
            changes=user_creation_changes(user),
            request=request,
        )
        if invite:
            assert request is not None
            _schedule_invitation(user, request)
    return user


def update_user(
    *,
    actor: Any,
    user: User,
    role: str | None = None,
    district: District | _Keep | None = KEEP,
    institution: Institution | _Keep | None = KEEP,
    is_active: bool | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    preferred_language: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Change what is given (None or KEEP keeps the current value) and audit the difference.

    District and institution follow the role: a district officer keeps a district, institution staff
    an institution, everyone else neither. Administrators cannot change their own role or deactivate
    themselves, so there is always an administrator left.
    """
    _require_user_manager(actor)
    with transaction.atomic():
        # Lock the row and start from what is stored, not from what the caller's copy says.
        User.objects.select_for_update().filter(pk=user.pk).exists()
        user.refresh_from_db()
        before = snapshot(user, USER_AUDIT_FIELDS)
        new_role = user.role if role is None else role
        wanted_district = user.district if district is KEEP else district
        wanted_institution = user.institution if institution is KEEP else institution
        _validate_all(
            lambda: _check_role(new_role, allowed={str(choice) for choice in Role}),
            lambda: _check_own_account(actor, user, role=new_role, is_active=is_active),
            lambda: _check_language(preferred_language or ""),
            lambda: _scope_for_role(new_role, wanted_district, wanted_institution),
        )
        user.role = new_role
        user.district, user.institution = _scope_for_role(
            new_role, wanted_district, wanted_institution
        )
        if is_active is not None:
            user.is_active = is_active
        if first_name is not None:
            user.first_name = first_name.strip()
        if last_name is not None:
            user.last_name = last_name.strip()
        if preferred_language is not None:
            user.preferred_language = preferred_language
        try:
            user.full_clean(exclude=["password"], validate_constraints=False)
        except ValidationError:
            user.refresh_from_db()
            raise
        changes = diff(before, snapshot(user, USER_AUDIT_FIELDS))
        if not changes:
            return user
        user.save()
        record_event(
            actor=actor,
            action=_action_for(changes),
            target=user,
            changes=changes,
            request=request,
        )
    return user


def _check_own_account(actor: Any, user: User, *, role: str, is_active: bool | None) -> None:
    """Administrators keep their own role and access, so there is always an administrator."""
    if user.pk != actor.pk:
        return
    errors: dict[str, Any] = {}
    if role != user.role:
        errors["role"] = _("You cannot change your own role; ask another administrator.")
    if is_active is False:
        errors[NON_FIELD_ERRORS] = _("You cannot deactivate your own account.")
    if errors:
        raise ValidationError(errors)


def _action_for(changes: dict[str, list[Any]]) -> AuditAction:
    if "is_active" in changes:
        return AuditAction.REACTIVATE if changes["is_active"][1] else AuditAction.DEACTIVATE
    return AuditAction.UPDATE


def deactivate_user(*, actor: Any, user: User, request: HttpRequest | None = None) -> User:
    """The account can no longer sign in; open sessions end at their next request."""
    return update_user(actor=actor, user=user, is_active=False, request=request)


def reactivate_user(*, actor: Any, user: User, request: HttpRequest | None = None) -> User:
    return update_user(actor=actor, user=user, is_active=True, request=request)


def invite_user(*, actor: Any, user: User, request: HttpRequest) -> None:
    """Send the password-set e-mail again (for example when the first one was lost)."""
    _require_user_manager(actor)
    if not user.is_active:
        raise ValidationError(_("This account is deactivated; reactivate it before inviting."))
    with transaction.atomic():
        record_event(actor=actor, action=AuditAction.INVITE, target=user, request=request)
        _schedule_invitation(user, request)


def reset_second_factor(*, actor: Any, user: User, request: HttpRequest | None = None) -> bool:
    """Remove a user's authenticator app and recovery codes (for a lost phone).

    Roles that require a second factor are sent to set up a new app at their next sign-in.
    Returns False when there was nothing to remove.
    """
    _require_user_manager(actor)
    with transaction.atomic():
        removed, _by_type = Authenticator.objects.filter(user=user).delete()
        if not removed:
            return False
        record_event(actor=actor, action=AuditAction.MFA_DEACTIVATE, target=user, request=request)
    return True


def _schedule_invitation(user: User, request: HttpRequest) -> None:
    transaction.on_commit(lambda: send_invitation_email(user, request))


def send_invitation_email(user: User, request: HttpRequest) -> None:
    """An e-mail with allauth's password-set link, in the invitee's language if known."""
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    language = user.preferred_language or translation.get_language() or settings.LANGUAGE_CODE
    with request_context(request), translation.override(language):
        adapter = get_adapter(request)
        url = adapter.get_reset_password_from_key_url(f"{user_pk_to_url_str(user)}-{token}")
        adapter.send_mail(
            "account/email/invitation",
            user.email,
            {
                "user": user,
                "password_set_url": url,
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
                "role": user.get_role_display(),
            },
        )
