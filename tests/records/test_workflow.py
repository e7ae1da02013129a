"""Review of a committed submission, aggregate returns, and the audit trail of each step."""

from __future__ import annotations

import pytest

from medtour.audit.models import AuditEvent
from medtour.records.models import AggregateMeasure, SubmissionStatus
from medtour.records.services import (
    SubmissionError,
    aggregate_return_save,
    submission_approve,
    submission_commit,
    submission_discard,
    submission_lock,
    submission_resubmit,
    submission_return,
    submission_stage_rows,
)
from tests.factories import district
from tests.records.conftest import rows


def committed(staff, institution, period):
    outcome = submission_stage_rows(
        institution=institution, period=period, rows=rows(2), actor=staff
    )
    return submission_commit(submission=outcome.submission, actor=staff).submission


def test_staff_submission_is_attributed_and_audited(staff_gangnam, gangnam_clinic, period_2016):
    submission = committed(staff_gangnam, gangnam_clinic, period_2016)
    assert submission.created_by == staff_gangnam
    actions = list(
        AuditEvent.objects.filter(target_id=str(submission.pk)).values_list("action", "actor")
    )
    assert ("create", staff_gangnam.pk) in actions and ("import", staff_gangnam.pk) in actions


def test_approve_then_lock(staff_gangnam, officer_gangnam, gangnam_clinic, period_2016):
    submission = committed(staff_gangnam, gangnam_clinic, period_2016)
    assert submission_approve(submission=submission, actor=officer_gangnam).status == "approved"
    assert submission_lock(submission=submission, actor=officer_gangnam).status == "locked"
    with pytest.raises(SubmissionError):
        submission_return(submission=submission, actor=officer_gangnam, comment="late")


def test_return_needs_a_comment_and_allows_resubmission(
    staff_gangnam, officer_gangnam, gangnam_clinic, period_2016
):
    submission = committed(staff_gangnam, gangnam_clinic, period_2016)
    with pytest.raises(SubmissionError):
        submission_return(submission=submission, actor=officer_gangnam, comment=" ")
    returned = submission_return(
        submission=submission, actor=officer_gangnam, comment="Fees of row 3 look wrong"
    )
    assert (returned.status, returned.comment) == (
        SubmissionStatus.RETURNED,
        "Fees of row 3 look wrong",
    )
    event = AuditEvent.objects.filter(target_id=str(submission.pk), action="update").get()
    assert event.changes["comment"] == "Fees of row 3 look wrong"
    assert submission_resubmit(submission=returned, actor=staff_gangnam).status == "submitted"


def test_only_drafts_can_be_discarded(staff_gangnam, gangnam_clinic, period_2016):
    draft = submission_stage_rows(
        institution=gangnam_clinic, period=period_2016, rows=rows(1), actor=staff_gangnam
    ).submission
    submission_discard(submission=draft, actor=staff_gangnam)
    submission = committed(staff_gangnam, gangnam_clinic, period_2016)
    with pytest.raises(SubmissionError):
        submission_discard(submission=submission, actor=staff_gangnam)


def test_aggregate_returns_are_one_total_per_cell(admin_user, period_2016):
    gangnam = district("11680")
    first = aggregate_return_save(
        period=period_2016,
        city="seoul",
        district=gangnam,
        measure=AggregateMeasure.UNIQUE_PATIENTS,
        count=76_385,
        source="KHIDI 2016",
        actor=admin_user,
    )
    again = aggregate_return_save(
        period=period_2016,
        city="seoul",
        district=gangnam,
        measure=AggregateMeasure.UNIQUE_PATIENTS,
        count=76_386,
        source="KHIDI 2016 (revised)",
        actor=admin_user,
    )
    assert first.pk == again.pk and again.count == 76_386
    with pytest.raises(SubmissionError):
        aggregate_return_save(
            period=period_2016,
            city="seoul",
            measure="patients",
            count=1,
            source="x",
            actor=admin_user,
        )


def test_submissions_are_seen_within_scope(
    staff_gangnam, staff_mapo, officer_mapo, analyst, gangnam_clinic, period_2016
):
    from medtour.records.selectors import institutions_without_submission, visible_submissions

    submission = committed(staff_gangnam, gangnam_clinic, period_2016)
    assert list(visible_submissions(staff_gangnam)) == [submission]
    assert list(visible_submissions(analyst)) == [submission]
    assert not visible_submissions(staff_mapo).exists()
    assert not visible_submissions(officer_mapo).exists()
    assert gangnam_clinic not in institutions_without_submission(analyst, period_2016)
    assert staff_mapo.institution in institutions_without_submission(analyst, period_2016)
