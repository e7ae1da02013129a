"""The counting rules, on hand-built cases whose right answers are worked out by hand.

Districts do not add up to the city, months do not add up to the quarter, departments do not add
up to all departments: every table shows the real total (docs/statistics.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from medtour.stats.query import QueryError
from tests.factories import FacilitatorFactory
from tests.stats.builders import GANGNAM, SEOCHO, clinic, episode
from tests.stats.conftest import table, totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts() -> None:
    """Ann is treated in Gangnam and Seocho in 2016; Bo in Gangnam twice; Cy in Seocho in 2017."""
    gangnam, seocho = clinic(GANGNAM), clinic(SEOCHO)
    episode("ann", gangnam, month=1, fees=100)
    episode("ann", seocho, month=2, fees=200)
    episode("bo", gangnam, month=2, fees=300)
    episode("bo", gangnam, month=3, department="dermatology", fees=400)
    episode("cy", seocho, year=2017, month=5, fees=500)


def test_a_patient_in_two_districts_counts_once_in_each_and_once_in_the_city(
    two_districts: None, ask: Any
) -> None:
    result = ask(rows=("district",), cols=("year",))
    assert table(result) == {
        (GANGNAM, "2016"): 2,
        (GANGNAM, "2017"): None,
        (SEOCHO, "2016"): 1,
        (SEOCHO, "2017"): 1,
    }
    assert totals(result, "rows") == {GANGNAM: 2, SEOCHO: 2}
    assert totals(result, "cols") == {"2016": 2, "2017": 1}  # not 3: Ann counts once
    assert result.total == 3


def test_months_do_not_add_up_to_the_quarter_nor_quarters_to_the_year(
    two_districts: None, ask: Any
) -> None:
    months = ask(rows=("month",), filters=(("year", "2016"),))
    assert totals(months, "rows") == {"2016-01": 1, "2016-02": 2, "2016-03": 1}
    assert months.total == 2
    quarters = ask(rows=("quarter",))
    assert totals(quarters, "rows") == {"2016-Q1": 2, "2017-Q2": 1}
    assert quarters.total == 3


def test_departments_count_each_person_once_per_department(two_districts: None, ask: Any) -> None:
    patients = ask(rows=("department",))
    assert totals(patients, "rows") == {"internal_medicine": 3, "dermatology": 1}
    assert patients.total == 3
    per_department = ask(measure="department_patients")
    assert per_department.total == 4  # Bo counts in both of his departments


def test_additive_measures_sum_episodes(two_districts: None, ask: Any) -> None:
    fees = ask(rows=("district",), measure="fees")
    assert totals(fees, "rows") == {GANGNAM: 800, SEOCHO: 700}
    assert fees.total == 1500
    assert ask(measure="episodes").total == 5


def test_filters_narrow_every_figure(two_districts: None, ask: Any) -> None:
    result = ask(rows=("district",), filters=(("month", "2016-02"),))
    assert totals(result, "rows") == {GANGNAM: 1, SEOCHO: 1}
    assert result.total == 2


def test_a_country_in_two_groups_counts_in_each(ask: Any) -> None:
    gangnam = clinic(GANGNAM)
    episode("saud", gangnam, nationality="SA")
    episode("kazy", gangnam, nationality="KZ")
    result = ask(rows=("country_group",))
    rows = totals(result, "rows")
    assert rows["middle_east"] == 1 and rows["gcc"] == 1 and rows["central_asia"] == 1
    assert result.total == 2
    gcc = ask(rows=("nationality",), filters=(("country_group", "gcc"),))
    assert totals(gcc, "rows") == {"SA": 1}


def test_age_band_sex_care_type_channel_and_institution_type(ask: Any) -> None:
    gangnam = clinic(GANGNAM, type="hospital")
    agency = FacilitatorFactory()
    episode("old", gangnam, birth_year=1930, sex="M", care_type="inpatient", inpatient_days=4)
    episode("kid", gangnam, birth_year=2010, facilitator=agency)
    assert totals(ask(rows=("age_band",)), "rows") == {"0-9": 1, "70+": 1}
    assert totals(ask(rows=("sex",)), "rows") == {"M": 1, "F": 1}
    assert totals(ask(rows=("care_type",), measure="inpatient_days"), "rows") == {
        "outpatient": 0,
        "inpatient": 4,
    }
    assert totals(ask(rows=("channel",)), "rows") == {"facilitated": 1, "direct": 1}
    assert totals(ask(rows=("institution_type",)), "rows") == {"hospital": 2}


def test_bad_parts_of_a_query_are_named(ask: Any) -> None:
    with pytest.raises(QueryError, match="colour"):
        ask(rows=("colour",))
    with pytest.raises(QueryError, match="smiles"):
        ask(measure="smiles")
    with pytest.raises(QueryError, match="XX"):
        ask(filters=(("nationality", "XX"),))
