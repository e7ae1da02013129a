"""On SQLite (the embedded default) a write that comes while another process holds the write
lock — the background statistics refresh, a commit — waits for it instead of failing with
"database is locked" (issue 12). Real processes on a real database file, as in production."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking only",
)

HOLD_THE_LOCK = """
import time
from django.db import transaction
from medtour.reference.models import Language
with transaction.atomic():
    Language.objects.filter(code="en").update(code="en")
    print("locked", flush=True)
    time.sleep(7)
"""
WRITE = """
from medtour.audit.services import record_event
record_event(actor=None, action="update", actor_label="writer")
print("written", flush=True)
"""


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_writer_waits_for_a_long_write_transaction(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrate = _manage(env, "migrate", "--no-input", "-v", "0")
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read() if migrate.stderr else ""

    holder = _manage(env, "shell", "--no-imports", "-c", HOLD_THE_LOCK)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    writer = _manage(env, "shell", "--no-imports", "-c", WRITE)
    out, err = writer.communicate(timeout=120)
    waited = time.monotonic() - started
    holder.wait(timeout=60)

    # Longer than SQLite's default five-second busy timeout, and it still succeeded.
    assert writer.returncode == 0, err
    assert out.strip() == "written"
    assert waited > 5
