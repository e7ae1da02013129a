from __future__ import annotations

from typing import Any

import pytest

from medtour.accounts.models import User
from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from tests.accounts.fixtures import _english  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


def test_shows_role_and_scope(persona_client: Any):
    page = persona_client("officer_gangnam").get("/console/account/").content.decode()

    assert "district officer" in page
    assert "Gangnam-gu" in page


def test_links_to_two_factor_management_and_password(persona_client: Any):
    page = persona_client("analyst").get("/console/account/").content.decode()

    assert "Two-factor authentication is on." in page
    assert 'href="/accounts/2fa/"' in page
    assert 'href="/accounts/password/change/"' in page


def test_says_when_two_factor_is_off(persona_client: Any):
    page = persona_client("agent").get("/console/account/").content.decode()

    assert "Two-factor authentication is off." in page


def test_language_form_posts_to_the_switch_and_shows_the_preference(
    persona_client: Any, agent: User
):
    agent.preferred_language = "ru"
    agent.save()

    page = persona_client("agent").get("/console/account/").content.decode()

    assert 'action="/i18n/setlang/"' in page
    assert '<option value="ru" lang="ru" selected>' in page


def test_saving_the_language_comes_back_here_in_that_language(persona_client: Any, agent: User):
    client = persona_client("agent")

    response = client.post(
        "/i18n/setlang/", {"language": "ja", "next": "/console/account/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/console/account/"
    assert '<html lang="ja">' in response.content.decode()
    agent.refresh_from_db()
    assert agent.preferred_language == "ja"


def test_lists_recent_sign_ins_to_ones_own_account_only(
    persona_client: Any, agent: User, coordinator: User
):
    record_event(
        actor=None,
        actor_label="agent@example.test",
        action=AuditAction.SIGN_IN_FAILED,
        target=agent,
        changes={"stage": "password"},
    )
    record_event(actor=coordinator, action=AuditAction.SIGN_IN, target=coordinator)

    page = persona_client("agent").get("/console/account/").content.decode()

    assert "sign-in failed" in page
    assert "coordinator@example.test" not in page
