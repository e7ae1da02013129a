"""The annual chart: observed patients, the forecast with its 80 % and 95 % bands, the targets.

Built with Altair and rendered to SVG on the server by `medtour.stats.charts.to_svg` (no
script, no style attribute: the strict CSP holds), cached under a hash of what is drawn.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medtour.localization.templatetags.localized import number
from medtour.targets.forecasting import Forecast
from medtour.targets.selectors import TargetView

DRAWING_VERSION = 1
CACHE_SECONDS = 24 * 3600
INK, FORECAST, BAND, TARGET = "#1b2430", "#1f5fa8", "#9ec3ea", "#b3261e"


def _records(
    series: dict[int, float], forecast: Forecast | None, targets: list[TargetView]
) -> dict[str, list[dict[str, Any]]]:
    observed = [
        {"year": year, "value": value, "tip": f"{year}: {number(round(value))}"}
        for year, value in series.items()
    ]
    bands: list[dict[str, Any]] = []
    line: list[dict[str, Any]] = []
    if forecast is not None and series:
        last = max(series)
        line.append({"year": last, "value": series[last], "tip": ""})
        for index, (year, mean, _lower, _upper) in enumerate(forecast.points):
            low80, high80 = forecast.bands[0.8][index]
            low95, high95 = forecast.bands[0.95][index]
            tip = _("%(year)s forecast: %(mean)s (95 %%: %(low)s to %(high)s)") % {
                "year": year,
                "mean": number(round(mean)),
                "low": number(round(low95)),
                "high": number(round(high95)),
            }
            line.append({"year": year, "value": mean, "tip": tip})
            bands.append(
                {"year": year, "low80": low80, "high80": high80, "low95": low95, "high95": high95}
            )
    marks = [
        {
            "year": target.year,
            "value": target.value,
            "tip": f"{target.label}: {number(target.value)}",
        }
        for target in targets
    ]
    return {"observed": observed, "line": line, "bands": bands, "targets": marks}


def _draw(records: dict[str, list[dict[str, Any]]], title: str) -> str:
    import altair as alt

    from medtour.stats.charts import to_svg

    x = alt.X("year:O", title=_("year"))
    y_title = _("unique patients")
    layers = []
    if records["bands"]:
        base = alt.Chart(alt.Data(values=records["bands"]))
        layers.append(
            base.mark_area(color=BAND, opacity=0.45).encode(
                x=x, y=alt.Y("low95:Q", title=y_title), y2="high95:Q"
            )
        )
        layers.append(
            base.mark_area(color=FORECAST, opacity=0.35).encode(x=x, y="low80:Q", y2="high80:Q")
        )
        layers.append(
            alt.Chart(alt.Data(values=records["line"]))
            .mark_line(color=FORECAST, strokeDash=[6, 4], point=True)
            .encode(x=x, y="value:Q", description="tip:N")
        )
    layers.append(
        alt.Chart(alt.Data(values=records["observed"]))
        .mark_line(color=INK, point=True)
        .encode(x=x, y=alt.Y("value:Q", title=y_title), description="tip:N")
    )
    if records["targets"]:
        layers.append(
            alt.Chart(alt.Data(values=records["targets"]))
            .mark_point(shape="diamond", size=140, color=TARGET, filled=True)
            .encode(x=x, y="value:Q", description="tip:N")
        )
    chart = alt.layer(*layers).properties(width=560, height=300, title=title, description=title)
    return to_svg(chart)


def annual_chart_svg(
    series: dict[int, float], forecast: Forecast | None, targets: list[TargetView], title: str
) -> SafeString:
    records = _records(series, forecast, targets)
    content = json.dumps(
        [DRAWING_VERSION, get_language(), title, records], sort_keys=True, ensure_ascii=False
    )
    key = "targets:annual-chart:" + hashlib.sha256(content.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _draw(records, title)
        cache.set(key, svg, CACHE_SECONDS)
    # Vega escapes the text it writes; to_svg escapes the accessible name it adds.
    return mark_safe(svg)
