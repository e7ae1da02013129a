"""A commit through the real services refreshes the statistics after its transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medtour.bench.synthetic import write_records_csv
from medtour.records.services import (
    reporting_period_for,
    submission_commit,
    submission_stage_file,
)
from medtour.stats.cube.build import rebuild
from medtour.stats.cube.engine import CubeEngine
from medtour.stats.cube.refresh import pending_submissions
from medtour.stats.query import PivotQuery

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_committed_rows_reach_the_cells(
    settings: Any, tmp_path: Path, gangnam_clinic: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    rebuild()
    path = write_records_csv(tmp_path / "records.csv", 40, year=2024)
    staged = submission_stage_file(
        institution=gangnam_clinic, period=reporting_period_for("2024"), path=path, actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = submission_commit(submission=staged.submission, actor=None, skip_invalid=True)
    assert pending_submissions() == []
    result = CubeEngine(fallback=False).pivot(PivotQuery(measure="episodes"))
    assert result.total == outcome.inserted > 0
