"""The outgoing mail queue for administrators: what was sent, what waits, what failed, and why."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from medtour.console.access import staff_required
from medtour.notifications import scope, services
from medtour.notifications.models import MailStatus

PAGE_SIZE = 50


class MailFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("status"),
        required=False,
        choices=[("", gettext_lazy("all")), *MailStatus.choices],
    )


@staff_required(scope.can_manage_mail)
def mail_list(request: HttpRequest) -> HttpResponse:
    form = MailFilterForm(request.GET or None)
    mails = scope.visible_mails(request.user).prefetch_related("attachments")
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        mails = mails.filter(status=form.cleaned_data["status"])
    elif form.is_bound and not form.is_valid():
        mails = mails.none()
    totals = dict.fromkeys(MailStatus.values, 0)
    totals.update(
        scope.visible_mails(request.user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/notifications/mail_list.html",
        {
            "form": form,
            "page": page,
            "totals": [(MailStatus(s).label, n) for s, n in totals.items()],
            "max_attempts": services.max_attempts(),
        },
    )


@require_POST
@staff_required(scope.can_manage_mail)
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(scope.visible_mails(request.user), pk=pk)
    if mail.status in (MailStatus.QUEUED, MailStatus.FAILED):
        services.mail_retry(actor=request.user, mail=mail, request=request)
        messages.success(request, _("Mail %(number)s will be sent again now.") % {"number": pk})
    else:
        messages.info(request, _("Mail %(number)s is not waiting to be sent.") % {"number": pk})
    return redirect("console:mail-list")
