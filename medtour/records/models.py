"""Foreign-patient records: reporting periods, submissions, the records and their history.

A record is one patient episode per institution and department. Its natural key
(institution, pseudonym, department, first visit) makes every import idempotent: the same row
again changes nothing, a changed row becomes a revision (docs/reporting-pipeline.md).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from medtour.institutions.models import Facilitator, Institution
from medtour.reference.models import Country, Department, District

PSEUDONYM_BYTES = 16


class ReportingPeriod(models.Model):
    """A year, or one quarter or month of it, with the deadline for reporting it."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["-year", "quarter", "month"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="period_year_plausible",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="period_quarter_1_to_4",
                violation_error_message=_("The quarter must be 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="period_month_1_to_12",
                violation_error_message=_("The month must lie between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(month__isnull=True),
                name="period_quarter_or_month",
                violation_error_message=_("A period is a year, a quarter or a month, not both."),
            ),
            models.UniqueConstraint(
                "year",
                Coalesce("quarter", 0),
                Coalesce("month", 0),
                name="period_unique",
                violation_error_message=_("This reporting period exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """`2016`, `2016-Q1` or `2016-03`: also what `import_records --period` accepts."""
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    @property
    def starts_on(self) -> datetime.date:
        if self.quarter:
            return datetime.date(self.year, 3 * self.quarter - 2, 1)
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def ends_on(self) -> datetime.date:
        if self.quarter:
            last_month = 3 * self.quarter
        elif self.month:
            last_month = self.month
        else:
            last_month = 12
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("draft: validated, not committed")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    LOCKED = "locked", _("locked")
    RETURNED = "returned", _("returned for correction")


class Submission(models.Model):
    """One file (or one form entry) of records from an institution for a period.

    It is staged as a draft (validated rows kept outside the records table, refused rows kept
    with their reasons), then committed in one transaction.
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("institution"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("reporting period"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    comment = models.TextField(_("comment"), blank=True)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("source file SHA-256"), max_length=64, blank=True)
    source_format = models.CharField(_("source format"), max_length=10, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    valid_count = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_count = models.PositiveIntegerField(_("refused rows"), default=0)
    new_count = models.PositiveIntegerField(_("new episodes"), default=0)
    revised_count = models.PositiveIntegerField(_("corrected episodes"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged episodes"), default=0)
    committed_count = models.PositiveIntegerField(_("rows committed"), default=0)
    refusal_summary = models.JSONField(_("refused rows by reason"), default=dict, blank=True)
    pseudonym_version = models.PositiveSmallIntegerField(_("pseudonym key version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_by_label = models.CharField(_("created by"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["institution", "period", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_count__lte=models.F("row_count"))
                & models.Q(invalid_count__lte=models.F("row_count")),
                name="submission_counts_within_rows",
                violation_error_message=_("Valid and refused rows cannot exceed the rows read."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=SubmissionStatus.DRAFT)
                | models.Q(committed_at__isnull=False),
                name="submission_committed_unless_draft",
                violation_error_message=_("Only a draft can be uncommitted."),
            ),
        ]

    def __str__(self) -> str:
        return _("Submission %(id)s (%(period)s)") % {"id": self.pk, "period": self.period}

    @property
    def is_committed(self) -> bool:
        return self.committed_at is not None


class RefusedRow(models.Model):
    """A row that failed validation, kept so the institution can correct it.

    `cells` holds the row as read, except the patient ID, which is kept only masked (last
    characters) and as its pseudonym: raw IDs are never stored (docs/privacy.md).
    `errors` is a list of {column, value, code, params}; messages are rendered in the reader's
    language when shown.
    """

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="refused_rows",
        verbose_name=_("submission"),
    )
    row_number = models.PositiveIntegerField(_("row"))
    cells = models.JSONField(_("cells"), default=dict)
    errors = models.JSONField(_("errors"), default=list)

    class Meta:
        ordering = ["submission", "row_number"]
        verbose_name = _("refused row")
        verbose_name_plural = _("refused rows")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "row_number"], name="refused_row_unique_per_submission"
            )
        ]

    def __str__(self) -> str:
        return _("row %(row)s") % {"row": self.row_number}


class CareType(models.TextChoices):
    OUTPATIENT = "outpatient", _("outpatient")
    INPATIENT = "inpatient", _("inpatient")
    CHECKUP = "checkup", _("health check-up")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class PatientRecord(models.Model):
    """One patient episode at one institution in one department.

    `year` and `district` are copied from the period and the institution when the row is
    committed: statistics count where and when the care was reported, even if the institution
    later moves. Foreign keys carry no index of their own (each would slow every bulk import);
    the natural key and a BRIN index serve the lookups (docs/reporting-pipeline.md).
    """

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="patient_records",
        verbose_name=_("institution"),
        db_index=False,
        db_constraint=False,
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("last written by submission"),
        db_index=False,
        db_constraint=False,
    )
    pseudonym = models.BinaryField(_("patient pseudonym"), max_length=PSEUDONYM_BYTES)
    pseudonym_version = models.PositiveSmallIntegerField(_("pseudonym key version"), default=1)
    year = models.PositiveSmallIntegerField(_("reporting year"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
        db_index=False,
        db_constraint=False,
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationality = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nationality"),
        db_index=False,
        db_constraint=False,
    )
    province = models.CharField(
        _("province of residence"),
        max_length=60,
        blank=True,
        help_text=_("For patients from China only."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=False,
        db_constraint=False,
    )
    first_visit = models.DateField(_("first treatment date"))
    last_visit = models.DateField(_("last treatment date"))
    care_type = models.CharField(_("care type"), max_length=10, choices=CareType.choices)
    inpatient_days = models.PositiveSmallIntegerField(_("inpatient days"), null=True, blank=True)
    fees_krw = models.BigIntegerField(_("fees (KRW)"))
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
        db_index=False,
        db_constraint=False,
    )
    diagnosis = models.CharField(_("diagnosis code (ICD-10/KCD)"), max_length=10, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("patient record")
        verbose_name_plural = _("patient records")
        constraints = [
            models.UniqueConstraint(
                # Pseudonym first: the statistics refresh finds a person's episodes by it.
                fields=["pseudonym", "institution", "department", "first_visit"],
                name="record_natural_key",
                violation_error_message=_(
                    "This institution has already reported this patient in this department "
                    "with this first treatment date."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(last_visit__gte=models.F("first_visit")),
                name="record_dates_ordered",
                violation_error_message=_("The last treatment date cannot precede the first."),
            ),
            models.CheckConstraint(
                condition=models.Q(fees_krw__gte=0),
                name="record_fees_not_negative",
                violation_error_message=_("Fees cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(inpatient_days__isnull=True)
                | models.Q(care_type=CareType.INPATIENT),
                name="record_inpatient_days_only_inpatient",
                violation_error_message=_("Only inpatient care has inpatient days."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__gte=1890, birth_year__lte=models.F("year")),
                name="record_birth_year_plausible",
                violation_error_message=_("The birth year is impossible for this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=Sex.values),
                name="record_sex_known",
                violation_error_message=_("Unknown sex."),
            ),
            models.CheckConstraint(
                condition=models.Q(care_type__in=CareType.values),
                name="record_care_type_known",
                violation_error_message=_("Unknown care type."),
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1),
                name="record_revision_positive",
                violation_error_message=_("Revisions start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return _("episode %(id)s") % {"id": self.pk}

    @property
    def pseudonym_hex(self) -> str:
        return bytes(self.pseudonym).hex()


class RecordRevision(models.Model):
    """A record's values before a correction replaced them."""

    record = models.ForeignKey(
        PatientRecord,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("record"),
    )
    revision = models.PositiveIntegerField(_("revision replaced"))
    values = models.JSONField(_("values before the correction"))
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submission the values came from"),
    )
    replaced_by = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrected by submission"),
    )
    replaced_at = models.DateTimeField(_("corrected"), auto_now_add=True)

    class Meta:
        ordering = ["record", "revision"]
        verbose_name = _("record revision")
        verbose_name_plural = _("record revisions")
        constraints = [
            models.UniqueConstraint(fields=["record", "revision"], name="revision_unique")
        ]

    def __str__(self) -> str:
        return _("revision %(revision)s of %(record)s") % {
            "revision": self.revision,
            "record": self.record_id,
        }


class PseudonymLink(models.Model):
    """During a key rotation: a person's pseudonym under the previous key and under the new one.

    Filled at ingestion (both keys are known then); `rekey_pseudonyms` rewrites older records
    through these links, and they are deleted when the rotation finishes (docs/privacy.md).
    """

    old_version = models.PositiveSmallIntegerField(_("previous key version"))
    old_pseudonym = models.BinaryField(_("pseudonym under the previous key"), max_length=16)
    new_version = models.PositiveSmallIntegerField(_("new key version"))
    new_pseudonym = models.BinaryField(_("pseudonym under the new key"), max_length=16)

    class Meta:
        verbose_name = _("pseudonym link")
        verbose_name_plural = _("pseudonym links")
        constraints = [
            models.UniqueConstraint(
                fields=["old_version", "old_pseudonym"], name="pseudonym_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.old_version} -> v{self.new_version}"


class AggregateMeasure(models.TextChoices):
    UNIQUE_PATIENTS = "unique_patients", _("unique patients")
    DEPARTMENT_PATIENTS = "department_patients", _("patients counted per department")
    PATIENT_VISITS = "patient_visits", _("patient visits")
    FEES_KRW = "fees_krw", _("fees (KRW)")


class AggregateReturn(models.Model):
    """A total reported where no records exist (a past year, a place): shown as an aggregate,
    never added to the record counts of the same cell."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="aggregate_returns",
        verbose_name=_("reporting period"),
    )
    city = models.SlugField(_("city"), max_length=40)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Empty for the whole city."),
    )
    nationality = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    measure = models.CharField(_("measure"), max_length=24, choices=AggregateMeasure.choices)
    count = models.BigIntegerField(_("count"))
    source = models.CharField(_("source"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["period", "city", "district", "measure"]
        verbose_name = _("aggregate return")
        verbose_name_plural = _("aggregate returns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=0),
                name="aggregate_count_not_negative",
                violation_error_message=_("A count cannot be negative."),
            ),
            models.UniqueConstraint(
                "period",
                "city",
                Coalesce("district", 0),
                Coalesce("nationality", 0),
                Coalesce("department", 0),
                "measure",
                name="aggregate_cell_unique",
                violation_error_message=_("This cell already has a total for this period."),
            ),
        ]
        indexes = [models.Index(fields=["period", "city", "measure"])]

    def __str__(self) -> str:
        return f"{self.period} {self.city} {self.measure} {self.count}"
