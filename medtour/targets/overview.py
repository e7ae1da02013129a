"""Everything the "Targets and forecasts" screen shows for one area, computed in one place.

Forecasts are cached by the forecasting functions themselves (under a hash of the series), so
this screen, the scenarios and the briefing share one fit per series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtour.targets.actuals import annual_series
from medtour.targets.forecasting import Forecast, SeriesError, detect_breaks, forecast_annual
from medtour.targets.progress import Progress, progress_of
from medtour.targets.selectors import TargetView, targets_for

DEFAULT_HORIZON, MAX_HORIZON = 3, 8


@dataclass(frozen=True)
class AreaOverview:
    area: str | None
    series: dict[int, float]
    forecast: Forecast | None
    error: str  # why there is no forecast
    targets: list[TargetView]
    progress: list[Progress]
    breaks: tuple[int, ...]
    bridged: bool

    @property
    def rows(self) -> list[tuple[TargetView, Progress]]:
        return list(zip(self.targets, self.progress, strict=True))

    @property
    def forecast_rows(self) -> list[tuple[int | str, int, int, int, int, int]]:
        """(year, mean, 80 % low, 80 % high, 95 % low, 95 % high), rounded to whole patients."""
        if self.forecast is None:
            return []
        return [
            (period, round(mean), *(round(bound) for bound in (*low80, *low95)))  # type: ignore[misc]
            for (period, mean, _lower, _upper), low80, low95 in zip(
                self.forecast.points,
                self.forecast.bands[0.8],
                self.forecast.bands[0.95],
                strict=True,
            )
        ]


def horizon_for(series: dict[int, float], targets: list[TargetView]) -> int:
    """Three years ahead, or up to the furthest target within MAX_HORIZON years."""
    if not series:
        return DEFAULT_HORIZON
    furthest = max((target.year for target in targets), default=0) - max(series)
    return max(DEFAULT_HORIZON, min(furthest, MAX_HORIZON))


def area_overview(area: str | None, *, user: Any, bridge: bool = False) -> AreaOverview:
    series = annual_series(area, user=user)
    targets = targets_for(area)
    breaks = tuple(int(year) for year in detect_breaks(list(series), list(series.values())))
    forecast, error = None, ""
    try:
        forecast = forecast_annual(
            series, horizon_for(series, targets), bridge_years=breaks if bridge else ()
        )
    except SeriesError as problem:
        error = str(problem)
    return AreaOverview(
        area=area,
        series=series,
        forecast=forecast,
        error=error,
        targets=targets,
        progress=[progress_of(target, series) for target in targets],
        breaks=breaks,
        bridged=bridge and bool(breaks),
    )
