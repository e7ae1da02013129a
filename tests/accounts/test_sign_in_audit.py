from __future__ import annotations

from typing import Any

import pytest

from medtour.accounts.models import User
from medtour.audit.models import AuditAction, AuditEvent
from tests.accounts.helpers import sign_in, totp_code, verified

pytestmark = pytest.mark.django_db


def test_sign_in_is_audited_with_actor_and_ip(client: Any, coordinator: User):
    verified(coordinator)

    sign_in(client, "coordinator@example.test")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor == coordinator
    assert event.target_id == str(coordinator.pk)
    assert event.ip_address == "127.0.0.1"


def test_failed_sign_in_records_the_email_tried_and_the_account_it_names(
    client: Any, coordinator: User
):
    verified(coordinator)

    sign_in(client, "Coordinator@example.test", "guess")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_label == "coordinator@example.test"  # allauth lowercases it
    assert event.target_id == str(coordinator.pk)
    assert event.changes == {"stage": "password"}
    assert event.ip_address == "127.0.0.1"


def test_failed_sign_in_with_an_unknown_email_names_no_account(client: Any):
    sign_in(client, "nobody@example.test", "guess")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor_label == "nobody@example.test"
    assert event.target_type == ""


def test_sign_out_is_audited(client: Any, coordinator: User):
    verified(coordinator)
    sign_in(client, "coordinator@example.test")

    client.post("/accounts/logout/")

    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert event.actor == coordinator
    assert event.ip_address == "127.0.0.1"


def test_sign_in_with_a_second_factor_is_audited_once_the_code_is_accepted(
    client: Any, analyst: User
):
    verified(analyst)

    sign_in(client, "analyst@example.test")
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=analyst).count() == 1


def test_password_change_is_audited(client: Any, coordinator: User):
    verified(coordinator)
    sign_in(client, "coordinator@example.test")

    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "correct horse battery staple",
            "password1": "another sturdy passphrase",
            "password2": "another sturdy passphrase",
        },
    )

    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert event.actor == coordinator
    assert event.target_id == str(coordinator.pk)


def test_self_sign_up_is_audited_as_a_creation(client: Any):
    client.post(
        "/accounts/signup/",
        {
            "email": "new.patient@example.test",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
        },
    )

    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.actor.email == "new.patient@example.test"
    assert event.changes["role"] == [None, "patient"]


def test_force_login_in_tests_leaves_the_audit_log_alone(persona_client: Any):
    persona_client("coordinator").get("/console/")

    assert not AuditEvent.objects.exists()
