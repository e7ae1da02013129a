"""Where a draft submission's validated rows wait for the commit: Arrow files on local disk.

They hold pseudonyms and reference ids only, never a raw patient ID. A submission's rows are
written to a temporary folder and moved into place only when the draft is saved, so a crash
while staging leaves nothing that looks staged. Committing or discarding deletes them.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from django.conf import settings


def staging_root() -> Path:
    path = Path(settings.VAR_DIR) / "records" / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


class StagedRows:
    """Writes a draft's valid rows, one Arrow IPC file per batch."""

    def __init__(self) -> None:
        self.folder = staging_root() / f"incoming-{uuid.uuid4().hex}"
        self.folder.mkdir(parents=True)
        self.parts = 0

    def append(self, frame: pl.DataFrame) -> None:
        if frame.is_empty():
            return
        self.parts += 1
        # Sorted by pseudonym: the natural-key index then grows in runs, not at random.
        frame.sort("pseudonym").write_ipc(
            self.folder / f"part-{self.parts:06d}.arrow", compression="uncompressed"
        )

    def publish(self, submission_id: int) -> None:
        target = folder_for(submission_id)
        if target.exists():
            shutil.rmtree(target)
        self.folder.rename(target)

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def folder_for(submission_id: int) -> Path:
    return staging_root() / str(submission_id)


def staged_batches(submission_id: int) -> Iterator[pl.DataFrame]:
    """The staged rows part by part, each sorted by pseudonym (a few runs over the natural-key
    index cost no more than one sorted pass while it fits in the database's cache)."""
    for path in sorted(folder_for(submission_id).glob("part-*.arrow")):
        yield pl.read_ipc(path)


def has_staged_rows(submission_id: int) -> bool:
    return any(folder_for(submission_id).glob("part-*.arrow"))


def discard(submission_id: int) -> None:
    shutil.rmtree(folder_for(submission_id), ignore_errors=True)
