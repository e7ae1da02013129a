"""Targets: how many foreign patients an area means to treat in a year, and where that was said.

An area is the city (no district) or one district. Targets loaded from the city's published
statistics carry a `reference_key`, so loading them again changes nothing; targets entered in the
console have none.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.localization.fields import LocalizedTextField
from medtour.localization.text import localize
from medtour.reference.models import District


class TargetMeasure(models.TextChoices):
    PATIENTS = "patients", _("unique patients")


class TargetKind(models.TextChoices):
    TARGET = "target", _("target")
    # A forecast published by the authority and read as an aim (Seoul's 2025 projection).
    PROJECTION = "projection", _("published projection")


class Target(models.Model):
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Empty for a target of the whole city."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("value"))
    measure = models.CharField(
        _("measure"), max_length=20, choices=TargetMeasure.choices, default=TargetMeasure.PATIENTS
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=TargetKind.choices, default=TargetKind.TARGET
    )
    label = LocalizedTextField(_("label"), required_languages=("ko",))
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    reference_key = models.CharField(
        _("reference key"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Set for targets loaded from the published statistics file."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["district__code", "year", "-value", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="target_year_plausible",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="target_value_positive",
                violation_error_message=_("A target must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area or 'city'} {self.year}: {self.value}"

    @property
    def area(self) -> str | None:
        """None for the city, else the district's official code (as in the statistics)."""
        return self.district.code if self.district is not None else None

    @property
    def label_text(self) -> str:
        return localize(self.label).text
