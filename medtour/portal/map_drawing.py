"""Drawing the district map: a Vega-Lite chart built with Altair, rendered to SVG by vl-convert.

No map tiles, no script, nothing fetched from the internet: the SVG is inlined in the page and
keeps its strict Content Security Policy (it has no `style` attribute either).

The GeoJSON rings are clockwise, as d3-geo (inside Vega) expects. Do not rewind them: Vega would
then fill the whole globe except the city.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import altair as alt
import vl_convert
from babel.numbers import get_decimal_symbol, get_group_symbol
from django.utils.translation import gettext as _
from django.utils.translation import to_locale

from medtour.localization.templatetags.localized import number

if TYPE_CHECKING:
    from medtour.portal.district_map import DistrictEntry

WIDTH, HEIGHT = 640, 520
INK, PAPER = "#1b2430", "#ffffff"
HREF = re.compile(r'(<a\b[^>]*?\bxlink:href=")([^"]*)("[^>]*>)')


def draw(entries: Sequence[DistrictEntry], boundaries: Mapping[str, Any], language: str) -> str:
    drawn = [entry for entry in entries if boundaries.get(entry.code)]
    top = max([entry.count for entry in drawn] or [0]) or 1
    features = [
        {
            "type": "Feature",
            "geometry": boundaries[entry.code],
            "properties": {
                "count": entry.count,
                "url": entry.url,
                "description": entry.description,
            },
        }
        for entry in drawn
    ]
    labels = [
        {
            "lon": lon,
            "lat": lat,
            "name": entry.name,
            "count": number(entry.count),
            "dark": shade(entry.count, top) > 0.55,
        }
        for entry in drawn
        for lon, lat in [label_point(boundaries[entry.code])]
    ]
    selected = [feature for feature, entry in zip(features, drawn, strict=True) if entry.selected]
    layers = [_shapes(features, top), *([_outline(selected)] if selected else []), *_labels(labels)]
    chart = alt.layer(*layers).project(type="mercator")
    spec = chart.properties(width=WIDTH, height=HEIGHT).configure_view(stroke=None).to_dict()
    svg = vl_convert.vegalite_to_svg(spec, format_locale=_d3_locale(language))
    return _finish(svg, drawn)


def shade(count: int, top: int) -> float:
    """Where COUNT falls on the colour scale, from 0 to 1. The scale is logarithmic (symlog, which
    allows 0): one district holds far more institutions than the others, and on a linear scale
    every other district would look empty."""
    return math.log1p(count) / math.log1p(top)


def legend_values(top: int) -> list[int]:
    """0, the powers of ten not too near the largest count, and the largest count: whole numbers
    only (Vega's own ticks would show 0.5 institutions as "1" on small maps)."""
    powers = [10**exponent for exponent in range(1, len(str(top)))]
    return [0, *(power for power in powers if shade(power, top) < 0.8), max(top, 1)]


def _shapes(features: list[dict[str, Any]], top: int) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke=PAPER, strokeWidth=1.2)
        .encode(
            color=alt.Color(
                "properties.count:Q",
                title=_("Registered institutions"),
                scale=alt.Scale(type="symlog", scheme="blues", domain=[0, top]),
                legend=alt.Legend(
                    format=",d", values=legend_values(top), orient="top-left", gradientLength=160
                ),
            ),
            href="properties.url:N",
            description="properties.description:N",
        )
    )


def _outline(selected: list[dict[str, Any]]) -> alt.Chart:
    return alt.Chart(alt.Data(values=selected)).mark_geoshape(
        filled=False, stroke=INK, strokeWidth=3, aria=False
    )


def _labels(labels: list[dict[str, Any]]) -> list[alt.Chart]:
    color = alt.condition("datum.dark", alt.value(PAPER), alt.value(INK))
    base = alt.Chart(alt.Data(values=labels)).encode(
        longitude="lon:Q", latitude="lat:Q", color=color
    )
    return [
        base.mark_text(fontSize=10, aria=False).encode(text="name:N"),
        base.mark_text(fontSize=10, fontWeight="bold", dy=12, aria=False).encode(text="count:N"),
    ]


def _d3_locale(language: str) -> dict[str, Any]:
    """d3-format's locale from Babel, so the legend groups digits like the `|number` filter."""
    locale = to_locale(language)
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": ["", ""],
    }


def _finish(svg: str, entries: Sequence[DistrictEntry]) -> str:
    """Links as we wrote them (vl-convert prefixes a base URL), a hover title on each district,
    and a name for the whole map."""
    by_url = sorted(entries, key=lambda entry: len(entry.url), reverse=True)

    def relink(match: re.Match[str]) -> str:
        target = html.unescape(match.group(2))
        entry = next((entry for entry in by_url if target.endswith(entry.url)), None)
        if entry is None:
            return match.group(1) + "#" + match.group(3)
        title = f"<title>{html.escape(entry.description)}</title>"
        return match.group(1) + html.escape(entry.url) + match.group(3) + title

    svg = HREF.sub(relink, svg)
    label = html.escape(_("Map of the city's districts: registered institutions in each"))
    return svg.replace("<svg ", f'<svg role="group" aria-label="{label}" ', 1)


def label_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """Where to write a district's name: the centroid of its largest outer ring."""
    if geometry["type"] == "MultiPolygon":
        rings = [polygon[0] for polygon in geometry["coordinates"]]
    else:
        rings = [geometry["coordinates"][0]]
    x, y, _area = max((_centroid(ring) for ring in rings), key=lambda found: found[2])
    return x, y


def _centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """(x, y, |area|) of a closed ring, by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = [point[0] for point in ring], [point[1] for point in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area / 2)
