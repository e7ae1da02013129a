"""Files going out: templates in six languages, refused rows, and no cell starting a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from medtour.institutions.actors import CommandLine
from medtour.records.exporting import (
    FORMULA_STARTS,
    annotated_upload,
    escape_cell,
    refused_rows_file,
    template_csv,
    template_xlsx,
)
from medtour.records.reading import open_source
from medtour.records.services import submission_stage_file
from medtour.records.validation import render_message
from tests.records.conftest import row

ACTOR = CommandLine("test")


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@given(text=st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_no_escaped_cell_starts_a_formula(text):
    escaped = escape_cell(text)
    assert not escaped.startswith(FORMULA_STARTS)
    assert escaped in (text, f"'{text}")


@pytest.mark.parametrize("language", ["ko", "en", "zh-hans", "ja", "ru", "kk"])
def test_templates_carry_instructions_in_the_language(language):
    with translation.override(language):
        expected = str(render_message("required", {}))
    csv_text = template_csv(language).decode("utf-8-sig")
    book = load_workbook(io.BytesIO(template_xlsx(language)))
    assert len(book.worksheets) == 2
    instructions = [cell.value for cell in book.worksheets[1]["E"]]
    assert len(instructions) == 14
    assert csv_text.count("\n# ") >= 13
    assert expected  # the catalogue answers in every language, translated or not


def test_korean_template_uses_korean_headers():
    header = csv_cells(template_csv("ko"))[-1]
    assert header[:2] == ["여권번호", "출생연도"]


def test_refused_rows_export_neutralises_formulas(gangnam_clinic, period_2016, write_file):
    path = write_file([row(patient_id="R1234567", fees_krw='=HYPERLINK("x")', province="@SUM(1)")])
    outcome = submission_stage_file(
        institution=gangnam_clinic, period=period_2016, path=path, actor=ACTOR
    )

    csv_rows = csv_cells(refused_rows_file(outcome.submission, "csv"))
    book = load_workbook(io.BytesIO(refused_rows_file(outcome.submission, "xlsx")))
    xlsx_rows = [[cell.value for cell in line] for line in book.active.iter_rows()]

    for table in (csv_rows, xlsx_rows):
        header, refused = table
        assert header[-1] and refused[0] in ("2", 2)
        cells = dict(zip(header, refused, strict=True))
        assert cells["fees_krw"] == '\'=HYPERLINK("x")'
        assert cells["province"] == "'@SUM(1)"
        assert cells["patient_id"] == "*****567"
        assert "fees_krw" in refused[-1]


def test_the_upload_comes_back_with_an_error_column(
    gangnam_clinic, period_2016, write_file, tmp_path
):
    path = write_file([row(), row(patient_id="-1+2345678", sex="?")])
    outcome = submission_stage_file(
        institution=gangnam_clinic, period=period_2016, path=path, actor=ACTOR
    )
    messages = {error.row: error.message for error in outcome.errors}
    with open_source(path) as source:
        target = annotated_upload(source, messages, tmp_path / "annotated.csv")
    header, first, second = csv_cells(target.read_bytes())
    assert header[-1] and first[-1] == "" and second[-1] == messages[3]
    assert second[1] == "'-1+2345678"
