"""The one validator: every bad-input case refused with row, column, value and a reason."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from medtour.institutions.actors import CommandLine
from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from medtour.records.services import (
    submission_commit,
    submission_stage_file,
    submission_stage_rows,
)
from medtour.records.validation import parse_dates
from tests.factories import FacilitatorFactory
from tests.records.conftest import row, rows

ACTOR = CommandLine("test")


def errors_of(institution, period, records):
    outcome = submission_stage_rows(
        institution=institution, period=period, rows=records, actor=ACTOR
    )
    return outcome, [(error.row, error.column, error.code) for error in outcome.errors]


def single_error(institution, period, **changes):
    outcome, errors = errors_of(institution, period, [row(**changes)])
    assert len(errors) == 1, errors
    return outcome.errors[0]


def test_a_valid_row_has_no_errors(gangnam_clinic, period_2016):
    outcome, errors = errors_of(gangnam_clinic, period_2016, [row()])
    assert errors == [] and outcome.submission.valid_count == 1


@pytest.mark.parametrize(
    ("changes", "column", "code"),
    [
        (
            {"first_visit": "2015-12-31", "last_visit": "2016-01-02"},
            "first_visit",
            "outside_period",
        ),
        ({"last_visit": "2017-01-02"}, "last_visit", "outside_period"),
        (
            {"first_visit": "2016-03-05", "last_visit": "2016-03-01"},
            "last_visit",
            "last_before_first",
        ),
        ({"fees_krw": "-1000"}, "fees_krw", "negative_fees"),
        ({"fees_krw": "12.5"}, "fees_krw", "invalid_fees"),
        ({"inpatient_days": "3"}, "inpatient_days", "inpatient_days_not_inpatient"),
        (
            {"care_type": "입원", "inpatient_days": "9"},
            "inpatient_days",
            "inpatient_days_exceed_stay",
        ),
        ({"nationality": "Chinaa"}, "nationality", "unknown_nationality_suggest"),
        ({"department": "피부가"}, "department", "unknown_department_suggest"),
        ({"sex": "X"}, "sex", "invalid_sex"),
        ({"care_type": "surgery"}, "care_type", "invalid_care_type"),
        ({"birth_year": "85"}, "birth_year", "invalid_birth_year"),
        ({"birth_year": "2017"}, "birth_year", "birth_year_range"),
        ({"first_visit": "2016-02-30"}, "first_visit", "invalid_date"),
        ({"patient_id": "??"}, "patient_id", "invalid_patient_id"),
        ({"patient_id": ""}, "patient_id", "required"),
        ({"diagnosis": "hello"}, "diagnosis", "invalid_diagnosis"),
        ({"nationality": "JP"}, "province", "province_not_china"),
        ({"facilitator": "NO-SUCH-1"}, "facilitator", "unknown_facilitator"),
    ],
)
def test_bad_values_are_refused(gangnam_clinic, period_2016, changes, column, code):
    error = single_error(gangnam_clinic, period_2016, **changes)
    assert (error.row, error.column) == (1, column)
    assert error.code.startswith(code)
    assert error.message and "%(" not in error.message


def test_future_dates_are_refused(gangnam_clinic):
    from medtour.records.services import reporting_period_for

    today = timezone.localdate()
    period = reporting_period_for(str(today.year))
    tomorrow = today + datetime.timedelta(days=1)
    if tomorrow.year != today.year:
        pytest.skip("the year ends today")
    error = single_error(
        gangnam_clinic, period, first_visit=today.isoformat(), last_visit=tomorrow.isoformat()
    )
    assert (error.column, error.code) == ("last_visit", "future_date")


def test_unknown_codes_come_with_the_closest_suggestions(gangnam_clinic, period_2016):
    error = single_error(gangnam_clinic, period_2016, nationality="Kazakstan")
    assert "Kazakhstan" in error.message
    assert error.value == "Kazakstan"


def test_error_messages_follow_the_readers_language(gangnam_clinic, period_2016):
    error = single_error(gangnam_clinic, period_2016, fees_krw="-5")
    with translation.override("en"):
        assert error.message == "The fees cannot be negative."
    assert error.as_dict().keys() == {"row", "column", "value", "code", "message"}


def test_the_patient_id_is_never_echoed_in_an_error(gangnam_clinic, period_2016):
    error = single_error(gangnam_clinic, period_2016, patient_id="AB-12345678-##")
    assert "12345678" not in error.value
    assert error.value.endswith("8##")


@pytest.mark.parametrize("spelling", ["2016-03-01", "2016.03.01", "20160301", "2016/3/1", "42430"])
def test_date_spellings(gangnam_clinic, period_2016, spelling):
    _outcome, errors = errors_of(
        gangnam_clinic, period_2016, [row(first_visit=spelling, last_visit="2016-03-04")]
    )
    assert errors == []


@pytest.mark.parametrize(
    "spelling", ["CN", "CHN", "156", "China", "중국", "中国", "Китай", "Қытай", "  china "]
)
def test_nationality_as_codes_or_names_in_six_languages(gangnam_clinic, period_2016, spelling):
    _outcome, errors = errors_of(gangnam_clinic, period_2016, [row(nationality=spelling)])
    assert errors == []


@pytest.mark.parametrize(
    "spelling", ["dermatology", "피부과", "Dermatology", "internal_medicine", "소화기내과"]
)
def test_department_by_code_korean_name_or_alias(gangnam_clinic, period_2016, spelling):
    _outcome, errors = errors_of(gangnam_clinic, period_2016, [row(department=spelling)])
    assert errors == []


@pytest.mark.parametrize(
    ("spelling", "stored"),
    [
        ("M", "M"),
        ("f", "F"),
        ("남", "M"),
        ("여", "F"),
        ("男", "M"),
        ("女", "F"),
        ("female", "F"),
        ("мужской", "M"),
    ],
)
def test_sex_spellings(gangnam_clinic, period_2016, spelling, stored):
    outcome, _errors = errors_of(gangnam_clinic, period_2016, [row(sex=spelling)])
    submission_commit(submission=outcome.submission, actor=ACTOR)
    assert PatientRecord.objects.get().sex == stored


@pytest.mark.parametrize(
    ("spelling", "stored"),
    [
        ("outpatient", "outpatient"),
        ("외래", "outpatient"),
        ("입원", "inpatient"),
        ("검진", "checkup"),
        ("Check-up", "checkup"),
    ],
)
def test_care_type_spellings(gangnam_clinic, period_2016, spelling, stored):
    outcome, _errors = errors_of(gangnam_clinic, period_2016, [row(care_type=spelling)])
    submission_commit(submission=outcome.submission, actor=ACTOR)
    assert PatientRecord.objects.get().care_type == stored


def test_a_known_facilitator_is_linked(gangnam_clinic, period_2016):
    agency = FacilitatorFactory(registration_number="2016-SEOUL-0042")
    outcome, _errors = errors_of(gangnam_clinic, period_2016, [row(facilitator="2016-seoul-0042")])
    submission_commit(submission=outcome.submission, actor=ACTOR)
    assert PatientRecord.objects.get().facilitator_id == agency.pk


def test_duplicates_within_the_file_are_refused_after_the_first(gangnam_clinic, period_2016):
    outcome, errors = errors_of(gangnam_clinic, period_2016, [row(), row(fees_krw=5), row()])
    assert errors == [
        (2, "patient_id", "duplicate_in_file"),
        (3, "patient_id", "duplicate_in_file"),
    ]
    with translation.override("en"):
        assert "Row 1" in outcome.errors[0].message


def test_duplicates_are_found_across_batches(gangnam_clinic, period_2016, write_file):
    path = write_file([*rows(5), row(patient_id="P00000001")])
    outcome = submission_stage_file(
        institution=gangnam_clinic, period=period_2016, path=path, actor=ACTOR, batch_size=2
    )
    assert [(error.row, error.code) for error in outcome.errors] == [(7, "duplicate_in_file")]


def test_the_same_patient_id_written_differently_is_the_same_patient(gangnam_clinic, period_2016):
    _outcome, errors = errors_of(
        gangnam_clinic,
        period_2016,
        [
            row(patient_id="e1234-5678"),
            row(patient_id="\uff25\uff11\uff12\uff13\uff14 \uff15\uff16\uff17\uff18"),
        ],
    )
    assert errors == [(2, "patient_id", "duplicate_in_file")]


def test_a_resubmitted_row_is_not_an_error_and_a_changed_one_is_a_revision(
    gangnam_clinic, period_2016
):
    first, _errors = errors_of(gangnam_clinic, period_2016, rows(2))
    submission_commit(submission=first.submission, actor=ACTOR)
    second, errors = errors_of(
        gangnam_clinic, period_2016, [rows(2)[0], {**rows(2)[1], "fees_krw": "1"}]
    )
    assert errors == []
    assert (second.submission.unchanged_count, second.submission.revised_count) == (1, 1)


def test_episodes_of_a_locked_submission_cannot_be_corrected(gangnam_clinic, period_2016):
    first, _errors = errors_of(gangnam_clinic, period_2016, [row()])
    submission_commit(submission=first.submission, actor=ACTOR)
    Submission.objects.filter(pk=first.submission.pk).update(status=SubmissionStatus.LOCKED)

    _unchanged, errors = errors_of(gangnam_clinic, period_2016, [row()])
    assert errors == []
    _changed, errors = errors_of(gangnam_clinic, period_2016, [row(fees_krw=7)])
    assert errors == [(1, "", "locked_record")]


def test_records_of_another_institution_are_separate_episodes(
    gangnam_clinic, mapo_clinic, period_2016
):
    for institution in (gangnam_clinic, mapo_clinic):
        outcome, errors = errors_of(institution, period_2016, [row()])
        assert errors == []
        submission_commit(submission=outcome.submission, actor=ACTOR)
    first, second = PatientRecord.objects.order_by("institution_id")
    assert bytes(first.pseudonym) == bytes(second.pseudonym)


# Property-based checks of the parsers ------------------------------------------------------

dates = st.dates(min_value=datetime.date(1960, 1, 1), max_value=datetime.date(2100, 12, 31))


@given(day=dates, style=st.sampled_from(["%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "{y}/{m}/{d}"]))
@settings(max_examples=200, deadline=None)
def test_every_date_spelling_parses_to_the_same_day(day, style):
    text = f"{day.year}/{day.month}/{day.day}" if style.startswith("{") else day.strftime(style)
    frame = pl.DataFrame({"d": [text]})
    assert parse_dates(frame, "d").to_list() == [day]


@given(serial=st.integers(min_value=20_000, max_value=80_000))
@settings(max_examples=100, deadline=None)
def test_excel_serial_days_count_from_1899_12_30(serial):
    frame = pl.DataFrame({"d": [str(serial)]})
    assert parse_dates(frame, "d").to_list() == [
        datetime.date(1899, 12, 30) + datetime.timedelta(serial)
    ]


@given(text=st.text(max_size=12))
@settings(max_examples=300, deadline=None)
def test_date_parsing_never_fails_on_junk(text):
    frame = pl.DataFrame({"d": [text]}, schema={"d": pl.String})
    [parsed] = parse_dates(frame, "d").to_list()
    assert parsed is None or isinstance(parsed, datetime.date)
