"""The choropleth of registered institutions per district: its data, and its cache.

`map_drawing.draw` renders the SVG (Vega-Lite through vl-convert); that takes 0.1 to 1 s, so each
SVG is cached under a hash of everything drawn in it (language, names, counts, links, the chosen
district and the boundaries). When the data changes the key changes, and nothing needs
invalidating.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from medtour.localization.templatetags.localized import number
from medtour.localization.text import localize
from medtour.reference.models import District

# Bump when the drawing changes, so that cached maps are drawn again.
DRAWING_VERSION = 3
CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class DistrictEntry:
    code: str
    name: str
    count: int
    url: str
    selected: bool = False

    @property
    def description(self) -> str:
        return ngettext(
            "%(district)s: %(count)s registered institution",
            "%(district)s: %(count)s registered institutions",
            self.count,
        ) % {"district": self.name, "count": number(self.count)}


def district_entries(
    counts: Mapping[int, int],
    *,
    selected: District | None,
    url_for: Callable[[District], str],
) -> list[DistrictEntry]:
    """Every district of the city, named in the page language, most institutions first."""
    entries = [
        DistrictEntry(
            code=district.code,
            name=localize(district.names).text,
            count=counts.get(district.pk, 0),
            url=url_for(district),
            selected=selected is not None and district.pk == selected.pk,
        )
        for district in District.objects.defer("boundary")
    ]
    return sorted(entries, key=lambda entry: (-entry.count, entry.name.casefold()))


def district_map_svg(entries: Sequence[DistrictEntry]) -> SafeString:
    language = get_language() or "ko"
    boundaries = district_boundaries([entry.code for entry in entries])
    key = map_cache_key(language, entries, boundaries)
    svg = cache.get(key)
    if svg is None:
        # Imported on a cache miss only: Altair alone takes most of a second to import.
        from medtour.portal.map_drawing import draw

        svg = draw(entries, boundaries, language)
        cache.set(key, svg, CACHE_SECONDS)
    # Vega escapes the text and attributes it writes; `draw` escapes what it adds.
    return mark_safe(svg)


def district_boundaries(codes: Sequence[str]) -> dict[str, Any]:
    return dict(District.objects.filter(code__in=codes).values_list("code", "boundary"))


def map_cache_key(language: str, entries: Sequence[DistrictEntry], boundaries: Any) -> str:
    content = json.dumps(
        [DRAWING_VERSION, language, [asdict(entry) for entry in entries], boundaries],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "portal:district-map:" + hashlib.sha256(content.encode()).hexdigest()
