"""The demo registry: calibrated spread, obviously fictional, deterministic, idempotent, quick."""

from __future__ import annotations

import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from medtour.institutions.demo import calibration as cal
from medtour.institutions.demo.generator import Reference, plan_institutions
from medtour.institutions.demo.geometry import contains
from medtour.institutions.exporting import export_text
from medtour.institutions.models import Facilitator, Institution
from medtour.reference.models import District

pytestmark = pytest.mark.django_db
DEMO = "--i-know-this-is-a-demo"


def seed(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo_registry", DEMO, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: None) -> float:
    started = time.monotonic()
    seed()
    return time.monotonic() - started


def test_about_two_thousand_institutions_1994_of_them_registered(seeded: float) -> None:
    statuses = Counter(Institution.objects.values_list("registration_status", flat=True))

    assert statuses["registered"] == 1994
    assert 2000 <= sum(statuses.values()) <= 2300
    assert statuses["expired"] > statuses["cancelled"] > statuses["suspended"] > 0
    assert Facilitator.objects.count() == cal.FACILITATORS
    assert seeded < 30  # a few seconds in practice; generous for slow CI machines


def test_every_demo_record_is_synthetic_and_obviously_fictional(seeded: float) -> None:
    assert not Institution.objects.filter(is_synthetic=False).exists()
    assert not Facilitator.objects.filter(is_synthetic=False).exists()
    for institution in Institution.objects.all()[:300]:
        assert institution.names["ko"].startswith("(Demo) 가상 ")
        assert institution.names["en"].startswith("(Demo) Fictional ")
        assert set(institution.names) == {"ko", "en", "zh-hans", "ja", "ru", "kk"}
        assert institution.email.endswith(".example")


def test_spread_over_districts_follows_the_published_figures(seeded: float) -> None:
    registered = dict(
        Institution.objects.filter(registration_status="registered")
        .values_list("district__code")
        .annotate(count=Count("pk"))
    )

    assert len(registered) == 25
    assert registered == cal.registered_by_district()
    ranking = sorted(registered, key=lambda code: -registered[code])
    assert ranking[:4] == ["11680", "11650", "11140", "11440"]  # Gangnam, Seocho, Jung, Mapo


def test_gangnam_holds_most_plastic_surgery_clinics_as_published(seeded: float) -> None:
    clinics = Institution.objects.filter(
        registration_status="registered", search_text__contains="plastic surgery clinic"
    )
    by_district = Counter(clinics.values_list("district__code", flat=True))
    total = sum(by_district.values())

    # Published 2020: Gangnam-gu 400 of Seoul's 538 (74.3 %), Seocho-gu 76 (14.1 %).
    assert 0.70 <= by_district["11680"] / total <= 0.78
    assert 0.11 <= by_district["11650"] / total <= 0.17
    dermatology = Counter(
        Institution.objects.filter(
            registration_status="registered", search_text__contains="dermatology clinic"
        ).values_list("district__code", flat=True)
    )
    # Published 2020: Gangnam-gu 152 of Seoul's 512 dermatology clinics (29.6 %).
    assert 0.25 <= dermatology["11680"] / sum(dermatology.values()) <= 0.34


def test_coordinates_lie_inside_the_institutions_district(seeded: float) -> None:
    boundaries = dict(District.objects.values_list("code", "boundary"))

    for institution in Institution.objects.select_related("district")[::40]:
        assert institution.latitude is not None
        assert contains(
            boundaries[institution.district.code],
            float(institution.longitude),
            float(institution.latitude),
        )
        assert institution.address["ko"].startswith(
            "서울특별시 " + institution.district.names["ko"]
        )


def test_registered_records_are_valid_at_the_reference_date(seeded: float) -> None:
    for institution in Institution.objects.filter(registration_status="registered")[::25]:
        assert institution.registration_valid_on(cal.AS_OF)
    for institution in Institution.objects.filter(registration_status="expired"):
        assert institution.registered_until < cal.AS_OF


def test_a_second_run_changes_nothing(seeded: float) -> None:
    before = export_text(Institution.objects.all(), "csv")

    output = seed()

    assert "0 institutions and 0 facilitators created" in output
    assert export_text(Institution.objects.all(), "csv") == before


def test_a_second_run_keeps_demo_records_someone_edited(seeded: float) -> None:
    Institution.objects.filter(code="demo-00001").update(phone="02-0000-0000")

    seed()

    assert Institution.objects.get(code="demo-00001").phone == "02-0000-0000"


def test_the_same_seed_gives_the_same_registry(db: None) -> None:
    reference = Reference.load()

    first = plan_institutions(reference, seed=5)
    again = plan_institutions(reference, seed=5)
    other = plan_institutions(reference, seed=6)

    assert [p.record.names for p in first] == [p.record.names for p in again]
    assert [p.record.latitude for p in first] == [p.record.latitude for p in again]
    assert [p.departments for p in first] == [p.departments for p in again]
    assert [p.record.names for p in first] != [p.record.names for p in other]


def test_refuses_to_run_on_a_production_server_unless_confirmed(db: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo_registry", stdout=io.StringIO())
    assert not Institution.objects.exists()


def test_demo_names_are_unique(seeded: float) -> None:
    names = Counter(institution.names["en"] for institution in Institution.objects.all())

    assert names.most_common(1)[0][1] == 1
