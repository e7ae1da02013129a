"""Reference data: districts, departments, languages and countries. Public, read-only."""

# No `from __future__ import annotations`: django-ninja reads these signatures at run time,
# through wrappers whose module cannot resolve names written as strings.
from typing import Any

from django.db.models import Value
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from medtour.api import schemas
from medtour.api.auth import OPTIONAL_SECURITY, PUBLIC
from medtour.api.endpoints import ERRORS, LANG_QUERY
from medtour.api.errors import ApiError
from medtour.api.language import LanguageCode
from medtour.api.pagination import Pages
from medtour.api.queries import districts_with_counts, search_countries
from medtour.api.text import gettext_lazy
from medtour.reference.models import Country, Department, Language
from medtour.reference.resolvers import AmbiguousValue, UnknownValue, resolve_country

router = Router(tags=[gettext_lazy("Reference data")], auth=PUBLIC)


@router.get(
    "/districts",
    response={200: list[schemas.District], **ERRORS},
    summary=gettext_lazy("List the city's districts"),
    description=gettext_lazy(
        "Every district with its names, area, population and the number of institutions "
        "registered for foreign patients. Add ?geometry=true for the boundary polygons."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(Pages)
def list_districts(
    request: HttpRequest,
    geometry: bool = Query(False, description=gettext_lazy("Include GeoJSON boundaries.")),
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    districts = districts_with_counts().annotate(with_geometry=Value(geometry))
    return districts if geometry else districts.defer("boundary")


@router.get(
    "/departments",
    response={200: list[schemas.Department], **ERRORS},
    summary=gettext_lazy("List medical departments"),
    description=gettext_lazy(
        "The medical department categories used in Korea's foreign-patient statistics."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(Pages)
def list_departments(request: HttpRequest, lang: LanguageCode | None = LANG_QUERY) -> Any:
    return Department.objects.order_by("sort_order", "code")


@router.get(
    "/languages",
    response={200: list[schemas.LanguageRef], **ERRORS},
    summary=gettext_lazy("List languages"),
    description=gettext_lazy("Languages that interpreters and institution staff can offer."),
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(Pages)
def list_languages(request: HttpRequest, lang: LanguageCode | None = LANG_QUERY) -> Any:
    return Language.objects.order_by("sort_order", "code")


@router.get(
    "/countries",
    response={200: list[schemas.Country], **ERRORS},
    summary=gettext_lazy("List or search countries"),
    description=gettext_lazy(
        "All ISO 3166-1 countries. With ?q=, those whose code or name in any language "
        "contains the text, closest matches first."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
@paginate(Pages)
def list_countries(
    request: HttpRequest,
    q: str = Query(
        "",
        max_length=120,
        description=gettext_lazy("Text to look for: a code or part of a name, any language."),
    ),
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    return search_countries(q)


@router.get(
    "/countries/resolve",
    response={
        200: schemas.Country,
        404: schemas.CountryNotFound,
        401: schemas.Problem,
        422: schemas.InvalidInput,
    },
    summary=gettext_lazy("Recognise a country"),
    description=gettext_lazy(
        "The one country a value means: a code (CN, CHN, 156) or a name in any language "
        "(China, 중국, 中国, Китай, Қытай). If none, 404 with the closest known countries."
    ),
    openapi_extra=OPTIONAL_SECURITY,
)
def resolve_country_value(
    request: HttpRequest,
    value: str = Query(
        ..., min_length=1, max_length=120, description=gettext_lazy("The value to recognise.")
    ),
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    try:
        return resolve_country(value)
    except UnknownValue as unknown:
        if isinstance(unknown, AmbiguousValue):
            message = _("“%(value)s” could mean more than one country: choose one below.")
        else:
            message = _("No country is known as “%(value)s”.")
        found = Country.objects.in_bulk(unknown.suggested_ids)
        raise ApiError(
            404,
            message % {"value": value},
            value=value,
            suggestions=[
                schemas.Country.from_orm(found[pk]).model_dump()
                for pk in unknown.suggested_ids
                if pk in found
            ],
        ) from unknown
