"""The registry: medical institutions (public, more in scope) and facilitators (staff only)."""

# No `from __future__ import annotations`: django-ninja reads these signatures at run time,
# through wrappers whose module cannot resolve names written as strings.
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from medtour.accounts.scope import can_view_facilitators
from medtour.api import schemas
from medtour.api.auth import OPTIONAL_SECURITY, PUBLIC, SIGNED_IN, caller
from medtour.api.endpoints import ERRORS, LANG_QUERY
from medtour.api.errors import ApiError
from medtour.api.language import LanguageCode
from medtour.api.pagination import Pages
from medtour.api.queries import facilitators_for, institutions_for
from medtour.api.text import gettext_lazy
from medtour.institutions.models import InstitutionType, RegistrationStatus
from medtour.reference.models import Department, District, Language
from medtour.reference.normalize import normalize_key

router = Router(tags=[gettext_lazy("Registry")])


class InstitutionFilters(Schema):
    district: str | None = Field(None, description=gettext_lazy("District code, such as 11680."))
    department: str | None = Field(None, description=gettext_lazy("Department code."))
    language: str | None = Field(None, description=gettext_lazy("Language code staff speak."))
    type: InstitutionType | None = Field(None, description=gettext_lazy("Institution type."))
    status: RegistrationStatus | None = Field(
        None,
        description=gettext_lazy(
            "Registration status. Institutions not currently registered appear only in your scope."
        ),
    )
    q: str | None = Field(
        None, max_length=100, description=gettext_lazy("Text in the name (any language) or code.")
    )
    synthetic: bool | None = Field(
        None, description=gettext_lazy("true: only demonstration records; false: only real ones.")
    )


class FacilitatorFilters(Schema):
    district: str | None = Field(None, description=gettext_lazy("District code, such as 11680."))
    status: RegistrationStatus | None = Field(
        None, description=gettext_lazy("Registration status.")
    )
    active: bool | None = Field(None, description=gettext_lazy("Only active or inactive ones."))
    q: str | None = Field(
        None, max_length=100, description=gettext_lazy("Text in the name (any language) or code.")
    )


@router.get(
    "/institutions",
    response={200: list[schemas.Institution], **ERRORS},
    auth=PUBLIC,
    summary=gettext_lazy("List medical institutions"),
    description=gettext_lazy(
        "Without credentials: institutions currently registered for foreign patients. "
        "With a token or a session, also those in your scope (your institution, your district, "
        "or the whole city), and `registry` facts for them."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(Pages)
def list_institutions(
    request: HttpRequest,
    filters: InstitutionFilters = Query(...),  # noqa: B008
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    institutions = institutions_for(caller(request))
    if filters.district:
        institutions = institutions.filter(district=_known(District, "district", filters.district))
    if filters.department:
        department = _known(Department, "department", filters.department)
        institutions = institutions.filter(departments=department)
    if filters.language:
        institutions = institutions.filter(languages=_known(Language, "language", filters.language))
    if filters.type:
        institutions = institutions.filter(type=filters.type)
    if filters.status:
        institutions = institutions.filter(registration_status=filters.status)
    if filters.synthetic is not None:
        institutions = institutions.filter(is_synthetic=filters.synthetic)
    if filters.q:
        institutions = institutions.filter(_name_contains(filters.q))
    return institutions


@router.get(
    "/institutions/{code}",
    response={200: schemas.Institution, **ERRORS},
    auth=PUBLIC,
    summary=gettext_lazy("One medical institution"),
    description=gettext_lazy(
        "A registered institution, or one in your scope. Others answer 404, whether or not "
        "they exist, so that the answer reveals nothing outside your scope."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
def get_institution(
    request: HttpRequest,
    code: str = Path(..., description=gettext_lazy("The institution's code.")),
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    institution = institutions_for(caller(request)).filter(code=code).first()
    if institution is None:
        raise ApiError(
            404, _("No institution with the code “%(code)s” is open to you.") % {"code": code}
        )
    return institution


@router.get(
    "/facilitators",
    response={200: list[schemas.Facilitator], **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("List facilitators"),
    description=gettext_lazy(
        "Registered foreign-patient attraction agencies, with their registration status. "
        "Staff only; what each role sees is set by its scope."
    ),
)
@paginate(Pages)
def list_facilitators(
    request: HttpRequest,
    filters: FacilitatorFilters = Query(...),  # noqa: B008
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    if not can_view_facilitators(caller(request)):
        raise ApiError(403, _("Only staff can see the list of facilitators."))
    facilitators = facilitators_for(caller(request))
    if filters.district:
        facilitators = facilitators.filter(district=_known(District, "district", filters.district))
    if filters.status:
        facilitators = facilitators.filter(registration_status=filters.status)
    if filters.active is not None:
        facilitators = facilitators.filter(is_active=filters.active)
    if filters.q:
        facilitators = facilitators.filter(_name_contains(filters.q))
    return facilitators


def _unknown_code_message(field: str, code: str) -> str:
    if field == "district":
        return _("No district has the code “%(code)s”.") % {"code": code}
    if field == "department":
        return _("No department has the code “%(code)s”.") % {"code": code}
    return _("No language has the code “%(code)s”.") % {"code": code}


def _known(model: Any, field: str, code: str) -> Any:
    """The record with CODE, else a 422 that names the parameter and the value."""
    found = model.objects.filter(code=code).first()
    if found is None:
        message = _unknown_code_message(field, code)
        raise ApiError(
            422,
            message,
            errors=[{"location": "query", "field": field, "message": message}],
        )
    return found


def _name_contains(text: str) -> Q:
    """Names in every language, code and registration number, as the registry indexes them."""
    return Q(search_text__contains=normalize_key(text))
