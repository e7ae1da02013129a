"""The full build: read every episode once, compute every materialised cuboid, replace the
cells, and record every committed submission as applied (`manage.py rebuild_statistics`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from django.utils import timezone

from medtour.records.models import Submission
from medtour.stats import frames
from medtour.stats.cube import store
from medtour.stats.cube.cells import cuboid_cells, with_single_flag
from medtour.stats.cube.cuboids import dims_of, materialised
from medtour.stats.cube.locking import exclusive_snapshot
from medtour.stats.models import AppliedSubmission, StatisticsState

logger = logging.getLogger(__name__)


@dataclass
class BuildOutcome:
    episodes: int
    cells: int
    cuboids: int
    seconds: float
    read_seconds: float
    compute_seconds: float
    write_seconds: float


def all_cells(frame: pl.DataFrame, progress: Callable[[str], None] | None = None) -> pl.DataFrame:
    groups = frames.country_groups()
    flagged = with_single_flag(frame)
    parts = []
    for cuboid in sorted(materialised()):
        parts.append(cuboid_cells(flagged, dims_of(cuboid), groups))
        if progress:
            progress(",".join(dims_of(cuboid)))
    return pl.concat(parts)


def rebuild(progress: Callable[[str], None] | None = None) -> BuildOutcome:
    started = time.perf_counter()
    with exclusive_snapshot():
        committed = list(
            Submission.objects.filter(committed_at__isnull=False).values_list("pk", flat=True)
        )
        frame = frames.episodes()
        read = time.perf_counter()
        cells = all_cells(frame, progress)
        computed = time.perf_counter()
        store.clear()
        store.insert(cells)
        AppliedSubmission.objects.all().delete()
        AppliedSubmission.objects.bulk_create(
            [AppliedSubmission(submission_id=pk) for pk in committed], batch_size=5_000
        )
        now = timezone.now()
        finished = time.perf_counter()
        StatisticsState.objects.all().delete()
        StatisticsState.objects.create(
            built_at=now,
            refreshed_at=now,
            cuboids=sorted(materialised()),
            build_seconds=finished - started,
        )
    outcome = BuildOutcome(
        episodes=frame.height,
        cells=cells.height,
        cuboids=len(materialised()),
        seconds=finished - started,
        read_seconds=read - started,
        compute_seconds=computed - read,
        write_seconds=finished - computed,
    )
    logger.info("statistics rebuilt: %s", outcome)
    return outcome


def bring_up_to_date(*, rebuild_all: bool) -> BuildOutcome | None:
    """After bulk loads (seed_demo): rebuild when asked or never built, else refresh."""
    from medtour.stats.cube.refresh import refresh

    if rebuild_all or not StatisticsState.objects.exists():
        return rebuild()
    refresh()
    return None
