"""Statistics screens: the three dashboards, chart downloads and the table explorer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from medtour.accounts.scope import can_view_statistics
from medtour.console.access import staff_required
from medtour.console.statistics import areas
from medtour.console.statistics.explorer import ExplorerForm, filter_examples
from medtour.console.statistics.panels import Dashboard, Panel, explorer_url
from medtour.console.statistics.tables import FILE_FORMATS, file_bytes, pivot_table
from medtour.stats import charts
from medtour.stats.query import DIMENSIONS, MEASURES, PivotResult, QueryError, pivot

CHART_FORMATS = ("svg", "png")
CACHE_SECONDS = 24 * 3600


@staff_required(can_view_statistics)
def statistics_home(request: HttpRequest) -> HttpResponse:
    return redirect(areas.own_area_url(request.user))


@staff_required(can_view_statistics)
def city_dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, areas.city_area(request.user))


@staff_required(can_view_statistics)
def district_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    return _dashboard(request, areas.district_area(request.user, code))


@staff_required(can_view_statistics)
def institution_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    return _dashboard(request, areas.institution_area(request.user, code))


def _dashboard(request: HttpRequest, area: areas.Area) -> HttpResponse:
    board = Dashboard(request.user, area, request.GET.get("year"))
    panels = [_rendered(panel, board) for panel in board.panels()]
    context = {
        "area": area,
        "board": board,
        "panels": panels,
        "years": board.years,
        "year": board.year,
        "is_demo": board.is_demo,
        "pivot_count": board.pivot_count,
    }
    return render(request, "console/statistics/dashboard.html", context)


def _rendered(panel: Panel, board: Dashboard) -> dict[str, Any]:
    query = {"area": board.area.token, "year": board.year}
    return {
        "panel": panel,
        "svg": cached_svg(panel.chart),
        "table_url": explorer_url(panel.query) if panel.query else "",
        "downloads": {
            file_format: _chart_url(panel.key, file_format, query)
            for file_format in (*CHART_FORMATS, *FILE_FORMATS)
        },
    }


def _chart_url(key: str, file_format: str, query: dict[str, str]) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("console:statistics-chart", kwargs={"panel": key, "file_format": file_format})
    return f"{url}?{urlencode(query)}"


def cached_svg(chart: Any) -> SafeString:
    """The chart's SVG, kept for a day under a hash of its spec and the language (rendering
    takes a tenth of a second to a second; the same figures draw the same SVG)."""
    content = json.dumps(
        [get_language(), charts.spec(chart)], sort_keys=True, ensure_ascii=False, default=str
    )
    key = "statistics:chart:" + hashlib.sha256(content.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = charts.to_svg(chart)
        cache.set(key, svg, CACHE_SECONDS)
    # Vega escapes what it writes; to_svg escapes what it adds.
    return mark_safe(svg)


@staff_required(can_view_statistics)
def chart_download(request: HttpRequest, panel: str, file_format: str) -> HttpResponse:
    """One panel's chart as PNG or SVG, or its table as CSV or XLSX."""
    if file_format not in (*CHART_FORMATS, *FILE_FORMATS):
        raise Http404
    area = areas.area_from_token(request.user, request.GET.get("area", areas.CITY))
    board = Dashboard(request.user, area, request.GET.get("year"))
    built = board.panel(panel)
    if built is None:
        raise Http404
    name = f"{panel}-{area.code or 'city'}-{board.year}.{file_format}"
    if file_format == "svg":
        body: bytes = str(cached_svg(built.chart)).encode()
        content_type = "image/svg+xml"
    elif file_format == "png":
        body, content_type = charts.to_png(built.chart), "image/png"
    else:
        body, content_type = file_bytes(built.table, file_format, title=built.title)
    return _attachment(body, content_type, name)


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required(can_view_statistics)
@vary_on_headers("HX-Request")
def table_explorer(request: HttpRequest) -> HttpResponse:
    form = ExplorerForm(request.GET or None, filters=request.GET.getlist("filter"))
    result, error = _explore(request, form)
    context = {
        "form": form,
        "result": result,
        "table": pivot_table(result, row_title=_row_title(result)) if result else None,
        "error": error,
        "caption": MEASURES[result.query.measure] if result else "",
        "examples": filter_examples(),
        "downloads": _table_downloads(request) if result else {},
    }
    template = "console/statistics/explorer.html"
    if request.headers.get("HX-Request"):
        template += "#table"
    return render(request, template, context)


@staff_required(can_view_statistics)
def table_download(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FILE_FORMATS:
        raise Http404
    form = ExplorerForm(request.GET or None, filters=request.GET.getlist("filter"))
    result, error = _explore(request, form)
    if result is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    table = pivot_table(result, row_title=_row_title(result))
    body, content_type = file_bytes(table, file_format, title=_("table"))
    return _attachment(body, content_type, f"statistics.{file_format}")


def _explore(request: HttpRequest, form: ExplorerForm) -> tuple[PivotResult | None, str]:
    if not form.is_bound:
        return None, ""
    if not form.is_valid():
        return None, " ".join(str(message) for message in form.non_field_errors())
    try:
        return pivot(form.query(), user=request.user), ""
    except QueryError as error:
        return None, str(error)


def _row_title(result: PivotResult) -> str:
    if result.query.rows:
        return str(DIMENSIONS[result.query.rows[0]])
    return ""


def _table_downloads(request: HttpRequest) -> dict[str, str]:
    from django.urls import reverse

    query = request.GET.urlencode()
    return {
        file_format: reverse(
            "console:statistics-table-download", kwargs={"file_format": file_format}
        )
        + f"?{query}"
        for file_format in FILE_FORMATS
    }
