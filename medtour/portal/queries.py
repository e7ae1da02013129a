"""Public reads for the portal: only what `scope.public_institutions()` lets anyone see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from medtour.accounts.scope import public_institutions
from medtour.institutions.models import Institution
from medtour.reference.models import Department, District, Language
from medtour.reference.normalize import normalize_key


@dataclass(frozen=True)
class InstitutionFilters:
    district: District | None = None
    department: Department | None = None
    language: Language | None = None
    type: str = ""
    text: str = ""

    def without_district(self) -> InstitutionFilters:
        return replace(self, district=None)

    @property
    def is_empty(self) -> bool:
        return self == InstitutionFilters()

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters, in the form's names; empty ones left out."""
        values = {
            "q": self.text,
            "district": self.district.code if self.district else "",
            "department": self.department.code if self.department else "",
            "type": self.type,
            "language": self.language.code if self.language else "",
        }
        return {name: value for name, value in values.items() if value}


def registered_institutions(filters: InstitutionFilters) -> QuerySet[Institution]:
    institutions = public_institutions()
    if filters.district is not None:
        institutions = institutions.filter(district=filters.district)
    if filters.department is not None:
        institutions = institutions.filter(departments=filters.department)
    if filters.language is not None:
        institutions = institutions.filter(languages=filters.language)
    if filters.type:
        institutions = institutions.filter(type=filters.type)
    if filters.text:
        institutions = institutions.filter(search_text__contains=normalize_key(filters.text))
    return institutions


def for_listing(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    """Ordered by name in the page language (falling back like `localize`), ready to render."""
    order = [get_language() or "ko", "en", "ko"]
    name = Coalesce(*(KeyTextTransform(code, "names") for code in dict.fromkeys(order)))
    return (
        institutions.select_related("district")
        .prefetch_related("departments", "languages")
        .annotate(sort_name=name)
        .order_by("sort_name", "code")
    )


def public_institution(code: str) -> Institution | None:
    return (
        public_institutions()
        .select_related("district")
        .prefetch_related("departments", "languages")
        .filter(code=code)
        .first()
    )


def counts_by_district(institutions: QuerySet[Institution]) -> dict[int, int]:
    rows = institutions.order_by().values("district_id").annotate(total=Count("pk", distinct=True))
    return {row["district_id"]: row["total"] for row in rows}


def languages_spoken() -> QuerySet[Language]:
    """Languages spoken at one registered institution at least, for the filter's choices."""
    return Language.objects.filter(institutions__in=public_institutions()).distinct()


def language_for_page(page_language: str) -> Language | None:
    """The spoken language matching a page language: `zh-hans` pages mean Chinese (`zh`)."""
    return Language.objects.filter(code=page_language.split("-")[0]).first()


def home_figures(page_language: str) -> dict[str, Any]:
    institutions = public_institutions()
    own_language = language_for_page(page_language)
    return {
        "institutions": institutions.count(),
        "languages": languages_spoken().count(),
        "own_language": own_language,
        "own_language_institutions": (
            institutions.filter(languages=own_language).count() if own_language else 0
        ),
    }


def departments_by_institutions(limit: int) -> list[Department]:
    """The departments most registered institutions offer, with `total` on each."""
    totals = (
        Department.objects.filter(institutions__in=public_institutions())
        .annotate(total=Count("institutions", distinct=True))
        .order_by("-total", "sort_order")
    )
    return list(totals[:limit])
