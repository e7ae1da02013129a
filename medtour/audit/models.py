"""The audit log: who did what, to what, when, from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DEACTIVATE = "deactivate", _("deactivated")
    REACTIVATE = "reactivate", _("reactivated")
    IMPORT = "import", _("imported")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_OUT = "sign_out", _("signed out")
    INVITE = "invite", _("invited")
    PASSWORD_CHANGE = "password_change", _("password changed")
    MFA_ACTIVATE = "mfa_activate", _("two-factor authentication activated")
    MFA_DEACTIVATE = "mfa_deactivate", _("two-factor authentication deactivated")
    DELETE = "delete", _("deleted")


class SignInStage(models.TextChoices):
    """Where a failed sign-in stopped; stored in the event's `changes` as {"stage": …}."""

    PASSWORD = "password", _("password")
    SECOND_FACTOR = "second_factor", _("authenticator code")
    THROTTLED = "throttled", _("refused after too many attempts")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=40, blank=True, db_index=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
