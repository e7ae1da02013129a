"""Console screens for facilitators (registered attraction agencies)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medtour.accounts import scope
from medtour.audit.presentation import describe
from medtour.audit.services import history_for
from medtour.console.access import staff_required
from medtour.console.registry.filters import RegistryFilterForm
from medtour.console.registry.institutions import localized_rows
from medtour.institutions import selectors, services
from medtour.institutions.forms import FacilitatorForm
from medtour.institutions.selectors import RegistryFilters

PAGE_SIZE = 50


@staff_required(scope.can_view_facilitators)
def facilitator_list(request: HttpRequest) -> HttpResponse:
    filters = RegistryFilters.from_query(request.GET)
    facilitators = selectors.facilitator_list(request.user, filters)
    context = {
        "filter_form": RegistryFilterForm(data=filters.__dict__),
        "page": Paginator(facilitators, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_manage": scope.can_manage_facilitators(request.user),
    }
    template = "console/registry/facilitator_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@staff_required(scope.can_view_facilitators)
def facilitator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facilitator = selectors.facilitator_detail(request.user, pk)
    context = {
        "facilitator": facilitator,
        "names": localized_rows(facilitator.names),
        "history": describe(history_for(facilitator)),
        "can_manage": scope.can_manage_facilitators(request.user),
    }
    return render(request, "console/registry/facilitator_detail.html", context)


@staff_required(scope.can_manage_facilitators)
@require_http_methods(["GET", "POST"])
def facilitator_register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            facilitator = services.register_facilitator(
                actor=request.user, data=request.POST, request=request
            )
        except services.InvalidInput as invalid:
            form = invalid.form
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": facilitator.name})
            return redirect("console:facilitator-detail", pk=facilitator.pk)
    else:
        form = FacilitatorForm(actor=request.user)
    context = {"form": form, "title": _("Register a facilitator")}
    return render(request, "console/registry/facilitator_form.html", context)


@staff_required(scope.can_manage_facilitators)
@require_http_methods(["GET", "POST"])
def facilitator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facilitator = selectors.facilitator_detail(request.user, pk)
    title = _("Edit %(name)s") % {"name": facilitator.name}
    if request.method == "POST":
        try:
            services.update_facilitator(
                actor=request.user, facilitator=facilitator, data=request.POST, request=request
            )
        except services.InvalidInput as invalid:
            form = invalid.form
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("console:facilitator-detail", pk=pk)
    else:
        form = FacilitatorForm(instance=facilitator, actor=request.user)
    context = {"form": form, "title": title, "facilitator": facilitator}
    return render(request, "console/registry/facilitator_form.html", context)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    facilitator = selectors.facilitator_detail(request.user, pk)
    if request.method == "POST":
        if active:
            services.reactivate_facilitator(
                actor=request.user, facilitator=facilitator, request=request
            )
            messages.success(request, _("%(name)s is active again.") % {"name": facilitator.name})
        else:
            services.deactivate_facilitator(
                actor=request.user, facilitator=facilitator, request=request
            )
            messages.success(request, _("%(name)s is deactivated.") % {"name": facilitator.name})
        return redirect("console:facilitator-detail", pk=pk)
    context = {
        "record": facilitator,
        "activate": active,
        "cancel_url": reverse("console:facilitator-detail", kwargs={"pk": pk}),
    }
    return render(request, "console/registry/confirm_active.html", context)


@staff_required(scope.can_manage_facilitators)
@require_http_methods(["GET", "POST"])
def facilitator_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@staff_required(scope.can_manage_facilitators)
@require_http_methods(["GET", "POST"])
def facilitator_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)
