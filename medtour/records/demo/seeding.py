"""`seed_demo`: write the calibrated demo records, one transaction per year.

Each year's records come in submissions of a dedicated source (`source_format` "demo"), one per
demo institution, locked. The submission carries a fingerprint of the arguments: running again
with the same seed and scale finds it and adds nothing; other arguments are refused unless the
caller asks to replace the year. What was published and what was estimated is written to
`VAR_DIR/demo/records-metadata.json` (docs/demo-data.md).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from medtour.institutions.models import Facilitator, Institution
from medtour.records.demo.generator import (
    Vocabulary,
    YearEpisodes,
    YearMixes,
    demo_patient_id,
    generate_year,
)
from medtour.records.demo.mixes import Mix, age_mix, build_mix
from medtour.records.demo.published import Published, read_published
from medtour.records.demo.targets import YearTargets, year_targets
from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from medtour.records.pseudonyms import PseudonymKey, current_key, pseudonymize_normalized
from medtour.records.services import reporting_period_for
from medtour.records.writing import INSERT_COLUMNS
from medtour.reference.models import Country, Department, District

DEFAULT_SEED = 20160101
DEMO_FORMAT = "demo"
DEMO_SOURCE = "seed_demo"
GENERATOR_VERSION = 1
SQLITE_BATCH = 50_000
COPY_CHUNK = 500_000


class DemoRegistryMissing(LookupError):
    """No synthetic institutions: `seed_demo_registry` has not run."""


class DemoYearDiffers(ValueError):
    """The year holds demo records made with other arguments."""


@dataclass
class SeedSummary:
    years_created: list[int] = field(default_factory=list)
    years_existing: list[int] = field(default_factory=list)
    records: int = 0
    patients: int = 0
    seconds: float = 0.0
    metadata_path: Path | None = None


def fingerprint(year: int, seed: int, scale: float) -> str:
    text = f"{DEMO_SOURCE}:v{GENERATOR_VERSION}:year={year}:seed={seed}:scale={scale!r}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def metadata_path() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "records-metadata.json"


def demo_submissions(year: int) -> Any:
    return Submission.objects.filter(
        source_format=DEMO_FORMAT,
        period__year=year,
        period__quarter__isnull=True,
        period__month__isnull=True,
    )


def load_vocabulary() -> Vocabulary:
    institutions = dict(
        Institution.objects.filter(is_synthetic=True).values_list("id", "district__code")
    )
    if not institutions:
        raise DemoRegistryMissing()
    offered: dict[str, dict[str, list[int]]] = {}
    for institution_id, code in sorted(institutions.items()):
        offered.setdefault(code, {}).setdefault("", []).append(institution_id)
    pairs = Institution.departments.through.objects.filter(
        institution__is_synthetic=True
    ).values_list("institution_id", "department__code")
    for institution_id, department in sorted(pairs):
        district = institutions[institution_id]
        offered[district].setdefault(department, []).append(institution_id)
    districts = dict(District.objects.values_list("code", "id"))
    facilitators = sorted(
        Facilitator.objects.filter(is_synthetic=True).values_list("id", flat=True)
    )
    return Vocabulary(
        country_ids=dict(Country.objects.values_list("alpha2", "id")),
        department_ids=dict(Department.objects.values_list("code", "id")),
        district_codes=sorted(districts),
        district_ids=districts,
        institutions={
            district: {dep: np.array(ids, dtype=np.int64) for dep, ids in by_dep.items()}
            for district, by_dep in offered.items()
        },
        facilitator_ids=np.array(facilitators, dtype=np.int64),
    )


def district_names() -> dict[str, str]:
    """`Gangnam-gu` -> `11680`: the statistics file names districts in English."""
    return {
        (district.names or {}).get("en", ""): district.code for district in District.objects.all()
    }


def year_mixes(published: Published, targets: YearTargets, names: dict[str, str]) -> YearMixes:
    by_code = {code: name for name, code in names.items()}
    mixes: dict[str, dict[str, Mix]] = {"nationality": {}, "department": {}}
    for dimension, per_district in mixes.items():
        per_district[""] = build_mix(published, dimension, targets.year)  # type: ignore[assignment]
        for code, figure in targets.published_districts.items():
            own = build_mix(
                published,
                dimension,
                targets.year,
                by_code[code],
                int(figure.value),
                borrow=False,
                rest_like=per_district[""],
            )
            if own is not None:
                per_district[code] = own
    return YearMixes(
        nationality=mixes["nationality"],
        department=mixes["department"],
        sex=build_mix(published, "sex", targets.year),  # type: ignore[arg-type]
        age=age_mix(),
    )


def _pseudonyms(seed: int, year: int, patients: int, key: PseudonymKey) -> list[bytes]:
    ids = (demo_patient_id(seed, year, number) for number in range(patients))
    return pseudonymize_normalized(ids, key)


def _create_submissions(
    episodes: YearEpisodes, year: int, stamp: str, key: PseudonymKey, comment: str
) -> dict[int, int]:
    period = reporting_period_for(str(year))
    institution_ids, counts = np.unique(episodes.columns["institution_id"], return_counts=True)
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                institution_id=institution_id,
                period=period,
                status=SubmissionStatus.LOCKED,
                comment=comment,
                source_name=DEMO_SOURCE,
                source_sha256=stamp,
                source_format=DEMO_FORMAT,
                row_count=count,
                valid_count=count,
                new_count=count,
                committed_count=count,
                pseudonym_version=key.version,
                created_by_label=DEMO_SOURCE,
                committed_at=now,
            )
            for institution_id, count in zip(institution_ids.tolist(), counts.tolist(), strict=True)
        ],
        batch_size=2_000,
    )
    if any(submission.pk is None for submission in submissions):
        return dict(
            demo_submissions(year).values_list("institution_id", "id")  # backends without RETURNING
        )
    return {submission.institution_id: submission.pk for submission in submissions}


def _frame(episodes: YearEpisodes, start: int, stop: int, extra: dict[str, Any]) -> pl.DataFrame:
    columns = episodes.columns
    part = slice(start, stop)
    return pl.DataFrame(
        {
            "institution_id": columns["institution_id"][part],
            "submission_id": extra["submission_id"][part],
            "pseudonym": pl.Series(extra["pseudonym"][start:stop], dtype=pl.Binary),
            "pseudonym_version": np.full(stop - start, extra["version"]),
            "year": np.full(stop - start, extra["year"]),
            "district_id": columns["district_id"][part],
            "birth_year": columns["birth_year"][part],
            "sex": columns["sex"][part],
            "nationality_id": columns["nationality_id"][part],
            "province": columns["province"][part],
            "department_id": columns["department_id"][part],
            "first_visit": columns["first_visit"][part],
            "last_visit": columns["last_visit"][part],
            "care_type": columns["care_type"][part],
            "inpatient_days": pl.Series(columns["inpatient_days"][part]).replace(0, None),
            "fees_krw": columns["fees_krw"][part],
            "facilitator_id": pl.Series(columns["facilitator_id"][part]).replace(0, None),
            "diagnosis": pl.repeat("", stop - start, eager=True),
            "revision": np.ones(stop - start, dtype=np.int64),
        }
    ).select(INSERT_COLUMNS)


def _copy(episodes: YearEpisodes, extra: dict[str, Any]) -> None:
    table = connection.ops.quote_name(PatientRecord._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in INSERT_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy,
    ):
        for start in range(0, len(episodes), COPY_CHUNK):
            frame = _frame(episodes, start, min(start + COPY_CHUNK, len(episodes)), extra)
            text = frame.with_columns(
                (pl.lit("\\x") + pl.col("pseudonym").bin.encode("hex")).alias("pseudonym")
            ).write_csv(include_header=False, null_value="\\N", date_format="%Y-%m-%d")
            copy.write(text.encode("utf-8"))


def _none_if_zero(values: np.ndarray) -> Iterable[int | None]:
    return (value or None for value in values.tolist())


def _rows(episodes: YearEpisodes, extra: dict[str, Any], start: int, stop: int) -> list:
    """Rows START to STOP as tuples; converted a batch at a time to keep memory flat."""
    columns = {name: values[start:stop] for name, values in episodes.columns.items()}
    size = stop - start
    return list(
        zip(
            columns["institution_id"].tolist(),
            extra["submission_id"][start:stop].tolist(),
            extra["pseudonym"][start:stop],
            repeat(extra["version"], size),
            repeat(extra["year"], size),
            columns["district_id"].tolist(),
            columns["birth_year"].tolist(),
            columns["sex"].tolist(),
            columns["nationality_id"].tolist(),
            columns["province"].tolist(),
            columns["department_id"].tolist(),
            np.datetime_as_string(columns["first_visit"], unit="D").tolist(),
            np.datetime_as_string(columns["last_visit"], unit="D").tolist(),
            columns["care_type"].tolist(),
            _none_if_zero(columns["inpatient_days"]),
            columns["fees_krw"].tolist(),
            _none_if_zero(columns["facilitator_id"]),
            repeat("", size),
            repeat(1, size),
            strict=True,
        )
    )


def _executemany(episodes: YearEpisodes, extra: dict[str, Any]) -> None:
    table = connection.ops.quote_name(PatientRecord._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in INSERT_COLUMNS)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, len(episodes), SQLITE_BATCH):
            stop = min(start + SQLITE_BATCH, len(episodes))
            cursor.executemany(sql, _rows(episodes, extra, start, stop))


def _write_year(
    episodes: YearEpisodes,
    targets: YearTargets,
    seed: int,
    scale: float,
    key: PseudonymKey,
    clear_first: bool,
) -> None:
    year = targets.year
    comment = _(
        "Synthetic demo records generated by seed_demo (seed %(seed)s, scale %(scale)s): "
        "not real patients. Which figures are published and which estimated: "
        "docs/demo-data.md."
    ) % {"seed": seed, "scale": scale}
    pseudonyms = _pseudonyms(seed, year, targets.seoul, key)
    with transaction.atomic():
        if clear_first:
            _clear_year(year)
        submission_by_institution = _create_submissions(
            episodes, year, fingerprint(year, seed, scale), key, comment
        )
        institutions = episodes.columns["institution_id"]
        lookup_keys = np.array(sorted(submission_by_institution), dtype=np.int64)
        lookup_values = np.array(
            [submission_by_institution[i] for i in lookup_keys.tolist()], dtype=np.int64
        )
        extra = {
            "submission_id": lookup_values[np.searchsorted(lookup_keys, institutions)],
            "pseudonym": [pseudonyms[number] for number in episodes.patient.tolist()],
            "version": key.version,
            "year": year,
        }
        if connection.vendor == "postgresql":
            _copy(episodes, extra)
        else:
            _executemany(episodes, extra)
        record_event(
            actor=None,
            action=AuditAction.IMPORT,
            actor_label=DEMO_SOURCE,
            target_label=_("Demo records %(year)s") % {"year": year},
            changes={
                "year": year,
                "seed": seed,
                "scale": scale,
                "records": len(episodes),
                "patients": targets.seoul,
                "submissions": len(submission_by_institution),
            },
        )


def _clear_year(year: int) -> None:
    submissions = demo_submissions(year)
    PatientRecord.objects.filter(submission__in=submissions)._raw_delete(connection.alias)
    submissions.delete()


def year_metadata(targets: YearTargets, mixes: YearMixes, names: dict[str, str]) -> dict:
    by_code = {code: name for name, code in names.items()}
    seoul = targets.seoul_figure
    return {
        "seoul": {
            "patients": targets.seoul,
            "published": seoul.value,
            "quality": seoul.quality,
            "source": seoul.source_url,
        },
        "districts": {
            code: {
                "name": by_code.get(code, code),
                "patients": count,
                "published": code in targets.published_districts,
                **(
                    {
                        "quality": targets.published_districts[code].quality,
                        "source": targets.published_districts[code].source_url,
                    }
                    if code in targets.published_districts
                    else {"estimated_from": "registered institutions per district (2024)"}
                ),
            }
            for code, count in targets.districts.items()
        },
        "extra_district_memberships": targets.extra_memberships,
        "nationality": {
            code or "seoul": mix.as_metadata() for code, mix in mixes.nationality.items()
        },
        "department": {
            code or "seoul": mix.as_metadata() for code, mix in mixes.department.items()
        },
        "sex": mixes.sex.as_metadata(),
        "age": mixes.age.as_metadata(),
    }


ESTIMATED_PARAMETERS = {
    "multi_district_share": "about 3% of patients are seen in a second district (estimate)",
    "second_department_share": "14% of district memberships add a second department (estimate)",
    "care_type": "inpatient share by department (estimate; about 7% overall, derived from 2016)",
    "fees": "log-normal around the published 2016 national average spend per care type",
    "age": "ten-year bands, estimated: nothing was published",
    "facilitator_share": "20% of episodes brought by a registered facilitator (estimate)",
    "china_province": "recorded for 60% of Chinese patients (estimate)",
    "returning_patients": "every year draws new patients: no one is followed across years",
}


def _write_metadata(entries: dict[int, dict], seed: int, scale: float) -> Path:
    path = metadata_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existing: dict[str, Any] = {}
    if path.exists():
        existing = json.loads(path.read_text(encoding="utf-8"))
    years = existing.get("years", {})
    years.update({str(year): entry for year, entry in entries.items()})
    document = {
        "generator": DEMO_SOURCE,
        "version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "synthetic": True,
        "estimated_parameters": ESTIMATED_PARAMETERS,
        "years": dict(sorted(years.items())),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def seed_demo(
    *,
    years: Sequence[int],
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    replace: bool = False,
    progress: Callable[[int, str, int], None] | None = None,
) -> SeedSummary:
    """Generate and write the demo records of YEARS; years already there are left alone."""
    started = time.monotonic()
    published = read_published()
    names = district_names()
    plans = {year: year_targets(published, year, names, scale) for year in years}
    vocabulary = load_vocabulary()
    key = current_key()
    summary = SeedSummary()
    metadata: dict[int, dict] = {}
    for year, targets in plans.items():
        stamps = set(demo_submissions(year).values_list("source_sha256", flat=True))
        if stamps == {fingerprint(year, seed, scale)}:
            summary.years_existing.append(year)
            continue
        if stamps and not replace:
            raise DemoYearDiffers(year)
        mixes = year_mixes(published, targets, names)
        try:
            episodes = generate_year(
                targets, mixes, vocabulary, np.random.default_rng([seed, year])
            )
        except LookupError as error:  # a district without any demo institution
            raise DemoRegistryMissing(error.args[0]) from error
        _write_year(episodes, targets, seed, scale, key, clear_first=bool(stamps))
        metadata[year] = year_metadata(targets, mixes, names)
        summary.years_created.append(year)
        summary.records += len(episodes)
        summary.patients += targets.seoul
        if progress:
            progress(year, "written", len(episodes))
    if metadata:
        summary.metadata_path = _write_metadata(metadata, seed, scale)
    summary.seconds = time.monotonic() - started
    return summary
