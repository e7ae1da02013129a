"""Hand-built episodes for the statistics tests: records written straight to the table.

`episode(...)` writes one committed record; the patient is named by a short string that becomes
its pseudonym, so a test reads like the case it describes.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from medtour.institutions.models import Institution
from medtour.records.models import PatientRecord, ReportingPeriod, Submission, SubmissionStatus
from medtour.reference.models import Country, Department, District
from tests.factories import InstitutionFactory

GANGNAM = "11680"
SEOCHO = "11650"
MAPO = "11440"


def pseudonym(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()[:16]


def clinic(district_code: str = GANGNAM, **fields: Any) -> Institution:
    return InstitutionFactory(district=District.objects.get(code=district_code), **fields)


def submission(institution: Institution, year: int, **fields: Any) -> Submission:
    period, _created = ReportingPeriod.objects.get_or_create(
        year=year, quarter=None, month=None, defaults={"deadline": datetime.date(year + 1, 1, 31)}
    )
    fields.setdefault("status", SubmissionStatus.SUBMITTED)
    fields.setdefault("committed_at", timezone.now())
    return Submission.objects.create(institution=institution, period=period, **fields)


def episode(
    patient: str,
    institution: Institution,
    *,
    year: int = 2016,
    month: int = 1,
    day: int = 1,
    nationality: str = "CN",
    department: str = "internal_medicine",
    sex: str = "F",
    birth_year: int = 1980,
    care_type: str = "outpatient",
    inpatient_days: int | None = None,
    fees: int = 100_000,
    facilitator: Any = None,
    via: Submission | None = None,
) -> PatientRecord:
    first_visit = datetime.date(year, month, day)
    return PatientRecord.objects.create(
        institution=institution,
        submission=via or submission(institution, year),
        pseudonym=pseudonym(patient),
        year=year,
        district_id=institution.district_id,
        birth_year=birth_year,
        sex=sex,
        nationality=Country.objects.get(alpha2=nationality),
        department=Department.objects.get(code=department),
        first_visit=first_visit,
        last_visit=first_visit,
        care_type=care_type,
        inpatient_days=inpatient_days,
        fees_krw=fees,
        facilitator=facilitator,
    )


def forget_statistics() -> None:
    """Back to "never built" (the records engine answers), for fixtures that commit for real."""
    from medtour.stats.models import AppliedSubmission, StatisticsCell, StatisticsState

    StatisticsCell.objects.all().delete()
    AppliedSubmission.objects.all().delete()
    StatisticsState.objects.all().delete()
