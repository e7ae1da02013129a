"""Settings read from the environment: strict parsing and a clean deployment check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from medtour.env import EnvironmentError_, env_bool, env_int, env_list, env_str


@given(st.sampled_from(["1", "true", "TRUE", "yes", "On"]))
def test_env_bool_reads_true_spellings(value: str) -> None:
    os.environ["MEDTOUR_TEST_FLAG"] = value
    assert env_bool("MEDTOUR_TEST_FLAG", False) is True


@given(
    st.text(min_size=1).filter(
        lambda v: (
            v.strip().lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off", ""}
            and "\x00" not in v
        )
    )
)
def test_env_bool_refuses_anything_else_naming_the_variable(value: str) -> None:
    os.environ["MEDTOUR_TEST_FLAG"] = value
    with pytest.raises(EnvironmentError_, match="MEDTOUR_TEST_FLAG"):
        env_bool("MEDTOUR_TEST_FLAG", False)


def test_env_int_refuses_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDTOUR_TEST_INT", "ten")
    with pytest.raises(EnvironmentError_, match="MEDTOUR_TEST_INT must be a whole number"):
        env_int("MEDTOUR_TEST_INT", 1)


def test_env_list_and_file_variant(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("MEDTOUR_TEST_HOSTS", " a.example , b.example ,")
    assert env_list("MEDTOUR_TEST_HOSTS", []) == ["a.example", "b.example"]
    secret = tmp_path / "secret"  # type: ignore[operator]
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("MEDTOUR_TEST_SECRET_FILE", str(secret))
    assert env_str("MEDTOUR_TEST_SECRET", "") == "from-a-file"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update({"SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="medtour.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_start_refuses_a_missing_secret_key() -> None:
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
