"""The one way a request's state machine is declared: steps with their sources, target and the
capability (from the app's own scope.py) that allows them.

The console, the portal and the API all ask `allowed_steps(user, obj)`; services call `check()`
before they change the state, so a step that a screen did not offer is refused just the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Step:
    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    allowed: Callable[[Any, Any], bool]


class StateMachine:
    def __init__(self, field: str, steps: Iterable[Step]) -> None:
        self.field = field
        self.steps = {step.name: step for step in steps}

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def allowed_steps(self, user: Any, obj: Any) -> list[Step]:
        state = self.state_of(obj)
        steps = self.steps.values()
        return [step for step in steps if state in step.sources and step.allowed(user, obj)]

    def check(self, user: Any, obj: Any, name: str) -> Step:
        """The step NAME if USER may take it from OBJ's state now; else PermissionDenied (the
        capability) or ValidationError (the state)."""
        step = self.steps.get(name)
        if step is None:
            raise ValidationError(_("Unknown step."), code="unknown_step")
        if not step.allowed(user, obj):
            raise PermissionDenied
        if self.state_of(obj) not in step.sources:
            raise ValidationError(
                _("This request can no longer be changed that way: it is %(state)s."),
                code="invalid_step",
                params={"state": self._state_label(obj)},
            )
        return step

    def _state_label(self, obj: Any) -> str:
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display()) if display else self.state_of(obj)
