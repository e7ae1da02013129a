"""The synthetic demo seeded for real (committed) by a module's tests, and removed afterwards so
that other tests see an empty registry and unbuilt statistics."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def remove_demo(first_event: int, periods: set[int]) -> None:
    forget_statistics()  # seed_demo built them
    PatientRecord.objects.all()._raw_delete(PatientRecord.objects.db)
    Submission.objects.all().delete()
    Institution.objects.filter(is_synthetic=True).delete()
    Facilitator.objects.filter(is_synthetic=True).delete()
    AuditEvent.objects.filter(id__gt=first_event).delete()
    ReportingPeriod.objects.exclude(id__in=periods).delete()


@contextmanager
def demo_seeded(django_db_blocker: Any, var_dir: Path, *seed_args: str) -> Iterator[None]:
    """The demo registry and `seed_demo SEED_ARGS` (statistics built), committed for real and
    removed afterwards, so that other tests see an empty registry and unbuilt statistics."""
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        periods = set(ReportingPeriod.objects.values_list("id", flat=True))
        first_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            with translation.override("en"):
                call_command("seed_demo_registry", DEMO, stdout=io.StringIO())
            run_seed_demo(*seed_args)
            yield
        finally:
            remove_demo(first_event, periods)
