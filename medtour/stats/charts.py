"""Charts of statistics: Vega-Lite specs built with Altair from a `PivotResult`, rendered on the
server by vl-convert (docs/dashboards.md).

The API is small and stable; the dashboards and the briefing both use it:

- builders return an `alt.Chart` (or layer) with a title and a text description:
  `bar_chart(result, title=...)` (one bar per row; horizontal for rankings, vertical for years),
  `line_chart(result, title=...)` (rows are periods on the x axis, columns are the series),
  `share_chart(result, title=..., top=8)` (the top rows and "others" as shares of the total),
  `choropleth(result, areas, title=...)` (one shape per area, coloured by value),
  `scatter_chart(points, title=..., x_title=..., y_title=...)` (labelled points);
- `to_svg(chart)` gives an SVG string that can be inlined in a page under a strict Content
  Security Policy (no script, no `style` attribute), with a `<title>` hover text on every mark;
  `to_png(chart)` gives PNG bytes;
- derived figures: `values_chart(rows, title=...)` (bars of (label, value) in order) and
  `grouped_bar_chart(rows, title=...)` (bars of (group, series, value) side by side);
- `chart_values(result)` gives the (row, column, value, source) records a chart draws, so tests
  and tables can check a chart against its PivotResult.

Labels come from the PivotResult (already in the active language); axis titles and hover texts
are passed in or built with gettext; numbers are grouped as the `|number` filter groups them.
Cells that an aggregate return filled (`result.sources`) are drawn lighter and say so on hover.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from medtour.stats.query import PivotResult

WIDTH = 560
BAR_STEP = 18
INK = "#1b2430"
MUTED = "#8a94a6"
AGGREGATE = "aggregate"
# Vega writes English role descriptions ("bar", "rect mark container") into the SVG: we drop
# them so that a page in Kazakh carries no English text; each mark keeps its own aria-label.
_ROLE_DESCRIPTION = re.compile(r'\saria-roledescription="[^"]*"')
_LABELLED_MARK = re.compile(r'<(path|circle|rect)([^>]*?aria-label="([^"]*)"[^>]*?)/>')


@dataclass(frozen=True)
class Value:
    """One drawn figure: codes and labels of its row and column, the value and its source."""

    row: tuple[str, ...]
    row_label: str
    col: tuple[str, ...]
    col_label: str
    value: int | None
    source: str  # "records", "aggregate" or "estimate"


def chart_values(result: PivotResult) -> list[Value]:
    """Every figure of RESULT a chart may draw: the cells, or for a query with rows only (or
    columns only) the row (or column) totals, which are then the figures themselves."""
    sources = result.sources
    if not result.query.cols:
        return [
            Value(member.codes, member.label, (), "", result.row_totals[r], _row_source(sources, r))
            for r, member in enumerate(result.rows)
        ]
    if not result.query.rows:
        return [
            Value((), "", member.codes, member.label, result.col_totals[c], _col_source(sources, c))
            for c, member in enumerate(result.cols)
        ]
    return [
        Value(
            row.codes,
            row.label,
            col.codes,
            col.label,
            result.cells[r][c],
            sources.get((r, c), "records"),
        )
        for r, row in enumerate(result.rows)
        for c, col in enumerate(result.cols)
    ]


def _row_source(sources: Mapping[tuple[int, int], str], row: int) -> str:
    found = {source for (r, _c), source in sources.items() if r == row}
    return AGGREGATE if AGGREGATE in found else (found.pop() if found else "records")


def _col_source(sources: Mapping[tuple[int, int], str], col: int) -> str:
    found = {source for (_r, c), source in sources.items() if c == col}
    return AGGREGATE if AGGREGATE in found else (found.pop() if found else "records")


def format_number(value: float | int | None, *, percent: bool = False) -> str:
    """A number as the `|number` filter writes it in the active language ("12.5 %" for shares)."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    locale = _locale()
    if percent:
        return format_decimal(round(value, 1), format="#,##0.0", locale=locale) + " %"
    return format_decimal(value, locale=locale)


def _hover(label: str, value: int | float | None, source: str, *, percent: bool = False) -> str:
    text = f"{label}: {format_number(value, percent=percent)}"
    if source == AGGREGATE:
        return _("%(figure)s (aggregate return)") % {"figure": text}
    return text


# Builders ----------------------------------------------------------------------------------


def bar_chart(
    result: PivotResult,
    *,
    title: str,
    value_title: str = "",
    vertical: bool = False,
    limit: int | None = None,
) -> alt.Chart:
    """One bar per row of RESULT (its row totals when it has no columns), largest first unless
    VERTICAL (then in the rows' order, e.g. years). LIMIT keeps the first rows only."""
    values = [value for value in chart_values(result) if value.value is not None]
    if not vertical:
        values.sort(key=lambda value: -(value.value or 0))
    values = values[:limit] if limit else values
    data = [
        {
            "label": value.row_label or value.col_label,
            "value": value.value,
            "order": position,
            "aggregate": value.source == AGGREGATE,
            "tip": _hover(value.row_label or value.col_label, value.value, value.source),
        }
        for position, value in enumerate(values)
    ]
    category = alt.Sort(field="order", order="ascending")
    measure = alt.X if not vertical else alt.Y
    axis = alt.Y if not vertical else alt.X
    encoding = {
        ("y" if not vertical else "x"): axis("label:N", sort=category, title=None),
        ("x" if not vertical else "y"): measure(
            "value:Q", title=value_title or None, axis=alt.Axis(format=",d")
        ),
    }
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color="#2f6db5")
        .encode(
            **encoding,
            opacity=alt.condition("datum.aggregate", alt.value(0.45), alt.value(1.0)),
            description="tip:N",
        )
    )
    size = {"width": WIDTH} if not vertical else {"width": WIDTH, "height": 240}
    if not vertical:
        size["height"] = max(BAR_STEP * len(data), BAR_STEP)
    return _titled(chart.properties(**size), title, data)


def line_chart(
    result: PivotResult, *, title: str, value_title: str = "", percent: bool = False
) -> alt.Chart:
    """Rows of RESULT are periods (x axis, in order); each column is a line. Without columns,
    one line of the row totals. PERCENT: the values are percentages (e.g. shares)."""
    values = [value for value in chart_values(result) if value.value is not None]
    data = [
        {
            "period": value.row_label,
            "order": _period_order(result, value.row),
            "series": value.col_label or title,
            "value": value.value,
            "tip": _hover(
                " · ".join(part for part in (value.col_label, value.row_label) if part),
                value.value,
                value.source,
                percent=percent,
            ),
        }
        for value in values
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_line(point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X("period:O", sort=alt.Sort(field="order", order="ascending"), title=None),
            y=alt.Y(
                "value:Q",
                title=value_title or None,
                axis=alt.Axis(format=",.1f" if percent else ",d"),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="bottom", columns=4) if result.query.cols else None,
            ),
            description="tip:N",
        )
        .properties(width=WIDTH, height=260)
    )
    return _titled(chart, title, data)


def _period_order(result: PivotResult, codes: tuple[str, ...]) -> int:
    for position, member in enumerate(result.rows):
        if member.codes == codes:
            return position
    return 0


def share_chart(
    result: PivotResult, *, title: str, top: int = 8, others_label: str | None = None
) -> alt.Chart:
    """The TOP rows of RESULT by value and "others" (the rest of the rows together), as shares
    of RESULT's total, as horizontal bars with percentages."""
    rows = share_rows(result, top=top, others_label=others_label)
    data = [
        {
            "label": label,
            "share": share,
            "order": position,
            "tip": _hover(label, share, "records", percent=True),
        }
        for position, (label, _value, share) in enumerate(rows)
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color="#2f6db5")
        .encode(
            y=alt.Y("label:N", sort=alt.Sort(field="order", order="ascending"), title=None),
            x=alt.X("share:Q", title="%", axis=alt.Axis(format=",.0f")),
            description="tip:N",
        )
        .properties(width=WIDTH, height=max(BAR_STEP * len(data), BAR_STEP))
    )
    return _titled(chart, title, data)


def share_rows(
    result: PivotResult, *, top: int = 8, others_label: str | None = None
) -> list[tuple[str, int, float]]:
    """(label, value, percent of the total) for the TOP rows, then one row for the others: the
    sum of the remaining rows (each person has one value of a dimension such as nationality, so
    this sum is the others' count; the total itself is the real total, never summed)."""
    values = sorted(
        (value for value in chart_values(result) if value.value),
        key=lambda value: -(value.value or 0),
    )
    total = result.total or 0
    if not total:
        return []
    shown = [(value.row_label, value.value or 0) for value in values[:top]]
    rest = sum(value.value or 0 for value in values[top:])
    if rest:
        shown.append((others_label or _("others"), rest))
    return [(label, value, 100.0 * value / total) for label, value in shown]


def values_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    value_title: str = "",
    percent: bool = False,
) -> alt.Chart:
    """Vertical bars of derived figures (label, value) in the given order, e.g. a share by year."""
    data = [
        {
            "label": label,
            "value": value,
            "order": position,
            "tip": _hover(label, value, "records", percent=percent),
        }
        for position, (label, value) in enumerate(rows)
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color="#2f6db5")
        .encode(
            x=alt.X("label:N", sort=alt.Sort(field="order", order="ascending"), title=None),
            y=alt.Y(
                "value:Q",
                title=value_title or None,
                axis=alt.Axis(format=",.0f" if percent else ",d"),
            ),
            description="tip:N",
        )
        .properties(width=WIDTH, height=240)
    )
    return _titled(chart, title, data)


def grouped_bar_chart(
    rows: Sequence[tuple[str, str, float]], *, title: str, value_title: str = ""
) -> alt.Chart:
    """Bars side by side: (group, series, value), e.g. published and recorded per year."""
    data = [
        {
            "group": group,
            "series": series,
            "value": value,
            "tip": _hover(f"{group} · {series}", value, "records"),
        }
        for group, series, value in rows
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            x=alt.X("group:N", title=None),
            xOffset=alt.XOffset("series:N"),
            y=alt.Y("value:Q", title=value_title or None, axis=alt.Axis(format=",d")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(range=["#8a94a6", "#2f6db5"]),
                legend=alt.Legend(orient="bottom"),
            ),
            description="tip:N",
        )
        .properties(width=WIDTH, height=240)
    )
    return _titled(chart, title, data)


def choropleth(
    result: PivotResult,
    areas: Sequence[tuple[str, str, Mapping[str, Any] | None]],
    *,
    title: str,
    value_title: str = "",
) -> alt.LayerChart:
    """One shape per area (code, localized name, GeoJSON geometry with clockwise rings, as
    stored in District.boundary), coloured by RESULT's value for that code (rows are areas);
    areas without a figure are drawn as 0."""
    by_code = {value.row[0]: value for value in chart_values(result) if value.row}
    top = max([value.value or 0 for value in by_code.values()] or [0]) or 1
    features = []
    for code, name, geometry in areas:
        if not geometry:
            continue
        found = by_code.get(code)
        count = found.value if found and found.value is not None else 0
        source = found.source if found else "records"
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"value": count, "name": name, "tip": _hover(name, count, source)},
            }
        )
    shapes = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1.2)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=value_title or None,
                scale=alt.Scale(type="symlog", scheme="blues", domain=[0, top]),
                legend=alt.Legend(format=",d", orient="top-left", gradientLength=160),
            ),
            description="properties.tip:N",
        )
    )
    chart = alt.layer(shapes).project(type="mercator").properties(width=WIDTH, height=440)
    return _titled(chart, title, features)


def scatter_chart(
    points: Sequence[Mapping[str, Any]],
    *,
    title: str,
    x_title: str,
    y_title: str,
    percent: bool = True,
) -> alt.LayerChart:
    """Labelled points: each of POINTS has `label`, `x` and `y` (percentages when PERCENT), with
    the diagonal y = x drawn as a reference (where a share of one equals the share of the other)."""
    data = [
        {
            "label": point["label"],
            "x": point["x"],
            "y": point["y"],
            "tip": f"{point['label']}: {x_title} {format_number(point['x'], percent=percent)}, "
            f"{y_title} {format_number(point['y'], percent=percent)}",
        }
        for point in points
    ]
    top = max([max(point["x"], point["y"]) for point in data] or [1]) or 1
    base = alt.Chart(alt.Data(values=data))
    dots = base.mark_circle(size=70, color="#2f6db5").encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=[0, top])),
        y=alt.Y("y:Q", title=y_title, scale=alt.Scale(domain=[0, top])),
        description="tip:N",
    )
    labels = base.mark_text(align="left", dx=6, fontSize=10, color=INK, aria=False).encode(
        x="x:Q", y="y:Q", text="label:N"
    )
    diagonal = (
        alt.Chart(alt.Data(values=[{"x": 0, "y": 0}, {"x": top, "y": top}]))
        .mark_line(color=MUTED, strokeDash=[4, 4], aria=False)
        .encode(x="x:Q", y="y:Q")
    )
    chart = alt.layer(diagonal, dots, labels).properties(width=WIDTH, height=WIDTH * 0.7)
    return _titled(chart, title, data)


def _titled(chart: Any, title: str, data: Sequence[Any]) -> Any:
    """Title the chart; its description (read out for the whole SVG) is the title and the
    number of figures drawn."""
    return chart.properties(title=title, description=title)


# Rendering ---------------------------------------------------------------------------------


def spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec, with the house style (no English accessibility texts on axes)."""
    configured = chart.configure_view(stroke=None).configure_axis(
        aria=False, labelColor=INK, titleColor=INK, gridColor="#e3e7ee"
    )
    configured = configured.configure_legend(aria=False).configure_title(
        aria=False, anchor="start", color=INK, fontSize=14
    )
    return dict(configured.to_dict())


def to_svg(chart: Any) -> str:
    """SVG text to inline in a page: no script, no style attribute, a hover `<title>` on each
    mark, no English role descriptions, and the chart's title as the group's accessible name."""
    chart_spec = spec(chart)
    svg = vl_convert.vegalite_to_svg(chart_spec, format_locale=d3_locale())
    svg = _ROLE_DESCRIPTION.sub("", svg)
    svg = _LABELLED_MARK.sub(r"<\1\2><title>\3</title></\1>", svg)
    name = html.escape(str(chart_spec.get("description") or ""))
    return svg.replace("<svg ", f'<svg role="group" aria-label="{name}" ', 1)


def to_png(chart: Any, *, scale: float = 2.0) -> bytes:
    """PNG bytes (SCALE times the SVG's size, for sharp text on screens and in slides)."""
    return bytes(vl_convert.vegalite_to_png(spec(chart), scale=scale, format_locale=d3_locale()))


def d3_locale(language: str | None = None) -> dict[str, Any]:
    """d3-format's locale from Babel, so axes group digits like the `|number` filter."""
    locale = to_locale(language or get_language() or "ko")
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": [3],
        "currency": ["", ""],
    }


def _locale() -> str:
    return to_locale(get_language() or "ko").replace("zh_Hans", "zh_Hans_CN")
