"""The panels of a dashboard: each one a chart, the table behind it and the pivot it comes from.

Every figure comes from `pivot()` with the caller as user (the engine enforces the scope).
Queries are remembered per dashboard, so a page asks at most six distinct pivots (the city:
years; districts in the year; nationalities in the year; years x nationalities; departments in
the year; years x departments) and a chart download asks only those its panel needs.
Registered institutions come from the registry through the scoping layer, published figures
from the city's reference file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from medtour.accounts.scope import visible_institutions
from medtour.console.statistics.areas import CITY, DISTRICT, INSTITUTION, Area
from medtour.console.statistics.tables import Cell, Table, pivot_table, share_cells
from medtour.institutions.models import RegistrationStatus
from medtour.localization.text import localize
from medtour.records.demo.published import read_published
from medtour.records.selectors import has_synthetic_records
from medtour.reference.models import District
from medtour.stats import charts
from medtour.stats.query import PivotQuery, PivotResult, pivot
from medtour.stats.rates import growth_rate

TOP_NATIONALITIES = 8
TREND_NATIONALITIES = 5
COSMETIC = ("plastic_surgery", "dermatology")


@dataclass
class Panel:
    key: str
    title: str
    chart: Any  # an Altair chart, rendered by the view
    table: Table
    summary: str = ""  # one sentence with the panel's main figure, for every reader
    query: PivotQuery | None = None  # the pivot behind the chart: the "table" link opens it
    definition: str = ""
    notes: list[str] = field(default_factory=list)


class Dashboard:
    """The figures of one area for one year, asked of pivot() once each."""

    def __init__(self, user: Any, area: Area, year: str | None = None) -> None:
        self.user = user
        self.area = area
        self._results: dict[PivotQuery, PivotResult] = {}
        self.year = year if year in self.years else (self.years[-1] if self.years else "")

    def pivot(
        self,
        rows: tuple[str, ...] = (),
        cols: tuple[str, ...] = (),
        measure: str = "patients",
        *,
        in_year: bool = False,
    ) -> PivotResult:
        filters = self.area.filters + ((("year", self.year),) if in_year else ())
        query = PivotQuery(rows=rows, cols=cols, measure=measure, filters=filters)
        if query not in self._results:
            self._results[query] = pivot(query, user=self.user)
        return self._results[query]

    @property
    def pivot_count(self) -> int:
        return len(self._results)

    @cached_property
    def by_year(self) -> PivotResult:
        return self.pivot(("year",))

    @cached_property
    def years(self) -> list[str]:
        return [member.codes[0] for member in self.by_year.rows]

    @cached_property
    def year_total(self) -> int | None:
        for member, total in zip(self.by_year.rows, self.by_year.row_totals, strict=True):
            if member.codes[0] == self.year:
                return total
        return None

    @cached_property
    def is_demo(self) -> bool:
        return has_synthetic_records()

    def panel_keys(self) -> list[str]:
        keys = ["totals"]
        if self.area.kind in (CITY, DISTRICT):
            keys.append("ranking")
        if self.area.kind == CITY:
            keys.append("map")
        keys += ["nationality", "nationality_trend", "department", "cosmetic"]
        if self.area.kind == CITY:
            keys.append("concentration")
        if self.area.kind in (CITY, DISTRICT):
            keys.append("published")
        return keys

    def panel(self, key: str) -> Panel | None:
        # Without any record only the yearly totals (empty) can be drawn.
        if key not in self.panel_keys() or (not self.year and key != "totals"):
            return None
        return BUILDERS[key](self)

    def panels(self) -> list[Panel]:
        return [panel for key in self.panel_keys() if (panel := self.panel(key)) is not None]


def explorer_url(query: PivotQuery) -> str:
    """The table explorer, filled in with QUERY."""
    params: list[tuple[str, str]] = [("measure", query.measure)]
    if query.rows:
        params.append(("rows", query.rows[0]))
    if query.cols:
        params.append(("cols", query.cols[0]))
    params += [("filter", f"{name}:{code}") for name, code in query.filters]
    return reverse("console:statistics-table") + "?" + urlencode(params)


# Panels ------------------------------------------------------------------------------------


def totals_panel(board: Dashboard) -> Panel:
    result = board.by_year
    growth = growth_rates([member.codes[0] for member in result.rows], result.row_totals)
    table = Table(columns=[_("year"), _("unique patients"), _("growth on the previous year")])
    for member, total, rate in zip(result.rows, result.row_totals, growth, strict=True):
        table.rows.append([Cell(member.label), Cell(total), Cell(rate, percent=True)])
    title = _("Foreign patients by year: %(area)s") % {"area": board.area.name}
    summary = _("%(year)s: %(count)s unique patients.") % {
        "year": board.year,
        "count": charts.format_number(board.year_total),
    }
    rate = dict(zip([m.codes[0] for m in result.rows], growth, strict=True)).get(board.year)
    if rate is not None:
        summary += " " + _("%(rate)s on the previous year.") % {
            "rate": charts.format_number(rate, percent=True)
        }
    return Panel(
        key="totals",
        title=title,
        chart=charts.bar_chart(
            result, title=title, value_title=_("unique patients"), vertical=True
        ),
        table=table,
        summary=summary,
        query=result.query,
        definition=_(
            "Growth: the change in unique patients against the previous year, in per cent."
        ),
    )


def growth_rates(years: list[str], totals: list[int | None]) -> list[float | None]:
    """Per cent change against the previous calendar year; None for the first year, or when the
    previous year has no figure."""
    by_year = dict(zip(years, totals, strict=True))
    rates: list[float | None] = []
    for year, current in by_year.items():
        previous = by_year.get(str(int(year) - 1))
        rate = growth_rate(current, previous) if previous and current is not None else None
        rates.append(None if rate is None else 100.0 * rate)
    return rates


def _ranking_result(board: Dashboard) -> PivotResult:
    dimension = "district" if board.area.kind == CITY else "institution"
    return board.pivot((dimension,), in_year=True)


def ranking_panel(board: Dashboard) -> Panel:
    result = _ranking_result(board)
    by_district = board.area.kind == CITY
    title = (
        _("Districts ranked by unique patients, %(year)s")
        if by_district
        else _("Institutions ranked by unique patients, %(year)s")
    ) % {"year": board.year}
    order = sorted(range(len(result.rows)), key=lambda r: -(result.row_totals[r] or 0))
    table = Table(
        columns=[
            _("rank"),
            _("district") if by_district else _("institution"),
            _("unique patients"),
            _("share of the total"),
        ]
    )
    for rank, r in enumerate(order, start=1):
        aggregate = any(
            source == charts.AGGREGATE for (i, _c), source in result.sources.items() if i == r
        )
        table.rows.append(
            [
                Cell(rank),
                Cell(result.rows[r].label, link=_area_link(board, result.rows[r].codes[0])),
                Cell(result.row_totals[r], aggregate=aggregate),
                *share_cells([result.row_totals[r]], result.total),
            ]
        )
    table.total = [Cell(""), Cell(_("total")), Cell(result.total), Cell(None)]
    leader = [result.rows[r].label for r in order[:1]]
    summary = _("%(first)s has the most patients.") % {"first": leader[0]} if leader else ""
    return Panel(
        key="ranking",
        title=title,
        chart=charts.bar_chart(result, title=title, value_title=_("unique patients"), limit=25),
        table=table,
        summary=summary,
        query=result.query,
        notes=[
            _(
                "A patient treated in two districts counts once in each, and once in the total: "
                "the total is not the sum of the rows."
            )
        ],
    )


def _area_link(board: Dashboard, code: str) -> str:
    query = urlencode({"year": board.year})
    kind = DISTRICT if board.area.kind == CITY else INSTITUTION
    return reverse(f"console:statistics-{kind}", kwargs={"code": code}) + "?" + query


def map_panel(board: Dashboard) -> Panel:
    result = _ranking_result(board)
    title = _("Unique patients by district, %(year)s") % {"year": board.year}
    areas = [
        (district.code, localize(district.names).text, district.boundary)
        for district in District.objects.order_by("code")
    ]
    table = pivot_table(result, row_title=_("district"))
    return Panel(
        key="map",
        title=title,
        chart=charts.choropleth(result, areas, title=title, value_title=_("unique patients")),
        table=table,
        summary=_("Darker districts had more foreign patients; hover a district for its figure."),
        query=result.query,
    )


def nationality_panel(board: Dashboard) -> Panel:
    result = board.pivot(("nationality",), in_year=True)
    title = _("Nationalities, %(year)s") % {"year": board.year}
    rows = charts.share_rows(result, top=TOP_NATIONALITIES, others_label=_("other nationalities"))
    table = Table(columns=[_("nationality"), _("unique patients"), _("share of the total")])
    for label, value, share in rows:
        table.rows.append([Cell(label), Cell(value), Cell(share, percent=True)])
    table.total = [Cell(_("total")), Cell(result.total), Cell(None)]
    summary = (
        _("%(first)s: %(share)s of patients.")
        % {"first": rows[0][0], "share": charts.format_number(rows[0][2], percent=True)}
        if rows
        else ""
    )
    return Panel(
        key="nationality",
        title=title,
        chart=charts.share_chart(
            result, title=title, top=TOP_NATIONALITIES, others_label=_("other nationalities")
        ),
        table=table,
        summary=summary,
        query=result.query,
        definition=_(
            "Shares of the year's unique patients. Other nationalities: the patients of the "
            "remaining nationalities together."
        ),
    )


def nationality_trend_panel(board: Dashboard) -> Panel:
    in_year = board.pivot(("nationality",), in_year=True)
    leaders = [
        member.codes[0]
        for _total, member in sorted(
            zip(in_year.row_totals, in_year.rows, strict=True), key=lambda pair: -(pair[0] or 0)
        )[:TREND_NATIONALITIES]
    ]
    result = select_columns(board.pivot(("year",), ("nationality",)), leaders)
    title = _("Leading nationalities over the years")
    return Panel(
        key="nationality_trend",
        title=title,
        chart=charts.line_chart(result, title=title, value_title=_("unique patients")),
        table=pivot_table(result, row_title=_("year")),
        summary=_("The %(count)s nationalities with most patients in %(year)s.")
        % {"count": len(leaders), "year": board.year},
        query=board.pivot(("year",), ("nationality",)).query,
        notes=[_("The total column counts patients of every nationality.")],
    )


def select_columns(result: PivotResult, codes: list[str]) -> PivotResult:
    """RESULT with only the columns whose code is in CODES (in that order); totals stay real."""
    positions = [
        c for code in codes for c, member in enumerate(result.cols) if member.codes[0] == code
    ]
    return replace(
        result,
        cols=[result.cols[c] for c in positions],
        cells=[[row[c] for c in positions] for row in result.cells],
        col_totals=[result.col_totals[c] for c in positions],
        sources={
            (r, positions.index(c)): source
            for (r, c), source in result.sources.items()
            if c in positions
        },
    )


def department_panel(board: Dashboard) -> Panel:
    result = board.pivot(("department",), measure="department_patients", in_year=True)
    title = _("Departments, %(year)s") % {"year": board.year}
    table = pivot_table(result, row_title=_("department"))
    table.columns.append(_("share of the total"))
    for row, value in zip(table.rows, result.row_totals, strict=True):
        row.extend(share_cells([value], result.total))
    if table.total:
        table.total.append(Cell(None))
    return Panel(
        key="department",
        title=title,
        chart=charts.bar_chart(
            result, title=title, value_title=_("patients counted per department")
        ),
        table=table,
        summary=_("%(count)s patients counted per department.")
        % {"count": charts.format_number(result.total)},
        query=result.query,
        definition=cosmetic_definition_short(),
    )


def cosmetic_definition_short() -> str:
    return _(
        "Department-based patients count a person once in each department that treated them "
        "in the year."
    )


def cosmetic_panel(board: Dashboard) -> Panel:
    result = board.pivot(("year",), ("department",), measure="department_patients")
    shares = cosmetic_shares(result)
    published = read_published()
    national = {
        year: share
        for (area, year), share in published.cosmetic_pairs.items()
        if area == "national"
    }
    title = _("Cosmetic share: plastic surgery and dermatology")
    table = Table(
        columns=[
            _("year"),
            _("plastic surgery and dermatology"),
            _("patients counted per department"),
            _("cosmetic share"),
            _("published national share"),
        ]
    )
    for year, label, cosmetic, total, share in shares:
        table.rows.append(
            [
                Cell(label),
                Cell(cosmetic),
                Cell(total),
                Cell(share, percent=True),
                Cell(national.get(int(year)), percent=True),
            ]
        )
    current = next((share for year, _l, _c, _t, share in shares if year == board.year), None)
    chart_rows = [(label, share) for _y, label, _c, _t, share in shares if share is not None]
    return Panel(
        key="cosmetic",
        title=title,
        chart=charts.values_chart(
            chart_rows, title=title, value_title=_("cosmetic share"), percent=True
        ),
        table=table,
        summary=_("%(year)s: %(share)s of department-based patients.")
        % {"year": board.year, "share": charts.format_number(current, percent=True)},
        query=result.query,
        definition=_(
            "Cosmetic share: patients of plastic surgery and of dermatology, counted per "
            "department, divided by all department-based patients of the year (each person "
            "counts once in each department that treated them)."
        ),
    )


def cosmetic_shares(result: PivotResult) -> list[tuple[str, str, int, int | None, float | None]]:
    """(year, label, cosmetic patients, all department-based patients, share %) per year."""
    columns = [c for c, member in enumerate(result.cols) if member.codes[0] in COSMETIC]
    shares = []
    for r, member in enumerate(result.rows):
        cosmetic = sum(result.cells[r][c] or 0 for c in columns)
        total = result.row_totals[r]
        share = 100.0 * cosmetic / total if total else None
        shares.append((member.codes[0], member.label, cosmetic, total, share))
    return shares


def concentration_panel(board: Dashboard) -> Panel:
    result = _ranking_result(board)
    registered = dict(
        visible_institutions(board.user)
        .filter(is_active=True, registration_status=RegistrationStatus.REGISTERED)
        .values_list("district__code")
        .annotate(count=Count("pk"))
        .values_list("district__code", "count")
    )
    all_registered = sum(registered.values())
    patients = {m.codes[0]: v for m, v in zip(result.rows, result.row_totals, strict=True)}
    title = _("Registered institutions and patients by district, %(year)s") % {"year": board.year}
    table = Table(
        columns=[
            _("district"),
            _("registered institutions"),
            _("share of institutions"),
            _("unique patients"),
            _("share of patients"),
            _("concentration"),
        ]
    )
    points = []
    for district in District.objects.defer("boundary").order_by("code"):
        count = registered.get(district.code, 0)
        value = patients.get(district.code)
        institution_share = 100.0 * count / all_registered if all_registered else None
        patient_share = 100.0 * value / result.total if value is not None and result.total else None
        ratio = (
            patient_share / institution_share
            if patient_share is not None and institution_share
            else None
        )
        name = localize(district.names).text
        table.rows.append(
            [
                Cell(name),
                Cell(count),
                Cell(institution_share, percent=True),
                Cell(value),
                Cell(patient_share, percent=True),
                Cell(round(ratio, 2) if ratio is not None else None),
            ]
        )
        if institution_share is not None and patient_share is not None:
            points.append({"label": name, "x": institution_share, "y": patient_share})
    table.rows.sort(key=lambda row: -(row[4].value or 0))
    table.total = [
        Cell(_("total")),
        Cell(all_registered),
        Cell(None),
        Cell(result.total),
        Cell(None),
        Cell(None),
    ]
    return Panel(
        key="concentration",
        title=title,
        chart=charts.scatter_chart(
            points, title=title, x_title=_("share of institutions"), y_title=_("share of patients")
        ),
        table=table,
        summary=_("Above the diagonal, a district draws more patients than its share of clinics."),
        query=result.query,
        definition=_(
            "Concentration: a district's share of the city's unique patients divided by its "
            "share of the registered institutions (active, with a valid registration, as in the "
            "registry today). Above 1, each institution there sees more foreign patients than "
            "the city's average."
        ),
    )


def published_panel(board: Dashboard) -> Panel:
    published = read_published()
    if board.area.kind == CITY:
        figures = {year: figure.value for year, figure in published.seoul_totals.items()}
    else:
        region = board.area.district.names.get("en", "") if board.area.district else ""
        figures = {
            year: figure.value
            for (year, name), figure in published.district_totals.items()
            if name == region
        }
    recorded = {
        int(m.codes[0]): v
        for m, v in zip(board.by_year.rows, board.by_year.row_totals, strict=True)
    }
    title = _("Published and recorded unique patients: %(area)s") % {"area": board.area.name}
    table = Table(columns=[_("year"), _("published"), _("recorded"), _("difference")])
    chart_rows: list[tuple[str, str, float]] = []
    for year in sorted(set(figures) & set(recorded)):
        value, mine = figures[year], recorded[year]
        difference = 100.0 * (mine - value) / value if mine is not None and value else None
        table.rows.append(
            [Cell(str(year)), Cell(int(value)), Cell(mine), Cell(difference, percent=True)]
        )
        chart_rows += [
            (str(year), _("published"), value),
            (str(year), _("recorded"), float(mine or 0)),
        ]
    notes = [
        _("Published figures: the city's reference file of published statistics, with its sources.")
    ]
    if board.is_demo:
        notes.append(
            _(
                "The records here are synthetic demonstration data, calibrated to the published "
                "figures: at full scale they match them; at a smaller scale they are "
                "proportionally smaller."
            )
        )
    return Panel(
        key="published",
        title=title,
        chart=charts.grouped_bar_chart(chart_rows, title=title, value_title=_("unique patients")),
        table=table,
        summary=_("%(count)s years with both a published and a recorded figure.")
        % {"count": len(table.rows)},
        query=board.by_year.query,
        notes=notes,
    )


BUILDERS: dict[str, Callable[[Dashboard], Panel]] = {
    "totals": totals_panel,
    "ranking": ranking_panel,
    "map": map_panel,
    "nationality": nationality_panel,
    "nationality_trend": nationality_trend_panel,
    "department": department_panel,
    "cosmetic": cosmetic_panel,
    "concentration": concentration_panel,
    "published": published_panel,
}
