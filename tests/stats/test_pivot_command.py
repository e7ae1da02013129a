"""`manage.py pivot`: tables, CSV and JSON with codes and labels; clear errors, exit 2."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.stats.builders import GANGNAM, SEOCHO, clinic, episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    episode("ann", clinic(GANGNAM), nationality="CN")
    episode("ann", clinic(SEOCHO), nationality="CN", month=2)
    episode("bo", clinic(SEOCHO), nationality="US", year=2017)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pivot", *args, stdout=out)
    return out.getvalue()


def test_json_has_codes_labels_and_real_totals(records: None) -> None:
    body = json.loads(
        run("--rows", "district", "--cols", "year", "--lang", "en", "--format", "json")
    )
    assert [row["codes"] for row in body["rows"]] == [[SEOCHO], [GANGNAM]]
    assert body["rows"][1]["label"] == "Gangnam-gu"
    assert body["cells"] == [[1, 1], [1, None]]
    assert body["row_totals"] == [2, 1]
    assert body["col_totals"] == [1, 1]
    assert body["total"] == 2


def test_filters_and_csv(records: None) -> None:
    text = run("--rows", "district", "--filter", "nationality=CN", "--format", "csv")
    assert text.splitlines() == [
        ",,total",
        f"{SEOCHO},1,1",
        f"{GANGNAM},1,1",
        "total,1,1",
    ]


def test_the_table_is_in_the_chosen_language(records: None) -> None:
    assert "강남구" in run("--rows", "district", "--lang", "ko")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--rows", "colour"), "colour"),
        (("--measure", "smiles"), "smiles"),
        (("--filter", "year=20x6"), "20x6"),
        (("--filter", "year"), "year"),
    ],
)
def test_a_bad_part_is_named_and_exits_2(records: None, args: Any, named: str) -> None:
    with pytest.raises(CommandError, match=named) as raised:
        run(*args)
    assert raised.value.returncode == 2
