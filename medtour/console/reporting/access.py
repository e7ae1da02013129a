"""The workflow buttons the console shows on a submission; the capabilities live in scope.py."""

from __future__ import annotations

from typing import Any

from medtour.accounts.scope import can_lock, can_review, owns
from medtour.records.models import Submission, SubmissionStatus


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
