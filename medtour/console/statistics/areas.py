"""Which area a dashboard shows (the city, a district or an institution) and who may open it.

The engine scopes every figure (`statistics_scope` inside `pivot()`); these checks answer first,
so that a page outside the caller's scope is refused as a whole: 403 for a district that is not
the officer's (districts are public knowledge), 404 for an institution the caller cannot see (as
the registry screens do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from medtour.accounts.scope import statistics_scope, visible_institutions
from medtour.institutions.models import Institution
from medtour.localization.text import localize
from medtour.reference.city import current_city
from medtour.reference.models import District

CITY, DISTRICT, INSTITUTION = "city", "district", "institution"


@dataclass(frozen=True)
class Area:
    kind: str  # CITY, DISTRICT or INSTITUTION
    code: str  # "" for the city
    name: str
    district: District | None = None
    institution: Institution | None = None

    @property
    def filters(self) -> tuple[tuple[str, str], ...]:
        """The pivot filters that restrict a query to this area."""
        if self.kind == CITY:
            return ()
        return ((self.kind, self.code),)

    @property
    def token(self) -> str:
        """How the area travels in a query string: `city`, `district:11680`, `institution:X`."""
        return CITY if self.kind == CITY else f"{self.kind}:{self.code}"

    @property
    def url(self) -> str:
        if self.kind == CITY:
            return reverse("console:statistics-city")
        return reverse(f"console:statistics-{self.kind}", kwargs={"code": self.code})


def city_area(user: Any) -> Area:
    if not statistics_scope(user).is_city:
        raise PermissionDenied
    return Area(CITY, "", city_name())


def district_area(user: Any, code: str) -> Area:
    scope = statistics_scope(user)
    district = get_object_or_404(District.objects.defer("boundary"), code=code)
    if not scope.is_city and scope.district_id != district.pk:
        raise PermissionDenied
    return Area(DISTRICT, district.code, localize(district.names).text, district=district)


def institution_area(user: Any, code: str) -> Area:
    scope = statistics_scope(user)
    institution = get_object_or_404(
        visible_institutions(user).select_related("district"), code=code
    )
    allowed = (
        scope.is_city
        or scope.district_id == institution.district_id
        or scope.institution_id == institution.pk
    )
    if not allowed:
        raise Http404
    return Area(
        INSTITUTION,
        institution.code,
        localize(institution.names).text,
        district=institution.district,
        institution=institution,
    )


def area_from_token(user: Any, token: str) -> Area:
    """The area named by TOKEN (see `Area.token`), checked against USER's scope."""
    kind, _sep, code = token.partition(":")
    if kind == CITY and not code:
        return city_area(user)
    if kind == DISTRICT and code:
        return district_area(user, code)
    if kind == INSTITUTION and code:
        return institution_area(user, code)
    raise Http404


def own_area_url(user: Any) -> str:
    """The dashboard a user opens first: the city, their district or their institution."""
    scope = statistics_scope(user)
    if scope.institution_id is not None:
        code = Institution.objects.values_list("code", flat=True).get(pk=scope.institution_id)
        return reverse("console:statistics-institution", kwargs={"code": code})
    if scope.district_id is not None:
        code = District.objects.values_list("code", flat=True).get(pk=scope.district_id)
        return reverse("console:statistics-district", kwargs={"code": code})
    return reverse("console:statistics-city")


def city_name() -> str:
    return current_city().name.text
