"""Staging and committing submissions: idempotent, revisions, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.institutions.actors import CommandLine
from medtour.records.models import PatientRecord, RecordRevision, SubmissionStatus
from medtour.records.services import submission_commit, submission_stage_file
from tests.records.conftest import row, rows

ACTOR = CommandLine("test")


def stage(institution: Any, period: Any, path: Any) -> Any:
    return submission_stage_file(institution=institution, period=period, path=path, actor=ACTOR)


def test_valid_file_is_staged_then_committed(gangnam_clinic, period_2016, write_file):
    staged = stage(gangnam_clinic, period_2016, write_file(rows(5)))
    assert staged.submission.status == SubmissionStatus.DRAFT
    assert (staged.submission.row_count, staged.submission.valid_count) == (5, 5)
    assert PatientRecord.objects.count() == 0

    outcome = submission_commit(submission=staged.submission, actor=ACTOR)

    assert outcome.inserted == 5
    assert PatientRecord.objects.filter(institution=gangnam_clinic).count() == 5
    assert outcome.submission.status == SubmissionStatus.SUBMITTED


def test_reimporting_the_same_file_adds_nothing(gangnam_clinic, period_2016, write_file):
    path = write_file(rows(4))
    submission_commit(submission=stage(gangnam_clinic, period_2016, path).submission, actor=ACTOR)
    again = stage(gangnam_clinic, period_2016, path)
    assert again.submission.unchanged_count == 4

    outcome = submission_commit(submission=again.submission, actor=ACTOR)

    assert (outcome.inserted, outcome.revised, outcome.unchanged) == (0, 0, 4)
    assert PatientRecord.objects.count() == 4
    assert RecordRevision.objects.count() == 0


def test_a_corrected_row_becomes_a_revision(gangnam_clinic, period_2016, write_file):
    first = stage(gangnam_clinic, period_2016, write_file([row(fees_krw=1000)]))
    submission_commit(submission=first.submission, actor=ACTOR)
    second = stage(gangnam_clinic, period_2016, write_file([row(fees_krw=2000)], name="b.csv"))

    submission_commit(submission=second.submission, actor=ACTOR)

    record = PatientRecord.objects.get()
    assert (record.fees_krw, record.revision, record.submission_id) == (
        2000,
        2,
        second.submission.pk,
    )
    revision = record.revisions.get()
    assert revision.values["fees_krw"] == 1000
    assert revision.submission_id == first.submission.pk


def test_commit_twice_is_a_no_op(gangnam_clinic, period_2016, write_file):
    staged = stage(gangnam_clinic, period_2016, write_file(rows(2)))
    submission_commit(submission=staged.submission, actor=ACTOR)
    again = submission_commit(submission=staged.submission, actor=ACTOR)
    assert again.already_committed
    assert PatientRecord.objects.count() == 2


@pytest.mark.parametrize("count", [1, 3])
def test_refused_rows_block_the_commit_unless_skipped(
    gangnam_clinic, period_2016, write_file, count
):
    from medtour.records.services import SubmissionError

    bad = [row(patient_id=f"B{index:07d}", fees_krw=-5) for index in range(count)]
    staged = stage(gangnam_clinic, period_2016, write_file(rows(2) + bad))
    with pytest.raises(SubmissionError):
        submission_commit(submission=staged.submission, actor=ACTOR)
    assert PatientRecord.objects.count() == 0

    submission_commit(submission=staged.submission, actor=ACTOR, skip_invalid=True)

    assert PatientRecord.objects.count() == 2
    assert staged.submission.refused_rows.count() == count
