"""A small registry: registered institutions in two districts, and some that are not public."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from medtour.institutions.models import InstitutionType, RegistrationStatus
from medtour.reference.models import Department, Language
from tests.conftest import MAPO
from tests.factories import InstitutionFactory, district

JONGNO = "11110"


def language(code: str) -> Language:
    return Language.objects.get(code=code)


@pytest.fixture
def registry(db: None) -> dict[str, Any]:
    """Three registered institutions in Gangnam, one in Mapo; one expired, one inactive."""
    departments = list(Department.objects.order_by("sort_order")[:2])
    made = {
        "gangnam_a": InstitutionFactory(
            code="gangnam-a",
            names={"ko": "가나다의원", "en": "Ganada Clinic", "ru": "Клиника Ганада"},
            type=InstitutionType.CLINIC,
            accreditations=["KAHF"],
            phone="02-555-0100",
            profile={"en": "Skin care.\nOpen on Saturdays.", "ko": "피부 진료"},
        ),
        "gangnam_b": InstitutionFactory(
            code="gangnam-b",
            names={"ko": "라마바병원"},
            type=InstitutionType.HOSPITAL,
            is_synthetic=True,
            registered_until=datetime.date(2030, 12, 31),
        ),
        "gangnam_c": InstitutionFactory(
            code="gangnam-c",
            names={"ko": "사아자치과", "en": "Saaja Dental"},
            type=InstitutionType.DENTAL,
        ),
        "mapo_a": InstitutionFactory(
            code="mapo-a",
            names={"ko": "마포한의원", "en": "Mapo Korean Medicine"},
            type=InstitutionType.KOREAN_MEDICINE,
            district=district(MAPO),
        ),
        "expired": InstitutionFactory(
            code="jongno-expired",
            names={"ko": "만료의원", "en": "Expired Clinic"},
            district=district(JONGNO),
            registration_status=RegistrationStatus.EXPIRED,
        ),
        "inactive": InstitutionFactory(
            code="gangnam-inactive",
            names={"ko": "폐업의원", "en": "Closed Clinic"},
            is_active=False,
        ),
    }
    made["gangnam_a"].departments.set(departments[:1])
    made["gangnam_a"].languages.set([language("en"), language("ru")])
    made["gangnam_c"].departments.set(departments[1:2])
    made["mapo_a"].departments.set(departments[:1])
    made["mapo_a"].languages.set([language("zh")])
    made["gangnam_b"].languages.set([language("zh")])
    made["departments"] = departments
    return made
