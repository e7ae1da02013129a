"""What every patient request shares (consultation, pick-up, interpreter): its statuses, the
state machine built from the app's own capabilities, and the one service that takes a step.

Each app declares its machine once, `MACHINE = request_machine(staff=…, patient=…)`, with the
capabilities from its own scope.py; screens ask `MACHINE.allowed_steps(user, obj)` and services
call `request_step(…)`, which checks the step again before it writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from medtour.cases.scope import actor_label, actor_user
from medtour.cases.workflow import StateMachine, Step


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("requested")
    PROPOSED = "proposed", gettext_lazy("another time proposed")
    CONFIRMED = "confirmed", gettext_lazy("confirmed")
    DECLINED = "declined", gettext_lazy("declined")
    CANCELLED = "cancelled", gettext_lazy("cancelled")
    COMPLETED = "completed", gettext_lazy("completed")


OPEN_STATUSES = frozenset(
    {RequestStatus.REQUESTED, RequestStatus.PROPOSED, RequestStatus.CONFIRMED}
)
DECISION_PENDING = frozenset({RequestStatus.REQUESTED, RequestStatus.PROPOSED})


class ServiceRequest(models.Model):
    """Abstract: a patient's request to a service, as one case's entry."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="%(app_label)s",
        verbose_name=gettext_lazy("patient case"),
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED,
        db_index=True,
    )
    proposed_start = models.DateTimeField(gettext_lazy("proposed time"), null=True, blank=True)
    staff_note = models.TextField(gettext_lazy("message to the patient"), blank=True)
    decline_reason = models.TextField(gettext_lazy("reason for declining"), blank=True)
    cancel_reason = models.TextField(gettext_lazy("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def request_machine(
    *, staff: Callable[[Any, Any], bool], patient: Callable[[Any, Any], bool]
) -> StateMachine:
    """The shared steps: staff confirm, propose another time, decline or complete; the patient
    accepts a proposal, changes (back to `requested`) or cancels."""
    status = RequestStatus
    return StateMachine(
        "status",
        [
            Step(
                "confirm",
                gettext_lazy("Confirm"),
                frozenset({status.REQUESTED}),
                status.CONFIRMED,
                staff,
            ),
            Step(
                "propose",
                gettext_lazy("Propose another time"),
                frozenset({status.REQUESTED, status.CONFIRMED}),
                status.PROPOSED,
                staff,
            ),
            Step(
                "decline",
                gettext_lazy("Decline"),
                frozenset(DECISION_PENDING),
                status.DECLINED,
                staff,
            ),
            Step(
                "complete",
                gettext_lazy("Mark as done"),
                frozenset({status.CONFIRMED}),
                status.COMPLETED,
                staff,
            ),
            Step(
                "accept",
                gettext_lazy("Accept the proposed time"),
                frozenset({status.PROPOSED}),
                status.CONFIRMED,
                patient,
            ),
            Step(
                "change",
                gettext_lazy("Change"),
                frozenset(OPEN_STATUSES),
                status.REQUESTED,
                patient,
            ),
            Step(
                "cancel",
                gettext_lazy("Cancel"),
                frozenset(OPEN_STATUSES),
                status.CANCELLED,
                patient,
            ),
        ],
    )


R = TypeVar("R", bound=ServiceRequest)


def request_step(
    *,
    machine: StateMachine,
    obj: R,
    actor: Any,
    step: str,
    reason: str = "",
    proposed_start: datetime.datetime | None = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    after: Callable[[R, Step], None] | None = None,
) -> R:
    """Take STEP on OBJ as ACTOR (a user or a signed case link): checked, saved, audited; AFTER
    (e.g. the patient's e-mail) runs once the transaction has committed.

    CHANGES are field values the step sets too (a patient's edited request); the caller has
    validated them with the app's one validator.
    """
    taken = machine.check(actor, obj, step)
    reason = reason.strip()
    if step == "decline" and not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    if step == "propose":
        if proposed_start is None:
            raise ValidationError({"proposed_start": _("Enter the time you propose.")})
        if proposed_start <= timezone.now():
            raise ValidationError({"proposed_start": _("The proposed time must be in the future.")})
    before = {"status": obj.status}
    with transaction.atomic():
        type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
        obj.status = taken.target
        if step == "decline":
            obj.decline_reason = reason
        elif step == "cancel":
            obj.cancel_reason = reason
        elif step == "propose":
            obj.proposed_start = proposed_start
            obj.staff_note = reason
        elif step == "confirm" and reason:
            obj.staff_note = reason
        for name, value in (changes or {}).items():
            before[name] = _jsonable(getattr(obj, name))
            setattr(obj, name, value)
        obj.save()
        audit = {
            name: [old, _jsonable(getattr(obj, name))]
            for name, old in before.items()
            if old != _jsonable(getattr(obj, name))
        }
        record_event(
            actor=actor_user(actor),
            actor_label=actor_label(actor),
            action=AuditAction.UPDATE,
            target=obj,
            changes={"step": step, **audit},
            request=request,
        )
        if after is not None:
            transaction.on_commit(lambda: after(obj, taken))
    return obj


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value
