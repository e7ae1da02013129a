"""Issuing, revoking and checking API tokens: the key is shown once and only its hash is kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medtour.api.models import ApiToken
from medtour.api.tokens import (
    TokenRejected,
    authenticate_key,
    hash_key,
    issue_token,
    revoke_token,
)
from medtour.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_issue_returns_the_key_once_and_stores_only_its_hash(analyst: Any, admin_user: Any) -> None:
    issued = issue_token(user=analyst, name="dashboard", actor=admin_user)
    token = ApiToken.objects.get()
    assert issued.key.startswith("mt_") and len(issued.key) > 40
    assert token.key_hash == hash_key(issued.key)
    assert issued.key not in str(ApiToken.objects.values().get())
    assert token.prefix == issued.key[:10]
    assert (token.user, token.name, token.revoked_at) == (analyst, "dashboard", None)


def test_every_key_is_different(analyst: Any) -> None:
    keys = {issue_token(user=analyst, name="x", actor=None).key for _ in range(5)}
    assert len(keys) == 5


def test_issue_is_audited_without_the_key(analyst: Any, admin_user: Any) -> None:
    issued = issue_token(user=analyst, name="dashboard", actor=admin_user)
    event = AuditEvent.objects.get(action=AuditAction.CREATE, target_type="api.apitoken")
    assert event.actor == admin_user
    assert event.changes == {"user": analyst.email, "name": "dashboard", "prefix": issued.key[:10]}
    assert issued.key not in str(event.changes) + event.target_label


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_issue_refuses_a_missing_or_too_long_name(analyst: Any, name: str) -> None:
    with pytest.raises(ValidationError):
        issue_token(user=analyst, name=name, actor=None)
    assert not ApiToken.objects.exists()


def test_issue_refuses_a_disabled_account(analyst: Any) -> None:
    analyst.is_active = False
    analyst.save()
    with pytest.raises(ValidationError, match=analyst.email):
        issue_token(user=analyst, name="x", actor=None)


def test_authenticate_accepts_a_live_key_and_notes_when_it_was_used(analyst: Any) -> None:
    issued = issue_token(user=analyst, name="x", actor=None)
    token = authenticate_key(issued.key)
    assert token.user == analyst
    assert token.last_used_at is not None
    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(hours=1))
    authenticate_key(issued.key)
    assert timezone.now() - ApiToken.objects.get().last_used_at < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("key", ["mt_wrong", "", "x" * 300])
def test_authenticate_rejects_a_wrong_key(analyst: Any, key: str) -> None:
    issue_token(user=analyst, name="x", actor=None)
    with pytest.raises(TokenRejected, match="not valid"):
        authenticate_key(key)


def test_revoked_key_stops_working_and_revoking_is_audited_once(
    analyst: Any, admin_user: Any
) -> None:
    issued = issue_token(user=analyst, name="x", actor=admin_user)
    revoke_token(token=issued.token, actor=admin_user)
    revoke_token(token=issued.token, actor=admin_user)
    with pytest.raises(TokenRejected, match="revoked"):
        authenticate_key(issued.key)
    events = AuditEvent.objects.filter(action=AuditAction.DEACTIVATE, target_type="api.apitoken")
    assert events.count() == 1
    assert events.get().actor == admin_user


def test_key_of_a_disabled_account_stops_working(analyst: Any) -> None:
    issued = issue_token(user=analyst, name="x", actor=None)
    analyst.is_active = False
    analyst.save()
    with pytest.raises(TokenRejected, match="disabled"):
        authenticate_key(issued.key)
