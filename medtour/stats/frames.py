"""Episodes as a Polars frame of small integers: what every engine groups and counts.

One column per dimension (encoded as in `medtour.stats.dimensions`), the patient as a dense
integer (exact: every pseudonym gets its own number, no hashing), and the additive measures.
PostgreSQL streams the rows out with `COPY … TO STDOUT`; SQLite through the cursor, with the
columns packed into four integers by SQLite itself, because building Python objects is what
costs there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db import connection

from medtour.institutions.models import Institution
from medtour.records.models import PatientRecord
from medtour.reference.models import CountryGroup
from medtour.stats.dimensions import CARE_TYPES, INSTITUTION_TYPES, SEXES
from medtour.stats.query import AGE_BANDS

# Raw columns, as read: sex and care type already as positions in SEXES and CARE_TYPES.
RAW_SCHEMA: dict[str, Any] = {
    "patient_key": pl.String,  # hex pseudonym (PostgreSQL) or its bytes (SQLite)
    "year": pl.Int32,
    "visit_month": pl.Int32,
    "district": pl.Int64,
    "institution": pl.Int64,
    "nationality": pl.Int64,
    "department": pl.Int64,
    "sex": pl.Int32,
    "birth_year": pl.Int32,
    "care": pl.Int32,
    "direct": pl.Int32,
    "inpatient_days": pl.Int64,
    "fees": pl.Int64,
}
ID_SCHEMA: dict[str, Any] = {"record_id": pl.Int64, "submission_id": pl.Int64}
DIMENSION_FRAME_COLUMNS = (
    "year",
    "quarter",
    "month",
    "district",
    "institution",
    "institution_type",
    "nationality",
    "department",
    "sex",
    "age_band",
    "care_type",
    "channel",
)
MEASURE_COLUMNS = ("patients", "department_patients", "episodes", "inpatient_days", "fees")
ID_BITS = 1 << 20  # ids below a million per reference table (districts, countries, departments)


def _position(column: str, values: Sequence[str]) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {index}" for index, value in enumerate(values))
    return f"CASE {column} {cases} END"


def _postgres_sql(where: str, with_ids: bool, numbered: str | None = None) -> str:
    table = connection.ops.quote_name(PatientRecord._meta.db_table)
    ids = ", id, submission_id" if with_ids else ""
    patient = "encode(pseudonym, 'hex')"
    if numbered:
        # People already numbered in table NUMBERED (patient, pseudonym): no hex to decode.
        patient = "numbered.patient"
        table = f"{numbered} AS numbered JOIN {table} ON {table}.pseudonym = numbered.pseudonym"
    return (
        f"SELECT {patient}, year, EXTRACT(MONTH FROM first_visit)::int, "
        "district_id, institution_id, nationality_id, department_id, "
        f"{_position('sex', SEXES)}, birth_year, {_position('care_type', CARE_TYPES)}, "
        "(facilitator_id IS NULL)::int, COALESCE(inpatient_days, 0), fees_krw"
        f"{ids} FROM {table} {where}"
    )


def _sqlite_sql(where: str, with_ids: bool) -> str:
    table = connection.ops.quote_name(PatientRecord._meta.db_table)
    ids = ", id, submission_id" if with_ids else ""
    month = "CAST(substr(first_visit, 6, 2) AS INTEGER)"
    return (
        f"SELECT pseudonym, ((year * 16 + {month}) * 4096 + birth_year) * {ID_BITS} "
        f"+ department_id, district_id * {ID_BITS} + nationality_id, "
        f"((institution_id * 4 + {_position('sex', SEXES)}) * 4 "
        f"+ {_position('care_type', CARE_TYPES)}) * 2 + (facilitator_id IS NULL), "
        f"fees_krw * 65536 + COALESCE(inpatient_days, 0){ids} FROM {table} {where}"
    )


def _unpack_sqlite(packed: pl.DataFrame) -> pl.DataFrame:
    a, b, c, d = (pl.col(name) for name in ("a", "b", "c", "d"))
    time = a // ID_BITS
    return packed.select(
        pl.col("patient_key"),
        (time // 4096 // 16).cast(pl.Int32).alias("year"),
        (time // 4096 % 16).cast(pl.Int32).alias("visit_month"),
        (b // ID_BITS).alias("district"),
        (c // 32).alias("institution"),
        (b % ID_BITS).alias("nationality"),
        (a % ID_BITS).alias("department"),
        (c // 8 % 4).cast(pl.Int32).alias("sex"),
        (time % 4096).cast(pl.Int32).alias("birth_year"),
        (c // 2 % 4).cast(pl.Int32).alias("care"),
        (c % 2).cast(pl.Int32).alias("direct"),
        (d % 65536).alias("inpatient_days"),
        (d // 65536).alias("fees"),
        *(pl.col(name) for name in packed.columns if name in ID_SCHEMA),
    )


def read_raw(
    where: str = "",
    params: Sequence[Any] = (),
    *,
    with_ids: bool = False,
    numbered: str | None = None,
) -> pl.DataFrame:
    """Records matching WHERE (SQL with %s placeholders) as the raw columns (and, WITH_IDS,
    the record's and its last submission's ids). PostgreSQL only, NUMBERED: the records of
    the people in that table (patient number, pseudonym), the number as `patient_key`."""
    schema = {**RAW_SCHEMA, **(ID_SCHEMA if with_ids else {})}
    if numbered:
        schema["patient_key"] = pl.Int64
    if connection.vendor == "postgresql":
        sql = _postgres_sql(where, with_ids, numbered)
        buffer = io.BytesIO()
        with connection.cursor() as cursor:
            psycopg_cursor = cursor.cursor
            statement = psycopg_cursor.mogrify(sql, list(params)) if params else sql
            with psycopg_cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=schema)
    packed_schema: dict[str, Any] = {
        "patient_key": pl.Binary,
        **dict.fromkeys(("a", "b", "c", "d"), pl.Int64),
        **(ID_SCHEMA if with_ids else {}),
    }
    chunks: list[pl.DataFrame] = []
    with connection.cursor() as cursor:
        cursor.execute(_sqlite_sql(where, with_ids), list(params))
        while rows := cursor.fetchmany(250_000):
            chunks.append(pl.DataFrame(rows, schema=packed_schema, orient="row"))
    packed = pl.concat(chunks) if chunks else pl.DataFrame(schema=packed_schema)
    return _unpack_sqlite(packed)


def institution_types() -> pl.DataFrame:
    pairs = list(Institution.objects.values_list("id", "type"))
    return pl.DataFrame(
        {
            "institution": [pk for pk, _type in pairs],
            "institution_type": [INSTITUTION_TYPES.index(kind) for _pk, kind in pairs],
        },
        schema={"institution": pl.Int64, "institution_type": pl.Int32},
    )


def country_groups() -> pl.DataFrame:
    """nationality -> country_group, one row per membership (a country may be in several)."""
    pairs = list(
        CountryGroup.countries.through.objects.values_list("country_id", "countrygroup_id")
    )
    return pl.DataFrame(
        {"nationality": [c for c, _g in pairs], "country_group": [g for _c, g in pairs]},
        schema={"nationality": pl.Int32, "country_group": pl.Int32},
    )


def _patient_numbers(key: pl.Expr, dtype: Any) -> pl.Expr:
    if dtype.is_integer():
        return key.cast(pl.Int64)  # numbered already
    if dtype == pl.Binary:
        return key.rank("dense").cast(pl.Int64)
    return key.cast(pl.Categorical).to_physical().cast(pl.Int64)


def encode(
    raw: pl.DataFrame, types: pl.DataFrame | None = None, keep: Sequence[str] = ()
) -> pl.DataFrame:
    """Raw rows -> one integer column per dimension, the patient number and the measures
    (and the KEEP columns as they are)."""
    if types is None:
        types = institution_types()
    month = pl.col("visit_month")
    age = ((pl.col("year") - pl.col("birth_year")) // 10).clip(0, len(AGE_BANDS) - 1)
    patient = _patient_numbers(pl.col("patient_key"), raw.schema["patient_key"])
    return (
        raw.with_columns(patient.alias("patient"))
        .join(types, on="institution", how="left")
        .select(
            pl.col("patient"),
            # One number per (person, department).
            (pl.col("patient") * ID_BITS + pl.col("department")).alias("patient_department"),
            pl.col("year"),
            (pl.col("year") * 10 + (month + 2) // 3).alias("quarter"),
            (pl.col("year") * 100 + month).alias("month"),
            pl.col("district"),
            pl.col("institution"),
            pl.col("institution_type").fill_null(0),
            pl.col("nationality"),
            pl.col("department"),
            pl.col("sex"),
            age.alias("age_band"),
            pl.col("care").alias("care_type"),
            pl.col("direct").alias("channel"),  # CHANNELS: 0 facilitated, 1 direct
            pl.col("inpatient_days").cast(pl.Int64),
            pl.col("fees").cast(pl.Int64),
            *(pl.col(name) for name in keep),
        )
        .with_columns(pl.col(name).cast(pl.Int32) for name in DIMENSION_FRAME_COLUMNS)
    )


def episodes(where: str = "", params: Sequence[Any] = ()) -> pl.DataFrame:
    return encode(read_raw(where, params))


def measures_by(
    frame: pl.DataFrame, dims: Iterable[str], groups: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Exact measures per cell of DIMS: distinct counts over the frame, never sums of counts."""
    dims = list(dims)
    if "country_group" in dims:
        frame = frame.join(
            groups if groups is not None else country_groups(), on="nationality", how="inner"
        )
    aggregations = [
        pl.col("patient").n_unique().alias("patients"),
        pl.col("patient_department").n_unique().alias("department_patients"),
        pl.len().alias("episodes"),
        pl.col("inpatient_days").sum().alias("inpatient_days"),
        pl.col("fees").sum().alias("fees"),
    ]
    if not dims:
        if frame.is_empty():
            return pl.DataFrame(schema=dict.fromkeys(MEASURE_COLUMNS, pl.Int64))
        return frame.select(aggregations).with_columns(pl.all().cast(pl.Int64))
    return (
        frame.group_by(dims)
        .agg(aggregations)
        .with_columns(pl.col(name).cast(pl.Int64) for name in MEASURE_COLUMNS)
    )
