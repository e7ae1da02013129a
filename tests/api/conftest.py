"""The registry the API tests read: public and non-public institutions in two districts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from medtour.api.tokens import issue_token
from medtour.institutions.models import RegistrationStatus
from tests.conftest import MAPO
from tests.factories import FacilitatorFactory, InstitutionFactory, district


@pytest.fixture
def registry(gangnam_clinic: Any, mapo_clinic: Any) -> dict[str, Any]:
    """Each district has one registered (public) institution and one that is not public."""
    return {
        "gangnam-clinic": gangnam_clinic,
        "mapo-clinic": mapo_clinic,
        "gangnam-expired": InstitutionFactory(
            code="gangnam-expired",
            names={"ko": "강남만료의원", "en": "Gangnam Expired Clinic"},
            registration_status=RegistrationStatus.EXPIRED,
        ),
        "mapo-suspended": InstitutionFactory(
            code="mapo-suspended",
            names={"ko": "마포정지의원", "en": "Mapo Suspended Clinic"},
            district=district(MAPO),
            registration_status=RegistrationStatus.SUSPENDED,
        ),
    }


@pytest.fixture
def facilitators(db: None) -> list[Any]:
    return [
        FacilitatorFactory(code="agency-a", names={"ko": "가유치", "en": "Agency A"}),
        FacilitatorFactory(
            code="agency-b",
            names={"ko": "나유치", "en": "Agency B"},
            registration_status=RegistrationStatus.CANCELLED,
            is_active=False,
        ),
    ]


@pytest.fixture
def token_for() -> Any:
    """`token_for(user)`: a fresh API key for USER."""

    def issue(user: Any, name: str = "test program") -> str:
        return issue_token(user=user, name=name, actor=None, actor_label="test").key

    return issue


@pytest.fixture(autouse=True)
def _english(client: Any) -> Iterator[None]:
    """Assertions read English messages; Korean is the site default, so ask for English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
