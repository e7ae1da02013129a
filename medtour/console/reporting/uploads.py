"""Ways in for institution staff: a file upload, a one-record form, the blank template.

Both ways stage a draft through medtour.records.services (the one validator) and lead to the
submission's summary, where the staff confirm or discard it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medtour.accounts.scope import can_submit_records, can_view_submissions
from medtour.console.access import staff_required
from medtour.console.reporting.forms import AnnotateForm, RecordForm, TemplateForm, UploadForm
from medtour.institutions.models import Institution
from medtour.records import exporting, selectors
from medtour.records.columns import COLUMNS
from medtour.records.pseudonyms import PseudonymKeyMissing
from medtour.records.reading import FileRefused, open_source, scratch_dir, spool
from medtour.records.services import (
    StageOutcome,
    SubmissionError,
    submission_discard,
    submission_stage_file,
    submission_stage_rows,
)


def _institution(request: HttpRequest) -> Institution:
    """The institution of the signed-in staff member (guarded by can_submit_records)."""
    user: Any = request.user
    return user.institution


def _stage_upload(request: HttpRequest, form: UploadForm) -> StageOutcome | None:
    """Stage the uploaded file; on a file-level refusal, put the reason on the form."""
    upload = form.cleaned_data["file"]
    path, remove = spool(upload, upload.name)
    try:
        return submission_stage_file(
            institution=_institution(request),
            period=form.cleaned_data["period"],
            path=path,
            name=upload.name,
            actor=request.user,
        )
    except FileRefused as refused:
        form.add_error("file", refused.message)
    except PseudonymKeyMissing:
        form.add_error(None, _("Records cannot be received now: the pseudonym key is missing."))
    finally:
        if remove:
            path.unlink(missing_ok=True)
    return None


@staff_required(can_submit_records)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _stage_upload(request, form)
        except FileRefused as refused:  # the size limit, met while spooling
            form.add_error("file", refused.message)
            outcome = None
        if outcome is not None:
            return redirect("console:submission-detail", pk=outcome.submission.pk)
    context = {"form": form, "columns": COLUMNS, "template_form": TemplateForm()}
    return render(request, "console/reporting/upload.html", context)


@staff_required(can_submit_records)
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = submission_stage_rows(
                institution=_institution(request),
                period=form.cleaned_data["period"],
                rows=[form.record()],
                actor=request.user,
                name=_("web form"),
            )
        except (FileRefused, SubmissionError) as error:
            form.add_error(None, error.message)
        except PseudonymKeyMissing:
            form.add_error(None, _("Records cannot be received now: the pseudonym key is missing."))
        else:
            if not outcome.submission.invalid_count:
                return redirect("console:submission-detail", pk=outcome.submission.pk)
            # A refused entry is not worth keeping as a draft: show the reasons on the form.
            for problem in outcome.errors:
                field = problem.column if problem.column in form.fields else None
                form.add_error(field, problem.message)
            submission_discard(submission=outcome.submission, actor=request.user)
    return render(request, "console/reporting/record_form.html", {"form": form})


@staff_required(can_view_submissions)
def template_download(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.GET)
    language = request.LANGUAGE_CODE
    file_format = "xlsx"
    if form.is_valid():
        language = form.cleaned_data["language"]
        file_format = form.cleaned_data["file_format"]
    content = exporting.template_file(language, file_format)
    response = HttpResponse(content, content_type=exporting.CONTENT_TYPES[file_format])
    file_name = f"medtour-records-template-{language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@staff_required(can_submit_records)
@require_POST
def annotated(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploader's own file back with an error column, written from the file they send
    again (raw IDs are never kept, docs/privacy.md), with the reasons kept for its rows."""
    submission = get_object_or_404(
        selectors.visible_submissions(request.user).filter(institution=_institution(request)),
        pk=pk,
    )
    form = AnnotateForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file you uploaded."))
        return redirect("console:submission-detail", pk=pk)
    upload = form.cleaned_data["file"]
    path, remove = spool(upload, upload.name)
    try:
        with open_source(path, upload.name) as source:
            if source.sha256 != submission.source_sha256:
                messages.error(
                    request,
                    _(
                        "This is not the file of this submission: "
                        "%(name)s differs from %(original)s."
                    )
                    % {"name": upload.name, "original": submission.source_name},
                )
                return redirect("console:submission-detail", pk=pk)
            reasons = {
                refused.row_number: exporting.error_text(refused.errors)
                for refused in selectors.refused_rows_of(request.user, submission.pk)
            }
            target = Path(tempfile.mkstemp(suffix=f".{source.format}", dir=scratch_dir())[1])
            exporting.annotated_upload(source, reasons, target, source.format)
    except FileRefused as refused:
        messages.error(request, refused.message)
        return redirect("console:submission-detail", pk=pk)
    finally:
        if remove:
            path.unlink(missing_ok=True)
    handle = target.open("rb")
    target.unlink()  # the open handle keeps the content until the response is sent
    stem = Path(submission.source_name).stem or "records"
    return FileResponse(  # type: ignore[return-value]  # staff_required's View type
        handle,
        as_attachment=True,
        filename=f"{stem}-errors.{source.format}",
        content_type=exporting.CONTENT_TYPES[source.format],
    )
