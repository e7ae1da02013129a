from __future__ import annotations

from typing import Any

import pytest

from medtour.accounts.models import User
from medtour.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import sign_in, verified

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed sign-in attempts."
WRONG = "The e-mail address or the password is not correct."


def test_five_wrong_passwords_are_each_answered_as_wrong(client: Any, coordinator: User):
    verified(coordinator)

    for _attempt in range(5):
        page = sign_in(client, "coordinator@example.test", "guess").content.decode()
        assert WRONG in page
        assert TOO_MANY not in page


def test_the_sixth_wrong_password_in_a_row_is_refused_with_a_clear_message(
    client: Any, coordinator: User
):
    verified(coordinator)
    for _attempt in range(5):
        sign_in(client, "coordinator@example.test", "guess")

    response = sign_in(client, "coordinator@example.test", "guess")

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()


def test_while_throttled_even_the_right_password_does_not_sign_in(client: Any, coordinator: User):
    verified(coordinator)
    for _attempt in range(5):
        sign_in(client, "coordinator@example.test", "guess")

    response = sign_in(client, "coordinator@example.test")

    assert TOO_MANY in response.content.decode()
    assert client.get("/console/").status_code == 302


def test_throttled_attempts_are_audited(client: Any, coordinator: User):
    verified(coordinator)
    for _attempt in range(6):
        sign_in(client, "coordinator@example.test", "guess")

    stages = list(
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
        .order_by("id")
        .values_list("changes__stage", flat=True)
    )
    assert stages == ["password"] * 5 + ["throttled"]


def test_a_successful_sign_in_does_not_reset_the_count_of_failures(client: Any, coordinator: User):
    verified(coordinator)
    for _attempt in range(4):
        sign_in(client, "coordinator@example.test", "guess")
    sign_in(client, "coordinator@example.test")
    client.post("/accounts/logout/")

    sign_in(client, "coordinator@example.test", "guess")
    response = sign_in(client, "coordinator@example.test", "guess")

    assert TOO_MANY in response.content.decode()
