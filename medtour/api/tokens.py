"""API tokens: the one write path to issue and revoke them, and the check on each request.

A key is random (256 bits) and shown once; the database keeps its SHA-256 hash, which is enough
for a key this long (no password-style stretching needed) and lets a request find its token by
an indexed lookup.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from medtour.api.models import ApiToken
from medtour.audit.models import AuditAction
from medtour.audit.services import record_event

KEY_PREFIX = "mt_"
PREFIX_LENGTH = 10
# Writing "last used" on every request would turn each read into a write; a minute is enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only time the key exists in clear


class TokenRejected(Exception):
    """A key that does not authenticate; the message says why, in the reader's language."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(
    *,
    user: Any,
    name: str,
    actor: Any,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> IssuedToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name that says what it is for."), code="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError(_("The token name is too long."), code="name")
    if not user.is_active:
        raise ValidationError(
            _("%(email)s is disabled and cannot get an API token.") % {"email": user.email},
            code="inactive",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            target=token,
            changes={"user": user.email, "name": name, "prefix": token.prefix},
            request=request,
            actor_label=actor_label,
            target_label=f"{token} — {user.email}",
        )
    return IssuedToken(token=token, key=key)


def revoke_token(
    *,
    token: ApiToken,
    actor: Any,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> ApiToken:
    """Stop the token working from now on. Revoking twice changes nothing and logs nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.is_revoked:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action=AuditAction.DEACTIVATE,
            target=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            request=request,
            actor_label=actor_label,
            target_label=f"{token} — {token.user.email}",
        )
    return token


def authenticate_key(key: str) -> ApiToken:
    """The live token for KEY, its `last_used_at` refreshed; else `TokenRejected` saying why."""
    token = (
        ApiToken.objects.select_related("user", "user__district", "user__institution")
        .filter(key_hash=hash_key(key.strip()))
        .first()
    )
    if token is None:
        raise TokenRejected(_("This API token is not valid."))
    if token.is_revoked:
        raise TokenRejected(_("This API token has been revoked."))
    if not token.user.is_active:
        raise TokenRejected(_("The account this API token belongs to is disabled."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
