"""How far an area is from its target, and the growth still needed against the growth seen.

growth_needed = (target / base_value) ** (1 / (year - base_year)) - 1, where base_year is the
last complete year before the target year; growth_observed is the same compound annual rate
over the OBSERVED_SPAN years up to base_year. Both are None where a zero makes them undefined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtour.stats.rates import annual_rate
from medtour.targets.actuals import annual_series, last_complete_year
from medtour.targets.selectors import TargetView, targets_for

OBSERVED_SPAN = 3


@dataclass(frozen=True)
class Progress:
    area: str | None
    year: int
    target: int
    label: str
    source: str
    actual: int | None  # unique patients in the target year (None: not a complete year yet)
    share_achieved: float | None  # actual / target
    base_year: int | None
    base_value: int | None
    growth_needed: float | None  # per year, from base_year to the target year
    growth_observed: float | None  # per year, over the last OBSERVED_SPAN years to base_year
    observed_from: int | None = None  # first year of the observed rate

    @property
    def on_track(self) -> bool | None:
        if self.growth_needed is None or self.growth_observed is None:
            return None
        return self.growth_observed >= self.growth_needed

    @property
    def achieved(self) -> bool | None:
        return None if self.share_achieved is None else self.share_achieved >= 1


def progress_of(
    target: TargetView, series: dict[int, float], last_complete: int | None = None
) -> Progress:
    """TARGET against SERIES ({year: actual}); the rule shared by every area, tested on the
    national figures."""
    last_complete = last_complete_year() if last_complete is None else last_complete
    complete = {year: value for year, value in series.items() if year <= last_complete}
    actual = complete.get(target.year)
    before = [year for year in complete if year < target.year]
    base_year = max(before) if before else None
    base_value = complete[base_year] if base_year is not None else None
    needed = None
    if base_value is not None and base_year is not None and actual is None:
        needed = annual_rate(target.value, base_value, target.year - base_year)
    observed = observed_from = None
    if base_year is not None and base_value is not None:
        observed_from = max(min(complete), base_year - OBSERVED_SPAN)
        observed = annual_rate(base_value, complete[observed_from], base_year - observed_from)
    return Progress(
        area=target.area,
        year=target.year,
        target=target.value,
        label=target.label,
        source=target.source,
        actual=None if actual is None else int(actual),
        share_achieved=None if actual is None else actual / target.value,
        base_year=base_year,
        base_value=None if base_value is None else int(base_value),
        growth_needed=needed,
        growth_observed=observed,
        observed_from=observed_from if observed is not None else None,
    )


def target_progress(area: str | None, year: int, *, user: Any = None) -> Progress | None:
    """Progress towards AREA's target for YEAR (the largest, if several were set); None if
    there is none. Actuals are unique patients from pivot(), within USER's scope."""
    targets = targets_for(area, year)
    if not targets:
        return None
    return progress_of(targets[0], annual_series(area, user=user))


def progress_for_area(area: str | None, *, user: Any = None) -> list[Progress]:
    """Every target of AREA with its progress (one query for the actuals)."""
    series = annual_series(area, user=user)
    return [progress_of(target, series) for target in targets_for(area)]
