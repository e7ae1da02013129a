"""Who sees which statistics: the city, one district, one institution, or none."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from medtour.accounts.scope import can_view_statistics
from tests.stats.builders import GANGNAM, MAPO, episode
from tests.stats.conftest import totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_clinics(gangnam_clinic: Any, mapo_clinic: Any) -> None:
    episode("ann", gangnam_clinic)
    episode("ann", mapo_clinic)
    episode("bo", mapo_clinic)


@pytest.mark.parametrize("persona", ["analyst", "admin_user"])
def test_the_city_sees_every_district(
    both_clinics: None, ask: Any, persona: str, request: pytest.FixtureRequest
) -> None:
    result = ask(rows=("district",), user=request.getfixturevalue(persona))
    assert totals(result, "rows") == {MAPO: 2, GANGNAM: 1}
    assert result.total == 2


def test_an_officer_sees_their_district_only(
    both_clinics: None, ask: Any, officer_mapo: Any
) -> None:
    result = ask(rows=("district",), user=officer_mapo)
    assert totals(result, "rows") == {MAPO: 2}
    assert result.total == 2
    with pytest.raises(PermissionDenied):
        ask(filters=(("district", GANGNAM),), user=officer_mapo)


def test_institution_staff_see_their_institution_only(
    both_clinics: None, ask: Any, staff_gangnam: Any
) -> None:
    assert ask(user=staff_gangnam).total == 1


@pytest.mark.parametrize("persona", ["anonymous", "patient", "agent", "coordinator"])
def test_others_may_not_ask(
    both_clinics: None, ask: Any, persona: str, request: pytest.FixtureRequest
) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    assert not can_view_statistics(user)
    with pytest.raises(PermissionDenied):
        ask(user=user)
