"""Synthetic data for the statistics benchmark: a registry, records by COPY, a real submission.

Patients are numbered; patient N's pseudonym is what the import would make of the ID
`M{N:09d}` with the benchmark key, so the 100,000-row submission staged from a synthetic
file meets known patients, as a real one would.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.db import connection
from django.utils import timezone

from medtour.institutions.models import Facilitator, Institution, InstitutionType
from medtour.records.models import PatientRecord, Submission, SubmissionStatus
from medtour.records.pseudonyms import current_key, pseudonymize_normalized
from medtour.records.services import reporting_period_for
from medtour.records.writing import INSERT_COLUMNS
from medtour.reference.models import Country, Department, District

CHUNK = 1_000_000
# Country codes and weights, roughly as Seoul's foreign patients come.
COUNTRY_WEIGHTS = {
    "CN": 30, "US": 12, "JP": 10, "RU": 8, "MN": 6, "VN": 5, "KZ": 4, "TH": 3, "CA": 3,
    "PH": 2, "UZ": 2, "AE": 2, "SA": 1, "DE": 1, "FR": 1, "GB": 1, "AU": 1, "ID": 1,
}  # fmt: skip


@dataclass
class Registry:
    institutions: np.ndarray
    districts: np.ndarray
    facilitators: np.ndarray
    submissions: dict[tuple[int, int], int]
    countries: np.ndarray
    country_weights: np.ndarray
    departments: np.ndarray
    years: tuple[int, ...]
    refresh_clinics: int = 0


def create_registry(institutions: int, facilitators: int, years: tuple[int, ...]) -> Registry:
    districts = list(District.objects.values_list("id", flat=True))
    types = list(InstitutionType.values)
    Institution.objects.bulk_create(
        [
            Institution(
                code=f"bench-{number:05d}",
                names={"ko": f"벤치의원 {number}", "en": f"Bench Clinic {number}"},
                type=types[number % len(types)],
                district_id=districts[number % len(districts)],
                address={"ko": "서울"},
                registered_from=datetime.date(2000, 1, 1),
                is_synthetic=True,
            )
            for number in range(institutions)
        ],
        batch_size=2_000,
    )
    Facilitator.objects.bulk_create(
        [
            Facilitator(code=f"bench-agency-{n:03d}", names={"ko": f"유치업체 {n}"})
            for n in range(facilitators)
        ]
    )
    rows = list(
        Institution.objects.filter(code__startswith="bench-").values_list("id", "district_id")
    )
    now = timezone.now()
    periods = {year: reporting_period_for(str(year)) for year in years}
    Submission.objects.bulk_create(
        [
            Submission(
                institution_id=pk,
                period=periods[year],
                status=SubmissionStatus.LOCKED,
                source_format="bench",
                committed_at=now,
            )
            for pk, _district in rows
            for year in years
        ],
        batch_size=5_000,
    )
    submissions = {
        (institution, year): pk
        for pk, institution, year in Submission.objects.filter(source_format="bench").values_list(
            "pk", "institution_id", "period__year"
        )
    }
    countries = dict(Country.objects.values_list("alpha2", "id"))
    weights = np.array(list(COUNTRY_WEIGHTS.values()), dtype=float)
    return Registry(
        institutions=np.array([pk for pk, _d in rows], dtype=np.int64),
        districts=np.array([d for _pk, d in rows], dtype=np.int64),
        facilitators=np.array(Facilitator.objects.values_list("id", flat=True), dtype=np.int64),
        submissions=submissions,
        countries=np.array([countries[code] for code in COUNTRY_WEIGHTS], dtype=np.int64),
        country_weights=weights / weights.sum(),
        departments=np.array(Department.objects.values_list("id", flat=True), dtype=np.int64),
        years=years,
    )


def load_registry(years: tuple[int, ...]) -> Registry:
    """The registry a previous run (--keep) left in the database."""
    rows = list(
        Institution.objects.filter(code__regex=r"^bench-[0-9]+$")
        .order_by("code")
        .values_list("id", "district_id")
    )
    submissions = {
        (institution, year): pk
        for pk, institution, year in Submission.objects.filter(source_format="bench").values_list(
            "pk", "institution_id", "period__year"
        )
    }
    countries = dict(Country.objects.values_list("alpha2", "id"))
    weights = np.array(list(COUNTRY_WEIGHTS.values()), dtype=float)
    return Registry(
        institutions=np.array([pk for pk, _d in rows], dtype=np.int64),
        districts=np.array([d for _pk, d in rows], dtype=np.int64),
        facilitators=np.array(Facilitator.objects.values_list("id", flat=True), dtype=np.int64),
        submissions=submissions,
        countries=np.array([countries[code] for code in COUNTRY_WEIGHTS], dtype=np.int64),
        country_weights=weights / weights.sum(),
        departments=np.array(Department.objects.values_list("id", flat=True), dtype=np.int64),
        years=years,
        refresh_clinics=Institution.objects.filter(code__startswith="bench-refresh-").count(),
    )


def _pseudonyms(numbers: np.ndarray) -> pl.Series:
    unique, inverse = np.unique(numbers, return_inverse=True)
    hashed = pseudonymize_normalized((f"M{n:09d}" for n in unique.tolist()), current_key())
    table = pl.Series(hashed, dtype=pl.Binary)
    return table.gather(pl.Series(inverse.astype(np.int64)))


def _chunk(registry: Registry, rng: np.random.Generator, size: int, patients: int) -> pl.DataFrame:
    patient = rng.integers(0, patients, size)
    which = rng.integers(0, len(registry.institutions), size)
    institution = registry.institutions[which]
    year = rng.choice(np.array(registry.years), size)
    lookup = registry.submissions
    submission = np.array(
        [lookup[(i, y)] for i, y in zip(institution.tolist(), year.tolist(), strict=True)]
    )
    first = np.array([np.datetime64(f"{y}-01-01") for y in registry.years])[
        year - registry.years[0]
    ] + rng.integers(0, 335, size).astype("timedelta64[D]")
    inpatient = rng.random(size) < 0.08
    stay = np.where(inpatient, rng.integers(1, 15, size), 0)
    facilitated = rng.random(size) < 0.2
    # A person keeps their nationality, sex and birth year across episodes.
    nationality = registry.countries[
        np.searchsorted(np.cumsum(registry.country_weights), (patient * 2654435761 % 1000) / 1000)
    ]
    frame = pl.DataFrame(
        {
            "institution_id": institution,
            "submission_id": submission,
            "pseudonym": _pseudonyms(patient),
            "pseudonym_version": np.full(size, current_key().version),
            "year": year,
            "district_id": registry.districts[which],
            "birth_year": 1940 + patient % 70,
            "sex": np.where(patient % 8 < 5, "F", "M"),
            "nationality_id": nationality,
            "province": np.full(size, ""),
            "department_id": registry.departments[rng.integers(0, len(registry.departments), size)],
            "first_visit": first,
            "last_visit": first + stay.astype("timedelta64[D]"),
            "care_type": np.where(
                inpatient, "inpatient", np.where(rng.random(size) < 0.13, "checkup", "outpatient")
            ),
            "inpatient_days": pl.Series(stay).replace(0, None),
            "fees_krw": np.exp(rng.normal(13.0, 1.2, size)).astype(np.int64),
            "facilitator_id": pl.Series(
                np.where(
                    facilitated,
                    registry.facilitators[rng.integers(0, len(registry.facilitators), size)],
                    0,
                )
            ).replace(0, None),
            "diagnosis": np.full(size, ""),
            "revision": np.ones(size, dtype=np.int64),
        }
    )
    return frame.unique(subset=["institution_id", "pseudonym", "department_id", "first_visit"])


INDEX_SQL = {
    "records_patientrecord_stats": "CREATE INDEX records_patientrecord_stats ON "
    "records_patientrecord USING brin (year, district_id, nationality_id, department_id, "
    "submission_id, institution_id)",
}
# Random draws may repeat a natural key across chunks (about once in ten million), so the
# benchmark rebuilds the natural key as a plain index: the same lookups, no uniqueness check.
NATURAL_KEY = (
    "CREATE INDEX record_natural_key ON records_patientrecord "
    "(pseudonym, institution_id, department_id, first_visit)"
)


def grow(registry: Registry, have: int, target: int, per_patient: float) -> None:
    """Add TARGET - HAVE episodes by COPY, indexes dropped meanwhile and rebuilt after."""
    rng = np.random.default_rng(target)
    patients = int(target / per_patient)
    names = ", ".join(INSERT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE records_patientrecord DROP CONSTRAINT IF EXISTS record_natural_key"
        )
        cursor.execute("DROP INDEX IF EXISTS record_natural_key")
        for name in INDEX_SQL:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for start in range(have, target, CHUNK):
            part = _chunk(registry, rng, min(CHUNK, target - start), patients)
            text = part.with_columns(
                (pl.lit("\\x") + pl.col("pseudonym").bin.encode("hex")).alias("pseudonym")
            ).write_csv(include_header=False, null_value="\\N", date_format="%Y-%m-%d")
            with cursor.cursor.copy(
                f"COPY records_patientrecord ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as copy:
                copy.write(text.encode("utf-8"))
        cursor.execute(NATURAL_KEY)
        for sql in INDEX_SQL.values():
            cursor.execute(sql)
        cursor.execute("ANALYZE records_patientrecord")


def _new_patients(path: Path, returning: float, first_new: int) -> None:
    """Give the file's patients new IDs (never seen by the registry), except a RETURNING
    share, which keeps IDs of known patients (M000000000 … are in the registry)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = round(returning * 100)
    for index in range(1, len(lines)):
        if (index - 1) % 100 >= kept:
            lines[index] = f"M{first_new + index:09d}" + lines[index][10:]
    path.write_text("".join(lines), encoding="utf-8")


def refresh_after_submission(
    registry: Registry, rows: int, data_dir: Path, returning: float | None = None
) -> dict[str, Any]:
    """Stage and commit a ROWS-row file through the real services, then time the refresh.

    By default every patient of the file is a known one (the harsh case: at ten million
    records they carry about six earlier episodes each); RETURNING (0-1) makes only that share
    known and the rest new, as in a real submission."""
    from medtour.bench.synthetic import write_records_csv
    from medtour.records.services import submission_commit, submission_stage_file
    from medtour.stats.cube.refresh import refresh

    registry.refresh_clinics += 1
    clinic = Institution.objects.create(
        code=f"bench-refresh-{registry.refresh_clinics}",
        names={"ko": "벤치 갱신 의원", "en": "Bench refresh clinic"},
        type=InstitutionType.CLINIC,
        district_id=int(registry.districts[0]),
        address={"ko": "서울"},
        registered_from=datetime.date(2000, 1, 1),
    )
    path = write_records_csv(
        data_dir / f"refresh-{registry.refresh_clinics}.csv",
        rows,
        year=2024,
        seed=registry.refresh_clinics,
    )
    if returning is not None:
        _new_patients(path, returning, 900_000_000 + registry.refresh_clinics * rows)
    started = time.perf_counter()
    staged = submission_stage_file(
        institution=clinic, period=reporting_period_for("2024"), path=path, actor=None
    )
    staged_at = time.perf_counter()
    submission_commit(submission=staged.submission, actor=None, skip_invalid=True)
    committed_at = time.perf_counter()
    outcome = refresh()
    refreshed_at = time.perf_counter()
    path.unlink()
    return {
        "stage_s": staged_at - started,
        "commit_s": committed_at - staged_at,
        "refresh_s": refreshed_at - committed_at,
        "patients": outcome.patients,
        "episodes": outcome.episodes,
        "changed_cells": outcome.changed_cells,
        "load_s": outcome.load_seconds,
        "compute_s": outcome.compute_seconds,
        "write_s": outcome.write_seconds,
        "submissions": outcome.submissions,
        "records": PatientRecord.objects.filter(submission=staged.submission).count(),
        "case": "harsh" if returning is None else f"returning {returning:.0%}",
    }
