"""`manage.py load_targets`: the published targets of the city and its districts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medtour.targets.loading import load_targets


class Command(BaseCommand):
    help = (
        "Load the city's and the districts' targets from the published statistics file "
        "(docs/targets-and-forecasts.md). Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_targets()
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
