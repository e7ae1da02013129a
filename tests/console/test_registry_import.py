"""Upload → preview → commit in the console: nothing is saved until every row is valid."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from medtour.institutions.models import Institution, InstitutionImport
from tests.factories import InstitutionFactory, district
from tests.institutions.helpers import csv_bytes, csv_row

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """In production the task worker checks and saves uploads; here they run immediately."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def officer(persona_client: Any) -> Any:
    client = persona_client("officer_mapo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client: Any, content: bytes, name: str = "registry.csv") -> Any:
    return client.post(
        reverse("console:institution-import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def test_a_file_with_problems_is_previewed_with_row_column_value_and_reason(officer: Any) -> None:
    content = csv_bytes([csv_row(), csv_row(code="two", registration_number="R-2", type="spa")])

    response = upload(officer, content)

    text = response.content.decode()
    assert "Checking registry.csv" in text
    assert "<td>“spa” is not one of:" in text
    assert "<code>type</code>" in text
    assert '<td class="num">3</td>' in text
    assert "Save all rows" not in text
    assert not Institution.objects.exists()


def test_a_file_with_problems_cannot_be_committed(officer: Any) -> None:
    upload(officer, csv_bytes([csv_row(type="spa")]))
    staged = InstitutionImport.objects.get()

    response = officer.post(
        reverse("console:institution-import-commit", kwargs={"pk": staged.pk}), follow=True
    )

    assert "This file cannot be saved" in response.content.decode()
    assert not Institution.objects.exists()


def test_a_valid_file_is_saved_on_confirmation(officer: Any) -> None:
    response = upload(
        officer, csv_bytes([csv_row(), csv_row(code="two", registration_number="R-2")])
    )
    staged = InstitutionImport.objects.get()
    assert "Save all rows" in response.content.decode()
    assert not Institution.objects.exists()

    done = officer.post(
        reverse("console:institution-import-commit", kwargs={"pk": staged.pk}), follow=True
    )

    assert "Saved on " in done.content.decode()
    assert ": 2 new, 0 changed." in done.content.decode()
    assert set(Institution.objects.values_list("code", flat=True)) == {"river-eye", "two"}
    staged.refresh_from_db()
    assert staged.committed_at is not None
    assert not staged.is_committable


def test_the_commit_validates_again_against_the_registry_as_it_is(officer: Any) -> None:
    upload(officer, csv_bytes([csv_row()]))
    staged = InstitutionImport.objects.get()
    InstitutionFactory(
        code="taken", registration_number="SEOUL-2023-0456", district=district("11440")
    )

    response = officer.post(
        reverse("console:institution-import-commit", kwargs={"pk": staged.pk}), follow=True
    )

    assert "Nothing was saved" in response.content.decode()
    assert "already exists" in response.content.decode()
    assert not Institution.objects.filter(code="river-eye").exists()


def test_an_unreadable_file_is_explained(officer: Any) -> None:
    response = upload(officer, b"PK\x03\x04broken", name="registry.xlsx")

    assert "The XLSX file cannot be opened" in response.content.decode()


def test_an_upload_is_private_to_its_uploader(
    officer: Any, persona_client: Any, admin_user: Any
) -> None:
    upload(officer, csv_bytes([csv_row()]))
    staged = InstitutionImport.objects.get()
    other = persona_client("admin_user")

    assert (
        other.get(
            reverse("console:institution-import-preview", kwargs={"pk": staged.pk})
        ).status_code
        == 404
    )
    assert (
        other.post(
            reverse("console:institution-import-commit", kwargs={"pk": staged.pk})
        ).status_code
        == 404
    )
    assert not Institution.objects.exists()


def test_while_the_worker_is_busy_the_preview_waits_and_refreshes_itself(
    officer: Any, settings: Any
) -> None:
    settings.TASKS = QUEUED

    response = upload(
        officer, csv_bytes([csv_row(), csv_row(code="two", registration_number="R-2")])
    )

    text = response.content.decode()
    assert "Checking 2 rows…" in text
    assert 'hx-trigger="every 2s"' in text
    assert "Save all rows" not in text
    assert InstitutionImport.objects.get().status == "checking"


def test_a_failed_check_stops_the_waiting_and_says_so(officer: Any) -> None:
    from medtour.institutions.importing import fail_upload

    upload(officer, csv_bytes([csv_row()]))
    staged = InstitutionImport.objects.get()
    fail_upload(staged)

    text = officer.get(
        reverse("console:institution-import-preview", kwargs={"pk": staged.pk})
    ).content.decode()

    assert "The file could not be processed. Nothing was saved; please try again." in text
    assert "every 2s" not in text
