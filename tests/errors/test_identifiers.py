from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medtour.identifiers import LARGEST_KEY, parse_id


@given(st.text())
def test_parse_id_returns_a_storable_key_or_nothing(text: str) -> None:
    value = parse_id(text)
    assert value is None or 0 < value <= LARGEST_KEY


@given(st.integers(min_value=1, max_value=LARGEST_KEY))
def test_parse_id_reads_every_key_back(key: int) -> None:
    assert parse_id(str(key)) == key
