"""People screens: user accounts, the audit log and one's own account. Rules live in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medtour.accounts import scope, selectors, services
from medtour.accounts.models import User
from medtour.audit import selectors as audit_selectors
from medtour.audit.presentation import describe
from medtour.audit.selectors import target_type_label
from medtour.console.access import staff_required
from medtour.console.people.forms import (
    AuditFilterForm,
    StaffUserCreateForm,
    UserEditForm,
    UserFilterForm,
)

PAGE_SIZE = 50
HISTORY_SIZE = 20


def _messages_for(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@staff_required(scope.can_manage_users)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    users = (
        selectors.user_list(request.user, **filters) if filters is not None else User.objects.none()
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/people/user_list.html", {"form": form, "page": page})


@staff_required(scope.can_manage_users)
def user_create(request: HttpRequest) -> HttpResponse:
    form = StaffUserCreateForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_staff_user(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(
                request,
                _("Account created for %(email)s. An invitation to set a password was sent.")
                % {"email": user.email},
            )
            return redirect("console:user-edit", pk=user.pk)
    return render(request, "console/people/user_create.html", {"form": form})


@staff_required(scope.can_manage_users)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(scope.visible_users(request.user), pk=pk)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "role": person.role,
        "district": person.district,
        "institution": person.institution,
    }
    form = UserEditForm(request.POST or None, initial=initial, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(
                actor=request.user, user=person, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Changes to %(email)s saved.") % {"email": person.email})
            return redirect("console:user-edit", pk=person.pk)
    history = audit_selectors.audit_log(
        request.user, target_type=User._meta.label_lower, target_id=str(person.pk)
    )[:HISTORY_SIZE]
    context = {
        "person": person,
        "form": form,
        "has_totp": selectors.has_totp(person),
        "history": describe(history),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "console/people/user_edit.html", context)


@staff_required(scope.can_manage_users)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(scope.visible_users(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.deactivate_user(actor=request.user, user=person, request=request)
        except ValidationError as error:
            for message in _messages_for(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(email)s is deactivated and can no longer sign in.") % {"email": person.email},
            )
        return redirect("console:user-edit", pk=person.pk)
    return render(request, "console/people/user_deactivate.html", {"person": person})


@require_POST
@staff_required(scope.can_manage_users)
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(scope.visible_users(request.user), pk=pk)
    services.reactivate_user(actor=request.user, user=person, request=request)
    messages.success(request, _("%(email)s can sign in again.") % {"email": person.email})
    return redirect("console:user-edit", pk=person.pk)


@require_POST
@staff_required(scope.can_manage_users)
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(scope.visible_users(request.user), pk=pk)
    try:
        services.invite_user(actor=request.user, user=person, request=request)
    except ValidationError as error:
        for message in _messages_for(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("An e-mail to set a password was sent to %(email)s.") % {"email": person.email},
        )
    return redirect("console:user-edit", pk=person.pk)


@require_POST
@staff_required(scope.can_manage_users)
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(scope.visible_users(request.user), pk=pk)
    if services.reset_second_factor(actor=request.user, user=person, request=request):
        messages.success(
            request,
            _(
                "The authenticator app of %(email)s was removed. Roles that require "
                "two-factor authentication set up a new one at their next sign-in."
            )
            % {"email": person.email},
        )
    return redirect("console:user-edit", pk=person.pk)


@staff_required(scope.can_manage_users)
def institution_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the institution field's datalist, fetched by HTMX as the user types."""
    institutions = selectors.institution_suggestions(
        request.user, request.GET.get("institution", "")
    )
    return render(
        request, "console/people/institution_options.html", {"institutions": institutions}
    )


@staff_required(scope.can_view_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    target_types = audit_selectors.target_type_choices(request.user)
    requested_type = request.GET.get("target_type", "")
    if requested_type and requested_type not in dict(target_types):
        # A link to the history of an object type with no events yet is still a valid filter.
        label = target_type_label(requested_type)
        if label != requested_type:
            target_types.append((requested_type, label))
    form = AuditFilterForm(request.GET or None, target_types=target_types)
    filters = form.filters() if form.is_bound else {}
    events = (
        audit_selectors.audit_log(request.user, **filters)
        if filters is not None
        else audit_selectors.audit_log(request.user).none()
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "events": describe(page.object_list)}
    return render(request, "console/people/audit_log.html", context)


@staff_required()
def my_account(request: HttpRequest) -> HttpResponse:
    context = {
        "has_totp": selectors.has_totp(request.user),
        "sign_ins": describe(selectors.recent_sign_ins(request.user)),
    }
    return render(request, "console/people/my_account.html", context)
