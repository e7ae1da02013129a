"""Autouse fixtures for the sign-in, people and audit tests (imported where they apply)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and used authenticator codes live in the cache; no test inherits them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    """Pages link static files; tests do not run collectstatic, so skip the manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Production hashing is slow on purpose; these tests sign in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(client: Any) -> Iterator[None]:
    """Assertions read English text; Korean is the site default, so ask for English explicitly."""
    client.cookies["medtour_language"] = "en"
    with translation.override("en"):
        yield
