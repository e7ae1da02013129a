"""Reporting in a real browser: a clinic uploads, reviews the summary, commits; the district
officer approves. The server, its data and the strict CSP are those of tests/e2e/conftest.py."""

from __future__ import annotations

import csv
import datetime
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e import signing
from tests.e2e.conftest import manage

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

CLINIC = "clinic@medtour.example"
OFFICER = "gangnam@medtour.example"
COLUMNS = [
    "patient_id",
    "birth_year",
    "sex",
    "nationality",
    "department",
    "first_visit",
    "last_visit",
    "care_type",
    "fees_krw",
]
# The server counts days in Seoul, which may already be tomorrow in UTC.
TODAY = datetime.datetime.now(ZoneInfo("Asia/Seoul")).date()
PERIOD = f"{TODAY:%Y-%m}"  # this month: past days for valid rows, a future day for a bad one
# The machine is shared: staging a file or hashing a password may wait for a core.
PATIENT_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def period(live_url: str, server_env: dict[str, str]) -> str:
    """The reporting period the clinic reports for, opened as an administrator would."""
    manage(
        server_env,
        "shell",
        "-c",
        f"from medtour.records.services import reporting_period_for; "
        f"reporting_period_for('{PERIOD}')",
    )
    return PERIOD


def records_file(path: Path, prefix: str, *, valid: int, future: int = 0) -> Path:
    """VALID episodes on the first of the month, FUTURE more dated after today."""
    first = TODAY.replace(day=1).isoformat()
    later = (TODAY + datetime.timedelta(days=3)).isoformat()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for index in range(valid + future):
            day = first if index < valid else later
            patient = f"{prefix}{index:06d}"
            writer.writerow(
                [patient, "1984", "F", "CN", "피부과", day, day, "outpatient", "250000"]
            )
    return path


def sign_in(page: Any, server_env: dict[str, str], email: str, *, totp: bool) -> None:
    page.set_default_timeout(PATIENT_TIMEOUT_MS)
    signing.sign_in(page, server_env, email, totp=totp)


def card(page: Any, title: str) -> str:
    """The big number under a summary card's title."""
    cards = page.locator(".card", has=page.locator(f"h2:text-is('{title}')"))
    return str(cards.locator(".big-number").inner_text()).strip()


def upload(page: Any, period: str, path: Path) -> None:
    page.goto("/console/reporting/upload/")
    page.select_option("select[name=period]", label=period)
    page.set_input_files("input[name=file]", str(path))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/reporting/submissions/\d+/$"))


def test_clinic_uploads_reviews_refused_rows_commits_and_a_second_upload_adds_nothing(
    page: Any, server_env: dict[str, str], period: str, tmp_path: Path
) -> None:
    source = records_file(tmp_path / "patients.csv", "E2EUP", valid=3, future=1)
    sign_in(page, server_env, CLINIC, totp=False)

    upload(page, period, source)
    assert (card(page, "Valid"), card(page, "Refused"), card(page, "New episodes")) == (
        "3",
        "1",
        "3",
    )
    errors = page.inner_text("table.import-problems")
    assert "in the future" in errors and "first_visit" in errors
    with page.expect_download() as download:
        page.locator("a[href$='refused.csv']").click()
    refused = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "in the future" in refused and len(refused.strip().splitlines()) == 2

    page.get_by_role("button", name="Save the valid rows only").click()
    page.wait_for_load_state()
    summary = page.inner_text("body")
    assert "The records are saved" in summary
    assert "submitted" in page.inner_text("main .badge")
    assert re.search(r"Saved on .*: 3 rows\.", summary)

    upload(page, period, source)
    counts = [card(page, title) for title in ("Unchanged episodes", "New episodes", "Refused")]
    assert counts == ["3", "0", "1"]
    page.get_by_role("button", name="Discard this draft").click()
    page.wait_for_url(re.compile(r"/console/reporting/submissions/$"))


def test_district_officer_approves_a_committed_submission(
    page: Any, server_env: dict[str, str], period: str, tmp_path: Path
) -> None:
    institution = manage(
        server_env,
        "shell",
        "-c",
        f"from medtour.accounts.models import User; "
        f"print(User.objects.get(email='{CLINIC}').institution.code)",
    ).split()[-1]  # the shell may say first which names it imported
    source = records_file(tmp_path / "approve.csv", "E2EAPP", valid=2)
    report = manage(
        server_env,
        "import_records",
        str(source),
        "--institution",
        institution,
        "--period",
        period,
        "--commit",
        "--report",
        "json",
    )
    submission = json.loads(report)["submission"]

    sign_in(page, server_env, OFFICER, totp=True)
    page.goto(f"/console/reporting/submissions/{submission}/")
    assert "submitted" in page.inner_text("main .badge")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "The submission is approved." in page.inner_text("body")
    assert "approved" in page.inner_text("main .badge")
    assert page.get_by_role("button", name="Approve").count() == 0
