"""Delivery through the task queue to a real SMTP server (aiosmtpd), stopped and started again."""

from __future__ import annotations

import email.header
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import icalendar
import pytest
from django.core.management import call_command
from django.utils import timezone

from medtour.notifications.calendar import CalendarEvent
from medtour.notifications.models import MailStatus, OutgoingMail
from medtour.notifications.services import mail_deliver, mail_queue, retry_delay
from tests.notifications.conftest import SmtpServer

pytestmark = pytest.mark.django_db

START = datetime(2030, 4, 2, 1, 30, tzinfo=UTC)


def _event(uid: str = "C-7KQ2M9XA-consultation-1@medtour") -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        start=START,
        end=START + timedelta(minutes=45),
        summary="피부과 상담 — Консультация дерматолога",
        location="서울특별시 강남구 테헤란로 1",
        description="Bring your passport.",
    )


def _queue(reference: str, calendar: CalendarEvent | None = None, to: str = "p@example.org"):
    return mail_queue(
        to=to,
        language="ru",
        template="notifications_test/sample",
        context={"reference": reference, "name": "Анна"},
        calendar=calendar,
    )


def _calendar_part(message: Message) -> Message:
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def _subject(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_mail_with_ics_arrives_through_the_queue(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        mail = _queue("C-AAAA1111", calendar=_event())

    assert len(smtp_server.mailbox.messages) == 1
    message = smtp_server.mailbox.messages[0]
    assert message["To"] == "p@example.org"
    assert _subject(message) == "Статус: C-AAAA1111 & <Анна>"  # one line, not HTML-escaped
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode("utf-8")
    assert "Демонстрационные данные" in body and "Анна & C-AAAA1111" in body
    part = _calendar_part(message)
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == "invitation.ics"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "C-7KQ2M9XA-consultation-1@medtour"
    assert event.decoded("dtstart") == START
    assert str(event["summary"]) == "피부과 상담 — Консультация дерматолога"
    assert str(event["status"]) == "CONFIRMED"

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 1
    assert mail.sent_at is not None
    assert mail.next_attempt_at is None


def test_a_server_that_is_down_loses_nothing_and_sends_once(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.stop()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        mail = _queue("C-BBBB2222", calendar=_event())

    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.next_attempt_at is not None
    assert mail.next_attempt_at >= before + retry_delay(1)

    smtp_server.start()
    call_command("retry_mail")  # not due yet: nothing is sent early
    assert smtp_server.mailbox.messages == []

    OutgoingMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())
    call_command("retry_mail")
    call_command("retry_mail")
    call_command("retry_mail", "--all")
    assert mail_deliver(mail.pk) == MailStatus.SENT  # a doubled task does nothing

    received = smtp_server.mailbox.with_subject("C-BBBB2222")
    assert len(received) == 1
    calendar = icalendar.Calendar.from_ical(_calendar_part(received[0]).get_payload(decode=True))
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [_event().uid]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)


def test_retry_all_delivers_mails_not_yet_due(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue("C-CCCC3333")
        second = _queue("C-DDDD4444")
    smtp_server.start()
    call_command("retry_mail", "--all")
    assert len(smtp_server.mailbox.messages) == 2
    assert set(
        OutgoingMail.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {MailStatus.SENT}


def test_mail_is_given_up_after_the_last_attempt(
    smtp_server: SmtpServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAIL_MAX_ATTEMPTS = 2
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        mail = _queue("C-EEEE5555")
    call_command("retry_mail", "--all")
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.next_attempt_at) == (MailStatus.FAILED, 2, None)
    smtp_server.start()
    call_command("retry_mail", "--all")  # a failed mail is not retried by the safety net
    assert smtp_server.mailbox.messages == []


def test_a_refused_recipient_fails_at_once(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp_server.mailbox.refuse.add("nobody@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mail = _queue("C-FFFF6666", to="nobody@example.org")
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert "550" in mail.last_error


def test_back_off_doubles_up_to_the_cap(settings: Any) -> None:
    settings.MAIL_RETRY_SECONDS = 60
    settings.MAIL_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
