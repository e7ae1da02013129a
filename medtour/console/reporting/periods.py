"""Reporting periods, their deadlines, and who has not reported yet (with reminders)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medtour.accounts.scope import (
    can_manage_periods,
    can_send_reminders,
    can_view_submissions,
    can_watch_deadlines,
)
from medtour.console.access import staff_required
from medtour.console.reporting.forms import PeriodForm
from medtour.institutions.models import Institution, RegistrationStatus
from medtour.records import selectors, tasks
from medtour.records.models import ReportingPeriod
from medtour.records.services import reporting_period_open

PAGE_SIZE = 100


@staff_required(can_view_submissions)
@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None) if can_manage_periods(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            period, created = reporting_period_open(
                label=form.cleaned_data["label"], actor=request.user
            )
            if created:
                messages.success(
                    request,
                    _("Reporting period %(label)s created; deadline %(deadline)s.")
                    % {"label": period.label, "deadline": period.deadline.isoformat()},
                )
            else:
                messages.info(request, _("This reporting period exists already."))
            return redirect("console:period-list")
    visible = selectors.visible_submissions(request.user)
    periods = ReportingPeriod.objects.annotate(
        committed=Count(
            "submissions",
            filter=Q(submissions__in=visible, submissions__committed_at__isnull=False),
            distinct=True,
        )
    )
    context = {
        "periods": periods,
        "form": form,
        "today": timezone.localdate(),
        "can_watch": can_watch_deadlines(request.user),
    }
    return render(request, "console/reporting/period_list.html", context)


def _missing(request: HttpRequest, period: ReportingPeriod) -> QuerySet[Institution]:
    """Registered, active institutions in the user's scope with nothing committed for PERIOD."""
    return (
        selectors.institutions_without_submission(request.user, period)
        .filter(is_active=True, registration_status=RegistrationStatus.REGISTERED)
        .select_related("district")
        .order_by("district__code", "code")
    )


@staff_required(can_watch_deadlines)
def period_missing(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    missing = _missing(request, period)
    context = {
        "period": period,
        "page": Paginator(missing, PAGE_SIZE).get_page(request.GET.get("page")),
        "total": missing.count(),
        "overdue": period.deadline < timezone.localdate(),
        "can_remind": can_send_reminders(request.user),
    }
    return render(request, "console/reporting/period_missing.html", context)


@staff_required(can_send_reminders)
@require_POST
def period_remind(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    institution_ids = list(_missing(request, period).values_list("pk", flat=True))
    if not institution_ids:
        messages.info(request, _("Every institution in your scope has reported for this period."))
        return redirect("console:period-missing", pk=pk)
    tasks.send_reporting_reminders.enqueue(
        period_id=period.pk, institution_ids=institution_ids, actor_id=request.user.pk
    )
    messages.success(
        request,
        _("Reminders to %(count)s institutions are on their way.")
        % {"count": len(institution_ids)},
    )
    return redirect("console:period-missing", pk=pk)
