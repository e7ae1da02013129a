"""The demo is seeded once per module (registry and one year take seconds, not milliseconds)
and everything it wrote is removed afterwards, so other tests see an empty registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.demo_seeding import demo_seeded, run_seed_demo


class SeededDemo:
    """Runs seed_demo again; knows where the first run wrote its metadata."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir

    def __call__(self, *args: str) -> str:
        return run_seed_demo(*args)

    @property
    def metadata_path(self) -> Path:
        return self.var_dir / "demo" / "records-metadata.json"


@pytest.fixture(scope="module")
def seeded_2016(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SeededDemo]:
    """The registry and the 2016 demo at scale 1; yields a function that runs seed_demo again."""
    var_dir = tmp_path_factory.mktemp("var")
    with demo_seeded(django_db_blocker, var_dir, "--years", "2016"):
        yield SeededDemo(var_dir)
