"""The statistics benchmark: `python -m medtour.bench pivot [--records 1000000,3000000]`.

On a fresh PostgreSQL database (`medtour_bench`, dropped afterwards unless --keep) it grows a
synthetic registry to each size by COPY (indexes dropped during the load and rebuilt, as a
bulk load would), builds the cubes in full, then times a fixed mix of query shapes through the
cube engine (no result cache exists, so every run is cold), the same tables in plain SQL
(`COUNT(DISTINCT …)` with GROUPING SETS for the real totals) and in DuckDB over a Parquet export
of the same rows, and the incremental refresh after a 100,000-row submission staged and
committed through `submission_commit`. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "medtour_bench"
BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "PSEUDONYM_KEY": "benchmark-only-pseudonym-key",
    "ALLOWED_HOSTS": "localhost",
    "LOG_LEVEL": "WARNING",
}
YEARS = tuple(range(2014, 2025))
INSTITUTIONS = 1_000
FACILITATORS = 50
EPISODES_PER_PATIENT = 1.25
REFRESH_ROWS = 100_000
REPETITIONS = 7

# (rows, cols, measure, filters): 1-2 dimensions, 0-2 filters, every measure.
SHAPES: tuple[tuple[tuple[str, ...], tuple[str, ...], str, tuple[tuple[str, str], ...]], ...] = (
    (("district",), ("year",), "patients", ()),
    (("nationality",), ("year",), "patients", ()),
    (("department",), ("year",), "department_patients", ()),
    (("month",), (), "patients", (("year", "2024"),)),
    (("quarter",), ("district",), "episodes", ()),
    (("district",), (), "fees", (("year", "2024"),)),
    (("district",), ("nationality",), "patients", (("year", "2024"),)),
    (("nationality",), ("department",), "patients", (("year", "2023"),)),
    (("country_group",), ("year",), "patients", ()),
    (("age_band",), ("sex",), "patients", ()),
    (("care_type",), ("year",), "inpatient_days", ()),
    (("channel",), ("year",), "patients", ()),
    (("institution_type",), ("year",), "fees", ()),
    (("institution",), (), "patients", (("year", "2024"),)),
    (("district",), (), "patients", (("nationality", "CN"), ("year", "2024"))),
    (("department",), (), "episodes", (("district", "11680"), ("year", "2024"))),
    (("nationality",), ("department",), "patients", (("year", "2024"), ("district", "11680"))),
    (("sex",), ("nationality",), "patients", (("year", "2024"),)),
    (("age_band",), (), "patients", (("nationality", "CN"),)),
    (("month",), ("district",), "patients", (("nationality", "CN"),)),
    ((), (), "patients", ()),
    (("year",), (), "department_patients", ()),
    (("district",), ("sex",), "patients", (("year", "2024"), ("nationality", "CN"))),
    (("district",), ("age_band",), "patients", (("year", "2024"),)),
)
# Shapes also timed in plain SQL and DuckDB: (label, grouping columns, filter, distinct).
BASELINES = (
    ("district x year, patients", ("district_id", "year"), "", "pseudonym"),
    (
        "district x nationality 2024, patients",
        ("district_id", "nationality_id"),
        "WHERE year = 2024",
        "pseudonym",
    ),
    (
        "department x year, department patients",
        ("department_id", "year"),
        "",
        "pseudonym, department_id",
    ),
)


@dataclass
class SizeReport:
    records: int
    seed_seconds: float = 0.0
    build_seconds: float = 0.0
    build_cells: int = 0
    shapes: list[dict[str, Any]] = field(default_factory=list)
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    slowest_ms: float = 0.0
    baselines: list[dict[str, Any]] = field(default_factory=list)
    refresh: dict[str, Any] = field(default_factory=dict)


def _setup_environment(database: str, reuse: bool = False) -> bool:
    """Create the database (or, REUSE, keep it if it exists); True if it was kept."""
    global PG_DATABASE
    import psycopg

    PG_DATABASE = database
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        kept = bool(reuse and exists)
        if not kept:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    os.environ["MEDTOUR_VAR_DIR"] = str(Path(tempfile.gettempdir()) / "medtour-bench-var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medtour.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not kept:
        call_command("load_reference", verbosity=0)
    return kept


def _drop_database() -> None:
    import psycopg
    from django.db import connection

    connection.close()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = function()
    return time.perf_counter() - started, answer


def time_shapes(report: SizeReport) -> None:
    from django.utils import translation

    from medtour.stats.cube.engine import CubeEngine
    from medtour.stats.query import PivotQuery

    engine = CubeEngine(fallback=False)
    everything: list[float] = []
    with translation.override("en"):
        for rows, cols, measure, filters in SHAPES:
            query = PivotQuery(rows=rows, cols=cols, measure=measure, filters=filters)
            runs = [_timed(partial(engine.pivot, query))[0] * 1000 for _ in range(REPETITIONS)]
            everything.extend(runs)
            shape = {
                "shape": f"{'x'.join(rows) or '-'} / {'x'.join(cols) or '-'} / {measure}"
                + "".join(f" [{name}={code}]" for name, code in filters),
                "p50_ms": statistics.median(runs),
                "p95_ms": _percentile(runs, 0.95),
            }
            report.shapes.append(shape)
            print(
                f"    {shape['shape']:<72} p50 {shape['p50_ms']:7.1f} ms  "
                f"p95 {shape['p95_ms']:7.1f} ms",
                flush=True,
            )
    report.p50_ms = statistics.median(everything)
    report.p95_ms = _percentile(everything, 0.95)
    report.slowest_ms = max(shape["p95_ms"] for shape in report.shapes)


def _grouping_sql(table: str, columns: tuple[str, ...], where: str, distinct: str) -> str:
    sets = [f"({', '.join(columns)})", *(f"({name})" for name in columns), "()"]
    return (
        f"SELECT {', '.join(columns)}, COUNT(DISTINCT ({distinct})) FROM {table} {where} "
        f"GROUP BY GROUPING SETS ({', '.join(sets)})"
    )


def _postgres_rows(sql: str) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _duck_rows(duck: Any, sql: str) -> list[Any]:
    return list(duck.execute(sql).fetchall())


def time_baselines(report: SizeReport, parquet: Path) -> None:
    import duckdb

    from medtour.stats.cube.engine import CubeEngine
    from medtour.stats.query import PivotQuery

    shapes = {
        "district x year, patients": PivotQuery(("district",), ("year",), "patients"),
        "district x nationality 2024, patients": PivotQuery(
            ("district",), ("nationality",), "patients", (("year", "2024"),)
        ),
        "department x year, department patients": PivotQuery(
            ("department",), ("year",), "department_patients"
        ),
    }
    duck = duckdb.connect()
    duck.execute("SET enable_progress_bar = false")
    duck.execute(f"CREATE VIEW records AS SELECT * FROM read_parquet('{parquet}')")
    for label, columns, where, distinct in BASELINES:
        sql_seconds, _rows = _timed(
            partial(
                _postgres_rows, _grouping_sql("records_patientrecord", columns, where, distinct)
            )
        )
        duck_sql = _grouping_sql("records", columns, where, distinct)
        duck_runs = [_timed(partial(_duck_rows, duck, duck_sql))[0] for _ in range(2)]
        engine = CubeEngine(fallback=False)
        cube_runs = [_timed(partial(engine.pivot, shapes[label]))[0] for _ in range(REPETITIONS)]
        cube = statistics.median(cube_runs)
        entry = {
            "shape": label,
            "sql_s": sql_seconds,
            "duckdb_s": min(duck_runs),
            "cube_ms": cube * 1000,
            "sql_ratio": sql_seconds / cube,
            "duckdb_ratio": min(duck_runs) / cube,
        }
        report.baselines.append(entry)
        print(
            f"    {label:<42} SQL {sql_seconds:7.2f} s  DuckDB {entry['duckdb_s']:6.2f} s  "
            f"cube {entry['cube_ms']:6.1f} ms  ({entry['sql_ratio']:,.0f}x / "
            f"{entry['duckdb_ratio']:,.0f}x)",
            flush=True,
        )


def export_parquet(path: Path) -> None:
    import polars as pl
    from django.db import connection

    sql = (
        "COPY (SELECT encode(pseudonym, 'hex') AS pseudonym, year, district_id, nationality_id, "
        "department_id FROM records_patientrecord) TO STDOUT WITH (FORMAT csv, HEADER true)"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    csv_path = path.with_suffix(".csv")
    with connection.cursor() as cursor, csv_path.open("wb") as out, cursor.cursor.copy(sql) as copy:
        for block in copy:
            out.write(block)
    pl.scan_csv(csv_path).sink_parquet(path)
    csv_path.unlink()


@dataclass
class Options:
    keep: bool = False
    reuse: bool = False
    baselines: bool = True
    queries: bool = True
    # Refresh cases: None is the harsh one (every patient known), else the returning share.
    cases: tuple[float | None, ...] = (None,)


def _print_refresh(refresh: dict[str, Any]) -> None:
    print(
        f"  {REFRESH_ROWS:,}-row submission ({refresh['case']}): staged in "
        f"{refresh['stage_s']:.1f} s, committed in {refresh['commit_s']:.1f} s, statistics "
        f"refreshed in {refresh['refresh_s']:.2f} s ({refresh['patients']:,} patients, "
        f"{refresh['episodes']:,} episodes, {refresh['changed_cells']:,} cells changed; load "
        f"{refresh['load_s']:.2f} s, compute {refresh['compute_s']:.2f} s, "
        f"write {refresh['write_s']:.2f} s)",
        flush=True,
    )


def _measure_size(registry: Any, report: SizeReport, data_dir: Path, options: Options) -> None:
    from medtour.bench import pivot_data
    from medtour.stats.cube.build import rebuild
    from medtour.stats.cube.refresh import pending_submissions
    from medtour.stats.models import StatisticsState

    if not (options.reuse and StatisticsState.objects.exists() and not pending_submissions()):
        build = rebuild()
        report.build_seconds, report.build_cells = build.seconds, build.cells
        print(
            f"  full build: {build.seconds:.1f} s (read {build.read_seconds:.1f}, compute "
            f"{build.compute_seconds:.1f}, write {build.write_seconds:.1f}), "
            f"{build.cells:,} cells",
            flush=True,
        )
    if options.queries:
        print("  query shapes through the cube engine:", flush=True)
        time_shapes(report)
        print(
            f"  all shapes: p50 {report.p50_ms:.1f} ms, p95 {report.p95_ms:.1f} ms, "
            f"slowest shape p95 {report.slowest_ms:.1f} ms",
            flush=True,
        )
    if options.baselines:
        parquet = data_dir / f"records-{report.records}.parquet"
        export_parquet(parquet)
        print("  the same tables in plain SQL and DuckDB (with real totals):", flush=True)
        time_baselines(report, parquet)
        parquet.unlink()
    for case in options.cases:
        refresh = pivot_data.refresh_after_submission(registry, REFRESH_ROWS, data_dir, case)
        _print_refresh(refresh)
        report.refresh.setdefault("cases", []).append(refresh)
        report.refresh.update(refresh)


def run(sizes: list[int], options: Options, data_dir: Path, database: str = PG_DATABASE) -> int:
    kept = _setup_environment(database, options.reuse)
    from medtour.bench import pivot_data
    from medtour.records.models import PatientRecord

    reports: list[SizeReport] = []
    try:
        if kept:
            registry = pivot_data.load_registry(YEARS)
            have = PatientRecord.objects.count()
        else:
            registry = pivot_data.create_registry(INSTITUTIONS, FACILITATORS, YEARS)
            have = 0
        for size in sorted(sizes):
            report = SizeReport(records=size)
            print(f"== {size:,} records", flush=True)
            if have < size:
                report.seed_seconds, _ = _timed(
                    partial(pivot_data.grow, registry, have, size, EPISODES_PER_PATIENT)
                )
                have = size
                print(f"  seeded in {report.seed_seconds:.1f} s", flush=True)
            else:
                print(f"  reusing the {have:,} records present", flush=True)
            _measure_size(registry, report, data_dir, options)
            have += REFRESH_ROWS * len(options.cases)
            reports.append(report)
    finally:
        if not options.keep:
            _drop_database()
    print(json.dumps([report.__dict__ for report in reports]))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m medtour.bench pivot")
    parser.add_argument("--records", default="1000000,3000000,10000000")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database a --keep run left (implies --keep); grow only when smaller",
    )
    parser.add_argument("--skip-baselines", action="store_true", help="no plain SQL / DuckDB")
    parser.add_argument("--skip-queries", action="store_true", help="no query timings")
    parser.add_argument(
        "--refresh-cases",
        default="harsh",
        help="comma-separated: harsh (every patient known) and/or a returning share, e.g. 0.18",
    )
    parser.add_argument("--database", default=PG_DATABASE, help="PostgreSQL database to create")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "medtour-bench"))
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.records.split(",") if size.strip()]
    cases = tuple(
        None if case.strip() == "harsh" else float(case)
        for case in options.refresh_cases.split(",")
        if case.strip()
    )
    settings = Options(
        keep=options.keep or options.reuse,
        reuse=options.reuse,
        baselines=not options.skip_baselines,
        queries=not options.skip_queries,
        cases=cases,
    )
    return run(sizes, settings, Path(options.data_dir), options.database)
