"""The registry of medical institutions and facilitators registered for foreign patients."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.localization.fields import LocalizedTextField
from medtour.localization.text import localize
from medtour.reference.models import Department, District, Language


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

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localize(self.names).text

    def __str__(self) -> str:
        return self.name or self.code

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
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="institution_coordinates_both_or_neither",
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
            ),
        ]
