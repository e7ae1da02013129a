"""The briefing: a year's key facts for the city or a district, written as prose in any of
the six languages, as Markdown, HTML or PDF (docs/briefing.md).

    facts = briefing_facts(2016, "seoul")          # every figure from pivot()
    briefing = build_briefing(2016, "seoul", "ko")  # facts + prose + charts
    render(briefing, "pdf")                         # bytes

Who may ask: city analysts and administrators (the city and any district), district officers
(their own district). Figures are always asked of pivot() with the caller as user, so the
statistics scope applies on top of this check.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from medtour.accounts import scope
from medtour.localization.text import localize
from medtour.reference.city import current_city
from medtour.reference.models import District
from medtour.stats import briefing_render
from medtour.stats.briefing_facts import BriefingError, BriefingFacts, briefing_facts
from medtour.stats.briefing_prose import Briefing, write_briefing

__all__ = [
    "FORMATS",
    "Briefing",
    "BriefingError",
    "BriefingFacts",
    "briefing_areas",
    "briefing_facts",
    "build_briefing",
    "can_view_briefing",
    "default_area",
    "may_brief",
    "render",
]

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def can_view_briefing(user: Any) -> bool:
    return scope.can_view_areas(user)


def briefing_areas(user: Any) -> list[tuple[str, str]]:
    """(code, name in the active language) of the areas USER may brief: the city first."""
    names = {
        district.code: localize(district.names).text
        for district in District.objects.defer("boundary")
    }
    city = current_city()
    return [
        (city.code, city.name.text) if area is None else (area, names[area])
        for area in scope.visible_areas(user)
    ]


def default_area(user: Any) -> str | None:
    areas = briefing_areas(user)
    return areas[0][0] if areas else None


def may_brief(user: Any, area: str) -> bool:
    return any(code == area for code, _name in briefing_areas(user))


def build_briefing(
    year: int, area: str | None, language: str, *, user: Any = None, charts: bool = True
) -> Briefing:
    """Facts (within USER's scope), prose in LANGUAGE and, unless CHARTS is False, the charts."""
    if language not in dict(settings.LANGUAGES):
        raise BriefingError(_("Unknown language “%(language)s”.") % {"language": language})
    briefing = write_briefing(briefing_facts(year, area, user=user), language)
    return briefing_render.with_charts(briefing) if charts else briefing


def render(briefing: Briefing, file_format: str) -> bytes:
    if file_format == "md":
        return briefing_render.to_markdown(briefing).encode("utf-8")
    if file_format == "html":
        return briefing_render.to_html(briefing).encode("utf-8")
    if file_format == "pdf":
        return briefing_render.to_pdf(briefing)
    raise BriefingError(_("Unknown format “%(format)s”.") % {"format": file_format})


def filename(briefing: Briefing, file_format: str) -> str:
    area = briefing.facts.area or current_city().code
    return f"briefing-{area}-{briefing.facts.year}-{briefing.language}.{file_format}"
