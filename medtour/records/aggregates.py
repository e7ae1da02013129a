"""Aggregate returns: the one validator, the CSV reader of bulk imports, and the scoped list.

An aggregate return is a total for one cell (period, city or district, optional nationality or
department, measure) where no records exist. The save, delete and import services in
`medtour.records.services` call `check_aggregate`; the form and the CSV import both go through
them, so a cell is judged by the same rules whichever way it comes in. Nothing here writes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from medtour.accounts.models import Role
from medtour.accounts.scope import can_write_aggregate_cell, visible_aggregate_returns
from medtour.identifiers import parse_id
from medtour.records.models import AggregateMeasure, AggregateReturn, ReportingPeriod
from medtour.reference.models import Country, Department, District
from medtour.reference.resolvers import (
    UnknownValue,
    resolve_country,
    resolve_department,
    resolve_district,
)

WHOLE_NUMBER = re.compile(r"-?[0-9]+")
CSV_COLUMNS = ("period", "district", "nationality", "department", "measure", "count", "source")
REQUIRED_COLUMNS = ("period", "measure", "count", "source")
MAX_COUNT = 10**15  # more than any city's fees in won; keeps the value inside a 64-bit integer
MAX_IMPORT_ROWS = 10_000
MAX_IMPORT_BYTES = 5_000_000
SOURCE_LENGTH = 500
CELL_FIELDS = ("period", "district", "nationality", "department", "measure")
AUDIT_FIELDS = (*CELL_FIELDS, "count", "source")


@dataclass(frozen=True)
class AggregateProblem:
    """One reason a total is refused: FIELD is a column name, or "" for the cell as a whole."""

    field: str
    value: str
    message: str
    row: int | None = None


@dataclass
class AggregateCell:
    """A total's values, resolved to reference records; what the save service writes."""

    period: ReportingPeriod
    measure: str
    count: int
    source: str
    district: District | None = None
    nationality: Country | None = None
    department: Department | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AUDIT_FIELDS}


def check_aggregate(
    cell: AggregateCell, *, city: str, actor: Any, existing: AggregateReturn | None = None
) -> list[AggregateProblem]:
    """Everything that makes CELL unacceptable, for ACTOR, as a new total or as EXISTING changed."""
    problems: list[AggregateProblem] = []
    if cell.measure not in AggregateMeasure.values:
        problems.append(
            AggregateProblem(
                "measure",
                str(cell.measure),
                _("Unknown measure %(measure)s; use one of: %(choices)s.")
                % {"measure": f"“{cell.measure}”", "choices": ", ".join(AggregateMeasure.values)},
            )
        )
    if cell.count < 0:
        problems.append(
            AggregateProblem("count", str(cell.count), _("A count cannot be negative."))
        )
    elif cell.count > MAX_COUNT:
        problems.append(
            AggregateProblem(
                "count",
                str(cell.count),
                _("The count is larger than %(limit)s.") % {"limit": f"{MAX_COUNT:,}"},
            )
        )
    source = cell.source.strip()
    if not source:
        problems.append(
            AggregateProblem("source", "", _("Say where the total comes from (the source)."))
        )
    elif len(source) > SOURCE_LENGTH:
        problems.append(
            AggregateProblem(
                "source",
                source[:40],
                _("The source is longer than %(limit)s characters.") % {"limit": SOURCE_LENGTH},
            )
        )
    if cell.district is not None and cell.district.city != city:
        problems.append(
            AggregateProblem(
                "district", cell.district.code, _("This district is not in the city's list.")
            )
        )
    problems += _scope_problems(cell, actor=actor, existing=existing)
    if not problems:
        problems += _constraint_problems(cell, city=city, existing=existing)
    return problems


def _scope_problems(
    cell: AggregateCell, *, actor: Any, existing: AggregateReturn | None
) -> list[AggregateProblem]:
    district_id = cell.district.pk if cell.district else None
    allowed = can_write_aggregate_cell(actor, district_id)
    if existing is not None:
        allowed = allowed and can_write_aggregate_cell(actor, existing.district_id)
    if allowed:
        return []
    return [
        AggregateProblem(
            "district",
            cell.district.code if cell.district else "",
            _("You may record totals for your own district only; the city enters city totals."),
        )
    ]


def cell_taken_message() -> str:
    """The unique cell constraint's own message, in the active language."""
    constraint = next(
        constraint
        for constraint in AggregateReturn._meta.constraints
        if constraint.name == "aggregate_cell_unique"
    )
    return str(constraint.violation_error_message)


def _constraint_problems(
    cell: AggregateCell, *, city: str, existing: AggregateReturn | None
) -> list[AggregateProblem]:
    """The model's constraints (one total per cell), with their own translated messages."""
    candidate = AggregateReturn(pk=existing.pk if existing else None, city=city, **cell.values())
    candidate._state.adding = existing is None  # so that the total does not clash with itself
    try:
        candidate.validate_constraints()
    except ValidationError as error:
        return [AggregateProblem("", "", str(message)) for message in error.messages]
    return []


# Reading a CSV of totals ---------------------------------------------------------------------


@dataclass
class ParsedFile:
    """The cells of a file, with the row (as a spreadsheet numbers it) each came from."""

    cells: list[tuple[int, AggregateCell]] = field(default_factory=list)
    problems: list[AggregateProblem] = field(default_factory=list)


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileRefused(_("The file is not CSV text in UTF-8 or CP949."))


def _header_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: cell}); blank and `#` lines before the header are skipped."""
    lines = text.splitlines()
    first = next(
        (n for n, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    if first is None:
        raise FileRefused(_("The file is empty."))
    header_line = lines[first]
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
    header = [_header_key(name) for name in next(reader)]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise FileRefused(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    for offset, cells in enumerate(reader):
        if not any(cell.strip() for cell in cells):
            continue
        yield first + offset + 2, dict(zip(header, (cell.strip() for cell in cells), strict=False))


def read_aggregate_csv(content: bytes) -> ParsedFile:
    """Every cell of a CSV of totals resolved, every bad value reported with its row and column.

    Raises FileRefused when the file as a whole cannot be read.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise FileRefused(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_IMPORT_BYTES // 1_000_000}
        )
    parsed = ParsedFile()
    seen: dict[tuple[Any, ...], int] = {}
    for seen_rows, (number, row) in enumerate(_csv_rows(_decode(content)), start=1):
        if seen_rows > MAX_IMPORT_ROWS:
            raise FileRefused(
                _("The file has more than %(limit)s rows; split it.") % {"limit": MAX_IMPORT_ROWS}
            )
        cell, problems = parse_row(row)
        if cell is not None and not problems:
            key = tuple(getattr(cell, name) for name in CELL_FIELDS)
            if key in seen:
                problems.append(
                    AggregateProblem(
                        "",
                        "",
                        _("The same cell as row %(row)s of this file.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
        if problems:
            parsed.problems += [at_row(problem, number) for problem in problems]
        elif cell is not None:
            parsed.cells.append((number, cell))
    return parsed


def at_row(problem: AggregateProblem, row: int) -> AggregateProblem:
    return AggregateProblem(problem.field, problem.value, problem.message, row)


def parse_row(row: Mapping[str, str]) -> tuple[AggregateCell | None, list[AggregateProblem]]:
    """The text of one row resolved: period label, district, country and department by code or
    name in any language, measure by code or name, count as a whole number."""
    problems: list[AggregateProblem] = []

    def value(column: str) -> str:
        return (row.get(column) or "").strip()

    def lookup(column: str, resolve: Any) -> Any:
        text = value(column)
        if not text:
            return None
        try:
            return resolve(text)
        except UnknownValue as unknown:
            problems.append(AggregateProblem(column, text, str(unknown)))
            return None

    period = _period(value("period"), problems)
    district = lookup("district", resolve_district)
    nationality = lookup("nationality", resolve_country)
    department = lookup("department", resolve_department)
    measure = _measure(value("measure"), problems)
    count = _count(value("count"), problems)
    for column in REQUIRED_COLUMNS:
        if not value(column):
            problems.append(AggregateProblem(column, "", _("This cell is required.")))
    if problems or period is None or measure is None or count is None:
        return None, _in_column_order(problems)
    cell = AggregateCell(
        period=period,
        district=district,
        nationality=nationality,
        department=department,
        measure=measure,
        count=count,
        source=value("source"),
    )
    return cell, []


def _in_column_order(problems: list[AggregateProblem]) -> list[AggregateProblem]:
    order = {name: n for n, name in enumerate(CSV_COLUMNS)}
    return sorted(problems, key=lambda problem: order.get(problem.field, len(order)))


def _period(text: str, problems: list[AggregateProblem]) -> ReportingPeriod | None:
    if not text:
        return None
    # services imports this module, so the period parser is fetched when first needed
    from medtour.records.services import SubmissionError, parse_period

    try:
        year, quarter, month = parse_period(text)
    except SubmissionError as error:
        problems.append(AggregateProblem("period", text, error.message))
        return None
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter, month=month).first()
    if period is None:
        problems.append(
            AggregateProblem(
                "period",
                text,
                _("The reporting period %(label)s is not open; an administrator opens it first.")
                % {"label": text},
            )
        )
    return period


def _measure(text: str, problems: list[AggregateProblem]) -> str | None:
    if not text:
        return None
    wanted = _header_key(text)
    for code, label in AggregateMeasure.choices:
        if wanted == code or wanted in _labels_in_every_language(label):
            return str(code)
    problems.append(
        AggregateProblem(
            "measure",
            text,
            _("Unknown measure %(measure)s; use one of: %(choices)s.")
            % {"measure": f"“{text}”", "choices": ", ".join(AggregateMeasure.values)},
        )
    )
    return None


def _labels_in_every_language(label: Any) -> set[str]:
    keys = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.add(_header_key(str(label)))
    return keys


def _count(text: str, problems: list[AggregateProblem]) -> int | None:
    if not text:
        return None
    cleaned = text.replace(",", "").replace(" ", "").replace("₩", "").removesuffix("원")
    if not WHOLE_NUMBER.fullmatch(cleaned):
        problems.append(AggregateProblem("count", text, _("The count must be a whole number.")))
        return None
    return int(cleaned)


# Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateFilters:
    period: int | None = None
    district: str = ""  # a district code, "city" for city-wide totals, "" for any
    measure: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> AggregateFilters:
        period = query.get("period", "")
        return cls(
            period=parse_id(period),
            district=query.get("district", "").strip(),
            measure=query.get("measure", "") if query.get("measure") in AggregateMeasure else "",
        )


CITY_WIDE = "city"


def aggregate_return_list(user: Any, filters: AggregateFilters) -> QuerySet[AggregateReturn]:
    """The totals USER may see, filtered, with what the list shows."""
    totals = visible_aggregate_returns(user).select_related(
        "period", "district", "nationality", "department"
    )
    if filters.period is not None:
        totals = totals.filter(period_id=filters.period)
    if filters.district == CITY_WIDE:
        totals = totals.filter(district__isnull=True)
    elif filters.district:
        totals = totals.filter(district__code=filters.district)
    if filters.measure:
        totals = totals.filter(measure=filters.measure)
    return totals.order_by("-period__year", "period__quarter", "period__month", "district__code")


def sees_whole_city(user: Any) -> bool:
    """Analysts and administrators see every total of the city; an officer their district's."""
    return bool(user.role != Role.DISTRICT_OFFICER)


def districts_of(user: Any, city: str) -> QuerySet[District]:
    """The districts whose totals USER works with: an officer's own, everyone else's the city's."""
    districts = District.objects.filter(city=city)
    return districts if sees_whole_city(user) else districts.filter(pk=user.district_id)
