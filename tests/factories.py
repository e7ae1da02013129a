"""Factories for test data; personas in conftest.py are built from these."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from medtour.accounts.models import Role, User
from medtour.institutions.models import (
    Facilitator,
    Institution,
    InstitutionType,
    RegistrationStatus,
)
from medtour.reference.models import District


def district(code: str) -> District:
    return District.objects.get(code=code)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"test-inst-{n:05d}")
    names = factory.Sequence(lambda n: {"ko": f"시험의원 {n}", "en": f"Test Clinic {n}"})
    type = InstitutionType.CLINIC
    district = factory.LazyFunction(lambda: district("11680"))
    address = factory.LazyFunction(lambda: {"ko": "서울특별시 강남구 테헤란로 1"})
    registration_number = factory.Sequence(lambda n: f"TEST-{n:06d}")
    registration_status = RegistrationStatus.REGISTERED
    registered_from = datetime.date(2020, 1, 1)
    registered_until = datetime.date(2030, 12, 31)


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    code = factory.Sequence(lambda n: f"test-fac-{n:05d}")
    names = factory.Sequence(lambda n: {"ko": f"시험유치업체 {n}", "en": f"Test Agency {n}"})
    registration_number = factory.Sequence(lambda n: f"FAC-{n:06d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    role = Role.PATIENT
    password = factory.PostGeneration(
        lambda user, create, extracted, **kw: _set_password(user, create, extracted)
    )


def _set_password(user: User, create: bool, extracted: Any) -> None:
    user.set_password(extracted or "correct horse battery staple")
    if create:
        user.save(update_fields=["password"])
