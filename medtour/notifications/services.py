"""The one write path for outgoing e-mail: queue, deliver, retry.

`mail_queue` renders and stores a mail and enqueues its delivery once the caller's transaction
commits; `mail_deliver` (run by the task worker) sends it through Django's mail API. When the
mail server cannot be reached the mail keeps its place with the time of the next attempt
(exponential back-off); nothing is lost. Only one attempt runs at a time: an attempt first
claims the mail with a conditional UPDATE, so a doubled task or a safety-net re-enqueue cannot
send it twice.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation

from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from medtour.notifications import scope
from medtour.notifications.calendar import CalendarEvent, ics_bytes
from medtour.notifications.models import MailAttachment, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

ICS_CONTENT_TYPE = "text/calendar"
SUBJECT_MAX_LENGTH = 500


def max_attempts() -> int:
    return int(getattr(settings, "MAIL_MAX_ATTEMPTS", 10))


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ATTEMPTS-th failed attempt: base · 2^(attempts - 1), at most the cap.

    With the defaults (60 s, six hours, ten attempts) a mail is tried for about eight and a half
    hours before it is given up: a mail server down overnight loses nothing.
    """
    base = int(getattr(settings, "MAIL_RETRY_SECONDS", 60))
    cap = int(getattr(settings, "MAIL_RETRY_MAX_SECONDS", 6 * 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _lease() -> timedelta:
    # An attempt in progress longer than this is presumed lost with its worker.
    return timedelta(seconds=int(getattr(settings, "EMAIL_TIMEOUT", 20)) * 3 + 60)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def _render(name: str, context: dict[str, Any]) -> str:
    """The plain-text template NAME (autoescape off: this is not HTML)."""
    template = get_template(name)
    return template.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined]


def _render_optional_html(name: str, context: dict[str, Any]) -> str:
    try:
        return get_template(name).render(context)
    except TemplateDoesNotExist:
        return ""


def mail_render(*, language: str, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text body, HTML body or "") of TEMPLATE in LANGUAGE."""
    with translation.override(language):
        subject = " ".join(_render(f"{template}_subject.txt", context).split())
        body = _render(f"{template}_body.txt", context).strip() + "\n"
        html_body = _render_optional_html(f"{template}_body.html", context)
    return subject[:SUBJECT_MAX_LENGTH], body, html_body


def mail_queue(
    *,
    to: str,
    language: str,
    template: str,
    context: dict[str, Any],
    calendar: CalendarEvent | None = None,
    related: models.Model | None = None,
    attachments: list[Attachment] | None = None,
) -> OutgoingMail:
    """Render TEMPLATE in LANGUAGE for TO, store it and deliver it after the commit.

    CALENDAR, when given, travels as `invitation.ics` (text/calendar; the subject names the
    calendar). RELATED optionally names the object the mail is about (a request, a case).
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    subject, body, html_body = mail_render(language=language, template=template, context=context)
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            to=to,
            language=language,
            template=template,
            subject=subject,
            body=body,
            html_body=html_body,
            next_attempt_at=timezone.now(),
            related_type=ContentType.objects.get_for_model(related) if related else None,
            related_id=str(related.pk) if related else "",
        )
        files = list(attachments or [])
        if calendar is not None:
            files.append(
                Attachment("invitation.ics", ICS_CONTENT_TYPE, ics_bytes([calendar], name=subject))
            )
        MailAttachment.objects.bulk_create(
            MailAttachment(
                mail=mail, filename=f.filename, content_type=f.content_type, content=f.content
            )
            for f in files
        )
        transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, run_after: datetime | None = None) -> None:
    from medtour.notifications.tasks import deliver_mail

    task = deliver_mail
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by `manage.py retry_mail` (the safety net) when due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(mail_id)
    except Exception:
        # The mail is stored and due: `retry_mail` delivers it once the queue is back.
        logger.exception("could not enqueue the delivery of mail %s", mail_id)


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to]
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for item in mail.attachments.all():
        content = bytes(item.content)
        if item.content_type == ICS_CONTENT_TYPE:
            part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
            part.set_param("method", _ics_method(content))
            part.add_header("Content-Disposition", "attachment", filename=item.filename)
            message.attach(part)
        else:
            message.attach(item.filename, content, item.content_type)
    return message


def _ics_method(content: bytes) -> str:
    for line in content.splitlines():
        if line.startswith(b"METHOD:"):
            return line[len(b"METHOD:") :].decode("ascii", "replace").strip()
    return "PUBLISH"


def _is_permanent(error: BaseException) -> bool:
    """A refusal the mail server will repeat (5xx for the recipient), as opposed to an outage."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600 and not isinstance(
            error, smtplib.SMTPServerDisconnected
        )
    return False


def _claim(mail_id: int, now: datetime) -> OutgoingMail | None:
    """Take MAIL_ID for one attempt, or None if it is not due (sent, failed, being sent)."""
    due = models.Q(status__in=[MailStatus.QUEUED, MailStatus.SENDING]) & (
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )
    claimed = (
        OutgoingMail.objects.filter(due, pk=mail_id).update(
            status=MailStatus.SENDING,
            attempts=models.F("attempts") + 1,
            next_attempt_at=now + _lease(),
        )
        == 1
    )
    return OutgoingMail.objects.get(pk=mail_id) if claimed else None


def mail_deliver(mail_id: int) -> str:
    """One delivery attempt of MAIL_ID; returns the mail's status afterwards ("" if none).

    Called by the task `deliver_mail`; safe to call twice: the second call finds the mail
    sent (or claimed) and does nothing.
    """
    now = timezone.now()
    mail = _claim(mail_id, now)
    if mail is None:
        status = OutgoingMail.objects.filter(pk=mail_id).values_list("status", flat=True).first()
        return status or ""
    try:
        sent = _message(mail).send(fail_silently=False)
        if not sent:
            raise smtplib.SMTPException("the mail backend accepted no message")
    except Exception as error:  # every failure is recorded; outages are retried
        return _attempt_failed(mail, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    logger.info("mail %s (%s) sent after %s attempt(s)", mail.pk, mail.template, mail.attempts)
    return MailStatus.SENT


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _attempt_failed(mail: OutgoingMail, error: BaseException) -> str:
    text = _describe(error)
    if _is_permanent(error) or mail.attempts >= max_attempts():
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, next_attempt_at=None, last_error=text
        )
        logger.error(
            "mail %s (%s) given up after %s attempt(s): %s",
            mail.pk,
            mail.template,
            mail.attempts,
            text,
        )
        return MailStatus.FAILED
    due = timezone.now() + retry_delay(mail.attempts)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.QUEUED, next_attempt_at=due, last_error=text
    )
    logger.warning(
        "mail %s (%s) attempt %s failed, next at %s: %s",
        mail.pk,
        mail.template,
        mail.attempts,
        due.isoformat(timespec="seconds"),
        text,
    )
    _enqueue(mail.pk, run_after=due)
    return MailStatus.QUEUED


def due_mails(now: datetime | None = None) -> models.QuerySet[OutgoingMail]:
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        status__in=[MailStatus.QUEUED, MailStatus.SENDING], next_attempt_at__lte=now
    ) | OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__isnull=True)


def mail_requeue_due(*, everything: bool = False) -> int:
    """Enqueue a delivery for every due mail (EVERYTHING: every queued mail, due now).

    The safety net behind the scheduled retries (`manage.py retry_mail`, run every few
    minutes): a task lost with a queue that was flushed or a worker that died is enqueued again.
    """
    now = timezone.now()
    if everything:
        OutgoingMail.objects.filter(status=MailStatus.QUEUED).update(next_attempt_at=now)
    ids = list(due_mails(now).order_by("pk").values_list("pk", flat=True))
    for mail_id in ids:
        _enqueue(mail_id)
    return len(ids)


def mail_retry(*, actor: Any, mail: OutgoingMail, request: Any = None) -> OutgoingMail:
    """An administrator asks for another attempt now (a failed mail gets one more attempt)."""
    if not scope.can_manage_mail(actor):
        raise PermissionDenied
    if mail.status not in (MailStatus.QUEUED, MailStatus.FAILED):
        return mail
    with transaction.atomic():
        previous = mail.status
        mail.status = MailStatus.QUEUED
        mail.next_attempt_at = timezone.now()
        mail.save(update_fields=["status", "next_attempt_at"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            target=mail,
            changes={"status": [previous, MailStatus.QUEUED], "retry": True},
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail
