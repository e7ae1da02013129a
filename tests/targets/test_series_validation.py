"""Input validation of the forecasts: gaps, negatives, non-numbers and short series are refused
with a clear error, whatever the values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtour.targets.forecasting import SeriesError, forecast_annual, forecast_monthly

counts = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@given(
    start=st.integers(2000, 2060),
    values=st.lists(counts, min_size=8, max_size=12),
    gap=st.integers(1, 6),
)
def test_a_gap_in_the_years_is_refused(start: int, values: list[float], gap: int) -> None:
    series = {start + index: value for index, value in enumerate(values)}
    del series[start + gap]
    with pytest.raises(SeriesError, match="gap after"):
        forecast_annual(series, 1)


@given(
    values=st.lists(counts, min_size=8, max_size=12),
    where=st.integers(0, 7),
    negative=st.floats(max_value=-1e-9, min_value=-1e9),
)
def test_a_negative_count_is_refused(values: list[float], where: int, negative: float) -> None:
    series = {2010 + index: value for index, value in enumerate(values)}
    series[2010 + where] = negative
    with pytest.raises(SeriesError, match="negative"):
        forecast_annual(series, 1)


@given(values=st.lists(counts, min_size=0, max_size=6))
def test_too_short_a_series_is_refused(values: list[float]) -> None:
    with pytest.raises(SeriesError, match="at least 7"):
        forecast_annual({2010 + index: value for index, value in enumerate(values)}, 1)


@given(bad=st.sampled_from([math.nan, math.inf, "many", None]))
def test_a_value_that_is_not_a_number_is_refused(bad: object) -> None:
    series: dict[int, object] = {2010 + index: 100.0 for index in range(10)}
    series[2015] = bad
    with pytest.raises(SeriesError, match="not a number"):
        forecast_annual(series, 1)  # type: ignore[arg-type]


@given(
    code=st.text(max_size=10).filter(
        lambda text: not __import__("re").match(r"^\d{4}-(0[1-9]|1[0-2])$", text)
    )
)
def test_a_month_that_is_not_a_month_is_refused(code: str) -> None:
    series = {f"2020-{month:02d}": 1.0 for month in range(1, 13)}
    series[code] = 1.0
    with pytest.raises(SeriesError):
        forecast_monthly(series, 1)


def test_a_gap_in_the_months_is_named() -> None:
    series = {f"{year}-{month:02d}": 5.0 for year in (2020, 2021, 2022) for month in range(1, 13)}
    del series["2021-06"]
    with pytest.raises(SeriesError, match="gap after 2021-05"):
        forecast_monthly(series, 3)


def test_the_horizon_must_be_positive() -> None:
    with pytest.raises(SeriesError, match="horizon"):
        forecast_annual({2010 + index: 1.0 for index in range(10)}, 0)
