"""What the city's statistics file publishes, read into the figures the demo calibrates to.

Totals are unique patients (실환자). Shares are percentages by year, national unless a district
published its own. Category labels are matched exactly after dropping a trailing parenthesis
(`Japan (MOHW 11.2%; …)` is Japan); anything else in the file is ignored here.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from medtour.reference.city import current_city

SEOUL = "Seoul"
PATIENTS = "patients"
PERCENT = "percent"
# Figures the demo may be calibrated to; `conflict` and `target` rows never are.
TOTAL_QUALITIES = ("exact", "derived", "approx")
SHARE_QUALITIES = ("exact", "derived", "approx", "mirror-verify")
QUALITY_RANK = {quality: rank for rank, quality in enumerate(SHARE_QUALITIES)}
# Seoul 2016 has two rows: the city's own figure (Korea Times) and the statistical yearbook's
# 216,657 (News1). The demo follows the city.
PREFERRED_SEOUL_TOTALS = {2016: 216646}

COUNTRY_CODES = {
    "China": "CN",
    "USA": "US",
    "Japan": "JP",
    "Russia": "RU",
    "Mongolia": "MN",
    "Kazakhstan": "KZ",
    "Vietnam": "VN",
    "Canada": "CA",
    "Uzbekistan": "UZ",
    "Thailand": "TH",
    "Philippines": "PH",
    "UAE": "AE",
    "Indonesia": "ID",
    "Taiwan": "TW",
}
DEPARTMENT_CODES = {
    "internal medicine": "internal_medicine",
    "internal medicine integrated": "internal_medicine",
    "plastic surgery": "plastic_surgery",
    "dermatology": "dermatology",
    "health checkup": "health_checkup",
    "health checkup centre": "health_checkup",
    "orthopaedics": "orthopedics",
    "obstetrics & gynaecology": "obstetrics_gynecology",
    "general surgery": "general_surgery",
    "dentistry": "dentistry",
    "Korean medicine": "korean_medicine",
    "Korean medicine integrated": "korean_medicine",
    "neurosurgery": "neurosurgery",
    "ophthalmology": "ophthalmology",
    "ENT": "otorhinolaryngology",
    "urology": "urology",
}
# Published as one figure where the two were not told apart.
COSMETIC_PAIR = "plastic surgery + dermatology"
SEX_CODES = {"female": "F", "male": "M"}
DIMENSION_CODES = {
    "nationality": COUNTRY_CODES,
    "department": DEPARTMENT_CODES,
    "sex": SEX_CODES,
}


@dataclass(frozen=True)
class Figure:
    value: float
    quality: str
    category: str
    source_url: str


@dataclass
class Published:
    """Seoul and district totals per year, and shares per (area, year, dimension)."""

    seoul_totals: dict[int, Figure] = field(default_factory=dict)
    district_totals: dict[tuple[int, str], Figure] = field(default_factory=dict)
    # (area, year, dimension) -> {code: (percent, quality)}; area is "national" or a region name
    shares: dict[tuple[str, int, str], dict[str, tuple[float, str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # (region, year) -> published percent of plastic surgery and dermatology together
    cosmetic_pairs: dict[tuple[str, int], float] = field(default_factory=dict)
    # (region, year, dimension) -> {code: patients}: counts a district published
    district_counts: dict[tuple[str, int, str], dict[str, int]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def _label(category: str) -> str:
    return category.split(" (")[0].strip()


def _is_total(row: dict[str, str]) -> bool:
    if row["dimension"] != "total" or row["unit"] != PATIENTS:
        return False
    if row["quality"] not in TOTAL_QUALITIES:
        return False
    category = row["category"]
    if row["scope"] == "seoul":
        return category.startswith("foreign patients treated in Seoul")
    return row["scope"] == "district" and category.startswith("foreign patients")


def _add_total(published: Published, row: dict[str, str]) -> None:
    year = int(row["year"])
    figure = Figure(float(row["value"]), row["quality"], row["category"], row["source_url"])
    if row["scope"] == "seoul":
        preferred = PREFERRED_SEOUL_TOTALS.get(year)
        if year in published.seoul_totals and preferred != int(figure.value):
            return
        published.seoul_totals[year] = figure
    else:
        published.district_totals.setdefault((year, row["region"]), figure)


def _add_share(published: Published, row: dict[str, str]) -> None:
    dimension = row["dimension"]
    area = "national" if row["scope"] == "national" else row["region"]
    year = int(row["year"])
    label = _label(row["category"])
    if dimension == "department" and label == COSMETIC_PAIR and row["unit"] == PERCENT:
        published.cosmetic_pairs[(area, year)] = float(row["value"])
        return
    code = DIMENSION_CODES.get(dimension, {}).get(label)
    if code is None or row["quality"] not in SHARE_QUALITIES:
        return
    if row["unit"] == PERCENT:
        cell = published.shares[(area, year, dimension)]
        previous = cell.get(code)
        if previous is None or QUALITY_RANK[row["quality"]] < QUALITY_RANK[previous[1]]:
            cell[code] = (float(row["value"]), row["quality"])
    elif row["unit"] == PATIENTS and row["scope"] == "district":
        published.district_counts[(area, year, dimension)].setdefault(code, int(row["value"]))


def read_published(path: Path | None = None) -> Published:
    """The figures of PATH, by default the current city's statistics file."""
    path = path or current_city().file("statistics")
    published = Published()
    if path is None:
        return published
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if _is_total(row):
                _add_total(published, row)
            elif row["dimension"] in DIMENSION_CODES and row["scope"] in ("national", "district"):
                _add_share(published, row)
    return published
