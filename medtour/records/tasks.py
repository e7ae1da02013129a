"""Background work of the records pipeline: reminders to institutions that have not reported.

Sent through django-tasks so that a district's worth of e-mail never holds up a console request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from medtour.accounts.models import Role, User
from medtour.localization.text import localize
from medtour.records.models import ReportingPeriod, Submission
from medtour.reference.city import current_city

logger = logging.getLogger(__name__)


def _language(user: User) -> str:
    languages = dict(settings.LANGUAGES)
    return user.preferred_language if user.preferred_language in languages else "ko"


def reminder_message(user: User, period: ReportingPeriod) -> EmailMessage:
    """The reminder for one staff member, in their language."""
    with translation.override(_language(user)):
        institution = localize(user.institution.names) if user.institution else ""
        subject = _("Reminder: foreign-patient records for %(period)s are due") % {
            "period": period.label
        }
        body = "\n\n".join(
            [
                _(
                    "%(institution)s has not yet submitted its foreign-patient records for the "
                    "reporting period %(period)s. The deadline is %(deadline)s."
                )
                % {
                    "institution": institution,
                    "period": period.label,
                    "deadline": period.deadline.isoformat(),
                },
                _(
                    "Upload the records in the official template, or enter them one by one, "
                    "under “Patient reports” in the Medtour console."
                ),
                _("This message was sent through Medtour on behalf of %(city)s.")
                % {"city": localize(current_city().official_names or current_city().names).text},
            ]
        )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _recipients(institution_ids: Iterable[int]) -> Iterable[User]:
    return (
        User.objects.filter(
            role=Role.INSTITUTION_STAFF, institution_id__in=list(institution_ids), is_active=True
        )
        .exclude(email="")
        .select_related("institution")
        .order_by("pk")
    )


@task(enqueue_on_commit=False)
def send_reporting_reminders(
    period_id: int, institution_ids: list[int], actor_id: int | None
) -> int:
    """E-mail the staff of INSTITUTION_IDS that still have nothing committed for the period.

    Checked again here: an institution that reported while the task waited gets no reminder.
    Returns how many e-mails were sent.
    """
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    reported = set(
        Submission.objects.filter(
            period=period, institution_id__in=institution_ids, committed_at__isnull=False
        ).values_list("institution_id", flat=True)
    )
    still_missing = [pk for pk in institution_ids if pk not in reported]
    messages = [reminder_message(user, period) for user in _recipients(still_missing)]
    if not messages:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    logger.info(
        "reporting reminders for %s sent by user %s: %s e-mails", period.label, actor_id, sent
    )
    return sent
