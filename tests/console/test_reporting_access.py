"""Every reporting screen for every persona: who gets it, who is refused, who never sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from medtour.records.services import (
    reporting_period_for,
    submission_approve,
    submission_commit,
    submission_stage_rows,
)
from tests.conftest import PERSONAS
from tests.records.conftest import rows

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, HIDDEN = 200, 302, 403, 404
INSTITUTION_STAFF = {"staff_gangnam", "staff_mapo"}
READERS = INSTITUTION_STAFF | {"officer_gangnam", "officer_mapo", "analyst", "admin_user"}
WATCHERS = {"officer_gangnam", "officer_mapo", "analyst", "admin_user"}
OUTSIDE_GANGNAM = {"staff_mapo", "officer_mapo"}


def _expect(allowed: set[str], hidden: set[str] | frozenset[str] = frozenset()) -> dict[str, int]:
    expected = {"anonymous": LOGIN}
    for persona in PERSONAS[1:]:
        if persona in hidden:
            expected[persona] = HIDDEN
        elif persona in allowed:
            expected[persona] = OK
        else:
            expected[persona] = FORBIDDEN
    return expected


SCREENS: list[tuple[str, str | None, dict[str, int]]] = [
    ("submission-list", None, _expect(READERS)),
    ("submission-upload", None, _expect(INSTITUTION_STAFF)),
    ("submission-record", None, _expect(INSTITUTION_STAFF)),
    ("records-template", None, _expect(READERS)),
    ("period-list", None, _expect(READERS)),
    ("period-missing", "period", _expect(WATCHERS)),
    ("submission-detail", "submission", _expect(READERS - OUTSIDE_GANGNAM, OUTSIDE_GANGNAM)),
    ("submission-refused", "refused", _expect(READERS - OUTSIDE_GANGNAM, OUTSIDE_GANGNAM)),
]


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path: Path) -> Any:
    with override_settings(VAR_DIR=tmp_path / "var"):
        yield


@pytest.fixture
def gangnam_submission(gangnam_clinic: Any, staff_gangnam: Any) -> Any:
    period = reporting_period_for("2016")
    outcome = submission_stage_rows(
        institution=gangnam_clinic, period=period, rows=rows(2), actor=staff_gangnam
    )
    return outcome.submission


def _url(name: str, kind: str | None, submission: Any) -> str:
    if kind == "period":
        return reverse(f"console:{name}", args=[submission.period_id])
    if kind == "submission":
        return reverse(f"console:{name}", args=[submission.pk])
    if kind == "refused":
        return reverse(f"console:{name}", args=[submission.pk, "csv"])
    return reverse(f"console:{name}")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kind", "expected"), SCREENS, ids=[s[0] for s in SCREENS])
def test_reporting_screen_answers_each_persona(
    persona_client: Any,
    gangnam_submission: Any,
    persona: str,
    name: str,
    kind: str | None,
    expected: dict[str, int],
) -> None:
    response = persona_client(persona).get(_url(name, kind, gangnam_submission))
    assert response.status_code == expected[persona]


# Workflow steps on a submitted Gangnam submission: (url name, who may, who is refused, hidden)
STEPS: list[tuple[str, set[str]]] = [
    ("submission-approve", {"officer_gangnam"}),
    ("submission-lock", set()),  # only once approved; see the approved case below
    ("submission-return", {"officer_gangnam"}),
    ("submission-commit", set()),  # already committed: nobody sees the button
    ("submission-resubmit", set()),  # not returned
    ("submission-discard", set()),  # not a draft
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "allowed"), STEPS, ids=[s[0] for s in STEPS])
def test_workflow_step_is_refused_to_everyone_but_the_right_person(
    persona_client: Any,
    gangnam_submission: Any,
    staff_gangnam: Any,
    persona: str,
    name: str,
    allowed: set[str],
) -> None:
    submission_commit(submission=gangnam_submission, actor=staff_gangnam)
    url = reverse(f"console:{name}", args=[gangnam_submission.pk])
    response = persona_client(persona).post(url, {"comment": "Fees look wrong"})
    if persona == "anonymous":
        assert response.status_code == LOGIN and "/accounts/" in response["Location"]
    elif persona in allowed:
        assert response.status_code == 302
    elif persona in READERS - OUTSIDE_GANGNAM:
        assert response.status_code == FORBIDDEN
    elif persona in OUTSIDE_GANGNAM:
        assert response.status_code == HIDDEN
    else:
        assert response.status_code == FORBIDDEN


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_administrator_locks_an_approved_submission(
    persona_client: Any,
    gangnam_submission: Any,
    staff_gangnam: Any,
    officer_gangnam: Any,
    persona: str,
) -> None:
    submission_commit(submission=gangnam_submission, actor=staff_gangnam)
    submission_approve(submission=gangnam_submission, actor=officer_gangnam)
    url = reverse("console:submission-lock", args=[gangnam_submission.pk])
    response = persona_client(persona).post(url)
    expected = {"anonymous": LOGIN, "admin_user": 302}
    expected |= dict.fromkeys(OUTSIDE_GANGNAM, HIDDEN)
    assert response.status_code == expected.get(persona, FORBIDDEN)
    gangnam_submission.refresh_from_db()
    assert gangnam_submission.status == ("locked" if persona == "admin_user" else "approved")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_officers_and_the_administrator_send_reminders(
    persona_client: Any, gangnam_submission: Any, settings: Any, persona: str
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    url = reverse("console:period-remind", args=[gangnam_submission.period_id])
    response = persona_client(persona).post(url)
    allowed = {"officer_gangnam", "officer_mapo", "admin_user"}
    expected = LOGIN if persona == "anonymous" else 302 if persona in allowed else FORBIDDEN
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_administrator_opens_a_reporting_period(
    persona_client: Any, db: None, persona: str
) -> None:
    response = persona_client(persona).post(reverse("console:period-list"), {"label": "2031"})
    expected = {"anonymous": LOGIN, "admin_user": 302}
    assert response.status_code == expected.get(persona, FORBIDDEN)
