from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medtour.accounts.scope import visible_facilitators, visible_institutions
from medtour.console.access import staff_required
from medtour.institutions.models import RegistrationStatus


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    institutions = visible_institutions(request.user)
    summary = institutions.aggregate(
        total=Count("pk"),
        registered=Count(
            "pk", filter=Q(registration_status=RegistrationStatus.REGISTERED, is_active=True)
        ),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    context = {
        "summary": summary,
        "facilitator_count": visible_facilitators(request.user).count(),
    }
    return render(request, "console/home.html", context)
