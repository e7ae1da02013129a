"""Tables behind the charts: what the page shows, and what CSV and XLSX downloads contain.

A table keeps raw values (for the files) beside their display (numbers grouped in the page
language), and marks figures that an aggregate return supplied. Downloads neutralise any cell a
spreadsheet would run as a formula (`records.exporting.escape_cell`) and CSV starts with a BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from medtour.records.exporting import CONTENT_TYPES, CSV_BOM, escape_cell
from medtour.stats.charts import AGGREGATE, format_number
from medtour.stats.query import PivotResult

FILE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Cell:
    value: Any  # int, float, str or None
    percent: bool = False
    aggregate: bool = False
    link: str = ""

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)

    @property
    def text(self) -> str:
        if self.value is None:
            return "\u2013"  # an en dash: no figure
        if self.numeric:
            return format_number(self.value, percent=self.percent)
        return str(self.value)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None  # a real total row, never a sum of the rows above

    @property
    def has_aggregates(self) -> bool:
        cells = [cell for row in self.rows for cell in row] + (self.total or [])
        return any(cell.aggregate for cell in cells)

    def records(self) -> list[list[Any]]:
        """Header, rows and total as raw values, for the files."""
        lines = [list(self.columns)]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            lines.append([_file_value(cell) for cell in row])
        return lines


def _file_value(cell: Cell) -> Any:
    if cell.numeric and cell.percent:
        return round(float(cell.value), 2)
    if cell.aggregate and cell.value is not None:
        # the mark travels with the figure into the file
        return _("%(figure)s (aggregate return)") % {"figure": cell.value}
    return cell.value


def pivot_table(result: PivotResult, *, row_title: str, col_title: str = "") -> Table:
    """RESULT as a table: rows, columns (or one value column), the real row and column totals
    and the grand total. Aggregate-return cells are marked."""
    from medtour.stats.query import MEASURES

    measure = str(MEASURES.get(result.query.measure, result.query.measure))
    one_column = not result.query.cols
    headers = [row_title] + (
        [measure] if one_column else [member.label for member in result.cols] + [_("total")]
    )
    table = Table(columns=headers)
    for r, member in enumerate(result.rows):
        if one_column:
            aggregate = any(
                source == AGGREGATE for (i, _c), source in result.sources.items() if i == r
            )
            table.rows.append([Cell(member.label), Cell(result.row_totals[r], aggregate=aggregate)])
            continue
        cells = [
            Cell(result.cells[r][c], aggregate=result.sources.get((r, c)) == AGGREGATE)
            for c in range(len(result.cols))
        ]
        table.rows.append([Cell(member.label), *cells, Cell(result.row_totals[r])])
    if one_column:
        table.total = [Cell(_("total")), Cell(result.total)]
    else:
        table.total = [
            Cell(_("total")),
            *(Cell(value) for value in result.col_totals),
            Cell(result.total),
        ]
    if not result.query.rows and result.query.cols:
        table.rows = []
    return table


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table.records():
        writer.writerow([escape_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(table: Table, *, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for row in table.records():
        sheet.append([escape_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in sheet names and allows 31 characters.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "data")[:31]


def file_bytes(table: Table, file_format: str, *, title: str) -> tuple[bytes, str]:
    """(content, content type) of TABLE as FILE_FORMAT (csv or xlsx)."""
    if file_format == "xlsx":
        return xlsx_bytes(table, title=title), CONTENT_TYPES["xlsx"]
    return csv_bytes(table), CONTENT_TYPES["csv"]


def share_cells(values: Sequence[int | None], total: int | None) -> list[Cell]:
    """Each value as a percentage of TOTAL (a real total)."""
    return [
        Cell(100.0 * value / total if value is not None and total else None, percent=True)
        for value in values
    ]
