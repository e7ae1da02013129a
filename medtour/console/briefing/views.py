"""The briefing page: choose year, area and language; read the prose; download md/html/pdf."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medtour.console.access import staff_required
from medtour.console.briefing.forms import BriefingForm, DownloadForm
from medtour.stats import briefing as briefings
from medtour.stats.briefing_render import body_html
from medtour.stats.query import PivotQuery, pivot


def _years(user: Any) -> list[int]:
    """The years with figures in USER's scope, latest first."""
    result = pivot(PivotQuery(rows=("year",)), user=user)
    return sorted((int(member.codes[0]) for member in result.rows), reverse=True)


def _area_asked(request: HttpRequest) -> None:
    """An area outside the user's areas is refused outright, not offered as a form error."""
    area = request.GET.get("area")
    if area and not briefings.may_brief(request.user, area):
        raise PermissionDenied


@staff_required(briefings.can_view_briefing)
def briefing_page(request: HttpRequest) -> HttpResponse:
    _area_asked(request)
    form = BriefingForm(request.GET, user=request.user, years=_years(request.user))
    article, query = None, ""
    if form.is_valid():
        data = form.cleaned_data
        found = briefings.build_briefing(
            data["year"], data["area"], data["lang"], user=request.user
        )
        article = body_html(found)
        query = urlencode({key: data[key] for key in ("year", "area", "lang")})
    template = "console/briefing/page.html"
    if request.headers.get("HX-Request"):
        template += "#result"
    return render(request, template, {"form": form, "article": article, "query": query})


@staff_required(briefings.can_view_briefing)
def briefing_download(request: HttpRequest) -> HttpResponse:
    _area_asked(request)
    form = DownloadForm(request.GET, user=request.user, years=_years(request.user))
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    data = form.cleaned_data
    file_format = data["format"]
    found = briefings.build_briefing(
        data["year"], data["area"], data["lang"], user=request.user, charts=file_format != "md"
    )
    response = HttpResponse(
        briefings.render(found, file_format), content_type=briefings.FORMATS[file_format]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{briefings.filename(found, file_format)}"'
    )
    return response
