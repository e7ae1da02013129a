"""Background work of the statistics: the incremental refresh after each commit.

Enqueued by `records.services.submission_commit` once the commit's transaction has committed
(`transaction.on_commit`), so the task always sees the records. It is idempotent: it applies
whatever committed submissions the cells do not include yet, so a lost or doubled task only
moves the work to the next one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django_tasks import task

from medtour.stats.cube.refresh import refresh


@task(enqueue_on_commit=False)
def refresh_statistics() -> dict[str, Any]:
    return dataclasses.asdict(refresh())


def enqueue_refresh() -> None:
    refresh_statistics.enqueue()
