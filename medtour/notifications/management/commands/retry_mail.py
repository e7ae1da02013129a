"""`manage.py retry_mail [--all]`: enqueue the delivery of every mail that is due.

The safety net behind the scheduled retries (run it every few minutes from a timer, see
docs/deployment.md): a delivery task lost with a flushed queue or a dead worker is enqueued
again. `--all` makes every queued mail due now (after the mail server is back).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medtour.notifications.services import mail_requeue_due


class Command(BaseCommand):
    help = "Enqueue the delivery of every outgoing mail that is due (--all: every queued mail)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="make every queued mail due now, then enqueue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = mail_requeue_due(everything=options["all"])
        self.stdout.write(f"{count} mail(s) enqueued for delivery")
