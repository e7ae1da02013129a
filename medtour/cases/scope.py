"""Who acts for a case: its patient signed in, or whoever holds the case's signed link.

A signed link (sent by e-mail) lets a patient without an account follow and change their own
requests; it is represented by `CaseLink`, which services accept as an actor like a user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtour.accounts.models import Role


@dataclass(frozen=True)
class CaseLink:
    """The holder of a valid signed link to one case."""

    case_id: int
    email: str

    is_authenticated = False


def _is_patient_user(actor: Any) -> bool:
    return (
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "role", None) == Role.PATIENT
    )


def acts_for_case(actor: Any, case: Any) -> bool:
    if isinstance(actor, CaseLink):
        return actor.case_id == case.pk
    return _is_patient_user(actor) and case.patient_id == actor.pk


def actor_user(actor: Any) -> Any:
    """The user to name in the audit log (None for a signed link)."""
    return None if isinstance(actor, CaseLink) else actor


def actor_label(actor: Any) -> str:
    if isinstance(actor, CaseLink):
        return f"case-link:{actor.case_id}"
    return ""
