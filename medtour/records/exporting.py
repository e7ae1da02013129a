"""Files going out: the blank template, refused rows with their reasons, an annotated upload.

No cell ever starts a formula: text beginning with = + - @, a tab or a carriage return gets an
apostrophe in front (OWASP "CSV injection"), in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from medtour.records.columns import COLUMN_NAMES, COLUMNS
from medtour.records.models import Submission
from medtour.records.reading import ROW, SourceFile, iter_batches
from medtour.records.validation import render_message

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with it
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COMMENT = "#"


def escape_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv_bytes(rows: Iterable[Sequence[Any]], preamble: Iterable[str] = ()) -> bytes:
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    for line in preamble:
        buffer.write(f"{COMMENT} {line}\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([escape_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The template ----------------------------------------------------------------------------


def template_headers(language: str) -> list[str]:
    """Korean headers for Korean readers; the column names (accepted everywhere) otherwise."""
    if language == "ko":
        return [column.korean for column in COLUMNS]
    return [column.name for column in COLUMNS]


def _instruction_rows() -> list[list[str]]:
    required, optional = _("required"), _("optional")
    return [
        [
            column.name,
            column.korean,
            str(column.label),
            required if column.required else optional,
            str(column.instruction),
        ]
        for column in COLUMNS
    ]


def template_csv(language: str) -> bytes:
    """The blank CSV template: instructions as `#` lines above the header (the import skips
    them), then the header row."""
    with translation.override(language):
        preamble = [
            _("Foreign-patient records template. One row per patient episode and department."),
            _(
                "Lines starting with # are ignored; keep the header row and put one episode on "
                "each row below it."
            ),
            *(" | ".join(parts) for parts in _instruction_rows()),
        ]
        return _csv_bytes([template_headers(language)], preamble)


def template_xlsx(language: str) -> bytes:
    """The blank XLSX template: the records sheet first (what the import reads), then the
    instructions."""
    with translation.override(language):
        instructions = [
            [_("column"), _("Korean header"), _("meaning"), _("required?"), _("how to fill it")],
            *_instruction_rows(),
        ]
        return _xlsx_bytes(
            [
                (_("records"), [template_headers(language)]),
                (_("instructions"), instructions),
            ]
        )


def template_file(language: str, file_format: str) -> bytes:
    return template_xlsx(language) if file_format == "xlsx" else template_csv(language)


# Refused rows ----------------------------------------------------------------------------


def error_text(errors: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for error in errors:
        message = render_message(error["code"], error.get("params", {}))
        parts.append(f"{error['column']}: {message}" if error.get("column") else message)
    return "; ".join(parts)


def refused_rows_table(submission: Submission) -> Iterator[list[Any]]:
    """Header, then each refused row as kept (patient ID masked) with its reasons."""
    yield [_("row"), *COLUMN_NAMES, _("errors")]
    for refused in submission.refused_rows.order_by("row_number").iterator(chunk_size=2_000):
        yield [
            refused.row_number,
            *(refused.cells.get(name, "") for name in COLUMN_NAMES),
            error_text(refused.errors),
        ]


def refused_rows_file(submission: Submission, file_format: str) -> bytes:
    rows = refused_rows_table(submission)
    if file_format == "xlsx":
        return _xlsx_bytes([(_("refused rows"), rows)])
    return _csv_bytes(rows)


def annotated_upload(
    source: SourceFile,
    messages: Mapping[int, str],
    target: Path,
    file_format: str = "csv",
) -> Path:
    """The uploaded file back, as read, with an error column: for the uploader to correct.

    Written while the upload is still at hand (its raw IDs are never stored), to TARGET.
    """
    headers = list(source.columns.values())

    def rows() -> Iterator[list[Any]]:
        yield [_("row"), *headers, _("errors")]
        for batch in iter_batches(source):
            for row in batch.iter_rows(named=True):
                yield [row[ROW], *(row.get(name) for name in headers), messages.get(row[ROW], "")]

    if file_format == "xlsx":
        target.write_bytes(_xlsx_bytes([(_("records"), rows())]))
    else:
        with target.open("w", encoding="utf-8", newline="") as out:
            out.write(CSV_BOM)
            writer = csv.writer(out, lineterminator="\r\n")
            for row in rows():
                writer.writerow([escape_cell(value) for value in row])
    return target
