"""Who may do what with foreign-patient submissions in the console.

Plain functions of the user (and the submission), like the capabilities in
medtour/accounts/scope.py; *which* submissions a user sees comes from the scoping layer
through medtour.records.selectors.
"""

from __future__ import annotations

from typing import Any

from medtour.accounts.models import Role
from medtour.records.models import Submission, SubmissionStatus

# Call-centre agents and coordinators help patients; patient records are none of their business.
SUBMISSION_READERS = frozenset(
    {Role.INSTITUTION_STAFF, Role.DISTRICT_OFFICER, Role.CITY_ANALYST, Role.ADMINISTRATOR}
)
# Who watches deadlines: the district for its institutions, the city for all.
DEADLINE_WATCHERS = frozenset({Role.DISTRICT_OFFICER, Role.CITY_ANALYST, Role.ADMINISTRATOR})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def can_view_submissions(user: Any) -> bool:
    return _role(user) in SUBMISSION_READERS


def can_submit_records(user: Any) -> bool:
    """Only an institution's own staff report its patients."""
    return _role(user) == Role.INSTITUTION_STAFF and user.institution_id is not None


def owns(user: Any, submission: Submission) -> bool:
    return can_submit_records(user) and submission.institution_id == user.institution_id


def can_review(user: Any, submission: Submission) -> bool:
    """Approving and returning: the district officer of the institution's district."""
    return (
        _role(user) == Role.DISTRICT_OFFICER
        and submission.institution.district_id == user.district_id
    )


def can_lock(user: Any) -> bool:
    """The city administrator locks approved submissions: the city closes its own books."""
    return _role(user) == Role.ADMINISTRATOR


def can_manage_periods(user: Any) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def can_watch_deadlines(user: Any) -> bool:
    return _role(user) in DEADLINE_WATCHERS


def can_send_reminders(user: Any) -> bool:
    """Analysts read; officers and the administrator chase institutions."""
    return _role(user) in {Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}


def actions_for(user: Any, submission: Submission) -> dict[str, bool]:
    """The workflow buttons a user sees on a submission."""
    status = submission.status
    mine = owns(user, submission)
    review = can_review(user, submission)
    return {
        "commit": mine and status == SubmissionStatus.DRAFT,
        "discard": mine and status == SubmissionStatus.DRAFT,
        "resubmit": mine and status == SubmissionStatus.RETURNED,
        "approve": review and status == SubmissionStatus.SUBMITTED,
        "return": review and status in {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED},
        "lock": can_lock(user) and status == SubmissionStatus.APPROVED,
    }
