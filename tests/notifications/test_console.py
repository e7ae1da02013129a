"""Administrators see the mail queue with status, attempts and last error, and retry a mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from medtour.audit.models import AuditEvent
from medtour.notifications.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


def _mail(**values: Any) -> OutgoingMail:
    defaults: dict[str, Any] = {
        "to": "patient@example.org",
        "language": "ja",
        "subject": "ご予約の確定",
        "body": "本文",
        "next_attempt_at": timezone.now(),
    }
    defaults.update(values)
    return OutgoingMail.objects.create(**defaults)


def test_the_list_shows_status_attempts_and_error(client: Any, admin_user: Any) -> None:
    _mail(status=MailStatus.FAILED, attempts=10, last_error="ConnectionRefusedError: [Errno 111]")
    _mail(status=MailStatus.SENT, attempts=1, sent_at=timezone.now(), subject="送信済み")
    client.force_login(admin_user)
    page = client.get(reverse("console:mail-list"), {"status": "failed"}).content.decode()
    assert "ご予約の確定" in page and "ConnectionRefusedError" in page
    assert "送信済み" not in page
    failed = OutgoingMail.objects.get(status=MailStatus.FAILED)
    assert reverse("console:mail-retry", kwargs={"pk": failed.pk}) in page
    assert reverse("console:mail-list") in client.get(reverse("console:home")).content.decode()


def test_an_unknown_status_filter_lists_nothing(client: Any, admin_user: Any) -> None:
    _mail()
    client.force_login(admin_user)
    response = client.get(reverse("console:mail-list"), {"status": "lost"})
    assert response.status_code == 200
    assert "patient@example.org" not in response.content.decode()


def test_retry_makes_a_failed_mail_due_and_is_audited(
    client: Any, admin_user: Any, settings: Any, mail_templates: None
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # keep it queued: the delivery itself is tested in test_delivery.py
    mail = _mail(status=MailStatus.FAILED, attempts=10, next_attempt_at=None)
    client.force_login(admin_user)
    response = client.post(reverse("console:mail-retry", kwargs={"pk": mail.pk}))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert mail.next_attempt_at is not None and mail.next_attempt_at <= timezone.now()
    assert AuditEvent.objects.filter(target_id=str(mail.pk), action="update").exists()


def test_retry_of_a_sent_mail_changes_nothing(client: Any, admin_user: Any) -> None:
    mail = _mail(status=MailStatus.SENT, attempts=1, next_attempt_at=None)
    client.force_login(admin_user)
    client.post(reverse("console:mail-retry", kwargs={"pk": mail.pk}))
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)
    assert not AuditEvent.objects.filter(target_id=str(mail.pk)).exists()


def test_other_staff_cannot_retry(client: Any, coordinator: Any) -> None:
    mail = _mail(status=MailStatus.FAILED, next_attempt_at=None)
    client.force_login(coordinator)
    assert client.post(reverse("console:mail-retry", kwargs={"pk": mail.pk})).status_code == 403
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
