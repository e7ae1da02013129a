"""What-if: a shock of P % to one nationality or department from month M for L months.

Method (segment share * total): the area's monthly total is forecast (forecasting.forecast_
monthly, model chosen by backtests); the segment's share of the total is its share over the last
SHARE_MONTHS complete months (unique patients of the segment / unique patients of all). In each
shocked month the forecast becomes total * (1 + P/100 * share); the rest of the area is assumed
unaffected. A year's unique patients are not the sum of its months (a patient seen in March
and May counts once in the year), so the annual figure of the scenario is the annual forecast
(forecast_annual) scaled by the ratio of the shocked to the baseline month-sums of that year.
Months already observed are never changed: a shock that starts in the past applies from the
first forecast month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from medtour.targets.actuals import annual_series, monthly_series
from medtour.targets.forecasting import Forecast, SeriesError, forecast_annual, forecast_monthly
from medtour.targets.forecasting.series import month_index
from medtour.targets.progress import Progress, progress_of
from medtour.targets.selectors import targets_for

SHARE_MONTHS = 12
SEGMENT_DIMENSIONS = ("nationality", "department")


@dataclass(frozen=True)
class YearEffect:
    year: int
    baseline: float  # unique patients forecast for the year
    shocked: float
    target: int | None = None  # the year's (largest) target, if any

    @property
    def change(self) -> float:
        return self.shocked - self.baseline

    @property
    def share_before(self) -> float | None:
        return self.baseline / self.target if self.target else None

    @property
    def share_after(self) -> float | None:
        return self.shocked / self.target if self.target else None


@dataclass(frozen=True)
class Scenario:
    area: str | None
    dimension: str
    code: str
    percent: float
    start: str
    months: int
    segment_share: float  # of the area's patients over the last SHARE_MONTHS months
    monthly_model: str
    annual_model: str
    monthly: list[tuple[str, float, float]]  # (month, baseline, shocked), forecast months
    years: list[YearEffect]
    progress_before: list[Progress]
    progress_after: list[Progress]

    @property
    def progress_pairs(self) -> list[tuple[Progress, Progress]]:
        return list(zip(self.progress_before, self.progress_after, strict=True))


def segment_share(total: dict[str, float], segment: dict[str, float]) -> float:
    """The segment's share of the last SHARE_MONTHS months of TOTAL (0 when there is none)."""
    months = list(total)[-SHARE_MONTHS:]
    denominator = sum(total[month] for month in months)
    if denominator <= 0:
        return 0.0
    return min(1.0, sum(segment.get(month, 0.0) for month in months) / denominator)


def shock_months(
    baseline: Forecast, *, share: float, percent: float, start: str, months: int
) -> list[tuple[str, float, float]]:
    """(month, baseline, shocked) for every forecast month."""
    first, last = month_index(start), month_index(start) + months - 1
    factor = 1 + percent / 100 * share
    return [
        (str(month), mean, mean * factor if first <= month_index(str(month)) <= last else mean)
        for month, mean, _lower, _upper in baseline.points
    ]


def annual_effects(
    monthly: list[tuple[str, float, float]], annual: Forecast, targets: dict[int, int]
) -> list[YearEffect]:
    sums: dict[int, list[float]] = {}
    for month, base, shocked in monthly:
        pair = sums.setdefault(int(month[:4]), [0.0, 0.0])
        pair[0] += base
        pair[1] += shocked
    effects = []
    for year, mean, _lower, _upper in annual.points:
        base_sum, shocked_sum = sums.get(int(year), [0.0, 0.0])
        ratio = shocked_sum / base_sum if base_sum > 0 else 1.0
        effects.append(YearEffect(int(year), mean, mean * ratio, targets.get(int(year))))
    return effects


def apply_shock(
    area: str | None,
    *,
    dimension: str,
    code: str,
    percent: float,
    start: str,
    months: int,
    user: Any = None,
    horizon_years: int = 3,
) -> Scenario:
    """The baseline and shocked forecasts of AREA and the effect on its targets."""
    if dimension not in SEGMENT_DIMENSIONS:
        raise SeriesError(_("A shock applies to one nationality or one department."))
    if months < 1 or percent < -100:
        raise SeriesError(_("A shock lasts at least one month and removes at most 100 %."))
    month_index(start)  # a clear error for a malformed month
    total = monthly_series(area, user=user)
    segment = monthly_series(area, user=user, filters=((dimension, code),))
    annual = annual_series(area, user=user)
    if not total or not annual:
        raise SeriesError(_("There are no patients in this area to forecast."))
    last_year = max(annual)
    last_month = month_index(list(total)[-1])
    horizon_months = (last_year + horizon_years) * 12 + 11 - last_month
    # The month series may run past the last complete year; the annual horizon follows it.
    baseline = forecast_monthly(total, max(horizon_months, 1))
    yearly = forecast_annual(annual, horizon_years)
    share = segment_share(total, segment)
    monthly = shock_months(baseline, share=share, percent=percent, start=start, months=months)
    targets: dict[int, int] = {}
    for target in targets_for(area):
        targets.setdefault(target.year, target.value)
    effects = annual_effects(monthly, yearly, targets)
    before = {**annual, **{effect.year: effect.baseline for effect in effects}}
    after = {**annual, **{effect.year: effect.shocked for effect in effects}}
    future_targets = [target for target in targets_for(area) if target.year > last_year]
    last = last_year + horizon_years
    return Scenario(
        area=area,
        dimension=dimension,
        code=code,
        percent=percent,
        start=start,
        months=months,
        segment_share=share,
        monthly_model=baseline.model,
        annual_model=yearly.model,
        monthly=monthly,
        years=effects,
        progress_before=[progress_of(t, before, last) for t in future_targets],
        progress_after=[progress_of(t, after, last) for t in future_targets],
    )
