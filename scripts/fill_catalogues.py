"""Write translations into the six catalogues from JSON files, or list what is missing.

    python scripts/fill_catalogues.py translations.json [...]
    python scripts/fill_catalogues.py --missing medtour/pickups medtour/portal/pickups

A translations file maps each message to its text per catalogue language:
    {"Pick-up": {"ko": "…", "zh_Hans": "…", "ja": "…", "ru": "…", "kk": "…"}}
A message with a context is keyed "context\\u0004message"; a plural message is keyed by its
singular and gives a list of forms per language (as many as that catalogue's Plural-Forms).
`--missing` prints, in that format, every untranslated or fuzzy message whose source lies under
one of the given paths, for the languages that lack it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

LOCALE = Path("medtour/locale")
TRANSLATED = ("ko", "zh_Hans", "ja", "ru", "kk")


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def _is_missing(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags or not entry.translated()


def fill(paths: list[str]) -> int:
    wanted: dict[str, dict[str, object]] = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    unknown = set(wanted)
    for language in TRANSLATED:
        po = _catalogue(language)
        for entry in po:
            text = wanted.get(_key(entry), {}).get(language)
            if text is None:
                continue
            unknown.discard(_key(entry))
            if entry.msgid_plural:
                forms = text if isinstance(text, list) else [text]
                count = len(entry.msgstr_plural) or 1
                entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(count)}
            else:
                entry.msgstr = str(text)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgctxt = None
        po.save()
    for key in sorted(unknown):
        print(f"not in the catalogues (check the exact text): {key!r}", file=sys.stderr)
    return 1 if unknown else 0


def missing(prefixes: list[str]) -> int:
    found: dict[str, dict[str, object]] = {}
    for language in TRANSLATED:
        for entry in _catalogue(language):
            sources = [source for source, _line in entry.occurrences]
            if not _is_missing(entry) or not any(s.startswith(tuple(prefixes)) for s in sources):
                continue
            slot = found.setdefault(_key(entry), {})
            slot[language] = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else ""
    print(json.dumps(found, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--missing"]:
        sys.exit(missing(arguments[1:]))
    sys.exit(fill(arguments))
