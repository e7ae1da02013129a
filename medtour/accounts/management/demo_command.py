"""What the demo commands share: they refuse production unless told it really is a demo."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

CONFIRM_FLAG = "--i-know-this-is-a-demo"


class DemoCommand(BaseCommand):
    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            CONFIRM_FLAG,
            action="store_true",
            dest="confirmed_demo",
            help=_("Run even though DEBUG is off: this server really is a demonstration."),
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        if not settings.DEBUG and not options.get("confirmed_demo"):
            raise CommandError(
                _(
                    "Refusing to run with DEBUG off: demo accounts have published passwords. "
                    "If this server really is a demonstration, add %(flag)s."
                )
                % {"flag": CONFIRM_FLAG}
            )
        return super().execute(*args, **options)
