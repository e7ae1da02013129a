"""Reads of the records pipeline, scoped: each starts from what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from medtour.accounts.scope import visible_institutions
from medtour.records.models import RefusedRow, ReportingPeriod, Submission


def visible_submissions(user: Any) -> QuerySet[Submission]:
    """Submissions of the institutions the user may see (their own, their district's, all)."""
    return Submission.objects.filter(institution__in=visible_institutions(user)).select_related(
        "institution", "period"
    )


def refused_rows_of(user: Any, submission_id: int) -> QuerySet[RefusedRow]:
    return RefusedRow.objects.filter(
        submission__in=visible_submissions(user), submission_id=submission_id
    ).order_by("row_number")


def institutions_without_submission(user: Any, period: ReportingPeriod) -> QuerySet[Any]:
    """Visible institutions with nothing committed for PERIOD: who still has to report."""
    reported = Submission.objects.filter(period=period, committed_at__isnull=False).values(
        "institution_id"
    )
    return visible_institutions(user).exclude(pk__in=reported)


def has_synthetic_records(*, year: int | None = None, district: str | None = None) -> bool:
    """Whether the records of YEAR (and DISTRICT, a code) include the synthetic demo, which
    every figure built on them must say."""
    from medtour.records.demo.seeding import DEMO_FORMAT
    from medtour.records.models import PatientRecord

    records = PatientRecord.objects.filter(submission__source_format=DEMO_FORMAT)
    if year is not None:
        records = records.filter(year=year)
    if district:
        records = records.filter(district__code=district)
    return records.exists()
