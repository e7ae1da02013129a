"""Personas: one named user per role, built once per test from factories.

`officer_gangnam` and `officer_mapo` are district officers of two different districts;
`staff_gangnam` and `staff_mapo` work at two different institutions; `patient` and
`patient_other`, `interpreter` and `interpreter_other` are pairs too, so every test can check
that one scope never sees the other. `driver` drives the city's pick-up vehicles.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from medtour.accounts.models import Role, User
from tests.factories import InstitutionFactory, UserFactory, district

GANGNAM = "11680"
MAPO = "11440"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Tests render templates without running collectstatic (the e2e tests do run it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and used authenticator codes live in the cache; no test inherits them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Code called directly (services, commands) speaks English unless a test says otherwise.

    Requests still choose their language through the middleware, as in production.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production hashing is slow on purpose; tests sign in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _with_totp(user: User) -> User:
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def gangnam_clinic(db: None) -> Any:
    return InstitutionFactory(
        code="gangnam-clinic", names={"ko": "강남시험의원", "en": "Gangnam Test Clinic"}
    )


@pytest.fixture
def mapo_clinic(db: None) -> Any:
    return InstitutionFactory(
        code="mapo-clinic",
        names={"ko": "마포시험의원", "en": "Mapo Test Clinic"},
        district=district(MAPO),
    )


@pytest.fixture
def patient(db: None) -> User:
    return UserFactory(email="patient@example.test", role=Role.PATIENT)


@pytest.fixture
def patient_other(db: None) -> User:
    return UserFactory(email="patient.other@example.test", role=Role.PATIENT)


@pytest.fixture
def interpreter(db: None) -> User:
    return UserFactory(email="interpreter@example.test", role=Role.INTERPRETER)


@pytest.fixture
def interpreter_other(db: None) -> User:
    return UserFactory(email="interpreter.other@example.test", role=Role.INTERPRETER)


@pytest.fixture
def driver(db: None) -> User:
    return UserFactory(email="driver@example.test", role=Role.DRIVER)


@pytest.fixture
def staff_gangnam(gangnam_clinic: Any) -> User:
    return UserFactory(
        email="staff.gangnam@example.test", role=Role.INSTITUTION_STAFF, institution=gangnam_clinic
    )


@pytest.fixture
def staff_mapo(mapo_clinic: Any) -> User:
    return UserFactory(
        email="staff.mapo@example.test", role=Role.INSTITUTION_STAFF, institution=mapo_clinic
    )


@pytest.fixture
def officer_gangnam(db: None) -> User:
    return _with_totp(
        UserFactory(
            email="officer.gangnam@example.test",
            role=Role.DISTRICT_OFFICER,
            district=district(GANGNAM),
        )
    )


@pytest.fixture
def officer_mapo(db: None) -> User:
    return _with_totp(
        UserFactory(
            email="officer.mapo@example.test", role=Role.DISTRICT_OFFICER, district=district(MAPO)
        )
    )


@pytest.fixture
def analyst(db: None) -> User:
    return _with_totp(UserFactory(email="analyst@example.test", role=Role.CITY_ANALYST))


@pytest.fixture
def agent(db: None) -> User:
    return UserFactory(email="agent@example.test", role=Role.CALL_CENTER_AGENT)


@pytest.fixture
def coordinator(db: None) -> User:
    return UserFactory(email="coordinator@example.test", role=Role.SERVICE_COORDINATOR)


@pytest.fixture
def admin_user(db: None) -> User:
    return _with_totp(UserFactory(email="admin@example.test", role=Role.ADMINISTRATOR))


PERSONAS = (
    "anonymous",
    "patient",
    "patient_other",
    "interpreter",
    "interpreter_other",
    "driver",
    "staff_gangnam",
    "staff_mapo",
    "officer_gangnam",
    "officer_mapo",
    "analyst",
    "agent",
    "coordinator",
    "admin_user",
)


@pytest.fixture
def persona_client(request: pytest.FixtureRequest, client: Any) -> Any:
    """A test client signed in as the named persona: `persona_client("analyst")`."""

    def sign_in(name: str) -> Any:
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in
