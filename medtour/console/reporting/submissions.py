"""Submissions in the console: the scoped list, the staged summary, and the workflow steps.

draft → (commit) submitted → approved by the district officer → locked by the city
administrator; or returned with a comment and resubmitted. Each step is one service call in
medtour.records.services, which checks the status, writes the change and audits it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medtour.accounts.scope import can_view_submissions, owns
from medtour.console.access import staff_required
from medtour.console.reporting.access import actions_for
from medtour.console.reporting.forms import AnnotateForm, ReturnForm
from medtour.identifiers import parse_id
from medtour.records import exporting, selectors, services
from medtour.records.models import ReportingPeriod, Submission, SubmissionStatus
from medtour.records.pseudonyms import PseudonymKeyMissing
from medtour.records.validation import MESSAGES, render_message

PAGE_SIZE = 50
ERRORS_PER_PAGE = 100


def _submission(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(selectors.visible_submissions(request.user), pk=pk)


@staff_required(can_view_submissions)
def submission_list(request: HttpRequest) -> HttpResponse:
    submissions = selectors.visible_submissions(request.user)
    status = request.GET.get("status", "")
    if status in SubmissionStatus.values:
        submissions = submissions.filter(status=status)
    period = request.GET.get("period", "")
    period_id = parse_id(period)
    if period_id is not None:
        submissions = submissions.filter(period_id=period_id)
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": SubmissionStatus.choices,
        "status": status,
        "periods": ReportingPeriod.objects.all(),
        "period": period,
    }
    return render(request, "console/reporting/submission_list.html", context)


def _error_rows(request: HttpRequest, submission: Submission) -> Any:
    refused = selectors.refused_rows_of(request.user, submission.pk)
    page = Paginator(refused, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    errors = [
        {
            "row": row.row_number,
            "column": error.get("column", ""),
            "value": error.get("value", ""),
            "message": render_message(error["code"], error.get("params", {})),
        }
        for row in page
        for error in row.errors
    ]
    return page, errors


@staff_required(can_view_submissions)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    page, errors = _error_rows(request, submission)
    reasons = [
        {"code": code, "count": count, "example": _reason_label(code)}
        for code, count in sorted(
            submission.refusal_summary.items(), key=lambda item: (-item[1], item[0])
        )
    ]
    context = {
        "submission": submission,
        "actions": actions_for(request.user, submission),
        "errors": errors,
        "page": page,
        "reasons": reasons,
        "return_form": ReturnForm(),
        "annotate_form": AnnotateForm(),
        "can_annotate": owns(request.user, submission)
        and submission.invalid_count > 0
        and submission.source_format in exporting.CONTENT_TYPES,
    }
    return render(request, "console/reporting/submission_detail.html", context)


def _reason_label(code: str) -> str:
    """A reason in words, for the summary by reason; parameters of single rows are left out."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % _AnyParams()
    except (KeyError, ValueError, TypeError):  # a numeric placeholder: show the code instead
        return code


class _AnyParams(dict):
    """Renders each %(name)s placeholder as an ellipsis."""

    def __missing__(self, key: str) -> str:
        return "…"


@staff_required(can_view_submissions)
def refused_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    submission = _submission(request, pk)
    file_format = file_format if file_format in exporting.CONTENT_TYPES else "csv"
    response = HttpResponse(
        exporting.refused_rows_file(submission, file_format),
        content_type=exporting.CONTENT_TYPES[file_format],
    )
    file_name = f"submission-{submission.pk}-refused.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _step(
    request: HttpRequest, pk: int, action: str, run: Callable[[Submission], Any], done: str
) -> HttpResponse:
    submission = _submission(request, pk)
    if not actions_for(request.user, submission)[action]:
        raise PermissionDenied
    try:
        run(submission)
    except services.SubmissionError as error:
        messages.error(request, error.message)
    except PseudonymKeyMissing:
        messages.error(request, _("Records cannot be received now: the pseudonym key is missing."))
    else:
        messages.success(request, done)
        if action == "discard":
            return redirect("console:submission-list")
    return redirect("console:submission-detail", pk=pk)


@staff_required(can_view_submissions)
@require_POST
def submission_commit(request: HttpRequest, pk: int) -> HttpResponse:
    skip_invalid = request.POST.get("skip_invalid") == "1"
    return _step(
        request,
        pk,
        "commit",
        lambda s: services.submission_commit(
            submission=s, actor=request.user, skip_invalid=skip_invalid
        ),
        _("The records are saved and the submission is sent to the district."),
    )


@staff_required(can_view_submissions)
@require_POST
def submission_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "discard",
        lambda s: services.submission_discard(submission=s, actor=request.user),
        _("The draft is discarded; nothing was saved."),
    )


@staff_required(can_view_submissions)
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "approve",
        lambda s: services.submission_approve(submission=s, actor=request.user),
        _("The submission is approved."),
    )


@staff_required(can_view_submissions)
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        submission = _submission(request, pk)
        if not actions_for(request.user, submission)["return"]:
            raise PermissionDenied
        messages.error(request, _("Say what needs correcting when returning a submission."))
        return redirect("console:submission-detail", pk=pk)
    return _step(
        request,
        pk,
        "return",
        lambda s: services.submission_return(
            submission=s, actor=request.user, comment=form.cleaned_data["comment"]
        ),
        _("The submission is returned to the institution for correction."),
    )


@staff_required(can_view_submissions)
@require_POST
def submission_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "lock",
        lambda s: services.submission_lock(submission=s, actor=request.user),
        _("The submission is locked; its records can no longer be corrected."),
    )


@staff_required(can_view_submissions)
@require_POST
def submission_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "resubmit",
        lambda s: services.submission_resubmit(submission=s, actor=request.user),
        _("The submission is sent to the district again."),
    )
