"""The pre-aggregated statistics: one row per cell of each materialised cuboid.

A cuboid is a set of dimensions (its id is their bit mask, `medtour.stats.cube.cuboids`). Its
cells hold exact measures, distinct counts included, for every combination of members found in
the records; nothing is ever summed across cells. Written only by `medtour.stats.cube.build`
(full) and `medtour.stats.cube.refresh` (incremental).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.records.models import Submission

DIMENSION_COLUMNS = (
    "year",
    "quarter",
    "month",
    "district",
    "institution",
    "institution_type",
    "nationality",
    "country_group",
    "department",
    "sex",
    "age_band",
    "care_type",
    "channel",
)


class StatisticsCell(models.Model):
    cuboid = models.PositiveIntegerField(_("cuboid"))
    key = models.CharField(_("cell key"), max_length=120)
    year = models.IntegerField(_("year"), null=True)
    quarter = models.IntegerField(_("quarter"), null=True)
    month = models.IntegerField(_("month"), null=True)
    district = models.BigIntegerField(_("district"), null=True)
    institution = models.BigIntegerField(_("institution"), null=True)
    institution_type = models.IntegerField(_("institution type"), null=True)
    nationality = models.BigIntegerField(_("nationality"), null=True)
    country_group = models.BigIntegerField(_("country group"), null=True)
    department = models.BigIntegerField(_("department"), null=True)
    sex = models.IntegerField(_("sex"), null=True)
    age_band = models.IntegerField(_("age band"), null=True)
    care_type = models.IntegerField(_("care type"), null=True)
    channel = models.IntegerField(_("facilitator or direct"), null=True)
    patients = models.BigIntegerField(_("unique patients"))
    department_patients = models.BigIntegerField(_("patients counted per department"))
    episodes = models.BigIntegerField(_("episodes"))
    inpatient_days = models.BigIntegerField(_("inpatient days"))
    fees = models.BigIntegerField(_("fees (KRW)"))

    class Meta:
        verbose_name = _("statistics cell")
        verbose_name_plural = _("statistics cells")
        constraints = [
            models.UniqueConstraint(fields=["cuboid", "key"], name="statistics_cell_unique")
        ]
        # The filters queries use most, and the scopes: a filter then reads its own cells
        # instead of the whole cuboid (the unique index serves unfiltered reads).
        indexes = [
            models.Index(fields=["cuboid", name], name=f"statistics_cell_{name}")
            for name in ("year", "district", "nationality", "institution")
        ]

    def __str__(self) -> str:
        return f"{self.cuboid}:{self.key}"


class StatisticsState(models.Model):
    """One row: when the cells were built and last refreshed, and which cuboids they hold."""

    built_at = models.DateTimeField(_("built"))
    refreshed_at = models.DateTimeField(_("refreshed"))
    cuboids = models.JSONField(_("materialised cuboids"), default=list)
    build_seconds = models.FloatField(_("build time (s)"), default=0.0)

    class Meta:
        verbose_name = _("statistics state")
        verbose_name_plural = _("statistics states")

    def __str__(self) -> str:
        return self.refreshed_at.isoformat()


class AppliedSubmission(models.Model):
    """The watermark: a committed submission whose records the cells include."""

    submission = models.OneToOneField(
        Submission,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("submission"),
        db_constraint=False,
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission in the statistics")
        verbose_name_plural = _("submissions in the statistics")

    def __str__(self) -> str:
        return str(self.submission_id)
