"""`issue_api_token` prints a working key once; `revoke_api_token` stops it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from medtour.api.models import ApiToken
from medtour.api.tokens import hash_key
from medtour.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def issue(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_issue_prints_the_key_alone_on_stdout(client: Any, agent: Any) -> None:
    key, notes = issue("AGENT@example.test", "--name", "call-center CRM")
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key)
    assert (token.user, token.name) == (agent, "call-center CRM")
    assert agent.email in notes and "call-center CRM" in notes
    assert key not in notes
    response = client.get("/api/v1/facilitators", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    event = AuditEvent.objects.get(target_type="api.apitoken")
    assert event.actor_label == "manage.py issue_api_token"


def test_issue_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match=r"nobody@example\.test"):
        issue("nobody@example.test", "--name", "x")


def test_issue_refuses_a_blank_name(agent: Any) -> None:
    with pytest.raises(CommandError, match="name"):
        issue(agent.email, "--name", "  ")
    assert not ApiToken.objects.exists()


def test_issue_needs_a_name(agent: Any) -> None:
    with pytest.raises(CommandError):
        issue(agent.email)


@pytest.mark.parametrize("by", ["prefix", "key"])
def test_revoke_by_prefix_or_key(client: Any, agent: Any, by: str) -> None:
    key, _notes = issue(agent.email, "--name", "x")
    out = StringIO()
    call_command("revoke_api_token", key[:10] if by == "prefix" else key, stdout=out)
    assert agent.email in out.getvalue()
    assert ApiToken.objects.get().is_revoked
    response = client.get("/api/v1/facilitators", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_revoke_refuses_an_unknown_token() -> None:
    with pytest.raises(CommandError, match="mt_nothing"):
        call_command("revoke_api_token", "mt_nothing")
