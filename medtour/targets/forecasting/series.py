"""Checking a series before it is forecast, and naming its periods.

Annual series are keyed by year (2016), monthly ones by month ("2016-03"). A series must be
complete (no gaps), non-negative, finite and long enough for the backtests; anything else is
refused with a message that says what is wrong, in the user's language.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class SeriesError(ValueError):
    """The series cannot be forecast; the message says why."""


def month_index(code: str) -> int:
    match = MONTH.match(code) if isinstance(code, str) else None
    if match is None:
        raise SeriesError(_("“%(period)s” is not a month such as 2016-03.") % {"period": code})
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_code(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _values(series: Mapping[Any, Any], keys: list[Any]) -> list[float]:
    values: list[float] = []
    for key in keys:
        raw = series[key]
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise SeriesError(
                _("The value for %(period)s is not a number.") % {"period": key}
            ) from None
        if not math.isfinite(value):
            raise SeriesError(_("The value for %(period)s is not a number.") % {"period": key})
        if value < 0:
            raise SeriesError(
                _("The value for %(period)s is negative; counts cannot be.") % {"period": key}
            )
        values.append(value)
    return values


def _check_length(count: int, minimum: int) -> None:
    if count < minimum:
        raise SeriesError(
            _(
                "The series has %(count)s periods; at least %(minimum)s are needed to test the "
                "models on the past."
            )
            % {"count": count, "minimum": minimum}
        )


def _check_gaps(indices: list[int], label: Any) -> None:
    for previous, current in itertools.pairwise(indices):
        if current != previous + 1:
            raise SeriesError(
                _("The series has a gap after %(period)s; fill every period, zeros included.")
                % {"period": label(previous)}
            )


def check_annual(series: Mapping[int, float], minimum: int) -> tuple[list[int], list[float]]:
    """Years in order and their values; SeriesError for gaps, bad values or too few years."""
    years: list[int] = []
    for key in series:
        if isinstance(key, bool) or not isinstance(key, int):
            raise SeriesError(_("“%(period)s” is not a year.") % {"period": key})
        years.append(key)
    years.sort()
    _check_length(len(years), minimum)
    _check_gaps(years, str)
    return years, _values(series, years)


def check_monthly(series: Mapping[str, float], minimum: int) -> tuple[list[int], list[float]]:
    """Month indices (year * 12 + month - 1) in order and their values; SeriesError as above."""
    by_index = {month_index(key): key for key in series}
    indices = sorted(by_index)
    _check_length(len(indices), minimum)
    _check_gaps(indices, month_code)
    return indices, _values(series, [by_index[index] for index in indices])
