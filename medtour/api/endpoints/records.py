"""Foreign-patient records: upload a file, read its status and errors, commit it.

The same services as the console and `import_records` stage and commit (one validator);
this module only translates between HTTP and them.
"""

# No `from __future__ import annotations`: django-ninja reads these signatures at run time.
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from medtour.accounts.scope import can_submit_records, can_view_submissions, owns
from medtour.api import schemas
from medtour.api.auth import SIGNED_IN, caller
from medtour.api.endpoints import ERRORS, LANG_QUERY
from medtour.api.errors import ApiError
from medtour.api.language import LanguageCode
from medtour.api.pagination import Pages
from medtour.api.text import gettext_lazy
from medtour.records import selectors
from medtour.records.models import RefusedRow, ReportingPeriod, Submission
from medtour.records.pseudonyms import PseudonymKeyMissing
from medtour.records.reading import FileRefused, spool
from medtour.records.services import (
    SubmissionError,
    parse_period,
    submission_commit,
    submission_stage_file,
)
from medtour.records.validation import render_message

router = Router(tags=[gettext_lazy("Patient records")])
SUBMISSION_ID: Any = Path(..., description=gettext_lazy("The submission's number."))


class RowProblem(Schema):
    row: int = Field(description=gettext_lazy("Row number in the file (the header is row 1)."))
    column: str = Field(description=gettext_lazy("Column name, empty for the row as a whole."))
    value: str = Field(description=gettext_lazy("The value as read (patient IDs masked)."))
    code: str = Field(description=gettext_lazy("A stable code for the reason, for programs."))
    message: str = Field(description=gettext_lazy("The reason, in the requested language."))


class SubmissionOut(Schema):
    id: int
    institution: str = Field(description=gettext_lazy("Institution code."))
    period: str = Field(description=gettext_lazy("Reporting period: 2016, 2016-Q1 or 2016-03."))
    status: str = Field(description=gettext_lazy("draft, submitted, approved, locked or returned."))
    status_label: str
    comment: str = Field(description=gettext_lazy("The district's comment when returned."))
    source_name: str
    rows: int
    valid: int
    invalid: int
    new: int = Field(description=gettext_lazy("Episodes not reported before."))
    corrected: int = Field(description=gettext_lazy("Episodes whose values change (revisions)."))
    unchanged: int = Field(description=gettext_lazy("Episodes reported before, identical."))
    committed: bool = Field(description=gettext_lazy("True once the rows reached the records."))
    refused_by_reason: dict[str, int] = Field(
        description=gettext_lazy("Refused rows counted by reason code.")
    )


class StagedSubmission(SubmissionOut):
    errors: list[RowProblem] = Field(
        description=gettext_lazy("The first 1,000 problems; all are at …/errors.")
    )
    errors_total: int


class RefusedRowOut(Schema):
    row: int
    errors: list[RowProblem]

    @staticmethod
    def resolve_row(obj: RefusedRow) -> int:
        return obj.row_number

    @staticmethod
    def resolve_errors(obj: RefusedRow) -> list[dict[str, Any]]:
        return [
            {
                "row": obj.row_number,
                "column": error.get("column", ""),
                "value": str(error.get("value", "")),
                "code": error["code"],
                "message": render_message(error["code"], error.get("params", {})),
            }
            for error in obj.errors
        ]


def _submission_out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "institution": submission.institution.code,
        "period": submission.period.label,
        "status": submission.status,
        "status_label": str(submission.get_status_display()),
        "comment": submission.comment,
        "source_name": submission.source_name,
        "rows": submission.row_count,
        "valid": submission.valid_count,
        "invalid": submission.invalid_count,
        "new": submission.new_count,
        "corrected": submission.revised_count,
        "unchanged": submission.unchanged_count,
        "committed": submission.is_committed,
        "refused_by_reason": submission.refusal_summary,
    }


def _period(label: str) -> ReportingPeriod:
    try:
        year, quarter, month = parse_period(label)
    except SubmissionError as error:
        raise ApiError(422, error.message, location="form", field="period") from error
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter, month=month).first()
    if period is None:
        raise ApiError(
            422,
            _("The reporting period %(label)s has not been opened by the city.") % {"label": label},
            location="form",
            field="period",
        )
    return period


def _visible(request: HttpRequest, submission_id: int) -> Submission:
    user = caller(request)
    if not can_view_submissions(user):
        raise ApiError(403, _("Your role cannot see patient record submissions."))
    submission = selectors.visible_submissions(user).filter(pk=submission_id).first()
    if submission is None:
        raise ApiError(
            404, _("There is no submission %(id)s in your scope.") % {"id": submission_id}
        )
    return submission


@router.post(
    "/records/submissions",
    response={201: StagedSubmission, 503: schemas.Problem, **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("Upload a records file"),
    description=gettext_lazy(
        "Institution staff upload a CSV or XLSX file in the official template for a reporting "
        "period. Every row is checked; the file becomes a draft submission with its problems. "
        "Nothing reaches the records until you commit it."
    ),
)
def upload_submission(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    period: str = Form(
        ..., description=gettext_lazy("Reporting period: 2016, 2016-Q1 or 2016-03.")
    ),
    institution: str | None = Form(
        None, description=gettext_lazy("Your institution's code (optional check).")
    ),
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    user = caller(request)
    if not can_submit_records(user):
        raise ApiError(403, _("Only an institution's own staff can submit its patient records."))
    if institution and institution != user.institution.code:
        raise ApiError(
            403,
            _("You can submit records only for your own institution, %(code)s.")
            % {"code": user.institution.code},
        )
    reporting_period = _period(period)
    name = file.name or "upload"
    try:
        path, remove = spool(file, name)
    except FileRefused as refused:
        raise ApiError(422, refused.message, code=refused.code) from refused
    try:
        outcome = submission_stage_file(
            institution=user.institution,
            period=reporting_period,
            path=path,
            name=name,
            actor=user,
        )
    except FileRefused as refused:
        raise ApiError(422, refused.message, code=refused.code) from refused
    except PseudonymKeyMissing as missing:
        raise ApiError(
            503, _("Records cannot be received now: the pseudonym key is missing.")
        ) from missing
    finally:
        if remove:
            path.unlink(missing_ok=True)
    errors = [error.as_dict() for error in outcome.errors]
    return 201, {
        **_submission_out(outcome.submission),
        "errors": errors,
        "errors_total": outcome.errors_total,
    }


@router.get(
    "/records/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("A submission's status"),
    description=gettext_lazy(
        "Status and counts of a submission in your scope: your institution's, your district's, "
        "or (for the city) any."
    ),
)
def get_submission(
    request: HttpRequest, submission_id: int = SUBMISSION_ID, lang: LanguageCode | None = LANG_QUERY
) -> Any:
    return _submission_out(_visible(request, submission_id))


@router.get(
    "/records/submissions/{submission_id}/errors",
    response={200: list[RefusedRowOut], **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("A submission's refused rows"),
    description=gettext_lazy(
        "Every refused row with its problems: column, value, a code and the reason in the "
        "requested language."
    ),
)
@paginate(Pages)
def list_submission_errors(
    request: HttpRequest, submission_id: int = SUBMISSION_ID, lang: LanguageCode | None = LANG_QUERY
) -> Any:
    submission = _visible(request, submission_id)
    return selectors.refused_rows_of(caller(request), submission.pk)


class CommitOptions(Schema):
    skip_invalid: bool = Field(
        False,
        description=gettext_lazy(
            "Commit the valid rows even though some were refused; the refused rows stay with the "
            "submission for correction."
        ),
    )


@router.post(
    "/records/submissions/{submission_id}/commit",
    response={200: SubmissionOut, 409: schemas.Problem, 503: schemas.Problem, **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("Commit a submission"),
    description=gettext_lazy(
        "Write a draft's valid rows to the records, all of them or none, and send the submission "
        "to the district. Committing twice changes nothing. A draft with refused rows is "
        "committed only with skip_invalid."
    ),
)
def commit_submission(
    request: HttpRequest,
    submission_id: int = SUBMISSION_ID,
    options: CommitOptions = Query(...),  # noqa: B008
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    submission = _visible(request, submission_id)
    user = caller(request)
    if not owns(user, submission):
        raise ApiError(403, _("Only the institution's own staff can commit its submission."))
    try:
        outcome = submission_commit(
            submission=submission, actor=user, skip_invalid=options.skip_invalid
        )
    except SubmissionError as error:
        raise ApiError(409, error.message) from error
    except PseudonymKeyMissing as missing:
        raise ApiError(
            503, _("Records cannot be received now: the pseudonym key is missing.")
        ) from missing
    return _submission_out(outcome.submission)
