"""Rolling-origin backtests and MASE: how well each model would have forecast the past.

At each origin t the model sees Y[:t] (an expanding window) and forecasts H steps; the absolute
errors against Y[t:t+H] are divided by the in-sample mean absolute error of the naive forecast
(seasonal naive for monthly series) on Y[:t] — the MASE of Hyndman & Koehler (2006). A model's
score is the mean MASE over the origins. An origin whose window is flat (scale 0) is skipped; a
model that fails at any origin has no score and cannot be chosen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from medtour.targets.forecasting.models import Model, predict

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    horizon: int  # H, steps forecast at each origin
    origins: tuple[int, ...]  # t: the number of observations the model sees
    season: int  # 1 or 12


def plan(
    count: int, horizon: int, *, min_train: int, step: int, max_origins: int, season: int
) -> Plan | None:
    """The latest origins that leave H observations to compare with; None if fewer than 3 fit.

    H shrinks (down to 1) before the number of origins does, so that a short series is still
    tested at three or more origins."""
    for h in range(horizon, 0, -1):
        last = count - h
        origins = list(range(last, min_train - 1, -step))[:max_origins]
        if len(origins) >= 3:
            return Plan(h, tuple(sorted(origins)), season)
    return None


def scale(train: np.ndarray, season: int) -> float:
    """In-sample mean absolute error of the (seasonal) naive forecast."""
    lag = season if len(train) > season else 1
    return float(np.mean(np.abs(train[lag:] - train[:-lag])))


def mase(model: Model, y: np.ndarray, backtest: Plan) -> float | None:
    """Mean MASE of MODEL over the plan's origins; None if the model failed or nothing scored."""
    scores = []
    for origin in backtest.origins:
        train, actual = y[:origin], y[origin : origin + backtest.horizon]
        denominator = scale(train, backtest.season)
        if denominator == 0:
            continue
        try:
            prediction = predict(model, train, backtest.horizon, (), backtest.season)
        except Exception:  # statsmodels fails in many ways on short windows
            logger.debug("%s failed at origin %s", model.__name__, origin, exc_info=True)
            return None
        mean = np.maximum(prediction.mean, 0.0)
        scores.append(float(np.mean(np.abs(actual - mean))) / denominator)
    return float(np.mean(scores)) if scores else None
