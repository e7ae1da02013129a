"""Reporting in the console: upload → staged summary → confirm; the form; review; deadlines."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from medtour.audit.models import AuditEvent
from medtour.records.models import PatientRecord, ReportingPeriod, Submission, SubmissionStatus
from medtour.records.services import (
    reporting_period_for,
    submission_commit,
    submission_return,
    submission_stage_rows,
)
from medtour.records.validation import render_message
from tests.records.conftest import csv_bytes, row, rows

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path: Path, settings: Any) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.LANGUAGE_CODE = "en"  # pages in English unless a test asks for another language


@pytest.fixture
def period(db: None) -> ReportingPeriod:
    return reporting_period_for("2016")


def _upload(client: Any, period: ReportingPeriod, content: bytes, name: str = "r.csv") -> Any:
    return client.post(
        reverse("console:submission-upload"),
        {"period": period.pk, "file": SimpleUploadedFile(name, content)},
    )


def test_valid_file_is_staged_then_committed_on_confirmation(persona_client, period):
    client = persona_client("staff_gangnam")
    response = _upload(client, period, csv_bytes(rows(3)))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:submission-detail", args=[submission.pk])
    assert (submission.status, submission.valid_count, PatientRecord.objects.count()) == (
        SubmissionStatus.DRAFT,
        3,
        0,
    )
    page = client.get(response["Location"])
    assert "Confirm and save every row" in page.content.decode()

    client.post(reverse("console:submission-commit", args=[submission.pk]))

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert PatientRecord.objects.count() == 3


def test_refused_rows_are_listed_with_row_column_value_and_reason(persona_client, period):
    client = persona_client("staff_gangnam")
    content = csv_bytes([row(patient_id="A0000001"), row(patient_id="A0000002", sex="X")])
    detail = client.get(_upload(client, period, content)["Location"]).content.decode()
    assert "Unknown sex" in detail
    assert "<code>sex</code>" in detail and "<code>X</code>" in detail
    assert "Save the valid rows only" in detail


def test_errors_are_shown_in_the_readers_language(persona_client, period):
    client = persona_client("staff_gangnam")
    location = _upload(client, period, csv_bytes([row(sex="X")]))["Location"]
    error = Submission.objects.get().refused_rows.get().errors[0]
    for language in ("ko", "ru"):
        with translation.override(language):
            expected = render_message(error["code"], error["params"])
        page = client.get(location, HTTP_ACCEPT_LANGUAGE=language)
        assert page["Content-Language"] == language
        assert escape(expected) in page.content.decode()


def test_valid_rows_only_are_committed_and_refused_ones_kept(persona_client, period):
    client = persona_client("staff_gangnam")
    content = csv_bytes([row(patient_id="A0000001"), row(patient_id="A0000002", fees_krw="-5")])
    submission_url = _upload(client, period, content)["Location"]
    submission = Submission.objects.get()

    client.post(reverse("console:submission-commit", args=[submission.pk]), {"skip_invalid": "1"})

    submission.refresh_from_db()
    assert (submission.status, PatientRecord.objects.count()) == (SubmissionStatus.SUBMITTED, 1)
    assert submission.refused_rows.count() == 1
    assert client.get(submission_url).status_code == 200


def test_a_file_that_is_not_csv_or_xlsx_is_refused_on_the_form(persona_client, period):
    client = persona_client("staff_gangnam")
    response = _upload(client, period, b"%PDF-1.4\x00\x01\x02 binary", name="records.csv")
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    assert 'class="errorlist' in response.content.decode()


def test_refused_rows_download_has_the_reasons(persona_client, period):
    client = persona_client("staff_gangnam")
    _upload(client, period, csv_bytes([row(sex="X")]))
    submission = Submission.objects.get()
    response = client.get(reverse("console:submission-refused", args=[submission.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "Unknown sex" in text
    assert "E12345678" not in text  # the raw ID is never kept


def test_the_same_file_comes_back_with_an_error_column(persona_client, period):
    client = persona_client("staff_gangnam")
    content = csv_bytes([row(patient_id="A0000001"), row(patient_id="A0000002", sex="X")])
    _upload(client, period, content)
    submission = Submission.objects.get()

    response = client.post(
        reverse("console:submission-annotated", args=[submission.pk]),
        {"file": SimpleUploadedFile("r.csv", content)},
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].endswith("errors")
    assert "Unknown sex" in lines[2] and "Unknown sex" not in lines[1]


def test_a_different_file_is_not_annotated(persona_client, period):
    client = persona_client("staff_gangnam")
    _upload(client, period, csv_bytes([row(sex="X")]))
    submission = Submission.objects.get()
    response = client.post(
        reverse("console:submission-annotated", args=[submission.pk]),
        {"file": SimpleUploadedFile("other.csv", csv_bytes([row(sex="Y")]))},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:submission-detail", args=[submission.pk])


@pytest.mark.parametrize("language", ["ko", "en", "zh-hans", "ja", "ru", "kk"])
def test_template_downloads_in_each_language(persona_client, language):
    client = persona_client("staff_gangnam")
    response = client.get(
        reverse("console:records-template"), {"language": language, "file_format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in next(book.worksheets[0].iter_rows())]
    assert response["Content-Disposition"].endswith(f'-{language}.xlsx"')
    assert headers[0] == ("여권번호" if language == "ko" else "patient_id")


def test_one_record_from_the_form_becomes_a_draft(persona_client, period):
    client = persona_client("staff_gangnam")
    response = client.post(reverse("console:submission-record"), {"period": period.pk, **row()})
    submission = Submission.objects.get()
    assert response["Location"] == reverse("console:submission-detail", args=[submission.pk])
    assert (submission.source_format, submission.valid_count) == ("form", 1)


def test_a_refused_form_entry_shows_the_reason_and_keeps_nothing(persona_client, period):
    client = persona_client("staff_gangnam")
    response = client.post(
        reverse("console:submission-record"),
        {"period": period.pk, **row(first_visit="2016-03-05", last_visit="2016-03-01")},
    )
    assert response.status_code == 200
    assert Submission.objects.count() == 0
    assert "errorlist" in response.content.decode()


def _submitted(staff: Any, institution: Any, period: ReportingPeriod) -> Submission:
    staged = submission_stage_rows(
        institution=institution, period=period, rows=rows(2), actor=staff
    ).submission
    return submission_commit(submission=staged, actor=staff).submission


def test_officer_returns_with_a_comment_the_institution_sees(
    persona_client, staff_gangnam, gangnam_clinic, period
):
    submission = _submitted(staff_gangnam, gangnam_clinic, period)
    officer = persona_client("officer_gangnam")
    officer.post(
        reverse("console:submission-return", args=[submission.pk]),
        {"comment": "Row 2: fees look wrong"},
    )
    submission.refresh_from_db()
    assert (submission.status, submission.comment) == ("returned", "Row 2: fees look wrong")
    assert AuditEvent.objects.filter(target_id=str(submission.pk), action="update").exists()


def test_returning_without_a_comment_changes_nothing(
    persona_client, staff_gangnam, gangnam_clinic, period
):
    submission = _submitted(staff_gangnam, gangnam_clinic, period)
    persona_client("officer_gangnam").post(
        reverse("console:submission-return", args=[submission.pk]), {"comment": ""}
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_approve_then_lock_by_the_administrator(
    client, staff_gangnam, officer_gangnam, admin_user, gangnam_clinic, period
):
    submission = _submitted(staff_gangnam, gangnam_clinic, period)
    client.force_login(officer_gangnam)
    client.post(reverse("console:submission-approve", args=[submission.pk]))
    client.force_login(admin_user)
    client.post(reverse("console:submission-lock", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.LOCKED


def test_submission_list_is_scoped(persona_client, staff_gangnam, staff_mapo, mapo_clinic, period):
    gangnam = _submitted(staff_gangnam, staff_gangnam.institution, period)
    mapo = _submitted(staff_mapo, mapo_clinic, period)
    url = reverse("console:submission-list")
    seen = {
        persona: persona_client(persona).get(url).context["page"].object_list
        for persona in ("staff_gangnam", "officer_mapo", "analyst")
    }
    assert [s.pk for s in seen["staff_gangnam"]] == [gangnam.pk]
    assert [s.pk for s in seen["officer_mapo"]] == [mapo.pk]
    assert {s.pk for s in seen["analyst"]} == {gangnam.pk, mapo.pk}


def test_missing_institutions_are_scoped_and_reported_ones_drop_out(
    persona_client, staff_gangnam, gangnam_clinic, mapo_clinic, period
):
    url = reverse("console:period-missing", args=[period.pk])
    before = list(persona_client("officer_gangnam").get(url).context["page"].object_list)
    assert before == [gangnam_clinic]
    _submitted(staff_gangnam, gangnam_clinic, period)
    after = persona_client("admin_user").get(url).context["page"].object_list
    assert list(after) == [mapo_clinic]


def test_reminders_are_mailed_to_staff_in_their_language(
    persona_client, settings, staff_gangnam, staff_mapo, period
):
    settings.TASKS = IMMEDIATE
    staff_gangnam.preferred_language = "en"
    staff_gangnam.save()
    response = persona_client("officer_gangnam").post(
        reverse("console:period-remind", args=[period.pk])
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[staff_gangnam.email]]
    assert "2016" in mail.outbox[0].subject and "Reminder" in mail.outbox[0].subject


def test_administrator_opens_a_period_with_its_deadline_audited(persona_client):
    persona_client("admin_user").post(reverse("console:period-list"), {"label": "2030-Q2"})
    period = ReportingPeriod.objects.get(year=2030, quarter=2)
    assert period.deadline.isoformat() == "2030-07-31"
    assert AuditEvent.objects.filter(target_id=str(period.pk), action="create").exists()


def test_an_unknown_period_label_is_explained(persona_client):
    response = persona_client("admin_user").post(reverse("console:period-list"), {"label": "20x"})
    assert response.status_code == 200
    assert "2016-Q1" in response.content.decode()


def test_staff_discard_a_draft_and_nothing_remains(persona_client, period):
    client = persona_client("staff_gangnam")
    _upload(client, period, csv_bytes(rows(2)))
    submission = Submission.objects.get()
    response = client.post(reverse("console:submission-discard", args=[submission.pk]))
    assert response["Location"] == reverse("console:submission-list")
    assert (Submission.objects.count(), PatientRecord.objects.count()) == (0, 0)


def test_staff_resubmit_a_returned_submission(
    persona_client, staff_gangnam, officer_gangnam, gangnam_clinic, period
):
    submission = _submitted(staff_gangnam, gangnam_clinic, period)
    submission_return(submission=submission, actor=officer_gangnam, comment="Check row 2")
    persona_client("staff_gangnam").post(
        reverse("console:submission-resubmit", args=[submission.pk])
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_step_the_status_does_not_allow_is_refused(
    persona_client, staff_gangnam, gangnam_clinic, period
):
    submission = _submitted(staff_gangnam, gangnam_clinic, period)
    client = persona_client("officer_gangnam")
    client.post(reverse("console:submission-approve", args=[submission.pk]))
    again = client.post(reverse("console:submission-approve", args=[submission.pk]))
    submission.refresh_from_db()
    assert (again.status_code, submission.status) == (403, SubmissionStatus.APPROVED)


def _xlsx(records: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    names = list(records[0])
    sheet.append(names)
    for record in records:
        sheet.append([record[name] for name in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_upload_comes_back_annotated_as_xlsx(persona_client, period):
    client = persona_client("staff_gangnam")
    content = _xlsx([row(patient_id="A0000001"), row(patient_id="A0000002", sex="X")])
    _upload(client, period, content, name="records.xlsx")
    submission = Submission.objects.get()
    assert (submission.source_format, submission.valid_count) == ("xlsx", 1)

    response = client.post(
        reverse("console:submission-annotated", args=[submission.pk]),
        {"file": SimpleUploadedFile("records.xlsx", content)},
    )

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [[cell.value for cell in line] for line in book.worksheets[0].iter_rows()]
    assert values[0][-1] == "errors"
    assert "Unknown sex" in values[2][-1] and not values[1][-1]


def test_refusals_are_summed_up_by_reason_in_words(persona_client, period):
    client = persona_client("staff_gangnam")
    content = csv_bytes([row(patient_id="A0000001", sex="X"), row(patient_id="A0000002", sex="Y")])
    page = client.get(_upload(client, period, content)["Location"])
    reasons = page.context["reasons"]
    assert [(reason["code"], reason["count"]) for reason in reasons] == [("invalid_sex", 2)]
    assert reasons[0]["example"].startswith("Unknown sex")
