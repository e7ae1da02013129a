"""The candidate models: two baselines with analytic intervals and three established models.

Each candidate takes the history Y (oldest first), the horizon H, the interval levels and the
season length (1 for annual series, 12 for monthly ones) and returns the mean forecast and one
(lower, upper) band per level. ETS, ARIMA and Theta come from statsmodels; the baselines follow
Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.), section 5.5.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _
from scipy.stats import norm

Bands = dict[float, tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Prediction:
    mean: np.ndarray
    bands: Bands


def _z(level: float) -> float:
    return float(norm.ppf(0.5 + level / 2))


def _analytic(mean: np.ndarray, spread: np.ndarray, levels: tuple[float, ...]) -> Prediction:
    return Prediction(
        mean, {level: (mean - _z(level) * spread, mean + _z(level) * spread) for level in levels}
    )


def naive(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    """The last value; residual sigma from one-step changes, sigma * sqrt(k) at step k."""
    steps = np.arange(1, h + 1)
    residuals = np.diff(y)
    sigma = float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0
    return _analytic(np.full(h, y[-1]), sigma * np.sqrt(steps), levels)


def seasonal_naive(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    """The value one season earlier; sigma * sqrt(k + 1) for the k-th season ahead."""
    steps = np.arange(h)
    mean = y[len(y) - season + steps % season]
    residuals = y[season:] - y[:-season]
    sigma = float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0
    return _analytic(mean, sigma * np.sqrt(steps // season + 1), levels)


def drift(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    """The line from the first to the last value; sigma * sqrt(k (1 + k / (T - 1))) at step k."""
    steps = np.arange(1, h + 1)
    count = len(y)
    slope = (y[-1] - y[0]) / (count - 1)
    residuals = np.diff(y) - slope
    sigma = float(np.sqrt(np.sum(residuals**2) / (residuals.size - 1))) if count > 2 else 0.0
    spread = sigma * np.sqrt(steps * (1 + steps / (count - 1)))
    return _analytic(y[-1] + slope * steps, spread, levels)


def ets(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    """Additive errors and a damped additive trend; an additive season for monthly series.

    Additive errors, because a multiplicative model cannot fit the zeros a small area has."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(
        pd.Series(y),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add" if season > 1 else None,
        seasonal_periods=season if season > 1 else None,
    )
    fitted = min(
        (model.fit(start_params=start, disp=False) for start in _ets_starts(model, y)),
        key=lambda result: result.aic if np.isfinite(result.aic) else np.inf,
    )
    prediction = fitted.get_prediction(start=len(y), end=len(y) + h - 1)
    bands: Bands = {}
    for level in levels:
        frame = prediction.summary_frame(alpha=1 - level)
        bands[level] = (frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy())
    return Prediction(np.asarray(prediction.predicted_mean, dtype=float), bands)


def _ets_starts(model: Any, y: np.ndarray) -> list[np.ndarray | None]:
    """statsmodels' own start values, and a responsive one (alpha 0.5, beta 0.1, phi 0.9, level
    and trend from the first two values). From its own start alone the optimiser often stops at
    alpha = 0, a straight line through a series that has just doubled; the fit with the lower
    AIC is kept."""
    names = list(model.param_names)
    start = np.asarray(model.start_params, dtype=np.float64).copy()
    responsive = {
        "smoothing_level": 0.5,
        "smoothing_trend": 0.1,
        "damping_trend": 0.9,
        "initial_level": y[0],
        "initial_trend": y[1] - y[0] if len(y) > 1 else 0.0,
    }
    for name, value in responsive.items():
        if name in names:
            start[names.index(name)] = value
    # A season adds twelve parameters and a fit takes seconds: its own start only.
    return [None, start] if not model.seasonal else [None]


# Annual: the two smallest orders with a drift term. Monthly: the airline model when there are
# seasons enough, else the annual set. The order with the lowest AIC is used.
ANNUAL_ORDERS = (((1, 1, 0), (0, 0, 0, 0)), ((0, 1, 1), (0, 0, 0, 0)))
SEASONAL_ORDERS = (((0, 1, 1), (0, 1, 1, 12)),)


def arima(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    from statsmodels.tsa.arima.model import ARIMA

    orders = SEASONAL_ORDERS if season == 12 and len(y) >= 3 * season else ANNUAL_ORDERS
    best = None
    for order, seasonal_order in orders:
        trend = "n" if seasonal_order[1] else "t"
        try:
            fitted = ARIMA(
                pd.Series(y), order=order, seasonal_order=seasonal_order, trend=trend
            ).fit()
        except (ValueError, np.linalg.LinAlgError):
            continue
        if np.isfinite(fitted.aic) and (best is None or fitted.aic < best.aic):
            best = fitted
    if best is None:
        raise ValueError("no ARIMA order could be fitted")
    prediction = best.get_forecast(h)
    bands: Bands = {}
    for level in levels:
        interval = np.asarray(prediction.conf_int(alpha=1 - level), dtype=float)
        bands[level] = (interval[:, 0], interval[:, 1])
    return Prediction(np.asarray(prediction.predicted_mean, dtype=float), bands)


def theta(y: np.ndarray, h: int, levels: tuple[float, ...], season: int) -> Prediction:
    """The Theta method (Assimakopoulos & Nikolopoulos), additive deseasonalising for months."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    seasonal = season > 1 and len(y) >= 2 * season
    model = ThetaModel(
        pd.Series(y),
        period=season if seasonal else 1,
        deseasonalize=seasonal,
        method="additive",
    )
    fitted = model.fit()
    mean = np.asarray(fitted.forecast(h), dtype=float)
    bands: Bands = {}
    for level in levels:
        interval = np.asarray(fitted.prediction_intervals(h, alpha=1 - level), dtype=float)
        bands[level] = (interval[:, 0], interval[:, 1])
    return Prediction(mean, bands)


Model = Callable[[np.ndarray, int, tuple[float, ...], int], Prediction]

# Simplest first: on equal MASE the simpler model is chosen.
ANNUAL_CANDIDATES: dict[str, Model] = {
    "naive": naive,
    "drift": drift,
    "theta": theta,
    "ets": ets,
    "arima": arima,
}
MONTHLY_CANDIDATES: dict[str, Model] = {
    "naive": naive,
    "seasonal_naive": seasonal_naive,
    "drift": drift,
    "theta": theta,
    "ets": ets,
    "arima": arima,
}
MODEL_NAMES = {
    "naive": _("naive (last value)"),
    "seasonal_naive": _("seasonal naive (same month last year)"),
    "drift": _("drift (straight line from first to last value)"),
    "theta": _("Theta"),
    "ets": _("ETS (exponential smoothing, damped trend)"),
    "arima": _("ARIMA (order chosen by AIC)"),
}


def predict(
    model: Model, y: np.ndarray, h: int, levels: tuple[float, ...], season: int
) -> Prediction:
    """Run MODEL quietly (statsmodels warns about convergence on short series) and refuse
    non-finite output, which would otherwise pass for a forecast."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prediction = model(y, h, levels, season)
    arrays = [prediction.mean, *(side for band in prediction.bands.values() for side in band)]
    if not all(np.all(np.isfinite(array)) for array in arrays):
        raise ValueError("the model returned non-finite values")
    return prediction
