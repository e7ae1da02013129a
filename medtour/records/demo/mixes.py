"""The shares the demo draws from: published where the file has them, estimated elsewhere.

Each mix is a probability per code plus its provenance: which codes carry a published share
(and from which year and area), which were estimated. A year without published shares borrows
the nearest year that has them; the rest of 100% is spread over the other codes in proportion
to an estimated baseline (the 2016 national mix, the best-documented year).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from medtour.records.demo.published import Published

# Estimated baselines (percent). Nationalities: the 2016 national mix, then the long tail.
NATIONALITY_BASELINE = {
    "CN": 35.0, "US": 13.4, "JP": 7.3, "RU": 7.0, "KZ": 4.1, "MN": 4.1, "VN": 2.4, "CA": 1.1,
    "UZ": 1.1, "TH": 1.1, "PH": 1.0, "AE": 1.0, "TW": 1.0, "ID": 0.7, "SG": 0.6, "HK": 0.6,
    "AU": 0.6, "GB": 0.6, "DE": 0.5, "FR": 0.5, "KG": 0.5, "MY": 0.5, "IN": 0.4, "SA": 0.4,
    "KW": 0.3, "QA": 0.2, "UA": 0.3, "NZ": 0.2, "MM": 0.2, "KH": 0.2, "NP": 0.2, "TR": 0.2,
}  # fmt: skip
# Departments: 2016 national patients per department; the rest estimated.
DEPARTMENT_BASELINE = {
    "internal_medicine": 20.0, "plastic_surgery": 11.3, "dermatology": 11.1,
    "health_checkup": 9.3, "orthopedics": 5.7, "obstetrics_gynecology": 5.4,
    "general_surgery": 3.2, "dentistry": 3.1, "korean_medicine": 4.2, "neurosurgery": 3.1,
    "ophthalmology": 2.9, "otorhinolaryngology": 2.9, "urology": 2.1, "family_medicine": 3.0,
    "pediatrics": 2.5, "rehabilitation_medicine": 1.5, "neurology": 1.5,
    "thoracic_surgery": 0.8, "psychiatry": 0.6, "emergency_medicine": 1.2,
    "anesthesiology": 0.8, "radiology": 0.8, "radiation_oncology": 0.5, "other": 2.5,
}  # fmt: skip
SEX_BASELINE = {"F": 62.9, "M": 37.1}  # 2017 national, the first published split
# Age in ten-year bands (estimated: nothing was published). Band start -> percent.
AGE_BANDS = {0: 4.0, 10: 4.0, 20: 26.0, 30: 27.0, 40: 16.0, 50: 12.0, 60: 8.0, 70: 3.0}
BASELINES = {
    "nationality": NATIONALITY_BASELINE,
    "department": DEPARTMENT_BASELINE,
    "sex": SEX_BASELINE,
}
COSMETIC = ("plastic_surgery", "dermatology")


@dataclass(frozen=True)
class Mix:
    codes: tuple[str, ...]
    probabilities: tuple[float, ...]
    published: Mapping[str, str]  # code -> "area year quality" of the share used
    borrowed_from: int | None  # the year whose shares were used, when not the year itself

    def share(self, code: str) -> float:
        return self.probabilities[self.codes.index(code)] if code in self.codes else 0.0

    def as_metadata(self) -> dict[str, object]:
        return {
            "shares": {
                code: round(p * 100, 2)
                for code, p in zip(self.codes, self.probabilities, strict=True)
            },
            "published": dict(self.published),
            "estimated": [code for code in self.codes if code not in self.published],
            "borrowed_from_year": self.borrowed_from,
        }


def _known_shares(
    published: Published, area: str, year: int, dimension: str, area_total: int | None
) -> dict[str, tuple[float, str]]:
    shares = dict(published.shares.get((area, year, dimension), {}))
    # Counts a district published become shares of its published total.
    if area_total:
        for code, count in published.district_counts.get((area, year, dimension), {}).items():
            shares.setdefault(code, (100.0 * count / area_total, "exact"))
    if dimension == "department":
        pair = published.cosmetic_pairs.get((area, year))
        missing = [code for code in COSMETIC if code not in shares]
        if pair is not None and missing:
            # Only the sum was published: split what is missing like the baseline does.
            rest = pair - sum(shares[code][0] for code in COSMETIC if code in shares)
            weight = sum(DEPARTMENT_BASELINE[code] for code in missing)
            for code in missing:
                shares[code] = (max(rest, 0.0) * DEPARTMENT_BASELINE[code] / weight, "derived")
    return shares


def _nearest_year(published: Published, area: str, year: int, dimension: str) -> int | None:
    years = {key[1] for key in published.shares if key[0] == area and key[2] == dimension}
    if dimension == "department":
        years |= {key[1] for key in published.cosmetic_pairs if key[0] == area}
    if not years:
        return None
    return min(years, key=lambda candidate: (abs(candidate - year), candidate))


def build_mix(
    published: Published,
    dimension: str,
    year: int,
    area: str = "national",
    area_total: int | None = None,
    borrow: bool = True,
    rest_like: Mix | None = None,
) -> Mix | None:
    """The mix of DIMENSION in AREA for YEAR; None for a district that published nothing.

    What the published shares leave is spread like REST_LIKE (a district's rest like the city's
    mix of the year), or else like the estimated baseline."""
    shares = _known_shares(published, area, year, dimension, area_total)
    borrowed_from = None
    if not shares:
        if not borrow:
            return None
        nearest = _nearest_year(published, area, year, dimension)
        if nearest is not None:
            shares = _known_shares(published, area, nearest, dimension, None)
            borrowed_from = nearest
    baseline = (
        dict(zip(rest_like.codes, rest_like.probabilities, strict=True))
        if rest_like is not None
        else BASELINES[dimension]
    )
    known_total = sum(value for value, _quality in shares.values())
    if known_total > 100.0:
        shares = {code: (value * 100.0 / known_total, q) for code, (value, q) in shares.items()}
        known_total = 100.0
    others = {code: weight for code, weight in baseline.items() if code not in shares}
    other_weight = sum(others.values()) or 1.0
    remainder = 100.0 - known_total
    percents = {code: value for code, (value, _quality) in shares.items()}
    percents.update({code: remainder * w / other_weight for code, w in others.items()})
    codes = tuple(percents)
    total = sum(percents.values())
    label_year = borrowed_from or year
    return Mix(
        codes=codes,
        probabilities=tuple(percents[code] / total for code in codes),
        published={
            code: f"{area} {label_year} {quality}" for code, (_v, quality) in shares.items()
        },
        borrowed_from=borrowed_from,
    )


def age_mix() -> Mix:
    total = sum(AGE_BANDS.values())
    return Mix(
        codes=tuple(str(band) for band in AGE_BANDS),
        probabilities=tuple(weight / total for weight in AGE_BANDS.values()),
        published={},
        borrowed_from=None,
    )
