"""The downloads of a published table: CSV, and its CSVW metadata (docs/open-data.md).

The CSV is long (one line per figure, totals included under the code `_total`), UTF-8 with a
byte-order mark so that Excel opens Korean text correctly, and safe to open in a spreadsheet:
no cell starts a formula. Headers and labels are in the active language; codes and the `status`
values are language-free. The metadata follows CSV on the Web (W3C): one JSON file naming the
columns, their types and titles, and the table's period, definition, quality and rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medtour.records.exporting import CSV_BOM, escape_cell
from medtour.stats.opendata import TOTAL_CODE, Figure, Header, PublishedTable

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
METADATA_CONTENT_TYPE = "application/csvm+json"
STATUSES = ("suppressed", "aggregate", "estimate")


def status(figure: Figure) -> str:
    if figure.suppressed:
        return "suppressed"
    return "" if figure.source == "records" else figure.source


def file_name(table: PublishedTable) -> str:
    return f"medtour-{table.year}-{table.slug}-{get_language() or 'ko'}.csv"


def _columns(table: PublishedTable) -> list[dict[str, Any]]:
    dimensions = [(table.spec.rows, table.row_dimension)]
    if table.spec.cols and table.col_dimension:
        dimensions.append((table.spec.cols, table.col_dimension))
    columns: list[dict[str, Any]] = []
    for name, label in dimensions:
        columns.append(
            {
                "name": f"{name}_code",
                "title": _("%(dimension)s (code)") % {"dimension": label},
                "datatype": "string",
                "description": _("Language-free code; %(total)s for the total.")
                % {"total": TOTAL_CODE},
            }
        )
        columns.append({"name": name, "title": label, "datatype": "string"})
    columns.append(
        {
            "name": "value",
            "title": _("value"),
            "datatype": "integer",
            "description": table.definition,
            "null": "",
        }
    )
    columns.append(
        {
            "name": "status",
            "title": _("status"),
            "datatype": {"base": "string", "format": "|".join(("", *STATUSES))},
            "description": _(
                "Empty: counted from records. suppressed: hidden to protect privacy (the value "
                "is empty). aggregate: from an aggregate return. estimate: estimated."
            ),
        }
    )
    return columns


def _lines(table: PublishedTable) -> Iterator[list[Any]]:
    total = Header(TOTAL_CODE, _("Total"))

    def line(headers: list[Header], figure: Figure) -> list[Any]:
        cells: list[Any] = []
        for header in headers:
            cells += [header.code, header.label]
        return [*cells, figure.value, status(figure)]

    for row in table.lines:
        if table.columns:
            for column, figure in zip(table.columns, row.figures, strict=True):
                yield line([row.header, column], figure)
            yield line([row.header, total], row.total)
        else:
            yield line([row.header], row.total)
    if table.columns:
        for column, figure in zip(table.columns, table.col_totals, strict=True):
            yield line([total, column], figure)
        yield line([total, total], table.total)
    else:
        yield line([total], table.total)


def csv_bytes(table: PublishedTable) -> bytes:
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(column["title"]) for column in _columns(table)])
    for row in _lines(table):
        writer.writerow([escape_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def metadata(table: PublishedTable, *, csv_url: str, page_url: str) -> dict[str, Any]:
    """CSVW metadata for the CSV at CSV_URL, in the active language."""
    language = get_language() or "ko"
    quality = table.quality
    notes = [table.period, table.rule]
    if quality.synthetic:
        notes.append(
            _(
                "These are synthetic demonstration data, not real patients: they show how the "
                "service works and must not be used as statistics."
            )
        )
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": language}],
        "url": csv_url,
        "dc:title": _("%(title)s, %(year)s") % {"title": table.title, "year": table.year},
        "dc:description": table.definition,
        "dc:source": table.source,
        "dc:temporal": str(table.year),
        "dc:created": table.generated_at,
        "dc:modified": table.as_of,
        "dc:language": language,
        "rdfs:seeAlso": page_url,
        "rdfs:comment": notes,
        "schema:measurementTechnique": table.rule,
        "schema:additionalProperty": [
            _property("disclosure_threshold", table.threshold),
            _property("figures_from_records", quality.records),
            _property("figures_from_aggregate_returns", quality.aggregates),
            _property("estimated_figures", quality.estimates),
            _property("suppressed_figures", quality.suppressed),
            _property("synthetic_data", quality.synthetic),
        ],
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 1},
        "tableSchema": {
            "columns": [
                {
                    "name": column["name"],
                    "titles": {language: column["title"]},
                    "datatype": column["datatype"],
                    **({"null": column["null"]} if "null" in column else {}),
                    **(
                        {"dc:description": column["description"]} if "description" in column else {}
                    ),
                }
                for column in _columns(table)
            ],
            "primaryKey": [
                column["name"] for column in _columns(table) if column["name"].endswith("_code")
            ],
        },
    }


def _property(name: str, value: object) -> dict[str, object]:
    return {"@type": "schema:PropertyValue", "schema:name": name, "schema:value": value}
