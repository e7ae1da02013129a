"""Forecasts with prediction intervals, the model chosen by rolling-origin backtests.

`forecast_annual({2009: 60201, …}, horizon=2)` and `forecast_monthly({"2016-01": …}, horizon=12)`
try every candidate in `models`, score each by its mean MASE over the backtest origins, and
forecast with the lowest. See docs/targets-and-forecasts.md for the method and measured results.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils.translation import gettext as _

from medtour.targets.forecasting.backtest import Plan, mase, plan
from medtour.targets.forecasting.models import (
    ANNUAL_CANDIDATES,
    MODEL_NAMES,
    MONTHLY_CANDIDATES,
    Model,
    predict,
)
from medtour.targets.forecasting.series import (
    SeriesError,
    check_annual,
    check_monthly,
    month_code,
)

__all__ = [
    "MODEL_NAMES",
    "Forecast",
    "SeriesError",
    "detect_breaks",
    "forecast_annual",
    "forecast_monthly",
]

LEVELS = (0.8, 0.95)
# A fall to less than half the year before is flagged as a break (COVID-19: 2020 and 2021).
BREAK_RATIO = 0.5
ANNUAL_MIN_TRAIN, ANNUAL_MAX_HORIZON, ANNUAL_MAX_ORIGINS = 4, 3, 5
MONTHLY_MIN_TRAIN, MONTHLY_MAX_HORIZON, MONTHLY_MAX_ORIGINS, MONTHLY_STEP = 12, 12, 3, 3


@dataclass(frozen=True)
class Forecast:
    model: str  # key of models.MODEL_NAMES
    points: list[tuple[int | str, float, float, float]]  # (period, mean, lower, upper) at `level`
    level: float
    candidates: list[tuple[str, float | None]]  # (model, MASE); None: the model failed
    bands: dict[float, list[tuple[float, float]]] = field(default_factory=dict)  # every level
    backtest_horizon: int = 0
    backtest_origins: tuple[int | str, ...] = ()  # the last period each backtest model saw
    breaks: tuple[int | str, ...] = ()  # periods flagged as a collapse (not changed)
    bridged: tuple[int | str, ...] = ()  # periods replaced by interpolation before fitting

    @property
    def model_name(self) -> str:
        return str(MODEL_NAMES[self.model])

    def mase_of(self, model: str) -> float | None:
        return dict(self.candidates).get(model)


def detect_breaks(periods: Sequence[int | str], values: Sequence[float]) -> tuple[int | str, ...]:
    """Periods that fell below BREAK_RATIO of the period before, and those that stayed there."""
    flagged: list[int | str] = []
    reference: float | None = None  # the level before the collapse
    for index in range(1, len(values)):
        previous, value = values[index - 1], values[index]
        if reference is None and previous > 0 and value < BREAK_RATIO * previous:
            reference = previous
        elif reference is not None and value >= BREAK_RATIO * reference:
            reference = None
        if reference is not None:
            flagged.append(periods[index])
    return tuple(flagged)


def bridge(values: list[float], positions: Sequence[int]) -> list[float]:
    """Replace the values at POSITIONS by a geometric (log-linear) path between the nearest
    kept neighbours; linear where a neighbour is zero; carried flat at either end."""
    result = list(values)
    keep = [index for index in range(len(values)) if index not in set(positions)]
    if not keep:
        return result
    for index in positions:
        before = max((k for k in keep if k < index), default=None)
        after = min((k for k in keep if k > index), default=None)
        if before is None or after is None:
            result[index] = values[before if after is None else after]  # type: ignore[index]
            continue
        share = (index - before) / (after - before)
        low, high = values[before], values[after]
        if low > 0 and high > 0:
            result[index] = math.exp(math.log(low) + share * (math.log(high) - math.log(low)))
        else:
            result[index] = low + share * (high - low)
    return result


def _choose(
    candidates: Mapping[str, Model], y: np.ndarray, backtest: Plan
) -> tuple[str, list[tuple[str, float | None]]]:
    scores = [(name, mase(model, y, backtest)) for name, model in candidates.items()]
    scored = [
        (score, order, name) for order, (name, score) in enumerate(scores) if score is not None
    ]
    if not scored:
        # Every origin had a flat window: nothing tells the models apart; keep the baseline.
        return "naive", scores
    return min(scored)[2], scores


def _forecast(
    candidates: Mapping[str, Model],
    periods: list[int | str],
    future: list[int | str],
    values: list[float],
    backtest: Plan,
    level: float,
    bridged: Sequence[int],
) -> Forecast:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    y = np.asarray(bridge(values, bridged), dtype=float)
    chosen, scores = _choose(candidates, y, backtest)
    try:
        prediction = predict(candidates[chosen], y, len(future), LEVELS, backtest.season)
    except Exception:  # the chosen model fitted every window but not the full series
        chosen = "naive"
        prediction = predict(candidates[chosen], y, len(future), LEVELS, backtest.season)
    # Counts cannot fall below zero; the floor applies to means and bounds alike.
    mean = np.maximum(prediction.mean, 0.0)
    bands = {
        band_level: [(max(lo, 0.0), max(hi, 0.0)) for lo, hi in zip(*sides, strict=True)]
        for band_level, sides in prediction.bands.items()
    }
    points = [
        (period, float(value), float(lower), float(upper))
        for period, value, (lower, upper) in zip(future, mean, bands[level], strict=True)
    ]
    return Forecast(
        model=chosen,
        points=points,
        level=level,
        candidates=scores,
        bands={key: [(float(lo), float(hi)) for lo, hi in value] for key, value in bands.items()},
        backtest_horizon=backtest.horizon,
        backtest_origins=tuple(periods[origin - 1] for origin in backtest.origins),
        breaks=detect_breaks(periods, values),
        bridged=tuple(periods[position] for position in bridged),
    )


def _positions(periods: list[int | str], wanted: Sequence[int | str]) -> list[int]:
    unknown = [period for period in wanted if period not in periods]
    if unknown:
        raise SeriesError(
            _("%(period)s is not in the series and cannot be bridged.") % {"period": unknown[0]}
        )
    return sorted(periods.index(period) for period in wanted)


def _too_short(count: int, minimum: int) -> SeriesError:
    return SeriesError(
        _(
            "The series has %(count)s periods; at least %(minimum)s are needed to test the "
            "models on the past."
        )
        % {"count": count, "minimum": minimum}
    )


CACHE_SECONDS = 24 * 3600


def _cached(forecast: Any) -> Any:
    """Fitting takes seconds; the same series gives the same forecast, so pages, scenarios and
    briefings share one fit per series (new figures give a new key)."""

    @functools.wraps(forecast)
    def wrapper(series: Mapping[Any, float], horizon: int, **options: Any) -> Forecast:
        content = json.dumps(
            [forecast.__name__, sorted(series.items()), horizon, sorted(options.items())],
            default=list,
        )
        key = "targets:forecast:" + hashlib.sha256(content.encode()).hexdigest()
        result: Forecast | None = cache.get(key)
        if result is None:
            result = forecast(series, horizon, **options)
            cache.set(key, result, CACHE_SECONDS)
        return result

    return wrapper


@_cached
def forecast_annual(
    series: Mapping[int, float],
    horizon: int,
    *,
    level: float = 0.95,
    bridge_years: Sequence[int] = (),
) -> Forecast:
    """Forecast HORIZON years after the last year of SERIES ({year: value}, no gaps).

    BRIDGE_YEARS (e.g. (2020, 2021)) are replaced by a log-linear path between their
    neighbours before fitting: an explicit what-if without the collapse, never the default."""
    if horizon < 1:
        raise SeriesError(_("The horizon must be at least one period."))
    minimum = ANNUAL_MIN_TRAIN + 3
    years, values = check_annual(series, minimum)
    backtest = plan(
        len(years),
        min(horizon, ANNUAL_MAX_HORIZON),
        min_train=ANNUAL_MIN_TRAIN,
        step=1,
        max_origins=ANNUAL_MAX_ORIGINS,
        season=1,
    )
    if backtest is None:
        raise _too_short(len(years), minimum)
    periods: list[int | str] = list(years)
    future: list[int | str] = [years[-1] + step for step in range(1, horizon + 1)]
    return _forecast(
        ANNUAL_CANDIDATES,
        periods,
        future,
        values,
        backtest,
        level,
        _positions(periods, bridge_years),
    )


@_cached
def forecast_monthly(
    series: Mapping[str, float],
    horizon: int,
    *,
    level: float = 0.95,
    bridge_months: Sequence[str] = (),
) -> Forecast:
    """Forecast HORIZON months after the last month of SERIES ({"2016-03": value}, no gaps).

    With three years or more the models see the season (12 months) and MASE is scaled by the
    seasonal naive; with less the seasonal candidates are left out."""
    if horizon < 1:
        raise SeriesError(_("The horizon must be at least one period."))
    minimum = MONTHLY_MIN_TRAIN + 3 * MONTHLY_STEP
    indices, values = check_monthly(series, minimum)
    season = 12 if len(indices) >= 36 else 1
    candidates = dict(MONTHLY_CANDIDATES)
    if season == 1:
        candidates.pop("seasonal_naive")
    backtest = plan(
        len(indices),
        min(horizon, MONTHLY_MAX_HORIZON),
        min_train=max(MONTHLY_MIN_TRAIN, 2 * season),
        step=MONTHLY_STEP,
        max_origins=MONTHLY_MAX_ORIGINS,
        season=season,
    )
    if backtest is None:
        raise _too_short(len(indices), minimum)
    periods: list[int | str] = [month_code(index) for index in indices]
    future: list[int | str] = [month_code(indices[-1] + step) for step in range(1, horizon + 1)]
    return _forecast(
        candidates, periods, future, values, backtest, level, _positions(periods, bridge_months)
    )
