"""A dashboard in Kazakh: Kazakh names and labels, no English UI text where Kazakh exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

# UI labels of the dashboard; each must appear in Kazakh (gettext), never in English when the
# Kazakh catalogue has it (new strings are translated after this change lands).
LABELS = [
    "Statistics",
    "year",
    "Table explorer",
    "Table",
    "The figures in this chart",
    "unique patients",
    "district",
    "share of the total",
    "Overview",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_dashboard_in_kazakh_shows_kazakh_labels(
    city_records: Any, persona_client: Any, analyst: Any
) -> None:
    analyst.preferred_language = "kk"
    analyst.save(update_fields=["preferred_language"])
    response = persona_client("analyst").get("/console/statistics/city/", {"year": "2016"})
    html = response.content.decode()
    assert '<html lang="kk">' in html
    text = visible_text(html)
    assert "Каннам ауданы" in text  # the district's Kazakh name, in the ranking table
    with translation.override("kk"):
        for label in LABELS:
            kazakh = translation.gettext(label)
            assert kazakh in html, label
            if kazakh != label:
                assert f">{label}<" not in html, label  # never as a label of its own
    # the charts carry the Kazakh name too, and no English role descriptions
    assert "Каннам ауданы" in "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert "aria-roledescription" not in html
