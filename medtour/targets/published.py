"""Targets and the national series, read from the city's published statistics file.

A row is a target when its category mentions "target" and its unit is patients. National
targets are read too (tests and documentation compare them with the national series), but they
are not an area of the city, so `loading.load_targets` leaves them out of the database.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from medtour.reference.city import current_city

PATIENTS = "patients"
# The national count of unique foreign patients (실환자) per year, as KHIDI publishes it.
NATIONAL_UNIQUE = "foreign patients (unique, 실환자)"
PROJECTION_WORDS = ("forecast", "projection")


@dataclass(frozen=True)
class PublishedTarget:
    scope: str  # "national", "seoul" (the city) or "district"
    region: str  # as printed, e.g. "Gangnam-gu"
    year: int
    value: int
    category: str
    quality: str
    source_url: str

    @property
    def kind(self) -> str:
        """ "projection" for a published forecast read as an aim, else "target"."""
        category = self.category.casefold()
        return "projection" if any(word in category for word in PROJECTION_WORDS) else "target"

    @property
    def reference_key(self) -> str:
        """Stable across reloads: the row's scope, region, year and wording."""
        text = "|".join((self.scope, self.region, str(self.year), self.category))
        return hashlib.sha256(text.encode()).hexdigest()[:40]


def _rows(path: Path | None) -> list[dict[str, str]]:
    path = path or current_city().file("statistics")
    if path is None:
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_published_targets(path: Path | None = None) -> list[PublishedTarget]:
    """Every target row of PATH (default: the current city's statistics file), in file order."""
    return [
        PublishedTarget(
            scope=row["scope"],
            region=row["region"],
            year=int(row["year"]),
            value=int(float(row["value"])),
            category=row["category"],
            quality=row["quality"],
            source_url=row["source_url"],
        )
        for row in _rows(path)
        if "target" in row["category"].casefold() and row["unit"] == PATIENTS
    ]


def national_series(path: Path | None = None) -> dict[int, float]:
    """Unique foreign patients in the whole country per year (the first row of each year)."""
    series: dict[int, float] = {}
    for row in _rows(path):
        if (
            row["scope"] == "national"
            and row["dimension"] == "total"
            and row["unit"] == PATIENTS
            and row["category"] == NATIONAL_UNIQUE
        ):
            series.setdefault(int(row["year"]), float(row["value"]))
    return dict(sorted(series.items()))
