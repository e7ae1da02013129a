"""`manage.py briefing`: Markdown to standard output, PDF to a file, clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.stats.briefing_data import build_small_city
from tests.stats.builders import GANGNAM

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_city() -> None:
    build_small_city()


def test_markdown_goes_to_standard_output(small_city: None) -> None:
    out = io.StringIO()
    call_command("briefing", "--year", "2016", "--area", "seoul", "--lang", "en", stdout=out)
    text = out.getvalue()
    assert text.startswith("# Foreign patients in Seoul, 2016")
    assert "In 2016, 11 foreign patients were treated in Seoul" in text


def test_a_district_briefing_as_pdf_is_written_to_a_file(small_city: None, tmp_path: Path) -> None:
    target = tmp_path / "gangnam.pdf"
    call_command(
        "briefing",
        "--year",
        "2016",
        "--area",
        GANGNAM,
        "--lang",
        "kk",
        "--format",
        "pdf",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_a_pdf_needs_an_output(small_city: None) -> None:
    with pytest.raises(CommandError, match="--output"):
        call_command("briefing", "--year", "2016", "--format", "pdf")


def test_an_unknown_area_is_a_command_error(small_city: None) -> None:
    with pytest.raises(CommandError, match="99999"):
        call_command("briefing", "--year", "2016", "--area", "99999", stdout=io.StringIO())
