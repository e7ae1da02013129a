"""The briefing as Markdown, as a standalone HTML page with its charts, and as PDF.

Charts are the dashboards' charts (medtour.stats.charts, Vega-Lite rendered to SVG on the
server) drawn from the same PivotResults as the facts, relabelled in the briefing's language.
The standalone HTML inlines its style sheet and its SVG, so it opens offline with no external
asset; the PDF is WeasyPrint's rendering of that page (fonts: docs/briefing.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from medtour.stats import charts
from medtour.stats.briefing_prose import Briefing, names_of
from medtour.stats.query import Member, PivotResult

STYLE_SHEET = Path(__file__).parent / "static" / "stats" / "briefing.css"
TOP_DISTRICTS_DRAWN = 10
TOP_SHARES_DRAWN = 8


def relabel(result: PivotResult, dimension: str, language: str) -> PivotResult:
    """RESULT with its row members named in LANGUAGE from the reference data."""
    names = names_of(dimension, [member.codes[0] for member in result.rows], language)
    rows = [Member(member.codes, names[member.codes[0]]) for member in result.rows]
    return dataclasses.replace(result, rows=rows)


def _charts(briefing: Briefing) -> dict[str, Any]:
    """Section key -> chart, for the sections that have figures behind them."""
    results = briefing.facts.results
    language = briefing.language
    found: dict[str, Any] = {}
    if "year" in results and results["year"].rows:
        found["summary"] = charts.bar_chart(
            results["year"],
            title=_("Foreign patients by year"),
            value_title=_("unique patients"),
            vertical=True,
        )
    if "district" in results and results["district"].rows:
        found["districts"] = charts.bar_chart(
            relabel(results["district"], "district", language),
            title=_("Foreign patients by district"),
            value_title=_("unique patients"),
            limit=TOP_DISTRICTS_DRAWN,
        )
    if "nationality" in results and results["nationality"].rows:
        found["nationalities"] = charts.share_chart(
            relabel(results["nationality"], "nationality", language),
            title=_("Patients by nationality, share of the total (%)"),
            top=TOP_SHARES_DRAWN,
        )
    if "department" in results and results["department"].rows:
        found["departments"] = charts.share_chart(
            relabel(results["department"], "department", language),
            title=_("Patients by department, share of the total (%)"),
            top=TOP_SHARES_DRAWN,
        )
    return found


def with_charts(briefing: Briefing) -> Briefing:
    """BRIEFING with each section's chart as inline SVG (`section.chart`)."""
    with translation.override(briefing.language):
        drawn = {key: charts.to_svg(chart) for key, chart in _charts(briefing).items()}
    for section in briefing.sections:
        svg = drawn.get(section.key)
        section.chart = mark_safe(svg) if svg else ""  # vl-convert's own SVG
    return briefing


def to_markdown(briefing: Briefing) -> str:
    lines = [f"# {briefing.title}", ""]
    for section in briefing.sections:
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
    return "\n".join(lines)


def body_html(briefing: Briefing) -> SafeString:
    """The briefing's article (headings, prose, charts), for the console page."""
    with translation.override(briefing.language):
        return mark_safe(  # the template engine escaped the text
            render_to_string("stats/briefing/_body.html", {"briefing": briefing})
        )


def to_html(briefing: Briefing) -> str:
    """A standalone page: the style sheet and the charts inline, nothing fetched."""
    with translation.override(briefing.language):
        return render_to_string(
            "stats/briefing/document.html",
            {"briefing": briefing, "css": mark_safe(STYLE_SHEET.read_text(encoding="utf-8"))},
        )


def to_pdf(briefing: Briefing) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=to_html(briefing)).write_pdf())
