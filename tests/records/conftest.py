"""Records tests: a 2016 reporting period, files written the way clinics write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from medtour.records.columns import COLUMNS
from medtour.records.models import ReportingPeriod
from medtour.records.services import reporting_period_for

VALID_ROW: dict[str, str] = {
    "patient_id": "E12345678",
    "birth_year": "1980",
    "sex": "F",
    "nationality": "CN",
    "department": "피부과",
    "first_visit": "2016-03-01",
    "last_visit": "2016-03-04",
    "care_type": "outpatient",
    "inpatient_days": "",
    "fees_krw": "1250000",
    "facilitator": "",
    "diagnosis": "L70.0",
    "province": "Shandong",
}


def row(**changes: Any) -> dict[str, str]:
    """A valid row with some cells changed."""
    return {**VALID_ROW, **{name: str(value) for name, value in changes.items()}}


def rows(count: int, **changes: Any) -> list[dict[str, str]]:
    """COUNT valid rows for COUNT different patients."""
    return [row(patient_id=f"P{index:08d}", **changes) for index in range(count)]


def csv_bytes(
    records: Iterable[Mapping[str, str]],
    *,
    korean: bool = False,
    delimiter: str = ",",
    encoding: str = "utf-8",
    columns: Iterable[str] | None = None,
) -> bytes:
    names = list(columns or [column.name for column in COLUMNS])
    headers = {column.name: column.korean if korean else column.name for column in COLUMNS}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([headers.get(name, name) for name in names])
    for record in records:
        writer.writerow([record.get(name, "") for name in names])
    return buffer.getvalue().encode(encoding)


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path: Path) -> Any:
    """Staged rows and scratch files go to the test's own folder."""
    with override_settings(MEDTOUR_VAR_DIR=tmp_path, VAR_DIR=tmp_path / "var"):
        yield


@pytest.fixture
def period_2016(db: None) -> ReportingPeriod:
    return reporting_period_for("2016")


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """write_file(records, name="records.csv", **csv_options) -> path; or raw bytes."""

    def write(records: Any, name: str = "records.csv", **options: Any) -> Path:
        path = tmp_path / name
        path.write_bytes(records if isinstance(records, bytes) else csv_bytes(records, **options))
        return path

    return write
