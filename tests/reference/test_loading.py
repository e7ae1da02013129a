"""load_reference: idempotent, atomic, fast, and refusing what it cannot load."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from medtour.accounts.models import Role
from medtour.reference import loading
from medtour.reference.city import current_city, find_city_dir
from medtour.reference.errors import CityNotFound, ReferenceFileError
from medtour.reference.loading import load_reference
from medtour.reference.models import Country, CountryAlias, Department, District, Language
from tests.factories import UserFactory
from tests.reference.conftest import SEOUL, TESTVILLE

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "districts": list(District.objects.values_list("code", "names", "population", "area_km2")),
        "departments": list(Department.objects.values_list("code", "names", "aliases")),
        "countries": Country.objects.count(),
        "aliases": CountryAlias.objects.count(),
        "languages": list(Language.objects.values_list("code", "names")),
    }


def test_a_second_load_changes_nothing_and_says_so() -> None:
    before = _snapshot()
    summary = load_reference()
    assert not summary.changed
    assert all(count.changed == 0 for count in summary.counts.values())
    assert summary.counts["districts"].unchanged == 25
    assert _snapshot() == before
    with translation.override("en"):
        assert "nothing changed" in str(summary)


def test_load_is_fast() -> None:
    summary = load_reference()
    assert summary.seconds < 10


def test_command_prints_a_short_summary() -> None:
    out = StringIO()
    with translation.override("en"):
        call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "seoul" in text and "already up to date" in text
    assert len(text.splitlines()) < 12


def test_command_is_quiet_at_verbosity_0() -> None:
    out = StringIO()
    call_command("load_reference", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_command_reports_a_bad_file_as_a_command_error(testville: Path) -> None:
    (testville / "wards.csv").write_text("code,name_ko\n99010,\n", encoding="utf-8")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"wards\.csv, row 2, column name_ko"),
    ):
        call_command("load_reference", city=str(testville), verbosity=0)


def test_command_reports_an_unknown_city() -> None:
    with pytest.raises(CommandError, match="atlantis"):
        call_command("load_reference", city="atlantis", verbosity=0)


def test_a_change_in_the_files_is_applied_and_reported(seoul_copy: Path) -> None:
    path = seoul_copy / "districts.csv"
    text = path.read_text(encoding="utf-8").replace(",165344,", ",165345,")
    path.write_text(text, encoding="utf-8")
    summary = load_reference(seoul_copy)
    assert summary.changed
    assert summary.counts["districts"].updated == 1
    assert District.objects.get(code="11110").population == 165345
    assert not load_reference(seoul_copy).changed


def test_a_failure_while_writing_leaves_the_database_as_it_was(
    seoul_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Districts are written first; a failure in a later table rolls them back too."""
    before = _snapshot()
    districts = seoul_copy / "districts.csv"
    districts.write_text(
        districts.read_text(encoding="utf-8").replace(",23.91,", ",23.90,"), encoding="utf-8"
    )

    def fail(*args: object) -> None:
        assert District.objects.get(code="11110").area_km2 == Decimal("23.90")  # written
        raise ReferenceFileError(seoul_copy / "languages.csv", "simulated failure")

    monkeypatch.setattr(loading, "_load_languages", fail)
    with pytest.raises(ReferenceFileError, match="simulated failure"):
        load_reference(seoul_copy)
    assert _snapshot() == before
    assert District.objects.get(code="11110").area_km2 == Decimal("23.91")


def test_rows_no_longer_in_the_files_are_removed(testville: Path) -> None:
    load_reference(testville)
    assert District.objects.count() == 3
    lines = (testville / "clinics.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (testville / "clinics.csv").write_text("".join(lines[:2]), encoding="utf-8")
    summary = load_reference(testville)
    assert summary.counts["departments"].deleted == 1
    assert list(Department.objects.values_list("code", flat=True)) == ["test_general"]


def test_a_district_still_in_use_is_not_removed(testville: Path) -> None:
    UserFactory(role=Role.DISTRICT_OFFICER, district=District.objects.get(code="11680"))
    with pytest.raises(ReferenceFileError) as caught:
        load_reference(testville)
    assert caught.value.file_name == "wards.csv"
    assert "11680" in str(caught.value)
    assert District.objects.filter(city="seoul").count() == 25


def test_city_setting_selects_the_folder() -> None:
    assert find_city_dir() == SEOUL.resolve()
    assert find_city_dir("seoul") == SEOUL.resolve()
    with override_settings(CITY=str(TESTVILLE)):
        assert current_city().code == "testville"
    with override_settings(CITY_DATA_DIRS=[TESTVILLE.parent, SEOUL.parent], CITY="testville"):
        assert find_city_dir() == TESTVILLE.resolve()
        assert current_city().names["en"] == "Testville"
    with override_settings(CITY="atlantis"), pytest.raises(CityNotFound) as caught:
        find_city_dir()
    assert "seoul" in caught.value.available


def test_published_statistics_are_copied_whole() -> None:
    with (SEOUL / "published_statistics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 709
    assert rows[0]["value"] == "60201"
    seoul_2016 = {r["value"] for r in rows if r["scope"] == "seoul" and r["year"] == "2016"}
    assert {"216646", "216657"} <= seoul_2016


def test_city_manifest_names_its_files() -> None:
    manifest = json.loads((SEOUL / "city.json").read_text(encoding="utf-8"))
    for name in manifest["files"].values():
        assert (SEOUL / name).is_file()
    assert set(manifest["names"]) == {"ko", "en", "zh-hans", "ja", "ru", "kk"}
