"""Bulk import: every problem named by row, column, value and reason; all rows or none."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from medtour.audit.models import AuditAction, AuditEvent
from medtour.institutions.actors import CommandLine
from medtour.institutions.columns import COLUMNS
from medtour.institutions.importing import check_table, commit_table, format_problem, read_file
from medtour.institutions.models import Institution
from medtour.institutions.reading import Problem, escape_formula, unescape_formula
from tests.factories import InstitutionFactory
from tests.institutions.helpers import csv_bytes, csv_row

pytestmark = pytest.mark.django_db
OPERATOR = CommandLine("test")


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def check(content: bytes, name: str = "registry.csv", actor: Any = OPERATOR) -> Any:
    return check_table(actor=actor, table=read_file(name, content))


def commit(content: bytes, name: str = "registry.csv", actor: Any = OPERATOR) -> Any:
    return commit_table(actor=actor, table=read_file(name, content))


def test_valid_rows_are_only_checked_until_committed(db: None) -> None:
    result = check(csv_bytes([csv_row(), csv_row(code="lake-ent", registration_number="R-2")]))

    assert result.problems == []
    assert result.new_count == 2
    assert not Institution.objects.exists()


def test_commit_registers_new_rows_with_an_import_event_each(db: None) -> None:
    result = commit(csv_bytes([csv_row()]))

    assert result.problems == []
    institution = Institution.objects.get(code="river-eye")
    assert institution.names == {"ko": "강안과의원", "en": "River Eye Clinic"}
    assert institution.district.code == "11440"
    assert sorted(language.code for language in institution.languages.all()) == ["en", "ja"]
    assert str(institution.latitude) == "37.556000"
    event = AuditEvent.objects.get(target_id=str(institution.pk))
    assert event.action == AuditAction.IMPORT
    assert event.changes["code"] == [None, "river-eye"]


def test_a_row_with_a_known_code_updates_that_institution(gangnam_clinic: Institution) -> None:
    content = csv_bytes([{"code": "gangnam-clinic", "phone": "02-0777-0000"}])

    result = commit(content)

    assert (result.new_count, result.changed_count) == (0, 1)
    gangnam_clinic.refresh_from_db()
    assert gangnam_clinic.phone == "02-0777-0000"
    assert gangnam_clinic.names["ko"] == "강남시험의원"  # a column left out keeps its value
    event = AuditEvent.objects.get(target_id=str(gangnam_clinic.pk))
    assert event.changes == {"phone": ["", "02-0777-0000"]}


def test_an_empty_cell_clears_the_value(gangnam_clinic: Institution) -> None:
    Institution.objects.filter(pk=gangnam_clinic.pk).update(phone="02-0123-0000")

    commit(csv_bytes([{"code": "gangnam-clinic", "phone": ""}]))

    assert Institution.objects.get(pk=gangnam_clinic.pk).phone == ""


def test_every_bad_row_is_reported_and_nothing_is_saved(gangnam_clinic: Institution) -> None:
    content = csv_bytes(
        [
            csv_row(),
            csv_row(code="bad-district", registration_number="R-2", district="Atlantis-gu"),
            csv_row(code="bad-dates", registration_number="R-3", registered_until="2020-01-01"),
            csv_row(code="bad-department", registration_number="R-4", departments="eye|skinn"),
            csv_row(code="river-eye", registration_number="R-5"),
            csv_row(code="gangnam-clinic", registration_number="R-7", latitude="north"),
        ]
    )

    result = commit(content)

    found = {(p.row, p.column, p.value) for p in result.problems}
    assert found == {
        (3, "district", "Atlantis-gu"),
        (4, "registered_until", "2020-01-01"),
        (5, "departments", "eye"),
        (5, "departments", "skinn"),
        (6, "code", "river-eye"),
        (7, "latitude", "north"),
    }
    reasons = {(p.row, p.column): p.reason for p in result.problems}
    assert reasons[(4, "registered_until")] == "The registration cannot end before it starts."
    assert reasons[(6, "code")] == "the same code is already in row 2"
    assert reasons[(7, "latitude")] == "Enter a number."
    assert not Institution.objects.exclude(pk=gangnam_clinic.pk).exists()
    assert not AuditEvent.objects.exists()


def test_unknown_values_suggest_the_closest_known_ones(db: None) -> None:
    result = check(csv_bytes([csv_row(departments="dermatolgy", languages="Englsh")]))

    reasons = {p.column: p.reason for p in result.problems}
    assert reasons["departments"].startswith(
        "“dermatolgy” is not a known department. Did you mean: dermatology"
    )
    assert reasons["languages"].startswith("“Englsh” is not a known language. Did you mean:")
    assert "english" in reasons["languages"].casefold()


def test_department_district_and_language_names_are_accepted(db: None) -> None:
    row = csv_row(district="마포구", departments="안과|Dermatology", languages="English|日本語")

    result = commit(csv_bytes([row]))

    assert result.problems == []
    institution = Institution.objects.get(code="river-eye")
    assert institution.district.code == "11440"
    assert sorted(d.code for d in institution.departments.all()) == [
        "dermatology",
        "ophthalmology",
    ]


def test_problems_are_printed_as_file_row_column_value_reason(db: None) -> None:
    result = check(csv_bytes([csv_row(type="spa")]))

    assert [format_problem("registry.csv", problem) for problem in result.problems] == [
        "registry.csv:2: column type: value 'spa': “spa” is not one of: clinic, hospital, "
        "general_hospital, tertiary_hospital, dental, korean_medicine."
    ]


def test_unknown_and_repeated_columns_are_refused(db: None) -> None:
    content = b"code,nmae_en,name_ko,name_ko,colour\r\nx,Sky,,,\r\n"

    problems = read_file("registry.csv", content).problems

    assert problems == [
        Problem(1, "nmae_en", "nmae_en", "unknown column; did you mean name_en?"),
        Problem(1, "name_ko", "name_ko", "this column appears twice"),
        Problem(1, "colour", "colour", "unknown column"),
    ]


def test_a_file_without_a_code_column_is_refused(db: None) -> None:
    result = check(b"name_ko\r\nA\r\n")

    assert Problem(1, "code", "", "the file has no “code” column") in result.problems


def test_a_missing_code_is_named(db: None) -> None:
    result = check(csv_bytes([csv_row(code="")]))

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "code", "the code is missing")
    ]


def test_a_registration_number_used_twice_in_the_file_is_refused(db: None) -> None:
    result = check(csv_bytes([csv_row(), csv_row(code="other")]))

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "registration_number", "the same registration number is already in row 2")
    ]


def test_district_officers_import_only_within_their_district(
    officer_gangnam: Any, mapo_clinic: Institution
) -> None:
    content = csv_bytes(
        [
            csv_row(),  # a new institution in Mapo-gu
            {"code": "mapo-clinic", "phone": "1"},  # an existing one in Mapo-gu
            csv_row(code="gangnam-new", district="11680", registration_number="R-9"),
        ]
    )

    result = commit(content, actor=officer_gangnam)

    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "district"), (3, "code")}
    assert not Institution.objects.filter(code__in=["river-eye", "gangnam-new"]).exists()


@pytest.mark.parametrize("persona", ["staff_gangnam", "analyst"])
def test_roles_without_registry_rights_cannot_import(
    persona: str, request: pytest.FixtureRequest
) -> None:
    result = check(csv_bytes([csv_row()]), actor=request.getfixturevalue(persona))

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "code", "you may not register institutions")
    ]


# Encodings and formats --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_utf8_with_or_without_bom_and_cp949_is_read(db: None, encoding: str) -> None:
    content = csv_bytes([csv_row(name_ko="강남 피부과의원")], encoding=encoding)

    table = read_file("registry.csv", content)

    assert table.problems == []
    assert table.columns[0] == "code"
    assert table.rows[0].cells["name_ko"] == "강남 피부과의원"


def test_text_in_no_known_encoding_is_refused_with_a_reason(db: None) -> None:
    table = read_file("registry.csv", b"code,name_ko\r\nx,\xff\xfe\xff\r\n")

    assert len(table.problems) == 1
    assert table.problems[0].reason.startswith("The file is neither UTF-8 nor CP949 text.")


def test_semicolon_separated_csv_is_read(db: None) -> None:
    table = read_file("registry.csv", "code;name_ko\r\nx;가\r\n".encode())

    assert table.rows[0].cells == {"code": "x", "name_ko": "가"}


def test_a_multiline_cell_keeps_the_row_number_a_spreadsheet_shows(db: None) -> None:
    content = csv_bytes([csv_row(profile_en="Line one\nline two"), csv_row(code="", name_en="x")])

    result = check(content)

    assert [(p.row, p.column) for p in result.problems] == [(3, "code")]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_values_are_read_as_text(db: None) -> None:
    row = csv_row(latitude="", longitude="")
    content = _xlsx([list(row), [*list(row.values())[:-2], True, False]])

    result = commit(content, name="registry.xlsx")

    assert result.problems == []
    assert Institution.objects.get(code="river-eye").is_synthetic is False


def test_xlsx_numbers_and_dates_become_their_usual_text(db: None) -> None:
    import datetime

    content = _xlsx(
        [
            ["code", "registration_number", "registered_from", "latitude"],
            ["x", 12345, datetime.datetime(2024, 3, 1), 37.5],
        ]
    )

    cells = read_file("registry.xlsx", content).rows[0].cells

    assert cells["registration_number"] == "12345"
    assert cells["registered_from"] == "2024-03-01"
    assert cells["latitude"] == "37.5"


def test_xlsx_formulas_are_never_evaluated(db: None) -> None:
    row = csv_row()
    values: list[Any] = list(row.values())
    values[list(row).index("name_en")] = '=HYPERLINK("http://evil.example","Click")'
    content = _xlsx([list(row), values])

    result = commit(content, name="registry.xlsx")

    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "name_en", "the cell holds a formula; enter the value itself")
    ]
    assert not Institution.objects.exists()


def test_a_damaged_xlsx_is_refused(db: None) -> None:
    table = read_file("registry.xlsx", b"PK\x03\x04 not really a workbook")

    assert table.problems[0].reason.startswith("The XLSX file cannot be opened")


def test_json_records_are_read_like_csv_rows(db: None) -> None:
    record: dict[str, Any] = dict(csv_row())
    record.update(
        {"languages": ["en", "ja"], "latitude": 37.556, "is_active": True, "registered_until": None}
    )

    result = commit(json.dumps([record]).encode(), name="registry.json")

    assert result.problems == []
    assert Institution.objects.get(code="river-eye").registered_until is None


def test_a_json_file_that_is_not_a_list_is_refused(db: None) -> None:
    table = read_file("registry.json", b'{"code": "x"}')

    assert table.problems[0].reason == (
        "The JSON file must hold a list of objects, one per institution."
    )


def test_an_empty_file_is_refused(db: None) -> None:
    assert read_file("registry.csv", b"").problems[0].reason == "The file is empty."


# Properties -------------------------------------------------------------------------------------


@given(st.text())
def test_escaping_a_cell_for_a_spreadsheet_can_always_be_undone(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text


@given(st.text(min_size=1))
def test_an_escaped_cell_never_starts_like_a_formula(text: str) -> None:
    assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.dictionaries(
        st.sampled_from(COLUMNS),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
    )
)
def test_any_row_is_either_valid_or_refused_with_named_columns(
    db: None, cells: dict[str, str]
) -> None:
    row = csv_row(**cells)
    table = read_file("fuzz.json", json.dumps([row]).encode())

    result = check_table(actor=OPERATOR, table=table)

    for problem in result.problems:
        assert problem.row == 1
        assert problem.column in COLUMNS
        assert problem.reason
    assert not Institution.objects.exists()


def test_a_row_with_an_existing_institution_and_bad_data_keeps_the_record(
    db: None,
) -> None:
    institution = InstitutionFactory(code="kept")

    commit(csv_bytes([{"code": "kept", "type": "spa"}]))

    assert Institution.objects.get(pk=institution.pk).type == "clinic"
