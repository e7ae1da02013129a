"""The demo is seeded once per module (registry and one year take seconds, not milliseconds)
and everything it wrote is removed afterwards, so other tests see an empty registry."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from medtour.audit.models import AuditEvent
from medtour.institutions.models import Facilitator, Institution
from medtour.records.models import PatientRecord, ReportingPeriod, Submission
from tests.stats.builders import forget_statistics

DEMO = "--i-know-this-is-a-demo"


def run_seed_demo(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", DEMO, *args, stdout=out)
    return out.getvalue()


def _remove_demo(first_event: int, periods: set[int]) -> None:
    forget_statistics()  # seed_demo built them
    PatientRecord.objects.all()._raw_delete(PatientRecord.objects.db)
    Submission.objects.all().delete()
    Institution.objects.filter(is_synthetic=True).delete()
    Facilitator.objects.filter(is_synthetic=True).delete()
    AuditEvent.objects.filter(id__gt=first_event).delete()
    ReportingPeriod.objects.exclude(id__in=periods).delete()


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
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        periods = set(ReportingPeriod.objects.values_list("id", flat=True))
        first_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with translation.override("en"):
            call_command("seed_demo_registry", DEMO, stdout=io.StringIO())
        try:
            run_seed_demo("--years", "2016")
            yield SeededDemo(var_dir)
        finally:
            _remove_demo(first_event, periods)
