"""The key facts of a year for one area (the city or a district), every figure from `pivot()`.

Facts hold codes and numbers only, no language: the prose (briefing_prose.py) names the codes
in the reader's language. Definitions (docs/briefing.md):

- totals are unique patients (each person once per year and area);
- growth compares the year with the one before and with the year `LONG_RUN_YEARS` earlier (or
  the earliest year with figures), with the compound annual growth rate over that span;
- a round threshold is the largest "round" mark crossed since the previous year: multiples of
  the total's leading power of ten (100,000 for 216,646), else of half of it (50,000); none
  below 10;
- targets are the targets app's, with its progress rule applied as at the end of the year;
- department shares are of patients counted once per department, the care-type mix is of
  episodes, nationality shares are of unique patients.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from medtour.reference.city import current_city
from medtour.reference.models import District
from medtour.stats.query import PivotQuery, PivotResult, pivot
from medtour.stats.rates import annual_rate, growth_rate
from medtour.targets.progress import progress_of
from medtour.targets.selectors import targets_for

LONG_RUN_YEARS = 5
TOP_DISTRICTS = 5
TOP_NATIONALITIES = 5
TOP_DEPARTMENTS = 5
CARE_TYPES = ("outpatient", "inpatient", "checkup")


class BriefingError(ValueError):
    """An area or year the briefing cannot be written for; the message is translated."""


@dataclass(frozen=True)
class Ranked:
    """One member of a ranking: its code, its figure and its share of the real total."""

    code: str
    value: int
    share: float | None


@dataclass(frozen=True)
class Threshold:
    value: int
    first_time: bool  # no earlier year reached it


@dataclass(frozen=True)
class TargetFact:
    year: int
    value: int
    label: str
    source: str
    share_achieved: float | None = None  # the briefing year's total / the target
    base_year: int | None = None  # the year the growth still needed starts from
    growth_needed: float | None = None  # a year, from base_year to the target's year
    growth_observed: float | None = None  # a year, from observed_from to base_year
    observed_from: int | None = None


@dataclass(frozen=True)
class Quality:
    sources: frozenset[str]  # "records", "aggregate", "estimate"
    synthetic: bool
    as_of: str


@dataclass(frozen=True)
class BriefingFacts:
    year: int
    area: str | None  # None: the whole city; else a District.code
    area_names: dict[str, str]
    total: int | None
    series: dict[int, int]  # year -> unique patients, up to and including YEAR
    previous: tuple[int, int] | None = None  # (year, patients) of the year before
    growth: float | None = None  # against the year before, as a fraction
    base: tuple[int, int] | None = None  # (year, patients) of the long-run comparison
    long_run_growth: float | None = None
    cagr: float | None = None
    threshold: Threshold | None = None
    districts: list[Ranked] = field(default_factory=list)
    district_ratio: float | None = None  # first / second, one decimal
    nationalities: list[Ranked] = field(default_factory=list)
    departments: list[Ranked] = field(default_factory=list)
    care_types: list[Ranked] = field(default_factory=list)
    episodes: int | None = None
    targets: list[TargetFact] = field(default_factory=list)
    quality: Quality = Quality(frozenset(), False, "")
    # the pivot results behind the facts, by dimension, for the charts
    results: dict[str, PivotResult] = field(default_factory=dict, repr=False, compare=False)


def resolve_area(area: str | None) -> tuple[str | None, dict[str, str]]:
    """`seoul` (the city's code), `city` or None -> (None, city names); a district code ->
    (code, district names). Anything else is a BriefingError."""
    city = current_city()
    if area in (None, "", "city", city.code):
        return None, dict(city.names)
    district = District.objects.filter(code=area).first()
    if district is None:
        raise BriefingError(_("Unknown area “%(area)s”.") % {"area": area})
    return district.code, dict(district.names)


def crossed_threshold(series: dict[int, int], year: int) -> Threshold | None:
    """The largest round mark passed between the year before and YEAR (rule in the docstring)."""
    current, previous = series.get(year), series.get(year - 1)
    if current is None or previous is None or current <= previous:
        return None
    magnitude = 10 ** (len(str(current)) - 1)
    if magnitude < 10:  # every single-digit number would be "round"
        return None
    for step in (magnitude, magnitude // 2):
        mark = current // step * step if step else 0
        if step and mark > previous:
            earlier = [value for past, value in series.items() if past < year]
            return Threshold(mark, first_time=all(value < mark for value in earlier))
    return None


def ranking(result: PivotResult, limit: int, total: int | None = None) -> list[Ranked]:
    """Members by their real row total, largest first; shares of TOTAL (default: the result's)."""
    total = result.total if total is None else total
    members = []
    for member, value in zip(result.rows, _row_values(result), strict=True):
        if value:
            share = value / total if total else None
            members.append(Ranked(member.codes[0], value, share))
    members.sort(key=lambda ranked: (-ranked.value, ranked.code))
    return members[:limit]


def _row_values(result: PivotResult) -> list[int | None]:
    """Each row's real total (one column or none: the row total is the row's figure)."""
    if result.row_totals and len(result.row_totals) == len(result.rows):
        return list(result.row_totals)
    return [cells[0] if cells else None for cells in result.cells]


def briefing_facts(year: int, area: str | None, user: Any = None) -> BriefingFacts:
    """The facts for YEAR and AREA within USER's statistical scope (None: the whole city)."""
    district, names = resolve_area(area)
    place = (("district", district),) if district else ()
    in_year = (("year", str(year)), *place)

    by_year = pivot(PivotQuery(rows=("year",), filters=place), user=user)
    series = {
        int(member.codes[0]): value
        for member, value in zip(by_year.rows, _row_values(by_year), strict=True)
        if value is not None and member.codes[0].isdigit() and int(member.codes[0]) <= year
    }
    total = series.get(year)
    results = {"year": _up_to(by_year, year)}

    nationality = pivot(PivotQuery(rows=("nationality",), filters=in_year), user=user)
    department = pivot(
        PivotQuery(rows=("department",), measure="department_patients", filters=in_year),
        user=user,
    )
    care = pivot(PivotQuery(rows=("care_type",), measure="episodes", filters=in_year), user=user)
    results.update(nationality=nationality, department=department, care_type=care)
    districts: list[Ranked] = []
    if district is None:
        by_district = pivot(
            PivotQuery(rows=("district",), filters=(("year", str(year)),)), user=user
        )
        results["district"] = by_district
        districts = ranking(by_district, TOP_DISTRICTS, total)

    return BriefingFacts(
        year=year,
        area=district,
        area_names=names,
        total=total,
        series=series,
        **_growth(series, year),
        threshold=crossed_threshold(series, year),
        districts=districts,
        district_ratio=_ratio(districts),
        nationalities=ranking(nationality, TOP_NATIONALITIES, total),
        departments=ranking(department, TOP_DEPARTMENTS),
        care_types=[ranked for ranked in ranking(care, len(CARE_TYPES)) if ranked.value],
        episodes=care.total,
        targets=_targets(district, year, series),
        quality=_quality(list(results.values()), year, district),
        results=results,
    )


def _up_to(result: PivotResult, year: int) -> PivotResult:
    """RESULT (rows are years) without the years after YEAR, for the chart of the series."""
    kept = [
        index
        for index, member in enumerate(result.rows)
        if member.codes[0].isdigit() and int(member.codes[0]) <= year
    ]
    moved = {old: new for new, old in enumerate(kept)}
    return dataclasses.replace(
        result,
        rows=[result.rows[index] for index in kept],
        cells=[result.cells[index] for index in kept],
        row_totals=[result.row_totals[index] for index in kept] if result.row_totals else [],
        sources={
            (moved[row], col): source
            for (row, col), source in result.sources.items()
            if row in moved
        },
    )


def _growth(series: dict[int, int], year: int) -> dict[str, Any]:
    total = series.get(year)
    if total is None:
        return {}
    found: dict[str, Any] = {}
    if year - 1 in series:
        found["previous"] = (year - 1, series[year - 1])
        found["growth"] = growth_rate(total, series[year - 1])
    earlier = [past for past in series if past < year - 1 and past >= year - LONG_RUN_YEARS]
    if earlier:
        base_year = min(earlier)
        found["base"] = (base_year, series[base_year])
        found["long_run_growth"] = growth_rate(total, series[base_year])
        found["cagr"] = annual_rate(total, series[base_year], year - base_year)
    return found


def _ratio(districts: list[Ranked]) -> float | None:
    if len(districts) < 2 or not districts[1].value:
        return None
    return round(districts[0].value / districts[1].value, 1)


def _targets(district: str | None, year: int, series: dict[int, int]) -> list[TargetFact]:
    """AREA's targets for YEAR and later, with progress as seen at the end of YEAR: the
    targets app's rule (medtour.targets.progress) applied to the series up to YEAR."""
    facts = []
    observed = {past: float(value) for past, value in series.items()}
    for target in targets_for(district):
        if target.year < year:
            continue
        progress = progress_of(target, observed, last_complete=year)
        total = series.get(year)
        facts.append(
            TargetFact(
                year=target.year,
                value=target.value,
                label=target.label,
                source=target.source,
                share_achieved=total / target.value if total and target.value else None,
                base_year=progress.base_year,
                growth_needed=progress.growth_needed,
                growth_observed=progress.growth_observed,
                observed_from=progress.observed_from,
            )
        )
    return facts


def _quality(results: list[PivotResult], year: int, district: str | None) -> Quality:
    from medtour.records.selectors import has_synthetic_records

    sources = {"records"}
    for result in results:
        sources.update(result.sources.values())
    as_of = max((result.as_of for result in results), default="")
    synthetic = has_synthetic_records(year=year, district=district)
    return Quality(frozenset(sources), synthetic=synthetic, as_of=as_of)
