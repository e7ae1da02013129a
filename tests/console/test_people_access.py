"""Every persona against every people screen: who gets in, who is refused."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.accounts.models import Role, User
from tests.accounts.fixtures import _english  # noqa: F401  (autouse fixture)
from tests.conftest import PERSONAS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_STAFF = ("anonymous", "patient", "patient_other", "interpreter", "interpreter_other", "driver")
STAFF = [name for name in PERSONAS if name not in NOT_STAFF]


@pytest.fixture
def someone(db: None) -> User:
    return UserFactory(email="someone@example.test", role=Role.CALL_CENTER_AGENT)


def _admin_only_pages(someone: User) -> list[str]:
    return [
        "/console/people/",
        "/console/people/new/",
        f"/console/people/{someone.pk}/",
        f"/console/people/{someone.pk}/deactivate/",
        "/console/people/institution-options/?institution=clinic",
        "/console/audit/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_administrator_pages(persona_client: Any, persona: str, someone: User):
    client = persona_client(persona)

    for path in _admin_only_pages(someone):
        response = client.get(path)
        if persona == "anonymous":
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/"), path
        elif persona == "admin_user":
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_account_is_for_every_staff_member(persona_client: Any, persona: str):
    response = persona_client(persona).get("/console/account/")

    expected = 302 if persona == "anonymous" else 403 if persona in NOT_STAFF else 200
    assert response.status_code == expected


@pytest.mark.parametrize("persona", [name for name in PERSONAS if name != "admin_user"])
def test_changes_are_refused_to_everyone_but_administrators(
    persona_client: Any, persona: str, someone: User
):
    client = persona_client(persona)
    posts = {
        "/console/people/new/": {"email": "x@example.test", "role": Role.CITY_ANALYST},
        f"/console/people/{someone.pk}/": {"role": Role.ADMINISTRATOR},
        f"/console/people/{someone.pk}/deactivate/": {},
        f"/console/people/{someone.pk}/reactivate/": {},
        f"/console/people/{someone.pk}/invite/": {},
        f"/console/people/{someone.pk}/reset-second-factor/": {},
    }

    for path, data in posts.items():
        assert client.post(path, data).status_code in (302, 403), path

    someone.refresh_from_db()
    assert someone.role == Role.CALL_CENTER_AGENT
    assert someone.is_active
    assert not User.objects.filter(email="x@example.test").exists()


@pytest.mark.parametrize("persona", STAFF)
def test_the_console_menu_shows_only_the_screens_a_role_may_use(persona_client: Any, persona: str):
    page = persona_client(persona).get("/console/").content.decode()

    is_admin = persona == "admin_user"
    assert ('href="/console/people/"' in page) is is_admin
    assert ('href="/console/audit/"' in page) is is_admin
    assert 'href="/console/account/"' in page


def test_an_unknown_account_is_not_found(persona_client: Any):
    assert persona_client("admin_user").get("/console/people/999999/").status_code == 404
