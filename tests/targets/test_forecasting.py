"""The forecasting method on the national series 2009-2024 as published (read from the CSV)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medtour.targets.forecasting import Forecast, detect_breaks, forecast_annual, forecast_monthly
from medtour.targets.forecasting.backtest import plan, scale
from medtour.targets.forecasting.models import naive
from medtour.targets.published import national_series


@pytest.fixture(scope="module")
def national() -> dict[int, float]:
    return national_series()


@pytest.fixture(scope="module")
def kept(national: dict[int, float]) -> Forecast:
    """The 2025 forecast, the collapse of 2020-2021 kept as published."""
    return forecast_annual(national, 1)


def test_the_national_series_is_read_from_the_published_file(national: dict[int, float]) -> None:
    assert list(national) == list(range(2009, 2025))
    assert national[2009] == 60201
    assert national[2024] == 1170467


def test_every_candidate_is_backtested_and_the_lowest_mase_is_chosen(kept: Forecast) -> None:
    forecast = kept
    scores = dict(forecast.candidates)
    assert set(scores) == {"naive", "drift", "theta", "ets", "arima"}
    assert all(score is not None and score > 0 for score in scores.values())
    assert scores[forecast.model] == min(score for score in scores.values() if score is not None)
    assert len(forecast.backtest_origins) >= 3


def test_the_2025_interval_is_sensible(kept: Forecast) -> None:
    forecast = kept
    [(year, mean, lower, upper)] = forecast.points
    assert year == 2025
    assert forecast.level == 0.95
    assert 0 <= lower < mean < upper
    (low80, high80), (low95, high95) = forecast.bands[0.8][0], forecast.bands[0.95][0]
    assert low95 < low80 < mean < high80 < high95
    assert (low95, high95) == (lower, upper)


def test_the_naive_baseline_is_reproduced_exactly(national: dict[int, float]) -> None:
    values = np.array(list(national.values()))
    prediction = naive(values, 2, (0.95,), 1)
    assert list(prediction.mean) == [1170467.0, 1170467.0]
    sigma = math.sqrt(np.mean(np.diff(values) ** 2))
    lower, upper = prediction.bands[0.95]
    assert upper[0] - 1170467 == pytest.approx(1.959964 * sigma, rel=1e-6)
    assert upper[1] - 1170467 == pytest.approx(1.959964 * sigma * math.sqrt(2), rel=1e-6)
    assert lower[0] == pytest.approx(1170467 - 1.959964 * sigma, rel=1e-6)


def test_mase_is_scaled_by_the_in_sample_naive_error() -> None:
    assert scale(np.array([1.0, 3.0, 6.0]), 1) == 2.5
    assert scale(np.array([1.0, 2.0, 3.0, 5.0]), 2) == 2.5


def test_the_backtest_keeps_at_least_three_origins_by_shortening_the_horizon() -> None:
    found = plan(8, 3, min_train=4, step=1, max_origins=5, season=1)
    assert found is not None
    assert len(found.origins) >= 3
    assert found.horizon == 2
    assert plan(6, 3, min_train=4, step=1, max_origins=5, season=1) is None


def test_the_covid_collapse_is_flagged_and_can_be_bridged(
    national: dict[int, float], kept: Forecast
) -> None:
    assert detect_breaks(list(national), list(national.values())) == (2020, 2021, 2022)
    bridged = forecast_annual(national, 1, bridge_years=(2020, 2021))
    assert kept.breaks == (2020, 2021, 2022)
    assert bridged.bridged == (2020, 2021)
    assert kept.bridged == ()
    assert dict(bridged.candidates) != dict(kept.candidates)


def test_a_series_of_zeros_does_not_crash() -> None:
    forecast = forecast_annual(dict.fromkeys(range(2010, 2020), 0.0), 2)
    assert [point[1] for point in forecast.points] == [0.0, 0.0]
    assert forecast.model == "naive"


def test_a_series_with_zeros_inside_is_forecast() -> None:
    series = {2010 + i: value for i, value in enumerate([5, 8, 0, 0, 3, 9, 12, 15, 0, 20])}
    forecast = forecast_annual(series, 2)
    assert all(lower <= mean <= upper for _y, mean, lower, upper in forecast.points)
    assert all(lower >= 0 for _y, _mean, lower, _upper in forecast.points)


def test_a_seasonal_monthly_series_is_forecast_with_the_season() -> None:
    rng = np.random.default_rng(7)
    months = [f"{year}-{month:02d}" for year in range(2018, 2022) for month in range(1, 13)]
    season = [1.0, 0.8, 1.1, 1.2, 1.0, 0.9, 1.4, 1.5, 1.0, 0.9, 0.8, 1.3]
    series = {
        month: 100 * (1 + 0.01 * index) * season[index % 12] + rng.normal(0, 2)
        for index, month in enumerate(months)
    }
    forecast = forecast_monthly(series, 12)
    assert [point[0] for point in forecast.points][:2] == ["2022-01", "2022-02"]
    assert len(forecast.points) == 12
    scores = dict(forecast.candidates)
    assert "seasonal_naive" in scores
    assert forecast.model != "naive"
    assert scores[forecast.model] < scores["naive"]  # type: ignore[operator]
    assert all(lower < mean < upper for _m, mean, lower, upper in forecast.points)
