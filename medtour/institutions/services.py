"""The one write path for institutions and facilitators.

Each operation checks the actor's permission in the scoping layer, validates through the forms in
`medtour.institutions.forms`, saves in a transaction and writes an audit event with the field diff.
Views, the import, management commands and tests all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest

from medtour.accounts import scope
from medtour.audit.models import AuditAction
from medtour.audit.services import diff, record_event, snapshot
from medtour.institutions.actors import is_command_line
from medtour.institutions.forms import (
    FacilitatorForm,
    InstitutionForm,
    InstitutionProfileForm,
)
from medtour.institutions.models import Facilitator, Institution

# What the audit log records of each: the fields the validator edits, plus the lifecycle flags.
INSTITUTION_FIELDS = (*InstitutionForm.Meta.fields, "is_active", "is_synthetic")
FACILITATOR_FIELDS = (*FacilitatorForm.Meta.fields, "is_active", "is_synthetic")
_MANY = ("departments", "languages")
# Values a new record's audit event leaves out: nothing was there, and nothing is.
_EMPTY: tuple[Any, ...] = (None, "", [], {}, False)


class InvalidInput(Exception):
    """The data did not pass the validator; `form` carries the errors, field by field."""

    def __init__(self, form: forms.BaseForm) -> None:
        self.form = form
        super().__init__(form.errors.as_text())


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _allowed(actor: Any, capability: Callable[..., bool], *args: Any) -> bool:
    return is_command_line(actor) or capability(actor, *args)


def record_snapshot(
    record: models.Model, fields: tuple[str, ...], pending: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The record's values as JSON, related records by primary key (as the audit log keeps them).

    PENDING holds validated many-to-many values not saved yet; the other values are read from
    the in-memory record, which a validated form has already updated.
    """
    pending = pending or {}
    values = snapshot(record, [name for name in fields if name not in _MANY])
    for name in _MANY:
        if name not in fields:
            continue
        if name in pending:
            items = pending[name]
        elif record.pk:
            items = getattr(record, name).all()
        else:
            items = []
        values[name] = sorted(str(item.pk) for item in items)
    return values


@dataclass
class Change:
    """A validated change not yet written: what `apply_change` will save and audit."""

    form: forms.ModelForm
    fields: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]
    is_new: bool
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def record(self) -> Any:
        return self.form.instance


def prepare_change(
    *,
    actor: Any,
    form_class: type[forms.ModelForm],
    data: Any,
    instance: models.Model | None = None,
) -> Change:
    """Validate DATA for a new record (INSTANCE None) or an existing one; raise InvalidInput."""
    fields = INSTITUTION_FIELDS if form_class._meta.model is Institution else FACILITATOR_FIELDS
    before = record_snapshot(instance, fields) if instance is not None else {}
    form = form_class(data=data, instance=instance, actor=actor)  # type: ignore[call-arg]
    if not form.is_valid():
        raise InvalidInput(form)
    pending = {
        name: form.cleaned_data[name]
        for name in ("departments", "languages")
        if name in form.fields
    }
    after = record_snapshot(form.instance, fields, pending)
    if instance is None:
        changes = {name: [None, value] for name, value in after.items() if value not in _EMPTY}
    else:
        changes = diff(before, after)
    return Change(
        form=form,
        fields=fields,
        before=before,
        after=after,
        is_new=instance is None,
        changes=changes,
    )


def apply_change(
    change: Change,
    *,
    actor: Any,
    action: AuditAction | None = None,
    request: HttpRequest | None = None,
) -> Any:
    """Save a prepared change with its audit event; an unchanged record is left untouched."""
    if not change.changes:
        return change.record
    with transaction.atomic():
        record = change.form.save()
        record_event(
            actor=actor,
            action=action or (AuditAction.CREATE if change.is_new else AuditAction.UPDATE),
            target=record,
            changes=change.changes,
            request=request,
            actor_label=actor.label if is_command_line(actor) else "",
        )
    return record


# Institutions -----------------------------------------------------------------------------------


def register_institution(
    *,
    actor: Any,
    data: Any,
    request: HttpRequest | None = None,
    form_class: type[InstitutionForm] = InstitutionForm,
) -> Institution:
    """A new institution; a district officer registers only in their district (the form checks)."""
    _require(_allowed(actor, scope.can_register_institution))
    change = prepare_change(actor=actor, form_class=form_class, data=data)
    return apply_change(change, actor=actor, request=request)


def update_institution(
    *,
    actor: Any,
    institution: Institution,
    data: Any,
    request: HttpRequest | None = None,
    form_class: type[InstitutionForm] = InstitutionForm,
) -> Institution:
    _require(_allowed(actor, scope.can_edit_institution, institution))
    change = prepare_change(actor=actor, form_class=form_class, data=data, instance=institution)
    return apply_change(change, actor=actor, request=request)


def update_institution_profile(
    *, actor: Any, institution: Institution, data: Any, request: HttpRequest | None = None
) -> Institution:
    """The public profile, contacts and languages: also open to the institution's own staff."""
    _require(_allowed(actor, scope.can_edit_institution_profile, institution))
    change = prepare_change(
        actor=actor, form_class=InstitutionProfileForm, data=data, instance=institution
    )
    return apply_change(change, actor=actor, request=request)


def _set_active(
    record: Institution | Facilitator,
    *,
    active: bool,
    actor: Any,
    request: HttpRequest | None,
) -> None:
    if record.is_active == active:
        return
    with transaction.atomic():
        record.is_active = active
        record.save(update_fields=["is_active", "updated_at"])
        record_event(
            actor=actor,
            action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE,
            target=record,
            changes={"is_active": [not active, active]},
            request=request,
            actor_label=actor.label if is_command_line(actor) else "",
        )


def deactivate_institution(
    *, actor: Any, institution: Institution, request: HttpRequest | None = None
) -> None:
    """Hidden from the public and from new records; kept with its history (never deleted)."""
    _require(_allowed(actor, scope.can_edit_institution, institution))
    _set_active(institution, active=False, actor=actor, request=request)


def reactivate_institution(
    *, actor: Any, institution: Institution, request: HttpRequest | None = None
) -> None:
    _require(_allowed(actor, scope.can_edit_institution, institution))
    _set_active(institution, active=True, actor=actor, request=request)


# Facilitators -----------------------------------------------------------------------------------


def register_facilitator(
    *, actor: Any, data: Any, request: HttpRequest | None = None
) -> Facilitator:
    _require(_allowed(actor, scope.can_manage_facilitators))
    change = prepare_change(actor=actor, form_class=FacilitatorForm, data=data)
    return apply_change(change, actor=actor, request=request)


def update_facilitator(
    *, actor: Any, facilitator: Facilitator, data: Any, request: HttpRequest | None = None
) -> Facilitator:
    _require(_allowed(actor, scope.can_manage_facilitators))
    change = prepare_change(
        actor=actor, form_class=FacilitatorForm, data=data, instance=facilitator
    )
    return apply_change(change, actor=actor, request=request)


def deactivate_facilitator(
    *, actor: Any, facilitator: Facilitator, request: HttpRequest | None = None
) -> None:
    _require(_allowed(actor, scope.can_manage_facilitators))
    _set_active(facilitator, active=False, actor=actor, request=request)


def reactivate_facilitator(
    *, actor: Any, facilitator: Facilitator, request: HttpRequest | None = None
) -> None:
    _require(_allowed(actor, scope.can_manage_facilitators))
    _set_active(facilitator, active=True, actor=actor, request=request)
