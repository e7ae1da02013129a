"""Every message is translated in all six catalogues, none fuzzy, none an English copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
LOCALE_DIR = PROJECT / "medtour" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Words that stay the same in every language: names and codes, not prose.
SAME_IN_EVERY_LANGUAGE = {
    "Medtour",
    "API",
    "KAHF",
    "JCI",
    "KOIHA",
    "CSV",
    "XLSX",
    "JSON",
    "TOTP",
    "ID",
    "URL",
    "IPv4",
    "IPv6",
}
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sd]|\{[a-z_0-9]+\}")


def catalogue_path(language: str) -> Path:
    folder = language.replace("-hans", "_Hans")
    return LOCALE_DIR / folder / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> polib.POFile:
    path = catalogue_path(language)
    assert path.exists(), f"missing catalogue {path}; run `make messages`"
    return polib.pofile(str(path))


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Messages marked in the source now, extracted from a copy of the code by makemessages."""
    copy = tmp_path_factory.mktemp("extract")
    shutil.copytree(
        PROJECT / "medtour",
        copy / "medtour",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "cities", "data"),
    )
    (copy / "medtour" / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "medtour.settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    extracted = polib.pofile(str(copy / "medtour" / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return {(entry.msgctxt or "", entry.msgid) for entry in extracted}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_every_marked_message(
    language: str, source_msgids: set[tuple[str, str]]
) -> None:
    present = {(entry.msgctxt or "", entry.msgid) for entry in catalogue(language)}
    missing = sorted(msgid for _ctx, msgid in source_msgids - present)
    assert not missing, f"{language}: {len(missing)} messages not in the catalogue: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_message(language: str) -> None:
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_translations_are_not_english_copies(language: str) -> None:
    copies = [
        entry.msgid
        for entry in catalogue(language)
        if entry.msgstr == entry.msgid and _has_prose(entry.msgid)
    ]
    assert not copies, f"{language}: {len(copies)} messages left in English: {copies[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    broken = []
    for entry in catalogue(language):
        for source, translated in _pairs(entry):
            if _placeholders(source) != _placeholders(translated):
                broken.append(entry.msgid)
    assert not broken, f"{language}: placeholders differ in: {broken[:10]}"


def _has_prose(text: str) -> bool:
    """Whether TEXT has words to translate once placeholders, names and codes are set aside."""
    words = re.split(r"[^\w]+", PLACEHOLDER.sub(" ", text))
    return any(w and w not in SAME_IN_EVERY_LANGUAGE and any(c.isalpha() for c in w) for w in words)


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    if entry.msgid_plural:
        return [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
    return [(entry.msgid, entry.msgstr)]


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
