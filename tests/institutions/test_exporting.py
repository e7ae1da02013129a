"""Export writes what import reads: a round trip changes nothing, and no cell runs as a formula."""
# ruff: noqa: RUF001  (Cyrillic test data)

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from medtour.institutions.columns import COLUMNS
from medtour.institutions.exporting import export_text
from medtour.institutions.models import Institution
from medtour.reference.models import Department, Language
from tests.factories import InstitutionFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_registry(db: None) -> list[Institution]:
    """Institutions that exercise every column and the awkward characters."""
    full = InstitutionFactory(
        code="full-record",
        names={
            "ko": '하늘, "구름" 의원',
            "en": "Sky; Cloud Clinic",
            "zh-hans": "天空诊所",
            "ja": "そらクリニック",
            "ru": "Клиника «Небо»",
            "kk": "«Аспан» клиникасы",
        },
        address={"ko": "서울특별시 강남구 테헤란로 1", "en": "1 Teheran-ro"},
        latitude=Decimal("37.5"),
        longitude=Decimal("127.041234"),
        accreditations=["KAHF", "JCI"],
        phone="+82 2-0123-4567",
        email="info@full.example",
        website="https://full.example",
        profile={"en": "Line one\nline two, with a comma", "ru": "Первая строка\r\nвторая"},
        registered_from=datetime.date(2021, 2, 28),
        registered_until=None,
        is_synthetic=True,
    )
    full.departments.set(Department.objects.filter(code__in=["dermatology", "plastic_surgery"]))
    full.languages.set(Language.objects.filter(code__in=["en", "zh", "ru"]))
    formula = InstitutionFactory(
        code="formula-names",
        names={"ko": "=1+2", "en": "@SUM(A1)", "ja": "-minus", "zh-hans": "+plus", "ru": "'quoted"},
        district=district("11440"),
        phone="-",
        registration_status="suspended",
        is_active=False,
    )
    plain = InstitutionFactory(
        code="plain", registration_number=None, registration_status="expired"
    )
    return [full, formula, plain]


def _rows(text: str) -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in csv.DictReader(io.StringIO(text))}


def test_csv_has_the_documented_columns_in_order(varied_registry: Any) -> None:
    header = export_text(Institution.objects.all(), "csv").splitlines()[0]

    assert header.split(",") == list(COLUMNS)
    assert header.startswith("code,name_ko,name_en,name_zh_hans,name_ja,name_ru,name_kk,type,")


def test_csv_cells_hold_codes_and_joined_lists(varied_registry: Any) -> None:
    row = _rows(export_text(Institution.objects.all(), "csv"))["full-record"]

    assert row["district"] == "11680"
    assert row["departments"] == "dermatology|plastic_surgery"
    assert row["languages"] == "en|ru|zh"
    assert row["accreditations"] == "KAHF|JCI"
    assert row["latitude"] == "37.500000"
    assert row["registered_from"] == "2021-02-28"
    assert row["registered_until"] == ""
    assert row["is_synthetic"] == "true"
    assert row["profile_en"] == "Line one\nline two, with a comma"


def test_csv_neutralises_formula_injection(varied_registry: Any) -> None:
    row = _rows(export_text(Institution.objects.all(), "csv"))["formula-names"]

    assert row["name_ko"] == "'=1+2"
    assert row["name_en"] == "'@SUM(A1)"
    assert row["name_ja"] == "'-minus"
    assert row["name_zh_hans"] == "'+plus"
    assert row["name_ru"] == "''quoted"
    assert row["phone"] == "'-"
    full = _rows(export_text(Institution.objects.all(), "csv"))["full-record"]
    assert full["phone"] == "'+82 2-0123-4567"


def test_json_export_has_typed_values(varied_registry: Any) -> None:
    records = {
        record["code"]: record
        for record in json.loads(export_text(Institution.objects.all(), "json"))
    }

    assert records["full-record"]["departments"] == ["dermatology", "plastic_surgery"]
    assert records["full-record"]["latitude"] == 37.5
    assert records["full-record"]["registered_until"] is None
    assert records["formula-names"]["is_active"] is False
    assert (
        records["formula-names"]["name_ko"] == "=1+2"
    )  # JSON is not opened by spreadsheets: no escaping


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_round_trip_export_import_export_changes_nothing(
    varied_registry: Any, tmp_path: Path, file_format: str
) -> None:
    first = tmp_path / f"first.{file_format}"
    second = tmp_path / f"second.{file_format}"
    with translation.override("en"):
        call_command(
            "export_institutions", format=file_format, output=str(first), stderr=io.StringIO()
        )
        Institution.objects.all().delete()

        call_command("import_institutions", str(first), commit=True, stdout=io.StringIO())
        call_command(
            "export_institutions", format=file_format, output=str(second), stderr=io.StringIO()
        )

    assert Institution.objects.count() == 3
    assert second.read_bytes() == first.read_bytes()
    restored = Institution.objects.get(code="formula-names")
    assert restored.names["ko"] == "=1+2"
    assert restored.names["ru"] == "'quoted"
    assert restored.is_active is False


def test_importing_an_export_onto_the_same_registry_changes_nothing(
    varied_registry: Any, tmp_path: Path
) -> None:
    exported = tmp_path / "registry.csv"
    call_command("export_institutions", output=str(exported), stderr=io.StringIO())
    out = io.StringIO()

    with translation.override("en"):
        call_command("import_institutions", str(exported), commit=True, stdout=out)

    assert out.getvalue().strip() == "Saved: 0 new, 0 changed, 3 unchanged."


def test_export_file_starts_with_a_byte_order_mark_for_excel(
    varied_registry: Any, tmp_path: Path
) -> None:
    exported = tmp_path / "registry.csv"

    call_command("export_institutions", output=str(exported), stderr=io.StringIO())

    assert exported.read_bytes().startswith(b"\xef\xbb\xbfcode,name_ko")


def test_export_to_standard_output(varied_registry: Any) -> None:
    out = io.StringIO()

    call_command("export_institutions", "--format", "json", stdout=out)

    assert [record["code"] for record in json.loads(out.getvalue())] == [
        "formula-names",
        "full-record",
        "plain",
    ]
