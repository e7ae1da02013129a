"""Mails are rendered in the recipient's language, as plain text, subject on one line."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.notifications.models import MailStatus, OutgoingMail
from medtour.notifications.services import mail_queue, mail_render

pytestmark = pytest.mark.django_db

CONTEXT = {"reference": "C-7KQ2M9XA", "name": "<b>O'Neil</b>"}


@pytest.mark.parametrize(
    ("language", "status", "notice"),
    [
        ("ko", "상태", "데모 데이터"),
        ("ru", "Статус", "Демонстрационные данные"),
        ("en", "Status", "Demonstration data"),
    ],
)
def test_rendered_in_the_language(
    mail_templates: None, language: str, status: str, notice: str
) -> None:
    subject, body, html = mail_render(
        language=language, template="notifications_test/sample", context=CONTEXT
    )
    assert subject == f"{status}: C-7KQ2M9XA & <<b>O'Neil</b>>"
    assert "\n" not in subject
    assert notice in body
    assert "<b>O'Neil</b> & C-7KQ2M9XA" in body  # plain text: nothing escaped
    assert html == ""


def test_every_language_gives_its_own_subject(mail_templates: None) -> None:
    subjects = {
        language: mail_render(language=language, template="notifications_test/sample", context={})[
            0
        ]
        for language in ("ko", "en", "zh-hans", "ja", "ru", "kk")
    }
    assert len(set(subjects.values())) == 6


def test_queued_mail_is_stored_before_delivery(mail_templates: None) -> None:
    mail = mail_queue(
        to="p@example.org", language="xx", template="notifications_test/sample", context=CONTEXT
    )
    stored = OutgoingMail.objects.get(pk=mail.pk)
    assert stored.status == MailStatus.QUEUED
    assert stored.language == "ko"  # an unknown language falls back to the default
    assert stored.next_attempt_at is not None
    assert stored.attachments.count() == 0


def test_related_object_is_remembered(mail_templates: None, admin_user: Any) -> None:
    mail = mail_queue(
        to="p@example.org",
        language="en",
        template="notifications_test/sample",
        context=CONTEXT,
        related=admin_user,
    )
    assert OutgoingMail.objects.get(pk=mail.pk).related == admin_user
