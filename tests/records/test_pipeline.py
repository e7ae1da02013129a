"""The one-pass import: on PostgreSQL validation and writing overlap, with the same outcome."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from medtour.institutions.actors import CommandLine
from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from medtour.records.pipeline import submission_import_file
from medtour.records.services import reporting_period_for
from medtour.reference.resolvers import clear_caches
from tests.factories import InstitutionFactory
from tests.records.conftest import row, rows

ACTOR = CommandLine("test")
pytestmark = pytest.mark.django_db(transaction=True)


def _load_reference() -> None:
    call_command("load_reference", verbosity=0)
    clear_caches()


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """These tests commit for real, and the database is emptied after each: the tests of
    other modules find the reference data loaded again."""
    yield
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference(transactional_db):
    from medtour.reference.models import District

    if not District.objects.exists():
        _load_reference()


@pytest.fixture
def clinic(reference):
    return InstitutionFactory(code="pipeline-clinic")


def test_a_valid_file_is_committed_in_one_pass(clinic, write_file):
    seen = []
    staged, outcome = submission_import_file(
        institution=clinic,
        period=reporting_period_for("2016"),
        path=write_file(rows(30)),
        actor=ACTOR,
        batch_size=7,
        progress=lambda stage, count: seen.append(stage),
    )
    assert outcome is not None and outcome.inserted == 30
    assert PatientRecord.objects.filter(institution=clinic).count() == 30
    assert Submission.objects.get(pk=staged.submission.pk).status == SubmissionStatus.SUBMITTED
    assert {"validated", "written", "committed"} <= set(seen)


def test_refused_rows_leave_a_draft_and_no_records(clinic, write_file):
    path = write_file([*rows(20), row(patient_id="Z1234567", fees_krw="-1")])
    staged, outcome = submission_import_file(
        institution=clinic,
        period=reporting_period_for("2016"),
        path=path,
        actor=ACTOR,
        batch_size=5,
    )
    assert outcome is None
    assert PatientRecord.objects.count() == 0
    draft = Submission.objects.get(pk=staged.submission.pk)
    assert (draft.status, draft.valid_count, draft.invalid_count) == ("draft", 20, 1)


def test_skip_invalid_commits_the_rest_and_reimport_adds_nothing(clinic, write_file):
    path = write_file([*rows(20), row(patient_id="Z1234567", fees_krw="-1")])
    for _round in range(2):
        _staged, outcome = submission_import_file(
            institution=clinic,
            period=reporting_period_for("2016"),
            path=path,
            actor=ACTOR,
            skip_invalid=True,
            batch_size=6,
        )
    assert outcome is not None and (outcome.inserted, outcome.unchanged) == (0, 20)
    assert PatientRecord.objects.count() == 20


def test_other_databases_take_the_sequential_path(clinic, write_file):
    _staged, outcome = submission_import_file(
        institution=clinic,
        period=reporting_period_for("2016"),
        path=write_file(rows(3)),
        actor=ACTOR,
    )
    assert outcome is not None and outcome.inserted == 3
    assert connection.vendor in ("postgresql", "sqlite")
