"""The records API: upload a file, read its status and errors, commit it; for every persona."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from medtour.records.services import reporting_period_for, submission_stage_rows
from tests.conftest import PERSONAS
from tests.records.conftest import csv_bytes, row, rows

pytestmark = pytest.mark.django_db
BASE = "/api/v1/records/submissions"
READERS = {"staff_gangnam", "staff_mapo", "officer_gangnam", "officer_mapo", "analyst"} | {
    "admin_user"
}
OUTSIDE_GANGNAM = {"staff_mapo", "officer_mapo"}


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path: Path, settings: Any, db: None) -> None:
    settings.VAR_DIR = tmp_path / "var"
    reporting_period_for("2016")


@pytest.fixture
def as_persona(request: pytest.FixtureRequest, client: Any, token_for: Any) -> Any:
    """as_persona(name) -> headers: a bearer token for the persona (none for anonymous)."""

    def headers(name: str) -> dict[str, str]:
        if name == "anonymous":
            return {}
        user = request.getfixturevalue(name)
        return {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}", "HTTP_ACCEPT_LANGUAGE": "en"}

    return headers


def _post_file(client: Any, headers: dict[str, str], content: bytes, **fields: str) -> Any:
    data = {"period": "2016", "file": SimpleUploadedFile("records.csv", content), **fields}
    return client.post(BASE, data, **headers)


@pytest.fixture
def gangnam_draft(gangnam_clinic: Any, staff_gangnam: Any) -> Submission:
    return submission_stage_rows(
        institution=gangnam_clinic,
        period=reporting_period_for("2016"),
        rows=[*rows(2), row(patient_id="Z0000001", sex="X")],
        actor=staff_gangnam,
    ).submission


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_institution_staff_upload(client, as_persona, gangnam_clinic, mapo_clinic, persona):
    response = _post_file(client, as_persona(persona), csv_bytes(rows(1)))
    expected = (
        201
        if persona in {"staff_gangnam", "staff_mapo"}
        else 401
        if persona == "anonymous"
        else 403
    )
    assert response.status_code == expected, response.content
    assert Submission.objects.count() == (1 if expected == 201 else 0)


def test_upload_stages_a_draft_with_its_problems(client, as_persona, staff_gangnam):
    content = csv_bytes([row(patient_id="A0000001"), row(patient_id="A0000002", fees_krw="-1")])
    body = _post_file(client, as_persona("staff_gangnam"), content).json()
    assert (body["status"], body["rows"], body["valid"], body["invalid"]) == ("draft", 2, 1, 1)
    assert body["committed"] is False and PatientRecord.objects.count() == 0
    problem = body["errors"][0]
    assert (problem["row"], problem["column"], problem["code"]) == (3, "fees_krw", problem["code"])
    assert problem["message"] and body["errors_total"] == 1


def test_upload_for_another_institution_is_refused(client, as_persona, staff_gangnam, mapo_clinic):
    response = _post_file(
        client, as_persona("staff_gangnam"), csv_bytes(rows(1)), institution="mapo-clinic"
    )
    assert response.status_code == 403
    assert "gangnam-clinic" in response.json()["detail"]


def test_unopened_period_and_unreadable_file_are_explained(client, as_persona, staff_gangnam):
    headers = as_persona("staff_gangnam")
    unopened = _post_file(client, headers, csv_bytes(rows(1)), period="2019")
    empty = _post_file(client, headers, b"")
    assert unopened.status_code == 422 and "2019" in unopened.json()["detail"]
    assert empty.status_code == 422 and empty.json()["code"] == "empty"


@pytest.mark.parametrize("persona", PERSONAS)
def test_status_is_scoped(client, as_persona, gangnam_draft, persona):
    response = client.get(f"{BASE}/{gangnam_draft.pk}", **as_persona(persona))
    if persona == "anonymous":
        expected = 401
    elif persona in OUTSIDE_GANGNAM:
        expected = 404
    elif persona in READERS:
        expected = 200
    else:
        expected = 403
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["invalid"] == 1


def test_errors_list_every_refused_row_in_the_requested_language(client, as_persona, gangnam_draft):
    headers = as_persona("officer_gangnam")
    english = client.get(f"{BASE}/{gangnam_draft.pk}/errors", **headers).json()
    korean = client.get(f"{BASE}/{gangnam_draft.pk}/errors?lang=ko", **headers).json()
    assert english["count"] == 1
    error = english["items"][0]["errors"][0]
    assert (error["row"], error["column"], error["value"]) == (3, "sex", "X")  # the third entry
    assert korean["items"][0]["errors"][0]["code"] == error["code"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_institutions_own_staff_commit(client, as_persona, gangnam_draft, persona):
    response = client.post(
        f"{BASE}/{gangnam_draft.pk}/commit?skip_invalid=true", **as_persona(persona)
    )
    expected = {"anonymous": 401, "staff_gangnam": 200}
    expected |= dict.fromkeys(OUTSIDE_GANGNAM, 404)
    assert response.status_code == expected.get(persona, 403)
    assert PatientRecord.objects.count() == (2 if persona == "staff_gangnam" else 0)


def test_commit_with_refused_rows_needs_skip_invalid(client, as_persona, gangnam_draft):
    headers = as_persona("staff_gangnam")
    refused = client.post(f"{BASE}/{gangnam_draft.pk}/commit", **headers)
    committed = client.post(f"{BASE}/{gangnam_draft.pk}/commit?skip_invalid=true", **headers)
    again = client.post(f"{BASE}/{gangnam_draft.pk}/commit?skip_invalid=true", **headers)
    assert refused.status_code == 409 and "1" in refused.json()["detail"]
    assert committed.json()["status"] == SubmissionStatus.SUBMITTED
    assert again.status_code == 200 and PatientRecord.objects.count() == 2


def test_the_endpoints_are_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post"} <= set(paths[BASE])
    assert "get" in paths[BASE + "/{submission_id}"]
    assert "get" in paths[BASE + "/{submission_id}/errors"]
    assert "post" in paths[BASE + "/{submission_id}/commit"]
