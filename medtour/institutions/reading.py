"""Reading an institutions file (CSV, XLSX or JSON) into rows of text cells.

Nothing here knows what a valid institution is; it only turns bytes into `column -> text` rows
numbered as a spreadsheet shows them (the header is row 1), and reports what it cannot read.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from medtour.institutions.columns import COLUMNS, FLAG_COLUMNS, LIST_SEPARATOR

MAX_ROWS = 20_000
# Characters a spreadsheet may treat as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARACTERS = "".join(FORMULA_STARTS)


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported. ROW 0 is the file as a whole."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class SourceRow:
    number: int
    cells: dict[str, str]


@dataclass
class Table:
    columns: list[str] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class UnreadableFile(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def unescape_formula(text: str) -> str:
    """Undo `escape_formula`: drop the apostrophe it put before a formula-like or quoted cell."""
    if text.startswith("'") and text[1:2] and (text[1] in _FORMULA_CHARACTERS or text[1] == "'"):
        return text[1:]
    return text


def escape_formula(text: str) -> str:
    """Keep a spreadsheet from running the cell: an apostrophe before `=`, `+`, `-`, `@`, tab, CR.

    A cell that already starts with an apostrophe gets one more, so that reading it back
    (`unescape_formula`) always gives the original text.
    """
    return f"'{text}" if text.startswith((*FORMULA_STARTS, "'")) else text


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else CP949 as Korean Excel saves it."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp949")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The file is neither UTF-8 nor CP949 text. Save it as “CSV UTF-8” and try again.")
        ) from None


def _delimiter(header_line: str) -> str:
    counts = {candidate: header_line.count(candidate) for candidate in (",", ";", "\t")}
    return max(counts, key=lambda candidate: counts[candidate])


def _raw_csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        # Numbered by record, as a spreadsheet numbers rows (a cell may span several lines).
        return list(enumerate(reader, start=1))
    except csv.Error as error:
        raise UnreadableFile(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _raw_xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """Cell values as last saved by the spreadsheet; formulas are never evaluated here."""
    from openpyxl import load_workbook

    try:
        values_book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formula_book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(
            _("The XLSX file cannot be opened: %(error)s") % {"error": error}
        ) from None
    try:
        values_sheet = values_book.worksheets[0]
        formula_sheet = formula_book.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        for number, (values, formulas) in enumerate(
            zip(
                values_sheet.iter_rows(values_only=True),
                formula_sheet.iter_rows(values_only=True),
                strict=False,
            ),
            start=1,
        ):
            cells: list[str] = []
            for value, formula in zip(values, formulas, strict=False):
                is_formula = isinstance(formula, str) and formula.startswith("=")
                if is_formula and value is None:
                    cells.append(_FormulaWithoutValue(formula))
                else:
                    cells.append(_cell_text(value))
            rows.append((number, cells))
        return rows
    finally:
        values_book.close()
        formula_book.close()


class _FormulaWithoutValue(str):
    """A formula cell whose result was never saved: refused, never evaluated."""


def _json_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        records = json.loads(decode_text(content))
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _("The JSON file is malformed at line %(line)s: %(error)s")
            % {"line": error.lineno, "error": error.msg}
        ) from None
    if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
        raise UnreadableFile(_("The JSON file must hold a list of objects, one per institution."))
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    rows: list[tuple[int, list[str]]] = [(0, columns)]
    for number, record in enumerate(records, start=1):
        cells = []
        for column in columns:
            value = record.get(column)
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(_cell_text(item) for item in value)
            cells.append(_cell_text(value))
        rows.append((number, cells))
    return rows


def file_format(file_name: str, content: bytes) -> str:
    name = file_name.lower()
    if name.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith(".json") or content.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"["):
        return "json"
    return "csv"


def _normal_column(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip().lower().replace("-", "_").replace(" ", "_")


def read_table(file_name: str, content: bytes) -> Table:
    """Rows keyed by known column names; unreadable parts are reported as problems."""
    kind = file_format(file_name, content)
    if not content.strip():
        raise UnreadableFile(_("The file is empty."))
    if kind == "xlsx":
        raw = _raw_xlsx_rows(content)
    elif kind == "json":
        raw = _json_rows(content)
    else:
        raw = _raw_csv_rows(content)
    if not raw:
        raise UnreadableFile(_("The file is empty."))
    header_number, header = raw[0]
    table = Table()
    positions: list[str | None] = []
    for raw_header in header:
        name = _normal_column(str(raw_header))
        if not name:
            positions.append(None)
            continue
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            reason = (
                _("unknown column; did you mean %(column)s?") % {"column": close[0]}
                if close
                else _("unknown column")
            )
            table.problems.append(Problem(header_number, name, str(raw_header), reason))
            positions.append(None)
            continue
        if name in table.columns:
            table.problems.append(
                Problem(header_number, name, str(raw_header), _("this column appears twice"))
            )
            positions.append(None)
            continue
        table.columns.append(name)
        positions.append(name)
    if "code" not in table.columns:
        table.problems.append(
            Problem(header_number, "code", "", _("the file has no “code” column"))
        )
    for number, raw_cells in raw[1:]:
        if not any(str(cell).strip() for cell in raw_cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise UnreadableFile(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        cells: dict[str, str] = {}
        for position, raw_cell in enumerate(raw_cells):
            column: str | None = positions[position] if position < len(positions) else None
            if column is None:
                if str(raw_cell).strip() and position >= len(positions):
                    table.problems.append(
                        Problem(number, "", str(raw_cell), _("this cell is outside the columns"))
                    )
                continue
            if isinstance(raw_cell, _FormulaWithoutValue):
                table.problems.append(
                    Problem(
                        number,
                        column,
                        str(raw_cell),
                        _("the cell holds a formula; enter the value itself"),
                    )
                )
                continue
            text = unescape_formula(str(raw_cell))
            cells[column] = text if column not in FLAG_COLUMNS else text.strip()
        table.rows.append(SourceRow(number=number, cells=cells))
    return table
