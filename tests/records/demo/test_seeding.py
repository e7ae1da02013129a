"""The 2016 demo: the published totals exactly, several districts per patient, idempotent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db.models import Count

from medtour.records.models import PatientRecord, Submission
from medtour.reference.city import current_city
from medtour.reference.models import Country, Department, District
from tests.records.demo.conftest import SeededDemo

pytestmark = pytest.mark.django_db
YEAR = 2016
CITY_FIGURE_2016 = 216646  # the city's own figure; the yearbook's 216,657 is the other row


def published_totals(year: int) -> list[dict[str, str]]:
    path = current_city().file("statistics")
    assert path is not None
    with Path(path).open(encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if int(row["year"]) == year
            and row["dimension"] == "total"
            and row["unit"] == "patients"
            and row["quality"] == "exact"
            and row["scope"] in ("seoul", "district")
            and row["category"].startswith("foreign patients")
        ]


def unique_patients(**filters: object) -> int:
    return PatientRecord.objects.filter(year=YEAR, **filters).values("pseudonym").distinct().count()


def district_by_name() -> dict[str, District]:
    return {district.names["en"]: district for district in District.objects.all()}


def test_every_exact_seoul_and_district_total_of_2016_is_reproduced(
    seeded_2016: SeededDemo,
) -> None:
    rows = published_totals(YEAR)
    districts = district_by_name()
    seoul_rows = [row for row in rows if row["scope"] == "seoul"]
    district_rows = [row for row in rows if row["scope"] == "district"]

    assert sorted(int(row["value"]) for row in seoul_rows) == [CITY_FIGURE_2016, 216657]
    assert unique_patients() == CITY_FIGURE_2016
    assert len(district_rows) == 4
    for row in district_rows:
        seeded = unique_patients(district=districts[row["region"]])
        assert seeded == int(row["value"]), row["region"]


def test_district_counts_add_up_to_seoul_plus_the_second_districts(
    seeded_2016: SeededDemo,
) -> None:
    per_district = (
        PatientRecord.objects.filter(year=YEAR)
        .values("district")
        .annotate(patients=Count("pseudonym", distinct=True))
    )
    memberships = sum(row["patients"] for row in per_district)
    multi_district = (
        PatientRecord.objects.filter(year=YEAR)
        .values("pseudonym")
        .annotate(districts=Count("district", distinct=True))
        .filter(districts__gt=1)
    )

    assert len(per_district) == 25
    assert multi_district.count() == memberships - CITY_FIGURE_2016
    assert 0.01 * CITY_FIGURE_2016 < multi_district.count() < 0.06 * CITY_FIGURE_2016


def test_some_patients_see_two_departments(seeded_2016: SeededDemo) -> None:
    episodes = PatientRecord.objects.filter(year=YEAR).count()

    assert 1.1 * CITY_FIGURE_2016 < episodes < 1.3 * CITY_FIGURE_2016


def test_running_again_with_the_same_arguments_adds_nothing(
    seeded_2016: SeededDemo,
) -> None:
    records = PatientRecord.objects.count()
    submissions = Submission.objects.count()

    output = seeded_2016("--years", "2016")

    assert PatientRecord.objects.count() == records
    assert Submission.objects.count() == submissions
    assert "1 year(s) were there already" in output


def test_another_seed_is_refused_unless_replacing(seeded_2016: SeededDemo) -> None:
    records = PatientRecord.objects.count()

    with pytest.raises(CommandError, match="another seed or scale"):
        seeded_2016("--years", "2016", "--seed", "7")

    assert PatientRecord.objects.count() == records


def test_records_come_in_locked_demo_submissions_of_synthetic_institutions(
    seeded_2016: SeededDemo,
) -> None:
    submissions = Submission.objects.filter(period__year=YEAR)

    assert set(submissions.values_list("source_format", "status")) == {("demo", "locked")}
    assert not submissions.filter(institution__is_synthetic=False).exists()
    assert sum(submissions.values_list("row_count", flat=True)) == PatientRecord.objects.count()


def share(count: int, total: int) -> float:
    return 100.0 * count / total


def test_gangnam_nationalities_follow_its_published_2016_shares(
    seeded_2016: SeededDemo,
) -> None:
    gangnam = district_by_name()["Gangnam-gu"]
    total = unique_patients(district=gangnam)
    published = {"CN": 42.1, "US": 13.7, "JP": 6.6}

    for code, percent in published.items():
        country = Country.objects.get(alpha2=code)
        seeded = share(unique_patients(district=gangnam, nationality=country), total)
        assert seeded == pytest.approx(percent, abs=1.0), code


def test_national_mixes_follow_the_published_shares(seeded_2016: SeededDemo) -> None:
    gangnam = district_by_name()["Gangnam-gu"]
    outside = PatientRecord.objects.filter(year=YEAR).exclude(district=gangnam)
    patients = outside.values("pseudonym").distinct().count()
    china = Country.objects.get(alpha2="CN")
    chinese = outside.filter(nationality=china).values("pseudonym").distinct().count()
    women = PatientRecord.objects.filter(year=YEAR, sex="F").values("pseudonym").distinct()
    checkups = PatientRecord.objects.filter(
        year=YEAR, department=Department.objects.get(code="health_checkup")
    )

    assert share(chinese, patients) == pytest.approx(35.0, abs=1.5)
    # 2016 published no split by sex: the nearest year's (2017: 62.9% women) is used.
    assert share(women.count(), CITY_FIGURE_2016) == pytest.approx(62.9, abs=1.0)
    assert set(checkups.values_list("care_type", flat=True)) == {"checkup"}


def test_records_are_plausible(seeded_2016: SeededDemo) -> None:
    records = PatientRecord.objects.filter(year=YEAR)

    assert not records.exclude(first_visit__year=YEAR).exists()
    assert not records.exclude(last_visit__year=YEAR).exists()
    assert not records.filter(inpatient_days__isnull=False).exclude(care_type="inpatient").exists()
    assert not records.filter(birth_year__gt=YEAR).exists()
    assert not records.filter(fees_krw__lt=0).exists()
    assert records.filter(facilitator__isnull=False).exists()


def test_the_metadata_says_which_figures_are_published_and_which_estimated(
    seeded_2016: SeededDemo,
) -> None:
    document = json.loads(seeded_2016.metadata_path.read_text(encoding="utf-8"))
    year = document["years"][str(YEAR)]
    districts = year["districts"]

    assert document["synthetic"] is True
    assert year["seoul"]["patients"] == CITY_FIGURE_2016
    assert {code for code, entry in districts.items() if entry["published"]} == {
        "11680",
        "11650",
        "11410",
        "11260",
    }
    assert districts["11440"]["estimated_from"]
    assert year["nationality"]["11680"]["published"]["CN"] == "Gangnam-gu 2016 exact"
    assert "estimated" in year["sex"] and year["sex"]["borrowed_from_year"] == 2017
