"""Uploads checked and saved by the task worker, as the uploader, at most once."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from medtour.institutions import importing, tasks
from medtour.institutions.models import ImportStatus, Institution, InstitutionImport
from tests.institutions.helpers import csv_bytes, csv_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_check_then_commit_as_the_uploader(officer_mapo: Any) -> None:
    upload = importing.stage_upload(
        actor=officer_mapo, file_name="registry.csv", content=csv_bytes([csv_row()])
    )
    assert upload.status == ImportStatus.CHECKING

    tasks.check_upload.enqueue(str(upload.pk))
    upload.refresh_from_db()
    assert (upload.status, upload.new_count, upload.problems) == (ImportStatus.CHECKED, 1, [])

    assert importing.request_commit(upload)
    tasks.commit_upload.enqueue(str(upload.pk))
    upload.refresh_from_db()
    assert upload.status == ImportStatus.COMMITTED
    assert Institution.objects.get(code="river-eye").district.code == "11440"


def test_the_uploaders_scope_applies_in_the_worker(officer_gangnam: Any) -> None:
    upload = importing.stage_upload(
        actor=officer_gangnam, file_name="registry.csv", content=csv_bytes([csv_row()])
    )

    tasks.check_upload.enqueue(str(upload.pk))

    upload.refresh_from_db()
    assert [problem["column"] for problem in upload.problems] == ["district"]
    assert not importing.request_commit(upload)


def test_a_commit_is_claimed_only_once(admin_user: Any) -> None:
    upload = importing.stage_upload(
        actor=admin_user, file_name="registry.csv", content=csv_bytes([csv_row()])
    )
    importing.check_upload(upload)

    assert importing.request_commit(upload) is True
    assert importing.request_commit(InstitutionImport.objects.get(pk=upload.pk)) is False


def test_an_unreadable_file_needs_no_worker(admin_user: Any) -> None:
    with translation.override("en"):
        upload = importing.stage_upload(actor=admin_user, file_name="registry.csv", content=b"")

    assert upload.status == ImportStatus.CHECKED
    assert upload.problems[0]["reason"] == "The file is empty."
