"""The records import benchmark: a synthetic CSV validated and committed, in a child process.

For each database it creates a fresh one (PostgreSQL `medtour_bench` at 127.0.0.1:5432 as user
postgres, dropped afterwards; SQLite in a temporary file), loads the reference data, then times
`import_records --commit` for each size and reads the child's peak resident memory from
`wait4`. Baselines: a bare `COPY` of the same file into an unindexed table of text columns, and
a row-by-row ORM save of a 20,000-row sample. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtour.bench.synthetic import write_records_csv

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "medtour_bench"
ORM_SAMPLE = 20_000
INSTITUTION = "bench-clinic"
BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "PSEUDONYM_KEY": "benchmark-only-pseudonym-key",
    "ALLOWED_HOSTS": "localhost",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Run:
    database: str
    rows: int
    seconds: float
    stage_seconds: float
    commit_seconds: float
    peak_mb: float
    cpu_seconds: float  # the importing process's own, all threads: steadier than the clock

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _env(database_url: str) -> dict[str, str]:
    env = {**os.environ, **{k: v for k, v in BENCH_ENV.items() if k not in os.environ}}
    env["DATABASE_URL"] = database_url
    env["MEDTOUR_VAR_DIR"] = str(Path(tempfile.gettempdir()) / "medtour-bench-var")
    return env


def _child(env: dict[str, str], *args: str) -> tuple[dict[str, Any], float, float]:
    """Run `python -m medtour.bench _child ARGS`; its JSON answer, its peak RSS in MB and the
    CPU seconds it used."""
    process = subprocess.Popen(
        [sys.executable, "-m", "medtour.bench", "_child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark step {args[0]} failed with status {process.returncode}")
    return (
        json.loads(output.decode() or "{}"),
        usage.ru_maxrss / 1024,
        usage.ru_utime + usage.ru_stime,
    )


def _create_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{PG_SERVER}/{PG_DATABASE}"


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def bare_copy_seconds(path: Path) -> float:
    """COPY the file as it is into an unindexed table of text columns: the floor."""
    import psycopg

    header = path.open(encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f"{name} text" for name in header)
    with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_bare_copy")
        connection.execute(f"CREATE TABLE bench_bare_copy ({columns})")
        started = time.perf_counter()
        with (
            connection.transaction(),
            connection.cursor() as cursor,
            cursor.copy("COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_bare_copy")
    return elapsed


def _measure(database: str, url: str, files: dict[int, Path]) -> list[Run]:
    env = _env(url)
    print(f"[{database}] creating the schema and loading reference data…", flush=True)
    _child(env, "setup")
    runs = []
    for rows, path in sorted(files.items()):
        answer, peak, cpu = _child(env, "import", str(path))
        run = Run(database, rows, answer["seconds"], answer["stage"], answer["commit"], peak, cpu)
        print(
            f"[{database}] {rows:>9,} rows: {run.seconds:6.2f} s "
            f"(validate {run.stage_seconds:.2f} s, commit {run.commit_seconds:.2f} s), "
            f"{run.rows_per_second:>9,.0f} rows/s, peak {peak:.0f} MB, CPU {cpu:.1f} s",
            flush=True,
        )
        runs.append(run)
    if len(runs) > 1:
        print(
            f"[{database}] peak memory from {runs[0].rows:,} to {runs[-1].rows:,} rows: "
            f"{runs[0].peak_mb:.0f} -> {runs[-1].peak_mb:.0f} MB",
            flush=True,
        )
    return runs


def _orm(database: str, url: str, path: Path) -> float:
    answer, _peak, _cpu = _child(_env(url), "orm", str(path), str(ORM_SAMPLE))
    rate = ORM_SAMPLE / answer["seconds"]
    print(
        f"[{database}] row-by-row ORM save of {ORM_SAMPLE:,} rows: {rate:,.0f} rows/s", flush=True
    )
    return rate


def benchmark(rows: int, sizes: list[int], databases: list[str], data_dir: Path) -> int:
    files = {}
    for size in sorted({*sizes, rows}):
        path = data_dir / f"records-{size}.csv"
        if not path.exists():
            print(f"Generating {size:,} synthetic rows in {path}…", flush=True)
            write_records_csv(path, size)
        files[size] = path
    largest = files[max(files)]
    summary: dict[str, Any] = {}
    for database in databases:
        if database == "postgres":
            url = _create_postgres()
            try:
                runs = _measure(database, url, files)
                copy = bare_copy_seconds(largest)
                orm_rate = _orm(database, url, files[min(files)])
            finally:
                _drop_postgres()
            big = runs[-1]
            print(
                f"[postgres] bare COPY of {max(files):,} rows: {copy:.2f} s; the import takes "
                f"{big.seconds / copy:.1f}x as long, and is {big.rows_per_second / orm_rate:.0f}x "
                "faster than row-by-row ORM saves",
                flush=True,
            )
            summary[database] = {
                "runs": [run.__dict__ for run in runs],
                "copy_seconds": copy,
                "orm_rows_per_second": orm_rate,
            }
        else:
            with tempfile.TemporaryDirectory(prefix="medtour-bench-") as folder:
                url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
                runs = _measure(database, url, files)
                orm_rate = _orm(database, url, files[min(files)])
            big = runs[-1]
            print(
                f"[sqlite] the import is {big.rows_per_second / orm_rate:.0f}x faster than "
                "row-by-row ORM saves",
                flush=True,
            )
            summary[database] = {
                "runs": [run.__dict__ for run in runs],
                "orm_rows_per_second": orm_rate,
            }
    print(json.dumps(summary))
    return 0


# Child steps: run with DATABASE_URL set by the parent ---------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medtour.settings")
    import django

    django.setup()


def child_setup() -> dict[str, Any]:
    _django()
    import datetime

    from django.core.management import call_command

    from medtour.institutions.models import Institution, InstitutionType
    from medtour.reference.models import District

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)
    Institution.objects.get_or_create(
        code=INSTITUTION,
        defaults={
            "names": {"ko": "벤치마크의원", "en": "Benchmark Clinic"},
            "type": InstitutionType.CLINIC,
            "district": District.objects.get(code="11680"),
            "address": {"ko": "서울특별시 강남구"},
            "registration_number": "BENCH-0001",
            "registered_from": datetime.date(2010, 1, 1),
            "is_synthetic": True,
        },
    )
    return {}


def _reset_records() -> None:
    from django.db import connection

    tables = (
        "records_recordrevision",
        "records_patientrecord",
        "records_refusedrow",
        "records_submission",
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each run starts from an empty table: DELETE would leave the previous run's rows
            # as dead index entries for the next one to wade through.
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


def child_import(path: str) -> dict[str, Any]:
    """What `import_records --commit` does, timed: on PostgreSQL validation and writing
    overlap, so `stage` is when validation ended and `commit` what was left after it."""
    _django()
    from medtour.institutions.actors import CommandLine
    from medtour.institutions.models import Institution
    from medtour.records.pipeline import submission_import_file
    from medtour.records.services import reporting_period_for

    _reset_records()
    institution = Institution.objects.get(code=INSTITUTION)
    period = reporting_period_for("2016")
    marks: dict[str, float] = {}

    def progress(stage: str, count: int) -> None:
        marks[stage] = time.perf_counter()

    started = time.perf_counter()
    staged, outcome = submission_import_file(
        institution=institution,
        period=period,
        path=Path(path),
        actor=CommandLine("bench"),
        progress=progress,
    )
    finished = time.perf_counter()
    if outcome is None or staged.submission.invalid_count:
        raise SystemExit(f"{staged.submission.invalid_count} synthetic rows were refused")
    validated = marks.get("validated", finished)
    return {
        "seconds": finished - started,
        "stage": validated - started,
        "commit": finished - validated,
    }


def child_orm(path: str, sample: int) -> dict[str, Any]:
    """Row-by-row ORM saves, one transaction, lookups from dictionaries: the naive way."""
    _django()
    import csv
    import datetime

    from django.db import transaction

    from medtour.institutions.models import Institution
    from medtour.records.models import PatientRecord, Submission
    from medtour.records.pseudonyms import pseudonymize
    from medtour.records.services import reporting_period_for
    from medtour.records.validation import country_resolver, department_resolver

    _reset_records()
    institution = Institution.objects.get(code=INSTITUTION)
    period = reporting_period_for("2016")
    countries, departments = country_resolver(), department_resolver()
    submission = Submission.objects.create(
        institution=institution,
        period=period,
        status="submitted",
        committed_at=datetime.datetime.now(datetime.UTC),
    )

    def day(text: str) -> datetime.date:
        digits = text.replace("-", "").replace(".", "")
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))

    started = time.perf_counter()
    with open(path, encoding="utf-8") as source, transaction.atomic():
        for index, row in enumerate(csv.DictReader(source)):
            if index == sample:
                break
            PatientRecord(
                institution=institution,
                submission=submission,
                pseudonym=pseudonymize(row["patient_id"]),
                year=2016,
                district_id=institution.district_id,
                birth_year=int(row["birth_year"]),
                sex=row["sex"],
                nationality_id=countries(row["nationality"]).id or 0,
                province=row["province"],
                department_id=departments(row["department"]).id or 0,
                first_visit=day(row["first_visit"]),
                last_visit=day(row["last_visit"]),
                care_type=row["care_type"],
                inpatient_days=int(row["inpatient_days"]) if row["inpatient_days"] else None,
                fees_krw=int(row["fees_krw"]),
                diagnosis=row["diagnosis"],
            ).save()
    return {"seconds": time.perf_counter() - started}


def main(argv: list[str]) -> int:
    if argv[:1] == ["_child"]:
        step, *rest = argv[1:]
        if step == "setup":
            answer = child_setup()
        elif step == "import":
            answer = child_import(rest[0])
        else:
            answer = child_orm(rest[0], int(rest[1]))
        sys.stdout.write(json.dumps(answer))
        return 0
    parser = argparse.ArgumentParser(prog="python -m medtour.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("import", help="the records import benchmark")
    run.add_argument("--rows", type=int, default=1_000_000)
    run.add_argument("--sizes", default="100000", help="smaller sizes, to see memory stay flat")
    run.add_argument("--database", choices=["postgres", "sqlite", "both"], default="both")
    run.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "medtour-bench"))
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    databases = ["postgres", "sqlite"] if options.database == "both" else [options.database]
    return benchmark(options.rows, sizes, databases, Path(options.data_dir))
