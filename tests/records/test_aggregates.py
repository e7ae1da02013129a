"""Aggregate returns: one total per cell, judged by one validator, scoped, audited, imported."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from medtour.audit.models import AuditAction, AuditEvent
from medtour.records.aggregates import parse_row
from medtour.records.models import AggregateMeasure, AggregateReturn, ReportingPeriod
from medtour.records.services import (
    AggregateInvalid,
    SubmissionError,
    aggregate_return_delete,
    aggregate_return_save,
    aggregate_returns_import,
    reporting_period_for,
)
from medtour.reference.models import Country
from tests.factories import district

pytestmark = pytest.mark.django_db
GANGNAM, MAPO = "11680", "11440"
HEADER = "period,district,nationality,department,measure,count,source\n"


@pytest.fixture
def period(db: None) -> ReportingPeriod:
    return reporting_period_for("2015")


def save(actor: Any, period: ReportingPeriod, **changes: Any) -> AggregateReturn:
    values: dict[str, Any] = {
        "period": period,
        "city": "seoul",
        "district": district(GANGNAM),
        "measure": AggregateMeasure.UNIQUE_PATIENTS,
        "count": 1200,
        "source": "KHIDI 2015, table 3",
        "actor": actor,
        **changes,
    }
    return aggregate_return_save(**values)


def problems_of(call: Any) -> list[tuple[str, str]]:
    with pytest.raises(AggregateInvalid) as caught:
        call()
    return [(problem.field, problem.message) for problem in caught.value.problems]


def test_a_new_total_is_saved_and_audited_with_its_values(admin_user, period):
    total = save(admin_user, period)
    event = AuditEvent.objects.get(target_id=str(total.pk), target_type="records.aggregatereturn")
    assert event.action == AuditAction.CREATE
    assert event.actor == admin_user
    assert event.changes["count"] == [None, 1200]
    assert event.changes["district"] == [None, district(GANGNAM).pk]


def test_a_taken_cell_is_refused_with_the_constraint_message_when_not_replacing(admin_user, period):
    save(admin_user, period)
    found = problems_of(lambda: save(admin_user, period, count=5, replace=False))
    assert found == [("", "This cell already has a total for this period.")]
    assert AggregateReturn.objects.get().count == 1200


def test_the_taken_cell_message_is_in_the_readers_language(admin_user, period):
    save(admin_user, period)
    with translation.override("ko"):
        found = problems_of(lambda: save(admin_user, period, count=5, replace=False))
    assert found == [("", "이 항목에는 이 기간의 합계가 이미 있습니다.")]


def test_editing_a_total_may_move_it_to_a_free_cell_and_is_audited_as_a_change(admin_user, period):
    total = save(admin_user, period)
    moved = save(admin_user, period, aggregate=total, district=district(MAPO), count=1300)
    assert (moved.pk, moved.district.code, moved.count) == (total.pk, MAPO, 1300)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.changes == {
        "count": [1200, 1300],
        "district": [district(GANGNAM).pk, district(MAPO).pk],
    }


def test_editing_a_total_onto_another_totals_cell_is_refused(admin_user, period):
    save(admin_user, period, district=district(MAPO))
    gangnam = save(admin_user, period)
    found = problems_of(
        lambda: save(admin_user, period, aggregate=gangnam, district=district(MAPO))
    )
    assert found == [("", "This cell already has a total for this period.")]


def test_the_same_total_again_changes_nothing_and_writes_no_audit_event(admin_user, period):
    save(admin_user, period)
    save(admin_user, period)
    assert AuditEvent.objects.filter(target_type="records.aggregatereturn").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": -1}, "count", "A count cannot be negative."),
        ({"count": 10**16}, "count", "The count is larger than 1,000,000,000,000,000."),
        ({"measure": "patients"}, "measure", "Unknown measure “patients”"),
        ({"source": "  "}, "source", "Say where the total comes from (the source)."),
        ({"source": "x" * 501}, "source", "The source is longer than 500 characters."),
    ],
)
def test_invalid_totals_are_refused_field_by_field(admin_user, period, changes, field, message):
    found = problems_of(lambda: save(admin_user, period, **changes))
    assert [name for name, _text in found] == [field]
    assert found[0][1].startswith(message)
    assert not AggregateReturn.objects.exists()


def test_problems_are_submission_errors_for_callers_that_only_show_a_message(admin_user, period):
    with pytest.raises(SubmissionError):
        save(admin_user, period, count=-1)


def test_an_officer_writes_totals_of_their_own_district_only(officer_gangnam, period):
    assert save(officer_gangnam, period).district.code == GANGNAM
    for other in (district(MAPO), None):
        found = problems_of(lambda other=other: save(officer_gangnam, period, district=other))
        assert [name for name, _text in found] == ["district"]


def test_an_officer_cannot_move_another_districts_total(admin_user, officer_gangnam, period):
    mapo = save(admin_user, period, district=district(MAPO))
    found = problems_of(lambda: save(officer_gangnam, period, aggregate=mapo))
    assert [name for name, _text in found] == ["district"]
    assert AggregateReturn.objects.get().district.code == MAPO


@pytest.mark.parametrize("persona", ["analyst", "agent", "staff_gangnam", "patient"])
def test_readers_and_outsiders_write_no_totals(request, period, persona):
    actor = request.getfixturevalue(persona)
    found = problems_of(lambda: save(actor, period))
    assert [name for name, _text in found] == ["district"]


def test_delete_removes_the_total_and_the_audit_keeps_its_values(admin_user, period):
    total = save(admin_user, period)
    aggregate_return_delete(aggregate=total, actor=admin_user)
    assert not AggregateReturn.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.target_id == str(total.pk)
    assert event.changes["count"] == [1200, None]
    assert event.changes["source"] == ["KHIDI 2015, table 3", None]


def test_an_officer_cannot_delete_another_districts_total(admin_user, officer_mapo, period):
    total = save(admin_user, period)
    with pytest.raises(SubmissionError):
        aggregate_return_delete(aggregate=total, actor=officer_mapo)
    assert AggregateReturn.objects.exists()


# Import --------------------------------------------------------------------------------------


def test_a_valid_file_saves_every_total_and_again_changes_nothing(admin_user, period):
    content = (
        HEADER + "2015,,,,unique_patients,76385,KHIDI 2015\n"
        '2015,강남구,CN,,unique_patients,"12,345",KHIDI 2015\n'
        "2015,Mapo-gu,,dermatology,Patients counted per department,321,KHIDI 2015\n"
    ).encode()
    first = aggregate_returns_import(content=content, city="seoul", actor=admin_user)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    china = AggregateReturn.objects.get(nationality=Country.objects.get(alpha2="CN"))
    assert (china.district.code, china.count) == (GANGNAM, 12345)
    city = AggregateReturn.objects.get(district__isnull=True)
    assert city.count == 76385
    again = aggregate_returns_import(content=content, city="seoul", actor=admin_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    corrected = content.replace(b"76385", b"76386")
    third = aggregate_returns_import(content=corrected, city="seoul", actor=admin_user)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)


def test_a_file_with_bad_rows_saves_nothing_and_reports_each_row_column_value_and_reason(
    admin_user, period
):
    content = (
        "# totals from the 2015 report\n"
        + HEADER
        + "2015,Gangnam-gu,,,unique_patients,10,KHIDI\n"
        + "2015,Atlantis,,,unique_patients,10,KHIDI\n"
        + "2015,,Narnia,,unique_patients,-3,KHIDI\n"
        + "2013,,,,unique_patients,10,KHIDI\n"
        + "2015,,,,visits,ten,\n"
        + "2015,Gangnam-gu,,,unique_patients,11,KHIDI again\n"
    ).encode()
    with pytest.raises(AggregateInvalid) as caught:
        aggregate_returns_import(content=content, city="seoul", actor=admin_user)
    found = [(p.row, p.field, p.value) for p in caught.value.problems]
    assert found == [
        (4, "district", "Atlantis"),
        (5, "nationality", "Narnia"),
        (6, "period", "2013"),
        (7, "measure", "visits"),
        (7, "count", "ten"),
        (7, "source", ""),
        (8, "", ""),
    ]
    reasons = {p.row: p.message for p in caught.value.problems}
    assert reasons[6] == ("The reporting period 2013 is not open; an administrator opens it first.")
    assert reasons[8] == "The same cell as row 3 of this file."
    assert not AggregateReturn.objects.exists()
    assert not AuditEvent.objects.filter(target_type="records.aggregatereturn").exists()


def test_an_officers_file_is_refused_whole_for_a_row_of_another_district(officer_gangnam, period):
    content = (
        HEADER + "2015,Gangnam-gu,,,unique_patients,10,KHIDI\n2015,Mapo-gu,,,unique_patients,10,K\n"
    ).encode()
    with pytest.raises(AggregateInvalid) as caught:
        aggregate_returns_import(content=content, city="seoul", actor=officer_gangnam)
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "district")]
    assert not AggregateReturn.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "The file is empty."),
        (b"period;district;measure\n2015;;unique_patients\n", "Required columns are missing"),
        (b"\x00\x01\xff\xfe", "The file is not CSV text in UTF-8 or CP949."),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(admin_user, period, content, reason):
    with pytest.raises(AggregateInvalid) as caught:
        aggregate_returns_import(content=content, city="seoul", actor=admin_user)
    assert caught.value.problems[0].message.startswith(reason)


def test_cp949_and_semicolons_are_read(admin_user, period):
    content = (
        "period;district;measure;count;source\n2015;마포구;patient_visits;42;서울시 통계\n"
    ).encode("cp949")
    outcome = aggregate_returns_import(content=content, city="seoul", actor=admin_user)
    assert outcome.created == 1
    assert AggregateReturn.objects.get().source == "서울시 통계"


@given(st.integers(min_value=0, max_value=10**15))
def test_counts_are_read_with_or_without_thousands_separators(count):
    for text in (str(count), f"{count:,}", f"₩{count:,}"):
        _cell, problems = parse_row({"count": text})
        assert not [p for p in problems if p.field == "count"]


@given(st.text(min_size=1).filter(lambda text: any(c.isalpha() and c != "원" for c in text)))
def test_text_with_letters_is_no_count(text):
    _cell, problems = parse_row({"count": text})
    assert [p.value for p in problems if p.field == "count"] == [text.strip()]
