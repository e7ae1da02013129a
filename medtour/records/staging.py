"""Where a draft submission's validated rows wait for the commit: Arrow files on local disk.

They hold pseudonyms and reference ids only, never a raw patient ID. A submission's rows are
written to a temporary folder and moved into place only when the draft is saved, so a crash
while staging leaves nothing that looks staged. Committing or discarding deletes them.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np
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
    """The staged rows part by part, each sorted by pseudonym."""
    for path in sorted(folder_for(submission_id).glob("part-*.arrow")):
        yield pl.read_ipc(path)


def has_staged_rows(submission_id: int) -> bool:
    return any(folder_for(submission_id).glob("part-*.arrow"))


def discard(submission_id: int) -> None:
    shutil.rmtree(folder_for(submission_id), ignore_errors=True)


class SeenKeys:
    """The natural keys of the rows accepted so far from one file, in memory that does not grow.

    Keys are frames of three integer columns, HIGH and LOW (the two halves of the pseudonym, a
    keyed hash, so uniformly spread) and REST (department and date packed), with the row that
    first had them. A bit array (a Bloom filter of 16 MB, three probes a key) tells which keys
    of a new batch may have been seen; only those are looked up exactly, among the latest keys
    kept in memory and the older ones spilled to small Arrow files in the staging folder. At a
    million keys about one in 100,000 is looked up for nothing, so a batch costs the same late
    in a file as early, and memory stays flat however long the file is.
    """

    BITS_LOG2 = 27
    KEEP_IN_MEMORY = 100_000

    def __init__(self, high: str, low: str, rest: str, row: str) -> None:
        self.key_columns = [high, low, rest]
        self.columns = [*self.key_columns, row]
        self._bits: np.ndarray | None = None
        self._recent: list[pl.DataFrame] = []
        self._recent_rows = 0
        self._spilled: list[Path] = []
        self._folder: Path | None = None

    def earlier(self, keys: pl.DataFrame) -> pl.DataFrame:
        """The keys among KEYS added before, with the row that first had each."""
        if self._bits is None:
            return keys.clear().select(self.columns)
        words, masks = self._probes(keys)
        present = ((self._bits[words] & masks) != 0).reshape(3, -1).all(axis=0)
        if not present.any():
            return keys.clear().select(self.columns)
        wanted = keys.filter(pl.Series(present)).select(self.key_columns)
        hits = [frame.join(wanted, on=self.key_columns, how="semi") for frame in self._recent]
        for path in self._spilled:  # one small file at a time: memory stays flat
            spilled = pl.read_ipc(path)
            hits.append(spilled.join(wanted, on=self.key_columns, how="semi"))
        return pl.concat(hits, how="vertical")

    def add(self, keys: pl.DataFrame) -> None:
        """Remember KEYS (none added before) with their first rows."""
        if keys.is_empty():
            return
        if self._bits is None:
            self._bits = np.zeros(1 << (self.BITS_LOG2 - 6), dtype=np.uint64)
        words, masks = self._probes(keys)
        np.bitwise_or.at(self._bits, words, masks)
        self._recent.append(keys.select(self.columns))
        self._recent_rows += keys.height
        if self._recent_rows >= self.KEEP_IN_MEMORY:
            self._spill()

    def _probes(self, keys: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Three bit positions a key (all first probes, then all second, then all third):
        word indexes and bit masks."""
        high, low, rest = (keys.get_column(name).to_numpy() for name in self.key_columns)
        mixed = rest.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # wraps, as meant
        first, second = high ^ mixed, low ^ (mixed >> np.uint64(17))
        top, middle = np.uint64(64 - self.BITS_LOG2), np.uint64((1 << self.BITS_LOG2) - 1)
        positions = np.concatenate([first >> top, (first >> np.uint64(8)) & middle, second >> top])
        return positions >> np.uint64(6), np.uint64(1) << (positions & np.uint64(63))

    def _spill(self) -> None:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="seen-keys-", dir=staging_root()))
            weakref.finalize(self, shutil.rmtree, self._folder, True)
        path = self._folder / f"keys-{len(self._spilled):05d}.arrow"
        pl.concat(self._recent, how="vertical").write_ipc(path, compression="uncompressed")
        self._spilled.append(path)
        self._recent = []
        self._recent_rows = 0
