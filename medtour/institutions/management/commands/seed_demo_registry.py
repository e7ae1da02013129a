"""`manage.py seed_demo_registry [--seed N]`: the fictional demo registry (docs/institutions.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medtour.accounts.management.demo_command import DemoCommand
from medtour.institutions.demo.generator import (
    DEFAULT_SEED,
    DemoDataUnavailable,
    seed_demo_registry,
)


class Command(DemoCommand):
    help = _(
        "Create about 2,100 fictional institutions and 350 facilitators in Seoul, marked "
        "synthetic. Records that exist already are left as they are, so running it again "
        "changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("random seed: the same seed gives the same registry"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = seed_demo_registry(seed=options["seed"])
        except DemoDataUnavailable as error:
            raise CommandError(
                _(
                    "The demo registry is calibrated for Seoul, and these districts are not "
                    "loaded: %(codes)s. Run load_reference for Seoul first."
                )
                % {"codes": ", ".join(error.args[0])}
            ) from error
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            _(
                "Demo registry: %(institutions)s institutions and %(facilitators)s facilitators "
                "created; %(existing)s institutions and %(existing_facilitators)s facilitators "
                "were there already."
            )
            % {
                "institutions": summary.institutions_created,
                "facilitators": summary.facilitators_created,
                "existing": summary.institutions_existing,
                "existing_facilitators": summary.facilitators_existing,
            }
        )
