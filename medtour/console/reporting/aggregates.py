"""Aggregate returns in the console: the scoped list, one total's form, deletion, CSV import.

A total is kept where no records exist (a past year, a place) and is never added to the record
counts of the same cell. Every write is a service in medtour.records.services, which judges the
total with the one validator (medtour.records.aggregates) and audits the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medtour.accounts.scope import (
    can_view_aggregates,
    can_write_aggregate_cell,
    can_write_aggregates,
    visible_aggregate_returns,
)
from medtour.console.access import staff_required
from medtour.console.reporting.forms import (
    AggregateFilterForm,
    AggregateForm,
    AggregateImportForm,
)
from medtour.localization.templatetags.localized import number
from medtour.records import aggregates, services
from medtour.records.models import AggregateReturn
from medtour.reference.city import current_city

PAGE_SIZE = 50


def _city() -> str:
    return current_city().code


def _writable(request: HttpRequest, pk: int) -> AggregateReturn:
    """A total the user may see and change; others' totals do not exist for them (404)."""
    total = get_object_or_404(visible_aggregate_returns(request.user), pk=pk)
    if not can_write_aggregate_cell(request.user, total.district_id):
        raise Http404
    return total


@staff_required(can_view_aggregates)
def aggregate_list(request: HttpRequest) -> HttpResponse:
    city = _city()
    user: Any = request.user
    districts = aggregates.districts_of(user, city)
    filters = aggregates.AggregateFilters.from_query(request.GET)
    totals = aggregates.aggregate_return_list(user, filters)
    page = Paginator(totals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": AggregateFilterForm(
            data=request.GET, districts=districts, city_wide=aggregates.sees_whole_city(user)
        ),
        "page": page,
        "writable": {
            total.pk for total in page if can_write_aggregate_cell(user, total.district_id)
        },
        "can_write": can_write_aggregates(user),
    }
    template = "console/reporting/aggregate_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def _form(request: HttpRequest, data: Any = None, **kwargs: Any) -> AggregateForm:
    city = _city()
    return AggregateForm(
        data,
        districts=aggregates.districts_of(request.user, city),
        city_wide=can_write_aggregate_cell(request.user, None),
        **kwargs,
    )


def _save(request: HttpRequest, form: AggregateForm, total: AggregateReturn | None) -> bool:
    """Hand the form to the one service; its problems go onto the fields they concern."""
    try:
        services.aggregate_return_save(
            **form.cleaned_data,
            city=_city(),
            actor=request.user,
            aggregate=total,
            replace=False,
        )
    except services.AggregateInvalid as invalid:
        for problem in invalid.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return False
    return True


@staff_required(can_write_aggregates)
@require_http_methods(["GET", "POST"])
def aggregate_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        messages.success(request, _("The total is saved."))
        return redirect("console:aggregate-list")
    context = {"form": form, "title": _("New aggregate return")}
    return render(request, "console/reporting/aggregate_form.html", context)


@staff_required(can_write_aggregates)
@require_http_methods(["GET", "POST"])
def aggregate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    total = _writable(request, pk)
    form = _form(request, request.POST or None, initial=AggregateForm.initial_of(total))
    if request.method == "POST" and form.is_valid() and _save(request, form, total):
        messages.success(request, _("The changes are saved."))
        return redirect("console:aggregate-list")
    context = {"form": form, "title": _("Edit an aggregate return"), "total": total}
    return render(request, "console/reporting/aggregate_form.html", context)


@staff_required(can_write_aggregates)
@require_http_methods(["GET", "POST"])
def aggregate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    total = _writable(request, pk)
    if request.method == "POST":
        try:
            services.aggregate_return_delete(aggregate=total, actor=request.user)
        except services.SubmissionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The total is deleted."))
        return redirect("console:aggregate-list")
    return render(request, "console/reporting/aggregate_confirm_delete.html", {"total": total})


@staff_required(can_write_aggregates)
@require_http_methods(["GET", "POST"])
def aggregate_import(request: HttpRequest) -> HttpResponse:
    form = AggregateImportForm(request.POST or None, request.FILES or None)
    problems: list[aggregates.AggregateProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.aggregate_returns_import(
                content=form.cleaned_data["file"].read(), city=_city(), actor=request.user
            )
        except services.AggregateInvalid as invalid:
            problems = invalid.problems
        else:
            messages.success(
                request,
                _(
                    "The file is saved: %(created)s new totals, %(updated)s corrected, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": number(outcome.created),
                    "updated": number(outcome.updated),
                    "unchanged": number(outcome.unchanged),
                },
            )
            return redirect("console:aggregate-list")
    context = {"form": form, "problems": problems, "columns": aggregates.CSV_COLUMNS}
    return render(request, "console/reporting/aggregate_import.html", context)
