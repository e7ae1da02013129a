"""Reading the audit log: every query starts from the scoping layer."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from medtour.accounts import scope
from medtour.audit.models import AuditEvent


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def audit_log(
    viewer: Any,
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events the viewer may read, newest first; dates are whole days in the site's time zone."""
    events = scope.visible_audit_events(viewer).select_related("actor")
    if actor:
        events = events.filter(Q(actor_label__icontains=actor) | Q(actor__email__icontains=actor))
    if action:
        events = events.filter(action=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if date_from:
        events = events.filter(at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-id")


def target_type_choices(viewer: Any) -> list[tuple[str, str]]:
    """The object types present in the log, labelled with their model's name."""
    types = (
        scope.visible_audit_events(viewer)
        .exclude(target_type="")
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )
    return sorted(((code, target_type_label(code)) for code in types), key=lambda pair: pair[1])


def target_type_label(code: str) -> str:
    try:
        model = apps.get_model(code)
    except (LookupError, ValueError):
        return code
    return str(model._meta.verbose_name)
