"""Multilingual content falls back to English, then Korean, and says when it does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medtour.localization.text import LANGUAGE_CODES, clean_localized, localize


def test_text_in_the_requested_language_is_not_a_fallback() -> None:
    text = localize({"ko": "강남구", "kk": "Каннам ауданы"}, "kk")
    assert (text.text, text.language, text.is_fallback) == ("Каннам ауданы", "kk", False)


def test_missing_language_falls_back_to_english_then_korean() -> None:
    assert localize({"ko": "강남구", "en": "Gangnam-gu"}, "kk").language == "en"
    only_korean = localize({"ko": "강남구"}, "ja")
    assert (only_korean.text, only_korean.language, only_korean.is_fallback) == (
        "강남구",
        "ko",
        True,
    )


def test_blank_text_counts_as_missing() -> None:
    assert localize({"ru": "  ", "en": "Dermatology"}, "ru").text == "Dermatology"


def test_nothing_at_all_gives_empty_text_without_fallback() -> None:
    text = localize({}, "ru")
    assert (text.text, text.is_fallback) == ("", False)


@given(
    st.dictionaries(st.sampled_from(LANGUAGE_CODES), st.text(max_size=20)),
    st.sampled_from(LANGUAGE_CODES),
)
def test_localize_returns_a_present_value_or_nothing(values: dict[str, str], language: str) -> None:
    text = localize(values, language)
    present = {code: value.strip() for code, value in values.items() if value.strip()}
    if present:
        assert present[text.language] == text.text
        assert text.is_fallback == (text.language != language)
    else:
        assert text.text == ""


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=20)))
def test_clean_localized_keeps_only_known_languages_with_text(values: dict[str, str]) -> None:
    cleaned = clean_localized(values)
    assert set(cleaned) <= set(LANGUAGE_CODES)
    assert all(text == text.strip() and text for text in cleaned.values())
