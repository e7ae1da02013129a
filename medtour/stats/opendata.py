"""Open data: the catalogue of published tables, computed through `pivot()` and protected jointly.

Every table of a year is computed for the whole city (`user=None`) and all of them, both measures
included, go through `disclosure.protect` together: a figure that two tables share (the district
totals of "by district" and of "district x nationality", the city total of every table) is one
figure with one decision. Published tables hold no hidden number at all: a suppressed figure is
`None` from here on (docs/open-data.md).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from medtour.stats import disclosure
from medtour.stats.query import DIMENSIONS, PivotQuery, PivotResult, pivot
from medtour.stats.query import MEASURES as MEASURE_LABELS

logger = logging.getLogger(__name__)

# Bump when the catalogue or the rules change: cached publications are then recomputed.
CATALOGUE_VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600
MEASURES = ("patients", "episodes")
TOP_NATIONALITIES = 10
TOTAL_CODE = "_total"  # the code of a total row or column in downloads
# The dimensions over which a measure adds up. Episodes always do. A person has one nationality,
# so unique patients add up over nationalities; over districts or departments they do not (one
# person treated in two districts counts once in the city). If the figures ever contradict this,
# `disclosure.protect` falls back to the weaker, true relation.
ADDITIVE_OVER = {"episodes": frozenset(DIMENSIONS), "patients": frozenset({"nationality"})}

FigureKey = tuple[str, tuple[tuple[str, str], ...]]  # (measure, ((dimension, code), ...))


@dataclass(frozen=True)
class TableSpec:
    slug: str
    rows: str
    cols: str | None = None
    top_cols: int | None = None  # only the N largest columns (by unique patients in the city)


CATALOGUE = (
    TableSpec("district", "district"),
    TableSpec("nationality", "nationality"),
    TableSpec("department", "department"),
    TableSpec("district-and-nationality", "district", "nationality", TOP_NATIONALITIES),
    TableSpec("district-and-department", "district", "department"),
)

TITLES = {
    ("patients", "district"): _("Foreign patients by district"),
    ("patients", "nationality"): _("Foreign patients by nationality"),
    ("patients", "department"): _("Foreign patients by department"),
    ("patients", "district-and-nationality"): _(
        "Foreign patients by district and nationality (main nationalities)"
    ),
    ("patients", "district-and-department"): _("Foreign patients by district and department"),
    ("episodes", "district"): _("Episodes of care by district"),
    ("episodes", "nationality"): _("Episodes of care by nationality"),
    ("episodes", "department"): _("Episodes of care by department"),
    ("episodes", "district-and-nationality"): _(
        "Episodes of care by district and nationality (main nationalities)"
    ),
    ("episodes", "district-and-department"): _("Episodes of care by district and department"),
}
DEFINITIONS = {
    "patients": _(
        "Unique foreign patients: each person counts once in a cell, however often they were "
        "treated there. A person treated in two districts or two departments counts once in "
        "each and once in the total, so those figures do not add up to the total; figures by "
        "nationality do."
    ),
    "episodes": _(
        "Episodes of care: each treatment episode (from its first to its last treatment date at "
        "one institution) reported by a registered institution. Episodes add up."
    ),
}
PERIOD_DEFINITION = _(
    "Reporting year %(year)s: episodes whose first treatment date falls in that year."
)
SOURCE = _(
    "Reports of registered medical institutions to the city, and aggregate returns where an "
    "institution reports totals instead of records."
)


def rule_text(threshold: int) -> str:
    return str(
        _(
            "Figures from 1 to %(below)s are not published (primary suppression), and further "
            "figures are hidden where they would let the hidden ones be worked out from the "
            "totals or from the other tables of the same year (secondary suppression): every "
            "hidden figure can lie anywhere in a range at least %(threshold)s wide. Zeros are "
            "published. Hidden figures are marked the same way whatever the reason."
        )
        % {"below": threshold - 1, "threshold": threshold}
    )


def table_slug(measure: str, spec: TableSpec) -> str:
    return f"{measure}-by-{spec.slug}"


def find_spec(slug: str) -> tuple[str, TableSpec] | None:
    for measure in MEASURES:
        for spec in CATALOGUE:
            if table_slug(measure, spec) == slug:
                return measure, spec
    return None


# What is published --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: int | None  # None when suppressed: the hidden number never leaves this module
    source: str = "records"  # "records", "aggregate" or "estimate"

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Header:
    code: str
    label: str


@dataclass(frozen=True)
class Line:
    header: Header
    figures: tuple[Figure, ...]  # one per column; empty in a one-way table
    total: Figure


@dataclass(frozen=True)
class Quality:
    records: int
    aggregates: int
    estimates: int
    suppressed: int
    synthetic: bool


@dataclass(frozen=True)
class PublishedTable:
    year: int
    measure: str
    spec: TableSpec
    row_dimension: str
    col_dimension: str | None
    columns: tuple[Header, ...]
    lines: tuple[Line, ...]
    col_totals: tuple[Figure, ...]
    total: Figure
    quality: Quality
    threshold: int
    as_of: str
    generated_at: str

    @property
    def slug(self) -> str:
        return table_slug(self.measure, self.spec)

    @property
    def title(self) -> str:
        return str(TITLES[(self.measure, self.spec.slug)])

    @property
    def measure_label(self) -> str:
        return str(MEASURE_LABELS[self.measure])

    @property
    def definition(self) -> str:
        return str(DEFINITIONS[self.measure])

    @property
    def period(self) -> str:
        return str(PERIOD_DEFINITION % {"year": self.year})

    @property
    def rule(self) -> str:
        return rule_text(self.threshold)

    @property
    def source(self) -> str:
        return str(SOURCE)

    @property
    def as_of_time(self) -> datetime.datetime | None:
        return _parse_time(self.as_of)

    @property
    def generated_time(self) -> datetime.datetime | None:
        return _parse_time(self.generated_at)

    def figures(self) -> Iterable[Figure]:
        for line in self.lines:
            yield from line.figures
            yield line.total
        yield from self.col_totals
        yield self.total


def _parse_time(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def published_years() -> list[int]:
    """Years with any figure, newest first (cached while no record or return changes)."""
    key = f"opendata:years:{CATALOGUE_VERSION}:{data_version(None)}"
    years: list[int] | None = cache.get(key)
    if years is None:
        result = pivot(PivotQuery(rows=("year",), measure="episodes"), user=None)
        pairs = zip(result.rows, result.row_totals, strict=True)
        years = sorted((int(member.codes[0]) for member, value in pairs if value), reverse=True)
        cache.set(key, years, CACHE_SECONDS)
    return years


def published_table(year: int, measure: str, spec: TableSpec) -> PublishedTable:
    """One published table, labels in the active language; protection shared with its year."""
    return {table.slug: table for table in publication(year)}[table_slug(measure, spec)]


def publication(year: int) -> list[PublishedTable]:
    """Every table of YEAR, protected together; cached per data version and language."""
    threshold = settings.DISCLOSURE_THRESHOLD
    version = data_version(year)
    key = f"opendata:{CATALOGUE_VERSION}:{year}:{threshold}:{version}:{get_language()}"
    tables: list[PublishedTable] | None = cache.get(key)
    if tables is None:
        tables = _compute(year, threshold, version)
        cache.set(key, tables, CACHE_SECONDS)
    return tables


def data_version(year: int | None) -> str:
    """Changes whenever the figures of YEAR (None: any) can change: the cells' last refresh when
    they are built (one row, not a scan of the records on every public page), else the records
    themselves; and the aggregate returns, which are read live."""
    from medtour.records.models import AggregateReturn, PatientRecord
    from medtour.stats.models import StatisticsState

    returns = AggregateReturn.objects.all()
    if year is not None:
        returns = returns.filter(period__year=year)
    reported = returns.aggregate(count=Count("id"), changed=Max("updated_at"))
    changed = reported["changed"].isoformat() if reported["changed"] else ""
    state = StatisticsState.objects.only("refreshed_at").first()
    if state is not None:
        return f"cells-{state.refreshed_at.isoformat()}-{reported['count']}-{changed}"
    records = (
        PatientRecord.objects.all() if year is None else PatientRecord.objects.filter(year=year)
    )
    counted = records.aggregate(count=Count("id"), last=Max("id"), revisions=Sum("revision"))
    parts = (counted["count"], counted["last"], counted["revisions"], reported["count"], changed)
    return "records-" + "-".join(str(part) for part in parts)


# Computing ----------------------------------------------------------------------------------


@dataclass
class _Linked:
    """Every figure of a year under its key, with the relations between them."""

    values: dict[FigureKey, int] = field(default_factory=dict)
    sources: dict[FigureKey, str] = field(default_factory=dict)
    relations: list[disclosure.Relation] = field(default_factory=list)

    def add(self, key: FigureKey, value: int | None, source: str) -> None:
        value = value or 0
        known = self.values.setdefault(key, value)
        if known != value:
            logger.warning("open data: %s is %s in one table and %s in another", key, known, value)
        if source != "records":
            self.sources[key] = source


@dataclass(frozen=True)
class _Shape:
    """A pivot result cut to what the table publishes, with the keys of its figures."""

    spec: TableSpec
    measure: str
    result: PivotResult
    col_indexes: tuple[int, ...]

    def key(self, row: int | None, col: int | None) -> FigureKey:
        parts = []
        if row is not None:
            parts.append((self.spec.rows, self.result.rows[row].codes[0]))
        if col is not None and self.spec.cols:
            parts.append((self.spec.cols, self.result.cols[col].codes[0]))
        return (self.measure, tuple(sorted(parts)))


def _compute(year: int, threshold: int, version: str) -> list[PublishedTable]:
    shapes = _shapes(year)
    linked = _Linked()
    for shape in shapes:
        _link(shape, linked)
    _link_measures(linked)
    hidden = _suppressed(year, threshold, version, linked)
    synthetic = _is_synthetic(year)
    generated_at = timezone.now().isoformat(timespec="seconds")
    return [
        _publish(shape, linked, hidden, year, threshold, synthetic, generated_at)
        for shape in shapes
    ]


def _shapes(year: int) -> list[_Shape]:
    shapes = []
    for measure in MEASURES:
        for spec in CATALOGUE:
            query = PivotQuery(
                rows=(spec.rows,),
                cols=(spec.cols,) if spec.cols else (),
                measure=measure,
                filters=(("year", str(year)),),
            )
            shapes.append(_Shape(spec, measure, pivot(query, user=None), ()))
    top = _top_columns(shapes)
    return [
        _Shape(
            shape.spec,
            shape.measure,
            shape.result,
            tuple(
                index
                for index, member in enumerate(shape.result.cols)
                if shape.spec.cols
                and (shape.spec.top_cols is None or member.codes[0] in top[shape.spec.slug])
            ),
        )
        for shape in shapes
    ]


def _top_columns(shapes: list[_Shape]) -> dict[str, set[str]]:
    """The N columns with most unique patients in the city; the same for both measures."""
    top: dict[str, set[str]] = {}
    for shape in shapes:
        if shape.measure != "patients" or shape.spec.top_cols is None:
            continue
        result = shape.result
        ranked = sorted(
            range(len(result.cols)),
            key=lambda c: (-(result.col_totals[c] or 0), result.cols[c].codes[0]),
        )
        top[shape.spec.slug] = {result.cols[c].codes[0] for c in ranked[: shape.spec.top_cols]}
    return top


def _link(shape: _Shape, linked: _Linked) -> None:
    result, spec, measure = shape.result, shape.spec, shape.measure
    additive = ADDITIVE_OVER[measure]
    sources = result.sources
    total = shape.key(None, None)
    linked.add(total, result.total, sources.get((-1, -1), "records"))
    row_keys = tuple(shape.key(r, None) for r in range(len(result.rows)))
    for r, key in enumerate(row_keys):
        # A one-way result has one column ("all"): its cells are the row totals.
        source = sources.get((r, -1)) or sources.get((r, 0), "records")
        linked.add(key, result.row_totals[r], source)
    if not spec.cols:
        grid = disclosure.Grid.one_way(row_keys, total, additive=spec.rows in additive)
        linked.relations.extend(grid.relations())
        return
    col_keys = tuple(shape.key(None, c) for c in shape.col_indexes)
    for c, key in zip(shape.col_indexes, col_keys, strict=True):
        linked.add(key, result.col_totals[c], sources.get((-1, c), "records"))
    cells = []
    for r in range(len(result.rows)):
        row = []
        for c in shape.col_indexes:
            key = shape.key(r, c)
            linked.add(key, result.cells[r][c], sources.get((r, c), "records"))
            row.append(key)
        cells.append(tuple(row))
    grid = disclosure.Grid(
        cells=tuple(cells),
        row_totals=row_keys,
        col_totals=col_keys,
        total=total,
        rows_additive=spec.rows in additive,
        cols_additive=spec.cols in additive,
        cols_complete=len(shape.col_indexes) == len(result.cols),
    )
    linked.relations.extend(grid.relations())


def _link_measures(linked: _Linked) -> None:
    """Each patient has at least one episode: a cell's patients never exceed its episodes."""
    for measure, coordinates in list(linked.values):
        episodes = ("episodes", coordinates)
        if measure == "patients" and episodes in linked.values:
            linked.relations.append(
                disclosure.Relation(episodes, ((measure, coordinates),), disclosure.Kind.COVERS)
            )


def _suppressed(year: int, threshold: int, version: str, linked: _Linked) -> set[FigureKey]:
    """The hidden figures: language-free, so cached once for all six languages."""
    key = f"opendata:suppressed:{CATALOGUE_VERSION}:{year}:{threshold}:{version}"
    hidden: set[FigureKey] | None = cache.get(key)
    if hidden is None:
        protection = disclosure.protect(linked.values, linked.relations, threshold=threshold)
        hidden = set(protection.suppressed)
        cache.set(key, hidden, CACHE_SECONDS)
    return hidden


def _is_synthetic(year: int) -> bool:
    from medtour.records.selectors import has_synthetic_records

    return has_synthetic_records(year=year)


def _publish(
    shape: _Shape,
    linked: _Linked,
    hidden: set[FigureKey],
    year: int,
    threshold: int,
    synthetic: bool,
    generated_at: str,
) -> PublishedTable:
    def figure(key: FigureKey) -> Figure:
        if key in hidden:
            return Figure(None)
        return Figure(linked.values[key], linked.sources.get(key, "records"))

    result, spec = shape.result, shape.spec
    lines = tuple(
        Line(
            Header(member.codes[0], member.label),
            tuple(figure(shape.key(r, c)) for c in shape.col_indexes) if spec.cols else (),
            figure(shape.key(r, None)),
        )
        for r, member in enumerate(result.rows)
    )
    columns = tuple(
        Header(result.cols[c].codes[0], result.cols[c].label) for c in shape.col_indexes
    )
    table = PublishedTable(
        year=year,
        measure=shape.measure,
        spec=spec,
        row_dimension=str(DIMENSIONS[spec.rows]),
        col_dimension=str(DIMENSIONS[spec.cols]) if spec.cols else None,
        columns=columns if spec.cols else (),
        lines=lines,
        col_totals=tuple(figure(shape.key(None, c)) for c in shape.col_indexes)
        if spec.cols
        else (),
        total=figure(shape.key(None, None)),
        quality=Quality(0, 0, 0, 0, synthetic),
        threshold=threshold,
        as_of=result.as_of,
        generated_at=generated_at,
    )
    return _with_quality(table)


def _with_quality(table: PublishedTable) -> PublishedTable:
    figures = list(table.figures())
    counted = {
        source: sum(1 for f in figures if not f.suppressed and f.source == source)
        for source in ("records", "aggregate", "estimate")
    }
    quality = Quality(
        records=counted["records"],
        aggregates=counted["aggregate"],
        estimates=counted["estimate"],
        suppressed=sum(1 for f in figures if f.suppressed),
        synthetic=table.quality.synthetic,
    )
    return replace(table, quality=quality)
