"""Bulk import (upload → preview → commit) and export of institutions in the console."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from medtour.accounts import scope
from medtour.console.access import staff_required
from medtour.institutions import selectors, tasks
from medtour.institutions.columns import COLUMNS
from medtour.institutions.exporting import (
    CONTENT_TYPES,
    CSV_BOM,
    FORMATS,
    csv_lines,
    export_text,
    for_export,
)
from medtour.institutions.importing import request_commit, stage_upload
from medtour.institutions.models import ImportStatus, InstitutionImport
from medtour.institutions.selectors import RegistryFilters

PROBLEMS_SHOWN = 1000
RECENT_UPLOADS = 5


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8 or CP949), XLSX or JSON, in the export's columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_LIMIT_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than %(limit)s MB."),
                params={"limit": settings.UPLOAD_LIMIT_BYTES // (1024 * 1024)},
            )
        return upload


def _uploads_of(request: HttpRequest) -> QuerySet[InstitutionImport]:
    return InstitutionImport.objects.filter(uploaded_by=request.user.pk)


@staff_required(scope.can_register_institution)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = stage_upload(actor=request.user, file_name=file.name, content=file.read())
        if upload.status == ImportStatus.CHECKING:
            tasks.check_upload.enqueue(str(upload.pk))
        return redirect("console:institution-import-preview", pk=upload.pk)
    context = {
        "form": form,
        "columns": COLUMNS,
        "recent": _uploads_of(request).defer("rows")[:RECENT_UPLOADS],
    }
    return render(request, "console/registry/import_upload.html", context)


@staff_required(scope.can_register_institution)
def import_preview(request: HttpRequest, pk: str) -> HttpResponse:
    upload = get_object_or_404(_uploads_of(request).defer("rows"), pk=pk)
    context = {
        "upload": upload,
        "problems": upload.problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(upload.problems) - PROBLEMS_SHOWN),
    }
    return render(request, "console/registry/import_preview.html", context)


@staff_required(scope.can_register_institution)
@require_POST
def import_commit(request: HttpRequest, pk: str) -> HttpResponse:
    upload = get_object_or_404(_uploads_of(request), pk=pk)
    if request_commit(upload):
        tasks.commit_upload.enqueue(str(upload.pk))
    elif not upload.is_busy:
        messages.error(request, _("This file cannot be saved: see the problems below."))
    return redirect("console:institution-import-preview", pk=upload.pk)


@staff_required()
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The institutions the user can see, narrowed by the list's filters, as a file."""
    if file_format not in FORMATS:
        file_format = "csv"
    institutions = selectors.institution_list(request.user, RegistryFilters.from_query(request.GET))
    file_name = f"institutions-{timezone.localdate():%Y%m%d}.{file_format}"
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        lines = csv_lines(for_export(institutions).iterator(chunk_size=500))
        response = StreamingHttpResponse(_with_bom(lines), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(
            export_text(institutions, "json"), content_type=CONTENT_TYPES["json"]
        )
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response  # type: ignore[return-value]


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield CSV_BOM
    yield from lines
