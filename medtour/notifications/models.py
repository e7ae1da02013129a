"""Outgoing e-mail: every message is stored first and delivered from the task queue.

A mail that cannot be delivered (the mail server is down, the connection drops) stays
`queued` with the time of its next attempt; after `MAIL_MAX_ATTEMPTS` it is `failed` and shown
to administrators in the console. See docs/notifications.md.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # While queued: when the next attempt is due. While sending: when the attempt in progress
    # is presumed lost (a worker that died mid-send), after which the mail is due again.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    related_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx"),
            models.Index(fields=["to"], name="mail_to_idx"),
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.pk} {self.status} {self.template}"


class MailAttachment(models.Model):
    mail = models.ForeignKey(OutgoingMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
