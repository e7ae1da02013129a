"""Reading the registry: scoped, filtered listings that start from the scoping layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from medtour.accounts import scope
from medtour.institutions.models import Facilitator, Institution
from medtour.reference.resolvers import normalize_key

ACTIVE_CHOICES = ("active", "inactive", "all")


@dataclass(frozen=True)
class RegistryFilters:
    """What a listing is narrowed to. Empty values mean "any"; `active` defaults to active only."""

    q: str = ""
    district: str = ""
    type: str = ""
    department: str = ""
    status: str = ""
    active: str = "active"
    synthetic: str = ""

    @classmethod
    def from_query(cls, query: Any) -> RegistryFilters:
        values = {name: str(query.get(name, "") or "").strip() for name in cls.__dataclass_fields__}
        if values["active"] not in ACTIVE_CHOICES:
            values["active"] = "active"
        return cls(**values)


def _search(records: QuerySet[Any], text: str) -> QuerySet[Any]:
    for word in normalize_key(text).split():
        records = records.filter(search_text__contains=word)
    return records


def _common_filters(records: QuerySet[Any], filters: RegistryFilters) -> QuerySet[Any]:
    if filters.q:
        records = _search(records, filters.q)
    if filters.district:
        records = records.filter(district__code=filters.district)
    if filters.status:
        records = records.filter(registration_status=filters.status)
    if filters.active == "active":
        records = records.filter(is_active=True)
    elif filters.active == "inactive":
        records = records.filter(is_active=False)
    if filters.synthetic == "real":
        records = records.filter(is_synthetic=False)
    elif filters.synthetic == "synthetic":
        records = records.filter(is_synthetic=True)
    return records


def institution_list(user: Any, filters: RegistryFilters | None = None) -> QuerySet[Institution]:
    """The institutions USER may see, narrowed by FILTERS, ready for a table (no N+1)."""
    filters = filters or RegistryFilters()
    institutions = _common_filters(scope.visible_institutions(user), filters)
    if filters.type:
        institutions = institutions.filter(type=filters.type)
    if filters.department:
        institutions = institutions.filter(departments__code=filters.department)
    return (
        institutions.select_related("district")
        .prefetch_related("departments", "languages")
        .order_by("code")
    )


def institution_detail(user: Any, pk: int) -> Institution:
    """One institution USER may see, or 404 (never 403: its existence is not disclosed)."""
    return get_object_or_404(
        scope.visible_institutions(user)
        .select_related("district")
        .prefetch_related("departments", "languages"),
        pk=pk,
    )


def facilitator_list(user: Any, filters: RegistryFilters | None = None) -> QuerySet[Facilitator]:
    filters = filters or RegistryFilters()
    facilitators = _common_filters(scope.visible_facilitators(user), filters)
    return facilitators.select_related("district").order_by("code")


def facilitator_detail(user: Any, pk: int) -> Facilitator:
    return get_object_or_404(scope.visible_facilitators(user).select_related("district"), pk=pk)
