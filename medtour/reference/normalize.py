# ruff: noqa: RUF002, RUF003  (the characters this module normalises look like Latin ones)
"""The lookup key for anything people type: codes, names in any language, aliases."""

from __future__ import annotations

import unicodedata

# Typographic variants people and CLDR use interchangeably.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u02bc": "'",  # ʼ
        "\u02bb": "'",  # ʻ (o‘zbek is often typed o'zbek)
        "\u0060": "'",  # `
        "\u00b4": "'",  # ´
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00b7": " ",  # · as in 러시아·CIS
        "\u30fb": " ",  # ・
        "_": " ",
    }
)


def _strip_latin_accents(text: str) -> str:
    """`côte` -> `cote`, `türkiye` -> `turkiye`; Cyrillic (й, ё) and Hangul are left alone."""
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def normalize_key(value: object) -> str:
    """Case-, width-, punctuation- and space-insensitive key.

    `  China ` == `china` == `ＣＨＩＮＡ`; `Côte d’Ivoire` == `côte d'ivoire`. Accents are kept:
    Vietnamese `Áo` (Austria) is not `AO` (Angola). See `fold_key` for the looser key.
    """
    text = unicodedata.normalize("NFKC", str(value)).casefold().translate(_PUNCTUATION)
    return " ".join(text.split())


def fold_key(value: object) -> str:
    """`normalize_key` without accents on Latin letters: `Côte d’Ivoire` -> `cote d'ivoire`.

    Resolvers try it when the exact key is unknown. Only accents on Latin letters are dropped, so
    Russian `й`/`и`, Kazakh letters and Japanese kana stay distinct.
    """
    return " ".join(_strip_latin_accents(normalize_key(value)).split())


def loose_key(value: object) -> str:
    """`fold_key` with only letters and digits kept: `Guinea Bissau` == `guinea-bissau`.

    The last resort of the resolvers, used only where it names a single record.
    """
    return "".join(char for char in fold_key(value) if char.isalnum())
