"""How many unique patients each district and Seoul count in a year.

Published Seoul and district totals are kept exactly (at scale 1). Some patients are seen in
more than one district, so the district counts add up to the Seoul count plus the extra district
memberships; districts without a published figure share what is left in proportion to the
registry's spread of registered institutions (an estimate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from medtour.institutions.demo.calibration import largest_remainder, registered_by_district
from medtour.records.demo.published import Figure, Published

# Estimated: about one patient in thirty is seen in a second district within the year (a
# check-up in Jongno, a clinic in Gangnam). Nothing on this was published.
MULTI_DISTRICT_SHARE = 0.03


class YearNotPublished(ValueError):
    """No Seoul total was published for the year: the demo cannot be calibrated."""


@dataclass(frozen=True)
class YearTargets:
    year: int
    seoul: int
    seoul_figure: Figure
    districts: dict[str, int]  # district code -> unique patients
    published_districts: dict[str, Figure]  # district code -> the figure kept
    extra_memberships: int

    @property
    def memberships(self) -> int:
        return self.seoul + self.extra_memberships


def year_targets(
    published: Published,
    year: int,
    district_codes_by_name: Mapping[str, str],
    scale: float = 1.0,
) -> YearTargets:
    """The counts for YEAR; DISTRICT_CODES_BY_NAME maps `Gangnam-gu` to `11680`."""
    figure = published.seoul_totals.get(year)
    if figure is None:
        raise YearNotPublished(year)
    seoul = round(figure.value * scale)
    published_districts = {
        district_codes_by_name[region]: district_figure
        for (figure_year, region), district_figure in published.district_totals.items()
        if figure_year == year and region in district_codes_by_name
    }
    fixed = {code: round(f.value * scale) for code, f in published_districts.items()}
    weights = {
        code: float(weight)
        for code, weight in registered_by_district().items()
        if code not in fixed and code in district_codes_by_name.values()
    }
    extra = round(seoul * MULTI_DISTRICT_SHARE)
    remaining = seoul + extra - sum(fixed.values())
    if remaining < len(weights):
        # The published districts already hold almost everyone: fewer second districts.
        extra += len(weights) - remaining
        remaining = len(weights)
    if not weights and remaining != 0:
        raise ValueError(year)  # every district published, and they disagree with Seoul
    estimated = largest_remainder(weights, remaining) if weights else {}
    districts = {**estimated, **fixed}
    # A district cannot count more patients than Seoul does (needed for the membership layout).
    if max(districts.values(), default=0) > seoul:
        raise ValueError(year)
    return YearTargets(
        year=year,
        seoul=seoul,
        seoul_figure=figure,
        districts=dict(sorted(districts.items())),
        published_districts=published_districts,
        extra_memberships=sum(districts.values()) - seoul,
    )
