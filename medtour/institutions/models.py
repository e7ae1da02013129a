"""The registry of medical institutions and facilitators registered for foreign patients."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.localization.fields import LocalizedTextField
from medtour.localization.text import localize
from medtour.reference.models import Department, District, Language
from medtour.reference.resolvers import normalize_key


class InstitutionType(models.TextChoices):
    CLINIC = "clinic", _("clinic")
    HOSPITAL = "hospital", _("hospital")
    GENERAL_HOSPITAL = "general_hospital", _("general hospital")
    TERTIARY_HOSPITAL = "tertiary_hospital", _("tertiary hospital")
    DENTAL = "dental", _("dental clinic or hospital")
    KOREAN_MEDICINE = "korean_medicine", _("Korean medicine clinic or hospital")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


class Accreditation(models.TextChoices):
    KAHF = "KAHF", _("KAHF (Korea Accreditation Program for Hospitals Serving Foreign Patients)")
    KOIHA = "KOIHA", _("KOIHA (Korea Institute for Healthcare Accreditation)")
    JCI = "JCI", _("JCI (Joint Commission International)")


class RegisteredBody(models.Model):
    """What institutions and facilitators share: names, registration, contacts, lifecycle."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = LocalizedTextField(_("names"), required_languages=("ko",))
    registration_number = models.CharField(
        _("registration number"), max_length=40, unique=True, null=True, blank=True
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registered_from = models.DateField(_("registered from"), null=True, blank=True)
    registered_until = models.DateField(_("registered until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetic demo record"), default=False, help_text=_("Made up for demonstration.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Names in every language, code and number, case-folded: one substring search that works
    # the same on SQLite and PostgreSQL (JSON text on SQLite escapes non-ASCII characters).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name or self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.compose_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def compose_search_text(self) -> str:
        parts = [self.code, self.registration_number or "", *(self.names or {}).values()]
        return "\n".join(normalize_key(part) for part in parts if part)

    @property
    def name(self) -> str:
        return localize(self.names).text

    def registration_valid_on(self, day: datetime.date) -> bool:
        if self.registration_status != RegistrationStatus.REGISTERED or not self.is_active:
            return False
        if self.registered_from and day < self.registered_from:
            return False
        return not (self.registered_until and day > self.registered_until)


class Institution(RegisteredBody):
    type = models.CharField(_("type"), max_length=30, choices=InstitutionType.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("district")
    )
    address = LocalizedTextField(_("address"), required_languages=("ko",))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    departments = models.ManyToManyField(
        Department, related_name="institutions", verbose_name=_("departments"), blank=True
    )
    languages = models.ManyToManyField(
        Language, related_name="institutions", verbose_name=_("languages spoken"), blank=True
    )
    accreditations = models.JSONField(_("accreditations"), default=list, blank=True)
    profile = LocalizedTextField(_("public profile"), multiline=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("medical institution")
        verbose_name_plural = _("medical institutions")
        indexes = [models.Index(fields=["district", "type", "registration_status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_until__isnull=True)
                | models.Q(registered_from__isnull=True)
                | models.Q(registered_until__gte=models.F("registered_from")),
                name="institution_registration_dates_ordered",
                violation_error_message=_("The registration cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="institution_coordinates_both_or_neither",
                violation_error_message=_("Enter both latitude and longitude, or neither."),
            ),
        ]


class Facilitator(RegisteredBody):
    """A registered foreign-patient attraction agency (유치업자)."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="facilitators",
        verbose_name=_("district"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_until__isnull=True)
                | models.Q(registered_from__isnull=True)
                | models.Q(registered_until__gte=models.F("registered_from")),
                name="facilitator_registration_dates_ordered",
                violation_error_message=_("The registration cannot end before it starts."),
            ),
        ]


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked")
    COMMITTING = "committing", _("saving")
    COMMITTED = "committed", _("saved")
    FAILED = "failed", _("failed")


class InstitutionImport(models.Model):
    """An uploaded institutions file between its validation (the preview) and its commit.

    The rows are kept as read (column -> text) so that the commit validates exactly what the
    preview showed, again, against the registry as it is at commit time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    columns = models.JSONField(_("columns"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new institutions"), default=0)
    changed_count = models.PositiveIntegerField(_("changed institutions"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged institutions"), default=0)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("institutions import")
        verbose_name_plural = _("institutions imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_busy(self) -> bool:
        """The background worker is checking or saving the file right now."""
        return self.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)

    @property
    def is_committable(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.problems and bool(self.rows)
