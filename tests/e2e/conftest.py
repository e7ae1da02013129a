"""End-to-end tests: the real server, prepared as `make run` prepares it, in headless Chromium.

The server runs in a subprocess on a free port with its own SQLite file, production settings
(DEBUG off, collected static files, the strict Content Security Policy) and the demo data, so the
browser sees what a user sees. Debian's Chromium is driven by Playwright for Python.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "e2e-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "PSEUDONYM_KEY": "e2e-only-pseudonym-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDTOUR_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'e2e.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def live_url(server_env: dict[str, str]) -> Iterator[str]:
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["load_reference", "-v", "0"],
        ["seed_demo_registry", "--i-know-this-is-a-demo"],
        # A small calibrated sample (about 9,000 episodes, ~10 s) for the dashboard and briefing
        # tests; seed_demo builds the statistics after writing the records.
        ["seed_demo", "--years", "2015-2016", "--scale", "0.02", "--i-know-this-is-a-demo"],
        ["seed_demo_users", "--i-know-this-is-a-demo"],
    ):
        manage(server_env, *command)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nostatic", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/ko/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the e2e server did not start within 30 s")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, live_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_url, locale="en-US")  # type: ignore[attr-defined]
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
