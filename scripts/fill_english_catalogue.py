"""English is the source language: its catalogue says each message as written in the code.

Run by `make messages` after makemessages, so the English catalogue is complete like the others.
"""

from pathlib import Path

import polib

CATALOGUE = Path("medtour/locale/en/LC_MESSAGES/django.po")


def main() -> None:
    po = polib.pofile(str(CATALOGUE))
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "Medtour",
            "Language": "en",
            "Language-Team": "English",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(CATALOGUE))


if __name__ == "__main__":
    main()
