"""A second city loads from its own folder with no code change.

Testville (tests/data/cities/testville) is made up: three wards, two departments, its own file
and column names. It is loaded inside the test's transaction, which is rolled back, so Seoul's
session-wide reference data is back for the next test; the reference conftest clears the
resolver caches after each test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from medtour.reference.city import current_city
from medtour.reference.loading import load_reference
from medtour.reference.models import Country, Department, District
from medtour.reference.resolvers import UnknownValue, resolve_department, resolve_district
from tests.reference.conftest import TESTVILLE

pytestmark = pytest.mark.django_db


def test_testville_loads_from_its_own_files() -> None:
    summary = load_reference(TESTVILLE)
    assert summary.city == "testville"
    assert summary.counts["districts"].created == 3
    assert summary.counts["districts"].deleted == 25  # Seoul's, inside this test only

    wards = list(District.objects.all())
    assert [w.code for w in wards] == ["99010", "99020", "99030"]
    north = wards[0]
    assert north.city == "testville"
    assert north.names["en"] == "North Ward"
    assert north.names["kk"] == "Солтүстік ауданы"
    assert north.census_code == "1"
    assert north.area_km2 == Decimal("7.32")
    assert north.population == 12000
    assert north.population_year == 2024
    assert north.boundary["type"] == "Polygon"
    assert District.objects.get(code="99030").registered_foreigners is None

    assert list(Department.objects.values_list("code", flat=True)) == [
        "test_general",
        "test_dental",
    ]
    assert Country.objects.count() == 249  # the world does not change with the city

    assert resolve_district("South Ward").code == "99020"
    assert resolve_district("Южный район").code == "99020"
    assert resolve_department("보통진료").code == "test_general"
    with pytest.raises(UnknownValue):
        resolve_district("Gangnam-gu")

    assert not load_reference(TESTVILLE).changed


def test_seoul_is_back_after_the_rollback() -> None:
    assert District.objects.filter(city="seoul").count() == 25
    assert resolve_district("Gangnam-gu").code == "11680"


def test_city_setting_as_a_path(tmp_path: Path) -> None:
    with override_settings(CITY=str(TESTVILLE)):
        assert current_city().code == "testville"
        assert current_city().names["ja"] == "テスト市"
        assert current_city().extra["note"].startswith("A made-up city")
        load_reference()
    assert District.objects.filter(city="testville").count() == 3
