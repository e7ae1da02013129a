"""Autouse fixture for the sign-in, people and audit tests, whose assertions read English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client: Any) -> Iterator[None]:
    """Assertions read English text; Korean is the site default, so ask for English explicitly."""
    client.cookies["medtour_language"] = "en"
    with translation.override("en"):
        yield
