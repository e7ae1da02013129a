"""The in-file duplicate check's memory: exact answers from a Bloom filter and spilled keys."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtour.records.staging import SeenKeys

SCHEMA = {"high": pl.UInt64, "low": pl.UInt64, "rest": pl.Int64, "row": pl.Int32}


def frame(keys: list[tuple[int, int, int]], first_row: int) -> pl.DataFrame:
    return pl.DataFrame(
        [(*key, first_row + offset) for offset, key in enumerate(keys)], schema=SCHEMA, orient="row"
    )


def first_rows(found: pl.DataFrame) -> dict[tuple[int, int, int], int]:
    return {(high, low, rest): row for high, low, rest, row in found.iter_rows()}


@pytest.fixture
def tiny(settings, tmp_path, monkeypatch):
    """A filter small enough to answer "maybe" often, and keys spilled every few rows."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(SeenKeys, "BITS_LOG2", 8)
    monkeypatch.setattr(SeenKeys, "KEEP_IN_MEMORY", 3)


def test_nothing_is_seen_before_the_first_batch():
    seen = SeenKeys("high", "low", "rest", row="row")
    assert seen.earlier(frame([(1, 2, 3)], 2)).is_empty()


def test_keys_of_earlier_batches_are_found_with_their_first_row(tiny, tmp_path):
    seen = SeenKeys("high", "low", "rest", row="row")
    seen.add(frame([(1, 1, 1), (2, 2, 2)], 2))
    seen.add(frame([(3, 3, 3), (4, 4, 4)], 4))  # spilled to disk by now
    assert list(tmp_path.rglob("keys-*.arrow"))
    found = seen.earlier(frame([(2, 2, 2), (5, 5, 5), (4, 4, 4)], 9))
    assert first_rows(found) == {(2, 2, 2): 3, (4, 4, 4): 5}


def test_the_spill_folder_goes_with_the_keys(tiny, tmp_path):
    seen = SeenKeys("high", "low", "rest", row="row")
    seen.add(frame([(index, index, index) for index in range(5)], 2))
    folders = list(tmp_path.rglob("seen-keys-*"))
    assert folders
    del seen
    assert not any(folder.exists() for folder in folders)


keys = st.tuples(st.integers(0, 3), st.integers(0, 2**64 - 1), st.integers(-(2**40), 2**40)).map(
    lambda key: (key[1] if key[0] else key[0], key[1] >> 3, key[2])
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(keys, max_size=12), max_size=8))
def test_answers_are_exact_however_often_the_filter_errs(batches):
    """Against a plain dictionary: every seen key found with its first row, nothing else."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SeenKeys, "BITS_LOG2", 7)
        patch.setattr(SeenKeys, "KEEP_IN_MEMORY", 5)
        seen = SeenKeys("high", "low", "rest", row="row")
        expected: dict[tuple[int, int, int], int] = {}
        next_row = 2
        for batch in batches:
            distinct = list(dict.fromkeys(batch))
            probe = frame(distinct, next_row)
            found = first_rows(seen.earlier(probe))
            assert found == {key: expected[key] for key in distinct if key in expected}
            fresh = [key for key in distinct if key not in expected]
            added = frame(fresh, next_row)
            seen.add(added)
            expected.update(first_rows(added))
            next_row += len(distinct)
