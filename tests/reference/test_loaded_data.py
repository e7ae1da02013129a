# ruff: noqa: RUF001  (Cyrillic and CJK test data look like Latin letters to ruff)
"""What the session-wide load of Seoul's reference data put in the database."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from decimal import Decimal

import pycountry
import pytest
from babel import Locale

from medtour.localization.text import LANGUAGE_CODES
from medtour.reference.city import current_city
from medtour.reference.files import geometry_area_km2
from medtour.reference.models import (
    Country,
    CountryAlias,
    CountryGroup,
    CountryGroupKind,
    Department,
    District,
    Language,
)
from tests.reference.conftest import SEOUL

DATA = SEOUL.parent.parent / "data"

pytestmark = pytest.mark.django_db

SIX = set(LANGUAGE_CODES)


def test_six_languages_are_the_sites() -> None:
    assert {"ko", "en", "zh-hans", "ja", "ru", "kk"} == SIX


def test_all_25_seoul_districts_with_six_names_area_population_and_polygon() -> None:
    districts = list(District.objects.all())
    assert len(districts) == 25
    for district in districts:
        assert district.city == "seoul"
        assert district.code.startswith("11") and len(district.code) == 5
        assert set(district.names) == SIX, district.code
        assert all(name.strip() for name in district.names.values())
        assert district.area_km2 is not None and district.area_km2 > 0
        assert district.population and district.population > 100_000
        assert district.registered_foreigners and district.registered_foreigners > 0
        assert district.population_year == 2014
        assert district.census_code
        assert district.boundary["type"] == "Polygon"
        assert len(district.boundary["coordinates"][0]) >= 4


def test_district_figures_match_the_copied_file() -> None:
    with (SEOUL / "districts.csv").open(encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    for district in District.objects.all():
        row = rows[district.code]
        assert district.names["ko"] == row["name_ko"]
        assert district.names["en"] == row["name_en"]
        assert district.census_code == row["code_kostat_2013"]
        assert district.area_km2 == Decimal(row["area_km2"])
        assert district.population == int(row["population"])
        assert district.registered_foreigners == int(row["registered_foreigners"])
    assert sum(d.population for d in District.objects.all()) == 10_369_593
    assert sum(d.registered_foreigners for d in District.objects.all()) == 266_360


def test_known_district_names() -> None:
    gangnam = District.objects.get(code="11680")
    assert gangnam.names == {
        "ko": "강남구",
        "en": "Gangnam-gu",
        "zh-hans": "江南区",
        "ja": "江南区",
        "ru": "Каннам-гу",
        "kk": "Каннам ауданы",
    }
    jongno = District.objects.get(code="11110")
    assert (jongno.names["zh-hans"], jongno.names["ja"]) == ("钟路区", "鍾路区")
    assert District.objects.get(code="11440").names["ru"] == "Мапхо-гу"


def test_district_name_conventions_are_consistent() -> None:
    for district in District.objects.all():
        names = district.names
        assert names["ko"].endswith("구")
        assert names["en"].endswith("-gu")
        assert names["zh-hans"].endswith("区") and "區" not in names["zh-hans"]
        assert names["ja"].endswith("区")
        assert names["ru"].endswith("-гу")
        # Kazakh: the Russian stem + " ауданы" (docs/reference-data.md)
        assert names["kk"] == names["ru"].removesuffix("-гу") + " ауданы"


def test_district_names_are_unique_in_each_language() -> None:
    for language in LANGUAGE_CODES:
        names = [d.names[language] for d in District.objects.all()]
        assert len(set(names)) == 25, language


def test_boundaries_match_official_areas() -> None:
    for district in District.objects.all():
        computed = geometry_area_km2(district.boundary)
        assert abs(computed - float(district.area_km2)) < 0.05 * float(district.area_km2)


def test_boundaries_are_the_copied_geojson() -> None:
    data = json.loads((SEOUL / "districts.geojson").read_text(encoding="utf-8"))
    by_code = {f["properties"]["code"]: f["geometry"] for f in data["features"]}
    for district in District.objects.all():
        assert district.boundary == by_code[district.code]


def test_every_department_has_six_names() -> None:
    departments = list(Department.objects.all())
    assert len(departments) == 30
    for department in departments:
        assert set(department.names) == SIX, department.code
    assert [d.code for d in departments][:3] == [
        "internal_medicine",
        "plastic_surgery",
        "dermatology",
    ]


def test_department_details() -> None:
    internal = Department.objects.get(code="internal_medicine")
    assert internal.names["ko"] == "내과통합"
    assert internal.names["kk"] == "терапия (ішкі аурулар)"
    assert "내과" in internal.aliases and "류마티스내과" in internal.aliases
    assert internal.hira_codes == "01"
    assert internal.confirmed_in_statistics
    assert Department.objects.get(code="korean_medicine").hira_codes == "80-88"
    assert not Department.objects.get(code="urology").confirmed_in_statistics
    assert not Department.objects.get(code="other").confirmed_in_statistics
    assert Department.objects.get(code="plastic_surgery").names["ja"] == "形成外科"
    assert Department.objects.get(code="orthopedics").names["ja"] == "整形外科"


def test_source_translations_are_kept_unchanged() -> None:
    with (SEOUL / "departments.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = Department.objects.get(code=row["code"]).names
            for column, language in (
                ("name_ko", "ko"),
                ("name_en", "en"),
                ("name_zh_hans", "zh-hans"),
                ("name_ja", "ja"),
                ("name_ru", "ru"),
            ):
                if row[column]:
                    assert names[language] == row[column]


def test_every_iso_country_with_six_cldr_names() -> None:
    assert Country.objects.count() == len(pycountry.countries) == 249
    locales = {"ko": "ko", "en": "en", "zh-hans": "zh_Hans", "ja": "ja", "ru": "ru", "kk": "kk"}
    territories = {code: Locale.parse(locale).territories for code, locale in locales.items()}
    for country in Country.objects.all():
        entry = pycountry.countries.get(alpha_2=country.alpha2)
        assert (country.alpha3, country.numeric) == (entry.alpha_3, entry.numeric)
        assert set(country.names) == SIX
        for code in LANGUAGE_CODES:
            assert country.names[code] == territories[code][country.alpha2]


def test_each_country_has_its_codes_as_aliases() -> None:
    china = Country.objects.get(alpha2="CN")
    aliases = set(china.aliases.values_list("alias", flat=True))
    assert {"CN", "CHN", "156", "China", "중국", "中国", "Китай", "Қытай"} <= aliases
    assert CountryAlias.objects.count() > 4000


def test_regions_partition_the_world() -> None:
    regions = CountryGroup.objects.filter(kind=CountryGroupKind.REGION)
    counts = Counter(
        c for region in regions for c in region.countries.values_list("alpha2", flat=True)
    )
    assert set(counts) == set(Country.objects.values_list("alpha2", flat=True))
    assert set(counts.values()) == {1}


def test_country_groups() -> None:
    central = CountryGroup.objects.get(code="central_asia")
    assert set(central.countries.values_list("alpha2", flat=True)) == {"KZ", "UZ", "KG", "TJ", "TM"}
    assert central.names["ru"] == "Центральная Азия"
    gcc = CountryGroup.objects.get(code="gcc")
    assert gcc.kind == CountryGroupKind.BLOC
    assert set(gcc.countries.values_list("alpha2", flat=True)) == {
        "AE",
        "BH",
        "KW",
        "OM",
        "QA",
        "SA",
    }
    assert Country.objects.get(alpha2="CN").groups.get(kind="region").code == "east_asia"
    assert Country.objects.get(alpha2="RU").groups.get().code == "russia_neighbours"
    for group in CountryGroup.objects.all():
        assert set(group.names) == SIX, group.code


def test_languages_with_cldr_names() -> None:
    codes = list(Language.objects.values_list("code", flat=True))
    assert codes[:7] == ["ko", "en", "zh", "yue", "ja", "ru", "kk"]  # the file's order
    assert {"ko", "en", "zh", "ja", "ru", "kk", "mn", "vi", "th", "ar", "uz", "ky", "id"} <= set(
        codes
    )
    kazakh = Language.objects.get(code="kk")
    assert kazakh.names == {
        "ko": "카자흐어",
        "en": "Kazakh",
        "zh-hans": "哈萨克语",
        "ja": "カザフ語",
        "ru": "Казахский",
        "kk": "Қазақ тілі",
    }
    assert kazakh.autonym == "Қазақ тілі"
    for language in Language.objects.all():
        assert set(language.names) == SIX, language.code


def test_current_city_manifest() -> None:
    city = current_city()
    assert city.code == "seoul"
    assert set(city.names) == SIX
    assert city.names["kk"] == "Сеул"
    statistics = city.file("statistics")
    assert statistics is not None and statistics.name == "published_statistics.csv"
    assert statistics.read_text(encoding="utf-8").count("\n") == 710


def test_every_curated_alias_resolves_to_its_country() -> None:
    from medtour.reference.resolvers import resolve_country

    with (DATA / "country_aliases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 100
    for row in rows:
        assert resolve_country(row["alias"]).alpha2 == row["country"], row["alias"]


def _checksums() -> dict[str, str]:
    """The SHA-256 table in SOURCES.md: file here -> checksum of the shared file it copies."""
    text = (SEOUL / "SOURCES.md").read_text(encoding="utf-8")
    found = re.findall(r"^\| `([^`]+)` \| `[^`]+` \| `([0-9a-f]{64})` \|$", text, re.MULTILINE)
    return dict(found)


def test_copied_files_are_unchanged() -> None:
    """The four files copied from the shared data still have the checksums recorded in
    SOURCES.md (identical to the shared files when copied): figures are never retyped."""
    checksums = _checksums()
    assert set(checksums) == {
        "districts.geojson",
        "districts.csv",
        "departments.csv",
        "published_statistics.csv",
    }
    for name, expected in checksums.items():
        assert hashlib.sha256((SEOUL / name).read_bytes()).hexdigest() == expected, name
