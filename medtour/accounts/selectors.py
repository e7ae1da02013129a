"""Reading user accounts: every query starts from the scoping layer."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet

from medtour.accounts import scope
from medtour.accounts.models import User
from medtour.audit.models import AuditEvent
from medtour.institutions.models import Institution
from medtour.localization.text import LANGUAGE_CODES
from medtour.reference.models import District


def user_list(
    viewer: Any,
    *,
    role: str = "",
    district: District | None = None,
    active: bool | None = None,
    search: str = "",
) -> QuerySet[User]:
    """The accounts the viewer may manage, filtered, each with `has_totp` annotated."""
    users = scope.visible_users(viewer).select_related("district", "institution")
    if role:
        users = users.filter(role=role)
    if district is not None:
        # Institution staff belong to the district of their institution.
        users = users.filter(Q(district=district) | Q(institution__district=district))
    if active is not None:
        users = users.filter(is_active=active)
    for word in search.split():
        users = users.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return users.annotate(has_totp=Exists(totp)).order_by("email")


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def recent_sign_ins(user: Any, limit: int = 10) -> list[AuditEvent]:
    """The latest sign-ins and failed attempts on the user's own account."""
    return list(scope.own_sign_in_events(user)[:limit])


def institution_suggestions(viewer: Any, text: str, limit: int = 20) -> QuerySet[Institution]:
    """Institutions the viewer may see whose code or name (in any language) contains the text."""
    text = text.strip()
    if not text:
        return Institution.objects.none()
    matches = Q(code__icontains=text)
    for code in LANGUAGE_CODES:
        matches |= Q(**{f"names__{code}__icontains": text})
    return (
        scope.visible_institutions(viewer)
        .filter(matches)
        .select_related("district")
        .order_by("code")[:limit]
    )
