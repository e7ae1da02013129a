"""Targets and forecasts: the annual series with its forecast, the targets with progress,
scenarios, and the target edit screens (docs/targets-and-forecasts.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medtour.accounts.scope import (
    can_edit_area,
    can_edit_targets,
    can_view_area,
    can_view_areas,
    visible_areas,
)
from medtour.console.access import staff_required
from medtour.localization.text import localize
from medtour.reference.models import District
from medtour.targets import services
from medtour.targets.charts import annual_chart_svg
from medtour.targets.forecasting import MODEL_NAMES, SeriesError
from medtour.targets.forms import ScenarioForm, TargetForm
from medtour.targets.overview import area_overview
from medtour.targets.scenarios import apply_shock
from medtour.targets.selectors import visible_targets

CITY = "city"  # how the whole city travels in the query string


def _area_choices(user: Any) -> list[tuple[str, str]]:
    names = {district.code: localize(district.names).text for district in District.objects.all()}
    return [
        (CITY, _("the whole city")) if area is None else (area, names.get(area, area))
        for area in visible_areas(user)
    ]


def _chosen_area(request: HttpRequest) -> tuple[str | None, str]:
    """The area asked for (default: the first the user may see) and its name."""
    choices = _area_choices(request.user)
    if not choices:  # e.g. a district officer not yet given a district
        raise PermissionDenied
    wanted = request.GET.get("area") or choices[0][0]
    if wanted != CITY and not District.objects.filter(code=wanted).exists():
        raise Http404
    area = None if wanted == CITY else wanted
    if not can_view_area(request.user, area):
        raise PermissionDenied
    return area, dict(choices)[wanted]


@staff_required(can_view_areas)
def overview(request: HttpRequest) -> HttpResponse:
    area, area_name = _chosen_area(request)
    bridge = request.GET.get("bridge") == "1"
    found = area_overview(area, user=request.user, bridge=bridge)
    title = _("Unique foreign patients per year: %(area)s") % {"area": area_name}
    context = {
        "area": area or CITY,
        "area_name": area_name,
        "areas": _area_choices(request.user),
        "found": found,
        "chart": annual_chart_svg(found.series, found.forecast, found.targets, title),
        "model_names": MODEL_NAMES,
        "bridge": bridge,
        "can_edit": can_edit_area(request.user, area),
        "scenario_form": ScenarioForm(initial={"dimension": "nationality", "nationality": "CN"}),
    }
    return render(request, "console/targets/overview.html", context)


@staff_required(can_view_areas)
def scenario(request: HttpRequest) -> HttpResponse:
    area, area_name = _chosen_area(request)
    form = ScenarioForm(request.GET or None)
    result, error = None, ""
    if form.is_valid():
        try:
            result = apply_shock(
                area,
                dimension=form.cleaned_data["dimension"],
                code=form.cleaned_data["code"],
                percent=form.cleaned_data["percent"],
                start=form.cleaned_data["start"],
                months=form.cleaned_data["months"],
                user=request.user,
            )
        except SeriesError as problem:
            error = str(problem)
    context = {
        "area": area or CITY,
        "area_name": area_name,
        "scenario_form": form,
        "result": result,
        "error": error,
        "model_names": MODEL_NAMES,
    }
    template = "console/targets/scenario.html"
    if request.headers.get("HX-Request"):
        template += "#scenario-result"
    return render(request, template, context)


def _edit(request: HttpRequest, target: Any = None) -> HttpResponse:
    initial = {}
    if target is None and request.GET.get("area") not in (None, "", CITY):
        district = District.objects.filter(code=request.GET["area"]).first()
        initial = {"district": district.pk if district else None}
    form = TargetForm(instance=target, actor=request.user, initial=initial)
    if request.method == "POST":
        try:
            if target is None:
                target = services.target_create(actor=request.user, data=request.POST)
                messages.success(request, _("Target saved."))
            else:
                target = services.target_update(
                    actor=request.user, target=target, data=request.POST
                )
                messages.success(request, _("Target changed."))
            return redirect(f"{_overview_url(target.area)}")
        except services.InvalidTarget as invalid:
            form = invalid.form
    return render(request, "console/targets/target_form.html", {"form": form, "target": target})


def _overview_url(area: str | None) -> str:
    from django.urls import reverse

    return reverse("console:targets") + f"?area={area or CITY}"


@staff_required(can_edit_targets)
@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest) -> HttpResponse:
    return _edit(request)


@staff_required(can_edit_targets)
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(visible_targets(request.user), pk=pk)
    if not can_edit_area(request.user, target.area):
        raise PermissionDenied
    return _edit(request, target)


@staff_required(can_edit_targets)
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(visible_targets(request.user), pk=pk)
    if not can_edit_area(request.user, target.area):
        raise PermissionDenied
    if request.method == "POST":
        area = target.area
        services.target_delete(actor=request.user, target=target)
        messages.success(request, _("Target deleted."))
        return redirect(_overview_url(area))
    return render(request, "console/targets/target_delete.html", {"target": target})
