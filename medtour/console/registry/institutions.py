"""Console screens for institutions: list, detail with history, register, edit, (de)activate."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from medtour.console.registry.filters import InstitutionFilterForm
from medtour.institutions import selectors, services
from medtour.institutions.forms import InstitutionForm, InstitutionProfileForm
from medtour.institutions.selectors import RegistryFilters

PAGE_SIZE = 50


def localized_rows(values: Mapping[str, str] | None) -> list[tuple[str, str, str]]:
    """(language name, code, text) for each language that has text, in the site's order."""
    values = values or {}
    return [(name, code, values[code]) for code, name in settings.LANGUAGES if values.get(code)]


@staff_required()
def institution_list(request: HttpRequest) -> HttpResponse:
    filters = RegistryFilters.from_query(request.GET)
    institutions = selectors.institution_list(request.user, filters)
    page = Paginator(institutions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": InstitutionFilterForm(data=filters.__dict__),
        "page": page,
        "export_query": request.GET.urlencode(),
        "can_register": scope.can_register_institution(request.user),
    }
    template = "console/registry/institution_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@staff_required()
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.institution_detail(request.user, pk)
    context = {
        "institution": institution,
        "names": localized_rows(institution.names),
        "addresses": localized_rows(institution.address),
        "profiles": localized_rows(institution.profile),
        "history": describe(history_for(institution)),
        "can_edit": scope.can_edit_institution(request.user, institution),
        "can_edit_profile": scope.can_edit_institution_profile(request.user, institution),
    }
    return render(request, "console/registry/institution_detail.html", context)


@staff_required(scope.can_register_institution)
@require_http_methods(["GET", "POST"])
def institution_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            institution = services.register_institution(
                actor=user, data=request.POST, request=request
            )
        except services.InvalidInput as invalid:
            form = invalid.form
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": institution.name})
            return redirect("console:institution-detail", pk=institution.pk)
    else:
        district = getattr(user, "district", None)
        form = InstitutionForm(actor=user, initial={"district": getattr(district, "code", "")})
    context = {"form": form, "title": _("Register an institution")}
    return render(request, "console/registry/institution_form.html", context)


@staff_required()
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    institution = selectors.institution_detail(user, pk)
    title = _("Edit %(name)s") % {"name": institution.name}
    full = scope.can_edit_institution(user, institution)
    if not full and not scope.can_edit_institution_profile(user, institution):
        raise PermissionDenied
    form_class = InstitutionForm if full else InstitutionProfileForm
    if request.method == "POST":
        try:
            if full:
                services.update_institution(
                    actor=user, institution=institution, data=request.POST, request=request
                )
            else:
                services.update_institution_profile(
                    actor=user, institution=institution, data=request.POST, request=request
                )
        except services.InvalidInput as invalid:
            form = invalid.form
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("console:institution-detail", pk=pk)
    else:
        form = form_class(instance=institution, actor=user)
    context = {
        "form": form,
        "title": title,
        "institution": institution,
        "profile_only": not full,
    }
    return render(request, "console/registry/institution_form.html", context)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    institution = selectors.institution_detail(request.user, pk)
    if not scope.can_edit_institution(request.user, institution):
        raise PermissionDenied
    if request.method == "POST":
        if active:
            services.reactivate_institution(
                actor=request.user, institution=institution, request=request
            )
            messages.success(request, _("%(name)s is active again.") % {"name": institution.name})
        else:
            services.deactivate_institution(
                actor=request.user, institution=institution, request=request
            )
            messages.success(request, _("%(name)s is deactivated.") % {"name": institution.name})
        return redirect("console:institution-detail", pk=pk)
    context = {
        "record": institution,
        "activate": active,
        "cancel_url": reverse("console:institution-detail", kwargs={"pk": pk}),
    }
    return render(request, "console/registry/confirm_active.html", context)


@staff_required()
@require_http_methods(["GET", "POST"])
def institution_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@staff_required()
@require_http_methods(["GET", "POST"])
def institution_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)
