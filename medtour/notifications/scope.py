"""Who may see and act on the outgoing mail queue: administrators (it holds patients' e-mail)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medtour.accounts.scope import is_administrator
from medtour.notifications.models import OutgoingMail


def can_manage_mail(user: Any) -> bool:
    return is_administrator(user)


def visible_mails(user: Any) -> QuerySet[OutgoingMail]:
    if not can_manage_mail(user):
        return OutgoingMail.objects.none()
    return OutgoingMail.objects.all()
