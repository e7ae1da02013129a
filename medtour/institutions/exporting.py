"""Writing the registry out in the format the import reads (CSV or JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from medtour.institutions.columns import COLUMNS, institution_row, row_as_text
from medtour.institutions.models import Institution
from medtour.institutions.reading import escape_formula

FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# Excel opens UTF-8 CSV correctly only when it starts with a byte-order mark.
CSV_BOM = "\ufeff"


def for_export(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    return (
        institutions.select_related("district")
        .prefetch_related("departments", "languages")
        .order_by("code")
    )


def csv_lines(institutions: Iterable[Institution]) -> Iterator[str]:
    """CSV text, line by line; cells that a spreadsheet would run as a formula are neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writeheader()
    yield flush()
    for institution in institutions:
        cells = row_as_text(institution_row(institution))
        writer.writerow({column: escape_formula(value) for column, value in cells.items()})
        yield flush()


def json_records(institutions: Iterable[Institution]) -> list[dict[str, object]]:
    records = []
    for institution in institutions:
        record: dict[str, object] = institution_row(institution)
        for column in ("latitude", "longitude"):
            record[column] = float(record[column]) if record[column] else None  # type: ignore[arg-type]
        for column in ("registered_from", "registered_until"):
            record[column] = record[column] or None
        records.append(record)
    return records


def export_text(institutions: QuerySet[Institution], file_format: str) -> str:
    rows = for_export(institutions)
    if file_format == "json":
        return json.dumps(json_records(rows), ensure_ascii=False, indent=2) + "\n"
    return "".join(csv_lines(rows))
