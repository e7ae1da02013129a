"""Files as clinics send them: encodings, delimiters, headers, and what is refused outright."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings
from openpyxl import Workbook

from medtour.institutions.actors import CommandLine
from medtour.records.exporting import template_csv, template_xlsx
from medtour.records.models import PatientRecord
from medtour.records.reading import FileRefused, iter_batches, open_source
from medtour.records.services import submission_commit, submission_stage_file
from tests.records.conftest import VALID_ROW, csv_bytes, row, rows

ACTOR = CommandLine("test")


def staged(institution, period, path):
    return submission_stage_file(institution=institution, period=period, path=path, actor=ACTOR)


def xlsx_bytes(header, data_rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in data_rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_encodings_are_detected_without_asking(gangnam_clinic, period_2016, write_file, encoding):
    records = [row(patient_id="K0000001", department="성형외과", nationality="중국")]
    path = write_file(csv_bytes(records, korean=True, encoding=encoding))

    with open_source(path) as source:
        assert source.encoding == {"euc-kr": "cp949"}.get(encoding, encoding)
    outcome = staged(gangnam_clinic, period_2016, path)

    assert outcome.submission.valid_count == 1, outcome.errors


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(gangnam_clinic, period_2016, write_file, delimiter):
    path = write_file(csv_bytes(rows(3), delimiter=delimiter))
    with open_source(path) as source:
        assert source.delimiter == delimiter
    assert staged(gangnam_clinic, period_2016, path).submission.valid_count == 3


def test_korean_and_english_headers_mean_the_same(gangnam_clinic, period_2016, write_file):
    english = staged(gangnam_clinic, period_2016, write_file(rows(2), name="en.csv"))
    korean = staged(gangnam_clinic, period_2016, write_file(rows(2), name="ko.csv", korean=True))
    assert english.submission.valid_count == korean.submission.valid_count == 2


def test_rows_are_numbered_as_a_spreadsheet_shows_them(period_2016, gangnam_clinic, write_file):
    outcome = staged(
        gangnam_clinic, period_2016, write_file([row(), row(patient_id="X1", sex="?")])
    )
    assert [(error.row, error.column) for error in outcome.errors][:1] == [(3, "patient_id")]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\n\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not_csv_or_xlsx"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>", "not_csv_or_xlsx"),
        (b"\xff\xfe\x00\x00garbage", "not_csv_or_xlsx"),
    ],
)
def test_unreadable_files_are_refused(write_file, content, code):
    with pytest.raises(FileRefused) as refused:
        open_source(write_file(content, name="records.csv"))
    assert refused.value.code == code
    assert refused.value.message


def test_a_zip_that_is_not_a_workbook_is_refused_whatever_its_name(write_file):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileRefused) as refused:
        open_source(write_file(buffer.getvalue(), name="records.xlsx"))
    assert refused.value.code == "not_csv_or_xlsx"


def test_missing_required_columns_are_named(write_file):
    path = write_file(csv_bytes([VALID_ROW], columns=["patient_id", "sex", "nationality"]))
    with pytest.raises(FileRefused) as refused:
        open_source(path)
    assert refused.value.code == "missing_columns"
    assert "birth_year" in refused.value.message and "fees_krw" in refused.value.message


def test_a_column_given_twice_is_refused(write_file):
    content = csv_bytes([VALID_ROW]).replace(b"province", "국적".encode())
    with pytest.raises(FileRefused) as refused:
        open_source(write_file(content))
    assert refused.value.code == "duplicate_column"


def test_files_over_the_size_limit_are_refused(write_file):
    path = write_file(rows(50))
    with override_settings(UPLOAD_LIMIT_BYTES=1000), pytest.raises(FileRefused) as refused:
        open_source(path)
    assert refused.value.code == "too_large"
    assert "MB" in refused.value.message


def test_a_header_only_file_has_no_rows(gangnam_clinic, period_2016, write_file):
    outcome = staged(gangnam_clinic, period_2016, write_file([]))
    assert outcome.submission.row_count == 0


def test_unknown_columns_are_ignored_and_never_stored(gangnam_clinic, period_2016, write_file):
    records = [{**row(), "patient_name": "WANG Fang"}]
    path = write_file(csv_bytes(records, columns=[*VALID_ROW, "patient_name"]))
    with open_source(path) as source:
        assert source.ignored_headers == ["patient_name"]
    outcome = staged(gangnam_clinic, period_2016, path)
    submission_commit(submission=outcome.submission, actor=ACTOR)
    assert PatientRecord.objects.count() == 1


def test_xlsx_is_read_by_content_even_when_named_csv(gangnam_clinic, period_2016, write_file):
    content = xlsx_bytes(
        list(VALID_ROW), [list(row(patient_id=f"X{i:07d}").values()) for i in range(3)]
    )
    path = write_file(content, name="records.csv")
    with open_source(path) as source:
        assert source.format == "xlsx"
    assert staged(gangnam_clinic, period_2016, path).submission.valid_count == 3


def test_xlsx_dates_and_numbers_are_read_as_values(gangnam_clinic, period_2016, write_file):
    import datetime

    values = row()
    values.update(
        first_visit=datetime.date(2016, 3, 1),
        last_visit=datetime.datetime(2016, 3, 4),
        birth_year=1980,
        fees_krw=1250000.0,
    )
    path = write_file(xlsx_bytes(list(VALID_ROW), [list(values.values())]), name="r.xlsx")
    outcome = staged(gangnam_clinic, period_2016, path)
    assert outcome.submission.valid_count == 1, outcome.errors


def test_xlsx_formula_cells_are_refused_with_their_reference(
    gangnam_clinic, period_2016, write_file
):
    values = list(row().values())
    values[9] = "=1000*1250"  # fees_krw in column J
    path = write_file(
        xlsx_bytes(list(VALID_ROW), [list(row(patient_id="Y1234567").values()), values]),
        name="r.xlsx",
    )

    outcome = staged(gangnam_clinic, period_2016, path)

    assert outcome.submission.valid_count == 1
    [error] = outcome.errors
    assert (error.row, error.column, error.code) == (3, "fees_krw", "formula")
    assert "J3" in error.message


def test_batches_stream_in_pieces(write_file):
    with open_source(write_file(rows(25))) as source:
        sizes = [batch.height for batch in iter_batches(source, batch_size=10)]
    assert sum(sizes) == 25 and max(sizes) <= 10


def test_batches_are_whole_across_blocks(write_file, monkeypatch):
    """Blocks of the file end at line breaks; batches still hold BATCH_SIZE rows each, in
    order, numbered as a spreadsheet numbers them."""
    monkeypatch.setattr("medtour.records.reading.BLOCK", 700)
    with open_source(write_file(rows(53))) as source:
        batches = list(iter_batches(source, batch_size=10))
    assert [batch.height for batch in batches] == [10, 10, 10, 10, 10, 3]
    numbers = [number for batch in batches for number in batch.get_column("_row").to_list()]
    assert numbers == list(range(2, 55))


def test_a_non_ascii_file_is_still_checked_as_utf8(write_file):
    """The ASCII fast path of the encoding check must not skip the decoder once it is needed:
    here a Korean cell lies beyond the first chunk."""
    records = [*rows(40_000), row(province="경기")]  # about 3 MB, the last row Korean
    with open_source(write_file(csv_bytes(records), name="utf8.csv")) as source:
        assert source.encoding == "utf-8"
    with open_source(write_file(csv_bytes(records, encoding="cp949"), name="ko.csv")) as source:
        assert source.encoding == "cp949"


@pytest.mark.parametrize("language", ["ko", "en", "zh-hans", "ja", "ru", "kk"])
def test_the_templates_read_back_as_empty_valid_files(write_file, language):
    with open_source(write_file(template_csv(language), name="t.csv")) as source:
        assert set(source.columns.values()) >= {"patient_id", "fees_krw"}
        assert sum(batch.height for batch in iter_batches(source)) == 0
    with open_source(write_file(template_xlsx(language), name="t.xlsx")) as source:
        assert source.format == "xlsx"
        assert set(source.columns.values()) >= {"patient_id", "fees_krw"}


def test_template_rows_keep_their_numbers_below_the_notes(gangnam_clinic, period_2016, write_file):
    content = template_csv("en") + csv_bytes([row(sex="?")]).split(b"\r\n", 1)[1]
    path = write_file(content)
    outcome = staged(gangnam_clinic, period_2016, path)
    notes = content.count(b"\n# ") + 1
    assert outcome.errors[0].row == notes + 2
