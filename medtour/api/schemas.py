"""What the API returns. Localized content comes twice: in the requested language and in all."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from medtour.api.text import gettext_lazy as _
from medtour.institutions.models import Accreditation, InstitutionType, RegistrationStatus
from medtour.localization.text import localize

NAMES = _("Names in every language that has one: {language code: text}.")
NAME = _("The name in the requested language, else English, else Korean.")


def _localized(values: Any) -> str:
    return localize(values).text


class Named(Schema):
    name: str = Field("", description=NAME)
    names: dict[str, str] = Field(description=NAMES)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return _localized(obj.names)


class DistrictRef(Named):
    code: str = Field(description=_("Official administrative code, such as 11680."))


class District(DistrictRef):
    area_km2: float | None = Field(description=_("Area in square kilometres."))
    population: int | None = Field(description=_("Registered population."))
    registered_foreigners: int | None = Field(description=_("Registered foreign residents."))
    population_year: int | None = Field(description=_("Year of the population figures."))
    registered_institutions: int = Field(
        description=_("Institutions registered for foreign patients in the district, as public.")
    )
    boundary: dict[str, Any] | None = Field(
        None, description=_("GeoJSON geometry (WGS84), only with ?geometry=true.")
    )

    @staticmethod
    def resolve_boundary(obj: Any) -> Any:
        return obj.boundary if getattr(obj, "with_geometry", False) else None


class DepartmentRef(Named):
    code: str = Field(description=_("Stable department code."))


class Department(DepartmentRef):
    aliases: list[str] = Field(description=_("Other Korean names for the department."))
    hira_codes: str = Field(description=_("Matching HIRA department codes."))
    confirmed_in_statistics: bool = Field(
        description=_("Whether published foreign-patient statistics use this category.")
    )


class LanguageRef(Named):
    code: str = Field(description=_("ISO 639-1 code."))


class Country(Named):
    alpha2: str = Field(description=_("ISO 3166-1 alpha-2 code."))
    alpha3: str = Field(description=_("ISO 3166-1 alpha-3 code."))
    numeric: str = Field(description=_("ISO 3166-1 numeric code."))


class CountryNotFound(Schema):
    detail: str
    value: str = Field(description=_("The value that was not recognised."))
    suggestions: list[Country] = Field(description=_("The closest known countries."))


class AccreditationOut(Schema):
    code: str
    label: str


class Registry(Schema):
    """Registry facts shown only to callers whose scope includes the institution."""

    registration_status: RegistrationStatus
    registration_status_label: str
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_registration_status_label(obj: Any) -> str:
        return str(RegistrationStatus(obj.registration_status).label)


class Institution(Named):
    code: str = Field(description=_("Stable institution code, used in addresses."))
    type: InstitutionType
    type_label: str = Field("", description=_("The type in the requested language."))
    district: DistrictRef
    address: str = Field("", description=_("Address in the requested language, with fallback."))
    address_translations: dict[str, str] = Field(description=_("Address in every language."))
    latitude: float | None
    longitude: float | None
    departments: list[DepartmentRef]
    languages: list[LanguageRef] = Field(description=_("Languages the staff speak."))
    accreditations: list[AccreditationOut]
    profile: str = Field("", description=_("Public profile in the requested language."))
    profile_translations: dict[str, str] = Field(description=_("Public profile in every language."))
    registration_number: str | None
    registered_from: datetime.date | None
    registered_until: datetime.date | None
    phone: str
    email: str
    website: str
    is_synthetic: bool = Field(description=_("True for made-up demonstration records."))
    registry: Registry | None = Field(
        None,
        description=_("Registry status: only for callers whose scope includes the institution."),
    )

    @staticmethod
    def resolve_type_label(obj: Any) -> str:
        return str(InstitutionType(obj.type).label)

    @staticmethod
    def resolve_address(obj: Any) -> str:
        return _localized(obj.address)

    @staticmethod
    def resolve_address_translations(obj: Any) -> dict[str, str]:
        return dict(obj.address or {})

    @staticmethod
    def resolve_profile(obj: Any) -> str:
        return _localized(obj.profile)

    @staticmethod
    def resolve_profile_translations(obj: Any) -> dict[str, str]:
        return dict(obj.profile or {})

    @staticmethod
    def resolve_departments(obj: Any) -> list[Any]:
        return list(obj.departments.all())

    @staticmethod
    def resolve_languages(obj: Any) -> list[Any]:
        return list(obj.languages.all())

    @staticmethod
    def resolve_accreditations(obj: Any) -> list[dict[str, str]]:
        labels = dict(Accreditation.choices)
        return [{"code": code, "label": str(labels.get(code, code))} for code in obj.accreditations]

    @staticmethod
    def resolve_registry(obj: Any) -> Any:
        return obj if getattr(obj, "in_scope", False) else None


class Facilitator(Named):
    code: str
    registration_number: str | None
    registration_status: RegistrationStatus
    registration_status_label: str = ""
    registered_from: datetime.date | None
    registered_until: datetime.date | None
    district: DistrictRef | None
    phone: str
    email: str
    website: str
    is_active: bool
    is_synthetic: bool

    @staticmethod
    def resolve_registration_status_label(obj: Any) -> str:
        return str(RegistrationStatus(obj.registration_status).label)


class Problem(Schema):
    detail: str = Field(description=_("What went wrong, in the requested language."))


class FieldProblem(Schema):
    location: str
    field: str
    message: str


class InvalidInput(Problem):
    errors: list[FieldProblem]
