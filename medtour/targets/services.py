"""The one write path for targets: permission, validation, transaction and audit together."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from medtour.accounts.scope import can_edit_area, can_edit_targets
from medtour.audit.models import AuditAction
from medtour.audit.services import diff, record_event, snapshot
from medtour.institutions.actors import is_command_line
from medtour.targets.forms import TargetForm
from medtour.targets.models import Target

FIELDS = (*TargetForm.Meta.fields, "reference_key")


class InvalidTarget(Exception):
    """The data did not pass the validator; `form` carries the errors field by field."""

    def __init__(self, form: TargetForm) -> None:
        self.form = form
        super().__init__(form.errors.as_text())


def _actor_label(actor: Any) -> str:
    return actor.label if is_command_line(actor) else ""


def _require(actor: Any, target: Target) -> None:
    if not can_edit_area(actor, target.area):
        raise PermissionDenied


def target_create(*, actor: Any, data: Any) -> Target:
    if not can_edit_targets(actor):
        raise PermissionDenied
    form = TargetForm(data=data, actor=actor)
    if not form.is_valid():
        raise InvalidTarget(form)
    with transaction.atomic():
        target = form.save()
        after = snapshot(target, FIELDS)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            target=target,
            changes={name: [None, value] for name, value in after.items() if value},
            actor_label=_actor_label(actor),
        )
    return target


def target_update(*, actor: Any, target: Target, data: Any) -> Target:
    _require(actor, target)
    before = snapshot(target, FIELDS)
    form = TargetForm(data=data, instance=target, actor=actor)
    if not form.is_valid():
        raise InvalidTarget(form)
    with transaction.atomic():
        target = form.save()
        changes = diff(before, snapshot(target, FIELDS))
        if changes:
            record_event(
                actor=actor,
                action=AuditAction.UPDATE,
                target=target,
                changes=changes,
                actor_label=_actor_label(actor),
            )
    return target


def target_delete(*, actor: Any, target: Target) -> None:
    _require(actor, target)
    before = snapshot(target, FIELDS)
    label = str(target)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            target=target,
            changes={name: [value, None] for name, value in before.items() if value},
            actor_label=_actor_label(actor),
            target_label=label,
        )
        target.delete()
