from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from medtour.accounts import scope
from medtour.audit.models import AuditAction, AuditEvent
from medtour.audit.services import record_event
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _persona(request: pytest.FixtureRequest, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_administrators_manage_and_see_users(request: pytest.FixtureRequest, name: str):
    user = _persona(request, name)
    request.getfixturevalue("patient")

    is_admin = name == "admin_user"
    assert scope.can_manage_users(user) is is_admin
    assert scope.visible_users(user).exists() is is_admin


@pytest.mark.parametrize("name", PERSONAS)
def test_only_administrators_read_the_audit_log(request: pytest.FixtureRequest, name: str):
    user = _persona(request, name)
    record_event(actor=None, action=AuditAction.IMPORT, actor_label="a command")

    is_admin = name == "admin_user"
    assert scope.can_view_audit_log(user) is is_admin
    assert scope.visible_audit_events(user).exists() is is_admin


def test_a_deactivated_administrator_loses_both(admin_user: Any):
    admin_user.is_active = False

    assert not scope.can_manage_users(admin_user)
    assert not scope.visible_audit_events(admin_user).exists()


def test_everyone_sees_the_sign_ins_to_their_own_account_only(agent: Any, coordinator: Any):
    record_event(actor=agent, action=AuditAction.SIGN_IN, target=agent)
    record_event(actor=coordinator, action=AuditAction.SIGN_IN, target=coordinator)
    record_event(actor=agent, action=AuditAction.UPDATE, target=agent)

    events = list(scope.own_sign_in_events(agent))

    assert [event.actor for event in events] == [agent]
    assert list(scope.own_sign_in_events(AnonymousUser())) == []
    assert AuditEvent.objects.count() == 3
