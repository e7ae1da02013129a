"""Reference tests may load other cities inside their transaction; forget cached lookups after."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from medtour.reference import loading
from medtour.reference.city import clear_city_cache
from medtour.reference.resolvers import clear_caches

DATA = Path(__file__).resolve().parent.parent / "data"
TESTVILLE = DATA / "cities" / "testville"
SEOUL = Path(__file__).resolve().parents[2] / "medtour" / "reference" / "cities" / "seoul"


@pytest.fixture(autouse=True)
def _fresh_reference_caches() -> Iterator[None]:
    """After a test that loaded reference data, forget the cached lookups: the test's
    transaction is rolled back, so their primary keys may point nowhere now."""
    before = loading.generation
    yield
    clear_city_cache()
    if loading.generation != before:
        clear_caches()


@pytest.fixture
def testville(tmp_path: Path) -> Path:
    """A writable copy of the made-up test city, for tests that break its files."""
    target = tmp_path / "testville"
    shutil.copytree(TESTVILLE, target)
    return target


@pytest.fixture
def seoul_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seoul"
    shutil.copytree(SEOUL, target)
    return target
