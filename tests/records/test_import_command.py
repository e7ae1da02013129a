"""`manage.py import_records`: exit codes, the JSON report, --skip-invalid, killed commits."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from medtour.audit.models import AuditEvent
from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from tests.records.conftest import csv_bytes, row, rows

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def report(*args: str) -> tuple[int, dict]:
    code, out, _err = run(*args, "--report", "json")
    return code, json.loads(out)


def test_valid_file_exits_0_and_only_validates_without_commit(gangnam_clinic, write_file):
    code, answer = report(
        str(write_file(rows(3))), "--institution", "gangnam-clinic", "--period", "2016"
    )
    assert code == 0
    assert answer.keys() >= {"rows", "valid", "invalid", "committed", "submission", "errors"}
    assert (answer["rows"], answer["valid"], answer["invalid"], answer["committed"]) == (
        3,
        3,
        0,
        False,
    )
    assert PatientRecord.objects.count() == 0
    assert Submission.objects.get(pk=answer["submission"]).status == SubmissionStatus.DRAFT


def test_commit_writes_and_reports(gangnam_clinic, write_file):
    code, answer = report(
        str(write_file(rows(3))), "--institution", "gangnam-clinic", "--period", "2016", "--commit"
    )
    assert (code, answer["committed"]) == (0, True)
    assert PatientRecord.objects.count() == 3
    assert AuditEvent.objects.filter(action="import", target_id=str(answer["submission"])).exists()


def test_refused_rows_exit_1_and_commit_nothing(gangnam_clinic, write_file):
    path = write_file([*rows(2), row(patient_id="Q7654321", first_visit="2015-01-01")])
    code, answer = report(
        str(path), "--institution", "gangnam-clinic", "--period", "2016", "--commit"
    )
    assert (code, answer["committed"], answer["invalid"]) == (1, False, 1)
    [error] = answer["errors"]
    assert error == {
        "row": 4,
        "column": "first_visit",
        "value": "2015-01-01",
        "code": "outside_period",
        "message": error["message"],
    }
    assert "2015-01-01" in error["message"]
    assert PatientRecord.objects.count() == 0


def test_skip_invalid_commits_valid_rows_and_keeps_refused_ones(gangnam_clinic, write_file):
    path = write_file([*rows(2), row(patient_id="Q7654321", fees_krw="-3")])
    code, answer = report(
        str(path),
        "--institution",
        "gangnam-clinic",
        "--period",
        "2016",
        "--commit",
        "--skip-invalid",
    )
    assert (code, answer["committed"]) == (0, True)
    assert PatientRecord.objects.count() == 2
    refused = Submission.objects.get(pk=answer["submission"]).refused_rows.get()
    assert refused.row_number == 4 and refused.errors[0]["code"] == "negative_fees"


def test_same_file_twice_adds_nothing(gangnam_clinic, write_file):
    path = str(write_file(rows(5)))
    args = (path, "--institution", "gangnam-clinic", "--period", "2016", "--commit")
    report(*args)
    code, answer = report(*args)
    assert code == 0 and answer["unchanged"] == 5 and answer["new"] == 0
    assert PatientRecord.objects.count() == 5


@pytest.mark.parametrize(
    "args",
    [
        ("--institution", "no-such-clinic", "--period", "2016"),
        ("--institution", "gangnam-clinic", "--period", "sixteen"),
        ("--institution", "gangnam-clinic", "--period", "2016", "--skip-invalid"),
    ],
)
def test_usage_errors_exit_2(gangnam_clinic, write_file, args):
    code, answer = report(str(write_file(rows(1))), *args)
    assert code == 2 and answer["committed"] is False and answer["errors"][0]["message"]


def test_file_level_errors_exit_2(gangnam_clinic, write_file):
    path = write_file(b"\x00\x01binary", name="records.csv")
    code, _out, err = run(str(path), "--institution", "gangnam-clinic", "--period", "2016")
    assert code == 2 and "records.csv" in err


def test_text_report_lists_each_problem(gangnam_clinic, write_file):
    path = write_file([row(sex="?")])
    code, out, _err = run(
        str(path), "--institution", "gangnam-clinic", "--period", "2016", "--language", "en"
    )
    assert code == 1
    assert "row 2, sex:" in out and "1 refused" in out


# Killing the process during the commit ----------------------------------------------------


def _scratch_database(tmp_path: Path) -> tuple[str, object]:
    """A database the child processes can reach, of the kind the tests run on."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"{params['NAME']}_kill"
        user, host = params["USER"] or "postgres", params["HOST"] or "127.0.0.1"
        server = f"postgres://{user}@{host}:{params['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")

        def count(sql: str) -> int:
            with psycopg.connect(f"{server}/{name}") as db:
                return db.execute(sql).fetchone()[0]

        def drop() -> None:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        return f"{server}/{name}", (count, drop)
    path = tmp_path / "kill.sqlite3"

    def count_sqlite(sql: str) -> int:
        with sqlite3.connect(path) as db:
            return db.execute(sql).fetchone()[0]

    return f"sqlite:///{path}", (count_sqlite, lambda: None)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def test_killing_the_import_during_commit_leaves_all_or_nothing(db, tmp_path):
    url, (count, drop) = _scratch_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "MEDTOUR_VAR_DIR": str(tmp_path / "var")}
    try:
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "load_reference")
        _manage(
            env,
            "shell",
            "-c",
            (
                "from medtour.institutions.models import Institution;"
                "from medtour.reference.models import District;"
                "Institution.objects.create(code='kill-clinic', names={'ko': '시험'},"
                " type='clinic', district=District.objects.get(code='11680'),"
                " address={'ko': '서울'})"
            ),
        )
        total = 60_000
        path = tmp_path / "big.csv"
        path.write_bytes(csv_bytes(rows(total)))
        command = [
            sys.executable,
            "manage.py",
            "import_records",
            str(path),
            "--institution",
            "kill-clinic",
            "--period",
            "2016",
            "--commit",
            "--batch-size",
            "2000",
            "-v",
            "2",
        ]
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith("written:"):  # the commit has started and written rows
                os.kill(child.pid, signal.SIGKILL)
                break
        child.wait(timeout=120)
        assert child.returncode == -signal.SIGKILL
        records = count("SELECT count(*) FROM records_patientrecord")
        assert records in (0, total)
        assert records == 0, "the kill came after the commit finished"
        assert count("SELECT count(*) FROM records_submission WHERE committed_at IS NOT NULL") == 0

        # Run again to the end: the whole file, exactly once.
        subprocess.run(command[:-2], cwd=ROOT, env=env, check=True, capture_output=True)
        assert count("SELECT count(*) FROM records_patientrecord") == total
    finally:
        drop()
