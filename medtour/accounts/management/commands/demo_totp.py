"""Print the current authenticator code of a demo account, for demonstrations without a phone."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtour.accounts.demo import DemoSetupError, current_totp_code
from medtour.accounts.management.demo_command import DemoCommand


class Command(DemoCommand):
    help = gettext_lazy("Print the current six-digit authenticator code of a demo account.")  # type: ignore[assignment]

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("email", help=_("e-mail address of the demo account"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            code = current_totp_code(options["email"])
        except DemoSetupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(code)
