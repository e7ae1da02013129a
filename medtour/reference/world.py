"""Countries, country aliases, country groups and languages: the same for every city.

Countries are every ISO 3166-1 entry in pycountry; their names come from CLDR through Babel,
never typed. Aliases (what people type for a country) are gathered in tiers:

1. codes: alpha-2, alpha-3, numeric;
2. the CLDR name in each of the six site languages;
3. the ISO 3166 English names in pycountry (name, official name, common name);
4. the CLDR name in the other locales our patients write in (EXTRA_LOCALES);
5. the curated file data/country_aliases.csv (official long names, abbreviations, variants).

A key (see normalize_key) claimed by two countries in tiers 1-4 goes to the lower tier (a code
beats a name); a tie within one tier is excluded from lookups, and the loader reports every
exclusion. A curated alias that would name a second country is refused as a file error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import gettext_lazy as _

from medtour.localization.text import LANGUAGE_CODES, field_suffix
from medtour.reference.errors import ReferenceFileError
from medtour.reference.files import NAME_COLUMNS, SLUG, names_from, read_csv
from medtour.reference.normalize import normalize_key

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_ALIASES_FILE = DATA_DIR / "country_aliases.csv"
COUNTRY_GROUPS_FILE = DATA_DIR / "country_groups.csv"
LANGUAGES_FILE = DATA_DIR / "languages.csv"
PYCOUNTRY = Path("pycountry (ISO 3166-1)")

# Site language code -> CLDR locale identifier.
CLDR_LOCALES = {code: code.replace("zh-hans", "zh_Hans") for code in LANGUAGE_CODES}
# Other CLDR locales whose country names are accepted as aliases: the languages in which most
# foreign patients in Seoul write (see docs/reference-data.md).
EXTRA_LOCALES = (
    "zh_Hant",
    "yue",
    "mn",
    "vi",
    "th",
    "id",
    "ms",
    "fil",
    "uz",
    "uz_Cyrl",
    "ky",
    "tg",
    "tk",
    "ar",
    "fa",
    "tr",
    "hi",
    "uk",
    "es",
    "fr",
    "de",
    "pt",
    "it",
)
# Languages whose CLDR names are mid-sentence lower case ("русский"); a label starts upper case.
CAPITALIZED_LANGUAGES = ("ru", "kk")

TIER_CODE, TIER_NAME, TIER_ISO, TIER_EXTRA, TIER_CURATED = range(5)
TIER_LABELS = {
    TIER_CODE: "ISO code",
    TIER_NAME: "CLDR name",
    TIER_ISO: "ISO 3166 English name",
    TIER_EXTRA: "CLDR name (other locale)",
    TIER_CURATED: "country_aliases.csv",
}


@cache
def cldr(locale: str) -> Locale:
    return Locale.parse(locale)


def label_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


@dataclass
class CountryRecord:
    alpha2: str
    alpha3: str
    numeric: str
    names: dict[str, str]


@dataclass
class AliasClaim:
    alias: str
    country: str
    tier: int
    source: str


@dataclass
class ExcludedAlias:
    alias: str
    countries: list[str]
    reason: str

    def __str__(self) -> str:
        return f"{self.alias!r} ({', '.join(self.countries)}): {self.reason}"


@dataclass
class CountryData:
    countries: dict[str, CountryRecord]
    aliases: dict[str, tuple[str, str]]  # normalised key -> (display alias, alpha-2)
    excluded: list[ExcludedAlias] = field(default_factory=list)


def read_countries(aliases_path: Path = COUNTRY_ALIASES_FILE) -> CountryData:
    countries: dict[str, CountryRecord] = {}
    for entry in pycountry.countries:
        names: dict[str, str] = {}
        for language, locale in CLDR_LOCALES.items():
            name = cldr(locale).territories.get(entry.alpha_2)
            if not name:
                raise ReferenceFileError(
                    PYCOUNTRY,
                    _("CLDR has no %(language)s name for %(code)s")
                    % {"language": language, "code": entry.alpha_2},
                    column=f"name_{field_suffix(language)}",
                )
            names[language] = name
        countries[entry.alpha_2] = CountryRecord(
            alpha2=entry.alpha_2, alpha3=entry.alpha_3, numeric=entry.numeric, names=names
        )

    claims: dict[str, list[AliasClaim]] = defaultdict(list)

    def claim(alias: str, country: str, tier: int, source: str) -> None:
        alias = " ".join(alias.split())
        key = normalize_key(alias)
        if key:
            claims[key].append(AliasClaim(alias, country, tier, source))

    for entry in pycountry.countries:
        code = entry.alpha_2
        for value in (entry.alpha_2, entry.alpha_3, entry.numeric):
            claim(value, code, TIER_CODE, "ISO 3166-1")
        for language, name in countries[code].names.items():
            claim(name, code, TIER_NAME, f"CLDR {language}")
        for attribute in ("name", "official_name", "common_name"):
            iso_name = getattr(entry, attribute, None)
            if iso_name:
                claim(iso_name, code, TIER_ISO, f"ISO 3166-1 {attribute}")
        for locale in EXTRA_LOCALES:
            name = cldr(locale).territories.get(code)
            if name:
                claim(name, code, TIER_EXTRA, f"CLDR {locale}")

    aliases: dict[str, tuple[str, str]] = {}
    excluded: list[ExcludedAlias] = []
    for key, found in claims.items():
        best = min(item.tier for item in found)
        winners = {item.country for item in found if item.tier == best}
        losers = sorted({item.country for item in found} - winners)
        display = next(item.alias for item in found if item.tier == best)
        if len(winners) > 1:
            excluded.append(
                ExcludedAlias(
                    display,
                    sorted(winners),
                    f"names {len(winners)} countries as {TIER_LABELS[best]}",
                )
            )
            continue
        winner = winners.pop()
        if losers:
            lost = [item for item in found if item.country in losers]
            excluded.append(
                ExcludedAlias(
                    lost[0].alias,
                    losers,
                    f"{lost[0].source} name; kept for {winner} as {TIER_LABELS[best]}",
                )
            )
        aliases[key] = (display, winner)

    _add_curated_aliases(aliases_path, countries, aliases, claims)
    return CountryData(countries=countries, aliases=aliases, excluded=excluded)


def _add_curated_aliases(
    path: Path,
    countries: dict[str, CountryRecord],
    aliases: dict[str, tuple[str, str]],
    claims: dict[str, list[AliasClaim]],
) -> None:
    curated: dict[str, int] = {}
    for row in read_csv(path, ("alias", "country")):
        alias = " ".join(row.get("alias").split())
        code = row.get("country").upper()
        key = normalize_key(alias)
        if not key:
            raise row.error("alias", _("empty alias"))
        if len(alias) > 120:
            raise row.error("alias", _("longer than 120 characters"))
        if code not in countries:
            raise row.error(
                "country", _("%(code)r is not an ISO 3166-1 alpha-2 code") % {"code": code}
            )
        if key in curated:
            raise row.error(
                "alias",
                _("%(alias)r is already on row %(row)s") % {"alias": alias, "row": curated[key]},
            )
        curated[key] = row.line
        others = sorted({item.country for item in claims.get(key, [])} - {code})
        if others:
            sources = ", ".join(
                f"{item.country} ({item.source})" for item in claims[key] if item.country != code
            )
            raise row.error(
                "alias",
                _("%(alias)r would name two countries: %(code)s here and %(others)s")
                % {"alias": alias, "code": code, "others": sources},
            )
        if key not in aliases:
            aliases[key] = (alias, code)


# Country groups -------------------------------------------------------------------------------

GROUP_KINDS = ("region", "bloc")


@dataclass
class CountryGroupRecord:
    code: str
    kind: str
    line: int
    names: dict[str, str]
    countries: list[str]
    sort_order: int


def read_country_groups(
    countries: dict[str, CountryRecord], path: Path = COUNTRY_GROUPS_FILE
) -> dict[str, CountryGroupRecord]:
    """Groups by code. Regions partition the world: every country is in exactly one region."""
    groups: dict[str, CountryGroupRecord] = {}
    region_of: dict[str, str] = {}
    for index, row in enumerate(read_csv(path, ("code", "kind", *NAME_COLUMNS, "countries"))):
        code = row.get("code")
        if not SLUG.match(code) or len(code) > 40:
            raise row.error("code", _("%(code)r is not a lower-case code") % {"code": code})
        if code in groups:
            raise row.error("code", _("duplicate code %(code)s") % {"code": code})
        kind = row.get("kind")
        if kind not in GROUP_KINDS:
            raise row.error("kind", _("%(value)r is not region or bloc") % {"value": kind})
        names = names_from(row)
        for language in LANGUAGE_CODES:
            if not names.get(language):
                raise row.error(f"name_{field_suffix(language)}", _("empty name"))
        members: list[str] = []
        for member in row.get("countries").replace(",", " ").split():
            member = member.upper()
            if member not in countries:
                raise row.error(
                    "countries", _("%(code)r is not an ISO 3166-1 alpha-2 code") % {"code": member}
                )
            if member in members:
                raise row.error("countries", _("%(code)s is listed twice") % {"code": member})
            if kind == "region":
                if member in region_of:
                    raise row.error(
                        "countries",
                        _("%(code)s is already in region %(region)s")
                        % {"code": member, "region": region_of[member]},
                    )
                region_of[member] = code
            members.append(member)
        if not members:
            raise row.error("countries", _("no countries"))
        groups[code] = CountryGroupRecord(code, kind, row.line, names, members, index)
    missing = sorted(set(countries) - set(region_of))
    if missing:
        raise ReferenceFileError(
            path,
            _("every country must be in one region; not in any: %(codes)s")
            % {"codes": " ".join(missing)},
            column="countries",
        )
    return groups


# Languages ------------------------------------------------------------------------------------


@dataclass
class LanguageRecord:
    code: str
    line: int
    names: dict[str, str]
    autonym: str
    sort_order: int


def read_languages(path: Path = LANGUAGES_FILE) -> dict[str, LanguageRecord]:
    """Languages by code, with names in the six site languages and their own name, from CLDR."""
    languages: dict[str, LanguageRecord] = {}
    for index, row in enumerate(read_csv(path, ("code",))):
        code = row.get("code")
        if (
            not code
            or len(code) > 10
            or not code.replace("_", "").isalpha()
            or code != code.lower()
        ):
            raise row.error(
                "code", _("%(code)r is not a lower-case language code") % {"code": code}
            )
        if code in languages:
            raise row.error("code", _("duplicate code %(code)s") % {"code": code})
        names: dict[str, str] = {}
        for language, locale in CLDR_LOCALES.items():
            name = cldr(locale).languages.get(code)
            if not name:
                raise row.error(
                    "code",
                    _("CLDR has no %(language)s name for language %(code)s")
                    % {"language": language, "code": code},
                )
            names[language] = label_case(name) if language in CAPITALIZED_LANGUAGES else name
        try:
            autonym = label_case(cldr(code).languages.get(code) or "")
        except (UnknownLocaleError, ValueError):
            autonym = ""
        languages[code] = LanguageRecord(code, row.line, names, autonym, index)
    if not languages:
        raise ReferenceFileError(path, _("no languages in the file"))
    return languages
