"""Reference data: the city's districts, medical departments, countries and languages.

Loaded from files by `manage.py load_reference` (see docs/reference-data.md); never edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.localization.fields import LocalizedTextField
from medtour.localization.text import localize


class LocalizedNameMixin(models.Model):
    names = LocalizedTextField(_("names"), required_languages=("ko",))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localize(self.names).text


class District(LocalizedNameMixin):
    """An administrative district of the city (gu in Seoul), keyed by its official code."""

    city = models.SlugField(_("city"), max_length=40)
    code = models.CharField(_("official code"), max_length=10, unique=True)
    census_code = models.CharField(
        _("old census code"), max_length=10, blank=True, help_text=_("Never join on this code.")
    )
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2, null=True)
    population = models.PositiveIntegerField(_("registered population"), null=True)
    registered_foreigners = models.PositiveIntegerField(_("registered foreigners"), null=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Department(LocalizedNameMixin):
    """A medical department category as used in KHIDI's foreign-patient statistics."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    aliases = models.JSONField(_("Korean aliases"), default=list, blank=True)
    hira_codes = models.CharField(_("HIRA department codes"), max_length=40, blank=True)
    confirmed_in_statistics = models.BooleanField(_("confirmed in published statistics"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Country(LocalizedNameMixin):
    """An ISO 3166-1 country; names come from CLDR through Babel."""

    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, unique=True)

    class Meta:
        ordering = ["alpha2"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class CountryAlias(models.Model):
    """Another way of writing a country (code, name in any language), normalised for lookup."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=120)
    normalized = models.CharField(_("normalised alias"), max_length=120, unique=True)

    class Meta:
        ordering = ["normalized"]
        verbose_name = _("country alias")
        verbose_name_plural = _("country aliases")

    def __str__(self) -> str:
        return self.alias


class CountryGroupKind(models.TextChoices):
    REGION = "region", _("region")
    BLOC = "bloc", _("bloc")


class CountryGroup(LocalizedNameMixin):
    """A group of countries for analysis, such as Central Asia.

    Regions partition the world (every country is in exactly one region, so shares add up to
    100 %); blocs such as the GCC overlap them.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CountryGroupKind.choices, default=CountryGroupKind.REGION
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    countries = models.ManyToManyField(Country, related_name="groups", verbose_name=_("countries"))

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")


class Language(LocalizedNameMixin):
    """A language that interpreters and clinic staff can offer.

    The code is CLDR's: ISO 639-1 where one exists (`ko`, `kk`), else ISO 639-2/3 (`fil`, `yue`).
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    autonym = models.CharField(_("name in the language itself"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
