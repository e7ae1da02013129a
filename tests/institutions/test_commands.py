"""`import_institutions`: thin over the importer; errors on stderr as FILE:ROW: column …, exit 1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from medtour.audit.models import AuditEvent
from medtour.institutions.models import Institution
from tests.institutions.helpers import csv_bytes, csv_row

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import_institutions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_commit_the_file_is_only_checked(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([csv_row()]))

    out, _err = run(str(path))

    assert out.strip() == (
        "All rows are valid: 1 new, 0 changed, 0 unchanged. "
        "Nothing was saved; run again with --commit to save."
    )
    assert not Institution.objects.exists()


def test_with_commit_every_row_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([csv_row(), csv_row(code="two", registration_number="R-2")]))

    out, _err = run(str(path), "--commit")

    assert out.strip() == "Saved: 2 new, 0 changed, 0 unchanged."
    assert Institution.objects.count() == 2
    assert AuditEvent.objects.count() == 2


def test_errors_name_file_row_column_value_and_reason_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(
        csv_bytes([csv_row(), csv_row(code="two", registration_number="R-2", district="Gotham")])
    )

    with pytest.raises(CommandError) as failed:
        run(str(path), "--commit")

    assert failed.value.returncode == 1
    assert str(failed.value) == f"1 problems found in {path}; nothing was saved."
    assert not Institution.objects.exists()


def test_error_lines_go_to_standard_error(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([csv_row(district="Gotham")]))
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_institutions", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        f"{path}:2: column district: value 'Gotham': “Gotham” is not a known district."
    ]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failed:
        run(str(tmp_path / "nowhere.csv"))

    assert "nowhere.csv" in str(failed.value)
