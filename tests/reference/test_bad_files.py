# ruff: noqa: RUF001  (Cyrillic and CJK test data look like Latin letters to ruff)
"""Malformed reference files are refused with file, row, column and reason; nothing is saved."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtour.reference.city import read_city
from medtour.reference.errors import ReferenceFileError
from medtour.reference.files import check_geometry, read_city_files, read_csv
from medtour.reference.loading import load_reference
from medtour.reference.models import Department, District
from medtour.reference.world import read_countries, read_country_groups
from tests.reference.conftest import TESTVILLE


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _geojson(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / "wards.geojson"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return apply


def _set_code(data: dict) -> None:
    data["features"][2]["properties"]["code"] = "99040"


def _open_ring(data: dict) -> None:
    data["features"][1]["geometry"]["coordinates"][0][-1] = [100.0, 10.5]


def _point(data: dict) -> None:
    data["features"][0]["geometry"] = {"type": "Point", "coordinates": [100.0, 10.0]}


def _short_ring(data: dict) -> None:
    data["features"][0]["geometry"]["coordinates"][0] = [
        [100.0, 10.0],
        [100.1, 10.0],
        [100.0, 10.0],
    ]


def _nan(data: dict) -> None:
    data["features"][0]["geometry"]["coordinates"][0][1] = ["x", 10.0]


def _swap(data: dict) -> None:
    a, b = data["features"][0], data["features"][1]
    a["geometry"], b["geometry"] = b["geometry"], a["geometry"]


def _drop_feature(data: dict) -> None:
    del data["features"][1]


def _duplicate_feature(data: dict) -> None:
    data["features"].append(data["features"][0])


CASES = [
    # (id, change, file, row, column, words in the reason)
    (
        "missing column",
        _replace("wards.csv", "code,name_ko,", "code,"),
        "wards.csv",
        1,
        "name_ko",
        "missing column",
    ),
    ("bad code", _replace("wards.csv", "99020,", "ABC,"), "wards.csv", 3, "code", "pattern"),
    (
        "duplicate code",
        _replace("wards.csv", "99020,", "99010,"),
        "wards.csv",
        3,
        "code",
        "duplicate",
    ),
    (
        "bad number",
        _replace("wards.csv", ",7.32,", ",seven,"),
        "wards.csv",
        2,
        "area_km2",
        "not a positive number",
    ),
    (
        "negative area",
        _replace("wards.csv", ",7.32,", ",-7.32,"),
        "wards.csv",
        2,
        "area_km2",
        "not a positive number",
    ),
    (
        "too precise",
        _replace("wards.csv", ",7.32,", ",7.321,"),
        "wards.csv",
        2,
        "area_km2",
        "decimal places",
    ),
    (
        "bad integer",
        _replace("wards.csv", ",12000,", ",12k,"),
        "wards.csv",
        2,
        "population",
        "whole number",
    ),
    (
        "negative integer",
        _replace("wards.csv", ",12000,", ",-12000,"),
        "wards.csv",
        2,
        "population",
        "out of range",
    ),
    (
        "bad year",
        _replace("wards.csv", ",300,2024", ",300,24"),
        "wards.csv",
        2,
        "year",
        "out of range",
    ),
    (
        "foreigners",
        _replace("wards.csv", ",12000,300,", ",12000,30000,"),
        "wards.csv",
        2,
        "registered_foreigners",
        "more",
    ),
    ("short row", _replace("wards.csv", ",5000,,2024", ",5000"), "wards.csv", 4, None, "fields"),
    (
        "empty name",
        _replace("wards.csv", ",Южный район,", ",,"),
        "wards.csv",
        3,
        "name_ru",
        "no ru name",
    ),
    (
        "geojson code not in csv",
        _geojson(_set_code),
        "wards.geojson",
        3,
        "code",
        "not in wards.csv",
    ),
    ("open ring", _geojson(_open_ring), "wards.geojson", 2, "geometry", "not closed"),
    ("point", _geojson(_point), "wards.geojson", 1, "geometry", "Polygon"),
    ("short ring", _geojson(_short_ring), "wards.geojson", 1, "geometry", "fewer than 4"),
    ("bad position", _geojson(_nan), "wards.geojson", 1, "geometry", "longitude"),
    ("wrong polygon", _geojson(_swap), "wards.geojson", 1, "geometry", "area"),
    ("missing boundary", _geojson(_drop_feature), "wards.csv", 3, "code", "no boundary"),
    ("duplicate feature", _geojson(_duplicate_feature), "wards.geojson", 4, "code", "duplicate"),
    (
        "not json",
        _replace("wards.geojson", '"FeatureCollection"', "FeatureCollection"),
        "wards.geojson",
        None,
        None,
        "JSON",
    ),
    (
        "department code",
        _replace("clinics.csv", "test_dental,", "Test Dental,"),
        "clinics.csv",
        3,
        "code",
        "lower-case",
    ),
    (
        "evidence",
        _replace("clinics.csv", ",confirmed", ",maybe"),
        "clinics.csv",
        2,
        "khidi_evidence",
        "maybe",
    ),
    (
        "hira codes",
        _replace("clinics.csv", ",49-61,", ",49~61,"),
        "clinics.csv",
        3,
        "hira_dept_codes",
        "49~61",
    ),
    (
        "alias of another",
        _replace("clinics.csv", "일반과|보통진료", "일반과|치과진료"),
        "clinics.csv",
        2,
        "aliases_ko",
        "test_dental",
    ),
    (
        "manifest file",
        _replace("city.json", '"clinics.csv"', '"nowhere.csv"'),
        "city.json",
        None,
        "files.departments",
        "does not exist",
    ),
    (
        "manifest code",
        _replace("city.json", '"code": "testville"', '"code": "Test Ville"'),
        "city.json",
        None,
        "code",
        "code",
    ),
    (
        "manifest json",
        _replace(
            "city.json",
            "{",
            "[",
        ),
        "city.json",
        None,
        None,
        "JSON",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "file", "row", "column", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_file_is_refused_and_nothing_is_saved(
    testville: Path,
    change: Callable[[Path], None],
    file: str,
    row: int | None,
    column: str | None,
    words: str,
) -> None:
    change(testville)
    districts_before = list(District.objects.values_list("code", flat=True))
    departments_before = list(Department.objects.values_list("code", flat=True))
    with pytest.raises(ReferenceFileError) as caught:
        load_reference(testville)
    error = caught.value
    assert (error.file_name, error.row, error.column) == (file, row, column)
    with translation.override("en"):
        message = str(error)
    assert words in message
    assert file in message
    if row is not None:
        assert f"row {row}" in message
    assert list(District.objects.values_list("code", flat=True)) == districts_before
    assert list(Department.objects.values_list("code", flat=True)) == departments_before


def test_names_additions_must_match_the_main_file(testville: Path) -> None:
    manifest = json.loads((testville / "city.json").read_text(encoding="utf-8"))
    manifest["files"]["district_names"] = "names.csv"
    (testville / "city.json").write_text(json.dumps(manifest), encoding="utf-8")
    names = testville / "names.csv"
    names.write_text("code,name_ko,name_ru\n99010,남구,Северный район\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_city_files(read_city(testville))
    assert (caught.value.file_name, caught.value.row, caught.value.column) == (
        "names.csv",
        2,
        "name_ko",
    )
    names.write_text("code,name_ru\n99010,Северный округ\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_city_files(read_city(testville))
    assert caught.value.column == "name_ru"
    names.write_text("code,name_ru\n99099,Нигде\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_city_files(read_city(testville))
    assert caught.value.column == "code"
    names.write_text("code,name_ko,name_ru\n99010,북구,Северный район\n", encoding="utf-8")
    assert read_city_files(read_city(testville)).districts["99010"].names["ru"] == "Северный район"


def test_a_curated_alias_naming_two_countries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,country,note\nAmerica,US,\nChina,TW,wrong\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_countries(path)
    assert (caught.value.file_name, caught.value.row, caught.value.column) == (
        "aliases.csv",
        3,
        "alias",
    )
    assert "CN" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        ("alias,country\nFoo,XX\n", 2, "country"),
        ("alias,country\nFoo,US\nfoo,US\n", 3, "alias"),
        ("alias\nFoo\n", 1, "country"),
        ("alias,country\n ,US\n", 2, "alias"),
    ],
)
def test_curated_alias_file_errors(tmp_path: Path, content: str, row: int, column: str) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_countries(path)
    assert (caught.value.row, caught.value.column) == (row, column)


def test_regions_must_cover_every_country_once(tmp_path: Path) -> None:
    countries = read_countries().countries
    header = "code,kind,name_ko,name_en,name_zh_hans,name_ja,name_ru,name_kk,countries\n"
    path = tmp_path / "groups.csv"
    path.write_text(
        header + "a,region,가,A,甲,甲,А,А,KZ UZ\nb,region,나,B,乙,乙,Б,Б,UZ\n", encoding="utf-8"
    )
    with pytest.raises(ReferenceFileError, match="UZ") as caught:
        read_country_groups(countries, path)
    assert (caught.value.row, caught.value.column) == (3, "countries")
    path.write_text(header + "a,region,가,A,甲,甲,А,А,KZ UZ\n", encoding="utf-8")
    with pytest.raises(ReferenceFileError) as caught:
        read_country_groups(countries, path)
    assert caught.value.row is None and "AF" in str(caught.value)


# Property-based: whatever is in a cell or a file, the reader either accepts it or refuses it
# with a ReferenceFileError; it never crashes or saves a half-read value.

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(area=cells, population=cells, year=cells)
def test_number_cells_are_parsed_or_refused(area: str, population: str, year: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        city_dir = Path(folder) / "city"
        shutil.copytree(TESTVILLE, city_dir)
        lines = (TESTVILLE / "wards.csv").read_text(encoding="utf-8").splitlines()
        cells = next(csv.reader([lines[1]]))
        cells[8], cells[9], cells[11] = area, population, year  # area_km2, population, year
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # quotes any \r or \n
        text = "\n".join([lines[0], buffer.getvalue().removesuffix("\r\n"), *lines[2:]]) + "\n"
        (city_dir / "wards.csv").write_text(text, encoding="utf-8")
        try:
            districts = read_city_files(read_city(city_dir)).districts
        except ReferenceFileError as error:
            # the row itself, or its polygon (feature 1) when the area no longer matches it
            assert (error.file_name, error.row) in (("wards.csv", 2), ("wards.geojson", 1))
            assert error.column in (
                "area_km2",
                "population",
                "registered_foreigners",  # 300 of them, more than a population under 300
                "year",
                "geometry",
            )
            return
    north = districts["99010"]
    if area.strip():
        assert north.area_km2 is not None and north.area_km2 > 0
    else:
        assert north.area_km2 is None
    if north.population is not None:
        assert north.population == int(population.strip())
    if north.population_year is not None:
        assert 1900 <= north.population_year <= 2100


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        path.write_bytes(content)
        try:
            rows = list(read_csv(path, ("code",)))
        except ReferenceFileError as error:
            assert error.file_name == "file.csv"
            return
        assert all("code" in row.cells for row in rows)


coordinates = st.floats(allow_nan=True, allow_infinity=True, width=64)
positions = st.lists(coordinates, min_size=1, max_size=3)


@given(st.lists(positions, max_size=6))
def test_geometry_check_never_crashes(ring: list[list[float]]) -> None:
    problem = check_geometry({"type": "Polygon", "coordinates": [ring]})
    if problem is None:
        assert len(ring) >= 4 and ring[0] == ring[-1]
