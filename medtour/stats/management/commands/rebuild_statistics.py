"""`manage.py rebuild_statistics`: recompute every statistics cell from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from medtour.stats.cube.build import rebuild


class Command(BaseCommand):
    help = _(
        "Recompute the pre-aggregated statistics from all committed records. Needed only after "
        "a pseudonym key rotation or a repair: commits refresh the statistics incrementally."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(
                _(
                    "Statistics rebuilt: %(cells)s cells of %(cuboids)s cuboids from "
                    "%(episodes)s episodes in %(seconds).1f s (read %(read).1f s, compute "
                    "%(compute).1f s, write %(write).1f s)."
                )
                % {
                    "cells": outcome.cells,
                    "cuboids": outcome.cuboids,
                    "episodes": outcome.episodes,
                    "seconds": outcome.seconds,
                    "read": outcome.read_seconds,
                    "compute": outcome.compute_seconds,
                    "write": outcome.write_seconds,
                }
            )
