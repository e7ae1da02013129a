"""Patient pseudonyms: a keyed hash of the normalised passport or ID number.

The same number, written `m1234-5678` at one clinic and `M 1234 5678` in full-width digits
at another, gives the same pseudonym; without the key nobody can recompute it from a guessed
number. Raw numbers are never stored (docs/privacy.md). The key lives outside the database
(`PSEUDONYM_KEY` or `PSEUDONYM_KEY_FILE`); rotation keeps the previous key beside the new one
for a while and links each person's old pseudonym to the new one as they are reported again.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from medtour.records.models import PSEUDONYM_BYTES

# Whitespace and every dash-like character people type inside ID numbers.
_SEPARATORS = frozenset(
    " \t\r\n\u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
)
# Domain separation: the same secret used elsewhere never yields these pseudonyms.
_PERSONALIZATION = b"medtour-patient"


class PseudonymKeyMissing(ImproperlyConfigured):
    def __init__(self) -> None:
        super().__init__(
            _(
                "PSEUDONYM_KEY is not set: patient records cannot be imported without it. "
                "Set PSEUDONYM_KEY or PSEUDONYM_KEY_FILE (see docs/privacy.md)."
            )
        )


def normalize_patient_id(raw: object) -> str:
    """NFKC, upper case, without spaces and hyphens: `m1234-5678` -> `M12345678`."""
    text = str(raw)
    # Removing a separator can leave a combining mark to compose anew (`H¨` is `H`, a space
    # and a diaeresis under NFKC), so repeat until nothing changes; twice is almost always enough.
    for _round in range(4):
        cleaned = "".join(
            char for char in unicodedata.normalize("NFKC", text).upper() if char not in _SEPARATORS
        )
        if cleaned == text:
            break
        text = cleaned
    return text


def mask_patient_id(raw: object) -> str:
    """Enough to find the row in one's own file, not enough to identify anyone: `*****678`."""
    text = normalize_patient_id(raw)
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 3) + text[-3:]


@dataclass(frozen=True)
class PseudonymKey:
    version: int
    secret: bytes

    def hasher(self) -> hashlib.blake2b:
        """A keyed BLAKE2b state, copied per value (keying costs one compression each time)."""
        return hashlib.blake2b(
            key=self.secret, digest_size=PSEUDONYM_BYTES, person=_PERSONALIZATION[:16]
        )


def _derive(secret: str) -> bytes:
    # BLAKE2b keys are at most 64 bytes; any secret, however long, is condensed to 32.
    return hashlib.blake2b(secret.encode("utf-8"), digest_size=32).digest()


def current_key() -> PseudonymKey:
    secret = getattr(settings, "PSEUDONYM_KEY", "") or ""
    if not secret.strip():
        raise PseudonymKeyMissing()
    version = int(getattr(settings, "PSEUDONYM_KEY_VERSION", 1) or 1)
    return PseudonymKey(version=version, secret=_derive(secret))


def previous_key() -> PseudonymKey | None:
    """The key being rotated out, while a rotation is under way (docs/privacy.md)."""
    secret = getattr(settings, "PSEUDONYM_PREVIOUS_KEY", "") or ""
    if not secret.strip():
        return None
    current = current_key()
    return PseudonymKey(version=current.version - 1, secret=_derive(secret))


def pseudonymize(raw: object, key: PseudonymKey | None = None) -> bytes:
    """The 16-byte pseudonym of one passport or ID number."""
    key = key or current_key()
    hasher = key.hasher()
    hasher.update(normalize_patient_id(raw).encode("utf-8"))
    return hasher.digest()


def pseudonymize_normalized(values: Iterable[str], key: PseudonymKey) -> list[bytes]:
    """Pseudonyms of already normalised numbers: the hot loop of a bulk import."""
    base = key.hasher()
    result: list[bytes] = []
    append = result.append
    for value in values:
        hasher = base.copy()
        hasher.update(value.encode("utf-8"))
        append(hasher.digest())
    return result


def pseudonymize_encoded(values: Iterable[bytes], key: PseudonymKey) -> list[bytes]:
    """`pseudonymize_normalized` for numbers already UTF-8 encoded (a Polars Binary column)."""
    copy = key.hasher().copy

    def one(value: bytes) -> bytes:
        hasher = copy()
        hasher.update(value)
        return hasher.digest()

    return list(map(one, values))
