"""Loading the published targets of the city and its districts into `Target`, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from medtour.reference.models import District
from medtour.targets.models import Target
from medtour.targets.published import read_published_targets

CITY_SCOPES = ("seoul", "city")


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # rows naming an unknown district

    def __str__(self) -> str:
        return (
            f"targets: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped"
        )


def _districts_by_english_name() -> dict[str, District]:
    """`Gangnam-gu` -> the district: the statistics file names districts in English."""
    return {(district.names or {}).get("en", ""): district for district in District.objects.all()}


@transaction.atomic
def load_targets(path: Path | None = None) -> LoadSummary:
    """Create or refresh the city's and the districts' published targets; national ones stay out.

    A target an editor changed in the console is refreshed from the file only in the fields the
    file holds (value, year, source); the label an editor translated is kept.
    """
    summary = LoadSummary()
    districts = _districts_by_english_name()
    for row in read_published_targets(path):
        if row.scope == "district":
            district = districts.get(row.region)
            if district is None:
                summary.skipped.append(row.region)
                continue
        elif row.scope in CITY_SCOPES:
            district = None
        else:
            continue
        values = {
            "district": district,
            "year": row.year,
            "value": row.value,
            "kind": row.kind,
            "source_url": row.source_url,
        }
        target = Target.objects.filter(reference_key=row.reference_key).first()
        if target is None:
            Target.objects.create(
                reference_key=row.reference_key,
                label={"en": row.category},
                note=row.category,
                **values,
            )
            summary.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(target, name) != value]
        if not changed:
            summary.unchanged += 1
            continue
        for name in changed:
            setattr(target, name, values[name])
        target.save(update_fields=[*changed, "updated_at"])
        summary.updated += 1
    return summary
