"""Reads: the targets of an area, as the screens and the contract expect them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from medtour.accounts.scope import visible_areas
from medtour.localization.text import localize
from medtour.targets.models import Target


@dataclass(frozen=True)
class TargetView:
    pk: int
    area: str | None  # None: the city; else District.code
    year: int
    value: int
    label: str  # in the active language, with the visible fallback of localize()
    source: str  # URL
    kind: str  # "target" or "projection"
    note: str = ""


def _area_filter(targets: QuerySet[Target], area: str | None) -> QuerySet[Target]:
    if area is None:
        return targets.filter(district__isnull=True)
    return targets.filter(district__code=area)


def _view(target: Target) -> TargetView:
    label = localize(target.label).text or _("Target for %(year)s") % {"year": target.year}
    return TargetView(
        pk=target.pk,
        area=target.area,
        year=target.year,
        value=target.value,
        label=label,
        source=target.source_url,
        kind=target.kind,
        note=target.note,
    )


def targets_for(area: str | None, year: int | None = None) -> list[TargetView]:
    """AREA's targets (None: the city's), of YEAR if given; largest first within a year."""
    targets = _area_filter(Target.objects.select_related("district"), area)
    if year is not None:
        targets = targets.filter(year=year)
    return [_view(target) for target in targets.order_by("year", "-value", "pk")]


def visible_targets(user: Any) -> QuerySet[Target]:
    """The targets USER may see, for the edit screens (404 outside the scope)."""
    areas = visible_areas(user)
    if not areas:
        return Target.objects.none()
    codes = [area for area in areas if area is not None]
    targets = Target.objects.select_related("district")
    if None in areas:
        return targets
    return targets.filter(district__code__in=codes)
