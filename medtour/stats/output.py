"""A pivot result as text for the command line: an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from medtour.stats.query import PivotResult


def _figure(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def as_grid(result: PivotResult) -> list[list[str]]:
    """Header row, one row per member with its total, then the totals row."""
    header = ["", *(col.label for col in result.cols), _("total")]
    body = [
        [row.label, *(_figure(v) for v in result.cells[r]), _figure(result.row_totals[r])]
        for r, row in enumerate(result.rows)
    ]
    footer = [_("total"), *(_figure(v) for v in result.col_totals), _figure(result.total)]
    return [header, *body, footer]


def as_table(result: PivotResult) -> str:
    grid = as_grid(result)
    widths = [max(len(line[i]) for line in grid) for i in range(len(grid[0]))]
    lines = []
    for number, line in enumerate(grid):
        cells = [line[0].ljust(widths[0])] + [
            text.rjust(width) for text, width in zip(line[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    if result.sources:
        lines.append(
            _("Figures marked as aggregate returns: %(count)s.") % {"count": len(result.sources)}
        )
    return "\n".join(lines) + "\n"


def as_csv(result: PivotResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["", *("/".join(c.codes) for c in result.cols), "total"])
    for r, row in enumerate(result.rows):
        writer.writerow(
            [
                "/".join(row.codes),
                *("" if v is None else v for v in result.cells[r]),
                "" if result.row_totals[r] is None else result.row_totals[r],
            ]
        )
    writer.writerow(
        [
            "total",
            *("" if v is None else v for v in result.col_totals),
            "" if result.total is None else result.total,
        ]
    )
    return buffer.getvalue()


def as_json(result: PivotResult) -> str:
    return json.dumps(result.as_json(), ensure_ascii=False, indent=1) + "\n"


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
