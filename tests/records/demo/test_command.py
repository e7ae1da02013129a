"""The command's arguments and refusals."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from medtour.records.management.commands.seed_demo import parse_years
from medtour.records.models import PatientRecord, Submission
from tests.demo_seeding import run_seed_demo
from tests.factories import InstitutionFactory


def test_years_are_read_as_years_ranges_and_lists() -> None:
    assert parse_years("2016") == [2016]
    assert parse_years("2014-2016") == [2014, 2015, 2016]
    assert parse_years("2014, 2020-2021") == [2014, 2020, 2021]


@pytest.mark.parametrize("text", ["sixteen", "2016-2014", "16"])
def test_unreadable_years_are_refused(text: str) -> None:
    with pytest.raises(CommandError, match="--years"):
        parse_years(text)


@pytest.mark.django_db
def test_a_year_without_a_published_seoul_total_is_refused() -> None:
    with pytest.raises(CommandError, match="No Seoul total was published for 2013"):
        run_seed_demo("--years", "2013")


@pytest.mark.django_db
def test_without_the_demo_registry_nothing_is_written() -> None:
    with pytest.raises(CommandError, match="seed_demo_registry"):
        run_seed_demo("--years", "2016")

    assert not PatientRecord.objects.exists()


@pytest.mark.django_db
def test_scale_must_be_positive() -> None:
    with pytest.raises(CommandError, match="--scale"):
        run_seed_demo("--years", "2016", "--scale", "0")


@pytest.mark.django_db
def test_a_district_without_demo_institutions_is_named_and_nothing_is_written() -> None:
    InstitutionFactory(is_synthetic=True)  # Gangnam only

    with pytest.raises(CommandError, match="has no demo institution"):
        run_seed_demo("--years", "2016", "--scale", "0.01")

    assert not PatientRecord.objects.exists()
    assert not Submission.objects.exists()
