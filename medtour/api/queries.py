"""Reads behind the API, each starting from the scoping layer."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from medtour.accounts import scope
from medtour.institutions.models import Facilitator, Institution
from medtour.reference.models import Country, District
from medtour.reference.normalize import normalize_key


def institutions_for(user: Any) -> QuerySet[Institution]:
    """Registered institutions for everyone, plus those in the caller's scope, each marked
    `in_scope` so that registry facts are shown only where the scope allows."""
    visible = scope.visible_institutions(user)
    in_scope = (
        Value(False, output_field=BooleanField())
        if visible.query.is_empty()
        else Exists(visible.filter(pk=OuterRef("pk")))
    )
    return (
        (scope.public_institutions() | visible)
        .annotate(in_scope=in_scope)
        .select_related("district")
        .prefetch_related("departments", "languages")
        .order_by("code")
    )


def facilitators_for(user: Any) -> QuerySet[Facilitator]:
    return scope.visible_facilitators(user).select_related("district").order_by("code")


def districts_with_counts() -> QuerySet[District]:
    registered = (
        scope.public_institutions()
        .filter(district=OuterRef("pk"))
        .order_by()
        .values("district")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return District.objects.annotate(
        registered_institutions=Coalesce(Subquery(registered, output_field=IntegerField()), 0)
    ).order_by("code")


def search_countries(text: str) -> QuerySet[Country]:
    """Countries whose code or name in any language contains TEXT; exact and prefix hits first."""
    key = normalize_key(text)
    if not key:
        return Country.objects.order_by("alpha2")
    return (
        Country.objects.filter(aliases__normalized__contains=key)
        .annotate(
            rank=Min(
                Case(
                    When(aliases__normalized=key, then=Value(0)),
                    When(aliases__normalized__startswith=key, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
        )
        .order_by("rank", "alpha2")
    )
