"""Create (or repair) one demo account per role; running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtour.accounts.demo import SEED_STATUSES, DemoSetupError, seed_demo_users
from medtour.accounts.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = gettext_lazy("Create one demo account per role, with the published demo passwords.")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = seed_demo_users()
        except DemoSetupError as error:
            raise CommandError(str(error)) from error
        for result in results:
            line = _("%(email)s (%(role)s): %(status)s") % {
                "email": result.account.email,
                "role": result.account.role.label,
                "status": SEED_STATUSES[result.status],
            }
            if result.status == "skipped":
                self.stderr.write(self.style.WARNING(f"{line}. {result.note}"))
            else:
                self.stdout.write(line)
        self.stdout.write(_("Run `python manage.py demo_logins` to see how to sign in."))
