"""The briefing's prose: the facts as sentences in one of the six languages.

Each sentence is one translatable message with named placeholders (plural forms through
ngettext); numbers are formatted with Babel for the language (`|number`'s helper), lists with
Babel's list patterns, and districts, countries and departments are named from the reference
data through localize(). Nothing here computes a figure: it only words BriefingFacts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from medtour.localization.templatetags.localized import number
from medtour.localization.text import localize
from medtour.records.models import CareType
from medtour.reference.models import Country, Department, District
from medtour.stats.briefing_facts import BriefingFacts, Ranked

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass
class Section:
    key: str  # stable, for charts and anchors: summary, districts, nationalities …
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    chart: str = ""  # inline SVG, added by briefing_render.with_charts


@dataclass
class Briefing:
    language: str
    title: str
    sections: list[Section]
    facts: BriefingFacts
    area_name: str = ""


def babel_locale(language: str) -> Locale:
    """`zh-hans` -> zh_Hans_CN, as the `|number` filter does."""
    return Locale.parse(translation.to_locale(language).replace("zh_Hans", "zh_Hans_CN"))


def percent(fraction: float, language: str) -> str:
    """One decimal, with the language's own percent pattern (`12.5%`, `12,5 %`)."""
    locale = babel_locale(language)
    pattern = locale.percent_formats[None].pattern.split(";")[0].replace("#,##0", "#,##0.0", 1)
    return format_percent(fraction, format=pattern, locale=locale)


def ratio(value: float, language: str) -> str:
    return format_decimal(value, format="#,##0.0", locale=babel_locale(language))


def listing(items: list[str], language: str) -> str:
    return format_list(items, locale=babel_locale(language))


def names_of(dimension: str, codes: list[str], language: str) -> dict[str, str]:
    """Localised names of reference members; unknown codes keep their code."""
    models: dict[str, tuple[Any, str]] = {
        "district": (District, "code"),
        "nationality": (Country, "alpha2"),
        "department": (Department, "code"),
    }
    model, key = models[dimension]
    found = model.objects.filter(**{f"{key}__in": codes}).values_list(key, "names")
    names = {code: localize(values, language).text for code, values in found}
    return {code: names.get(code) or code for code in codes}


def write_briefing(facts: BriefingFacts, language: str) -> Briefing:
    """The briefing for FACTS in LANGUAGE (one of settings.LANGUAGES)."""
    with translation.override(language):
        area = localize(facts.area_names, language).text
        title = _("Foreign patients in %(area)s, %(year)s") % {
            "area": area,
            "year": facts.year,
        }
        writers: list[Callable[[BriefingFacts, str, str], Section | None]] = [
            _summary,
            _districts,
            _nationalities,
            _departments,
            _care,
            _targets,
            _about,
        ]
        sections = [
            section
            for writer in writers
            if (section := writer(facts, area, language)) is not None and section.paragraphs
        ]
    return Briefing(language, title, sections, facts, area)


def _summary(facts: BriefingFacts, area: str, language: str) -> Section:
    section = Section("summary", pgettext("briefing heading", "Summary"))
    say = section.paragraphs.append
    total = facts.total
    if total is None:
        say(
            _("No foreign patients are recorded for %(area)s in %(year)s.")
            % {"area": area, "year": facts.year}
        )
        return section
    say(
        ngettext(
            "In %(year)s, %(count)s foreign patient was treated in %(area)s, each person "
            "counted once.",
            "In %(year)s, %(count)s foreign patients were treated in %(area)s, each person "
            "counted once.",
            total,
        )
        % {"year": facts.year, "count": number(total), "area": area}
    )
    if facts.threshold is not None:
        mark = {"threshold": number(facts.threshold.value)}
        if facts.threshold.first_time:
            say(_("This is the first time the yearly total has passed %(threshold)s.") % mark)
        else:
            say(_("The yearly total passed %(threshold)s again.") % mark)
    if facts.previous is not None and facts.growth is not None:
        say(_growth_sentence(facts.growth, facts.previous, language))
    if facts.base is not None and facts.long_run_growth is not None and facts.cagr is not None:
        values = {
            "base_year": facts.base[0],
            "base": number(facts.base[1]),
            "percent": percent(abs(facts.long_run_growth), language),
            "cagr": percent(abs(facts.cagr), language),
        }
        if facts.long_run_growth >= 0:
            say(
                _(
                    "Since %(base_year)s (%(base)s), the number has grown by %(percent)s, "
                    "%(cagr)s a year on average."
                )
                % values
            )
        else:
            say(
                _(
                    "Since %(base_year)s (%(base)s), the number has fallen by %(percent)s, "
                    "%(cagr)s a year on average."
                )
                % values
            )
    return section


def _growth_sentence(growth: float, previous: tuple[int, int], language: str) -> str:
    values = {
        "percent": percent(abs(growth), language),
        "previous_year": previous[0],
        "previous": number(previous[1]),
    }
    if growth > 0:
        return (
            _("That is %(percent)s more than in %(previous_year)s, when there were %(previous)s.")
            % values
        )
    if growth < 0:
        return (
            _("That is %(percent)s fewer than in %(previous_year)s, when there were %(previous)s.")
            % values
        )
    return _("That is as many as in %(previous_year)s.") % values


def _item(name: str, value: str) -> str:
    return pgettext("briefing list item", "%(name)s (%(value)s)") % {"name": name, "value": value}


def _ranked_list(
    ranked: list[Ranked], names: Mapping[str, str], language: str, *, shares: bool
) -> str:
    items = [
        _item(
            names[member.code],
            percent(member.share, language)
            if shares and member.share is not None
            else number(member.value),
        )
        for member in ranked
    ]
    return listing(items, language)


def _districts(facts: BriefingFacts, area: str, language: str) -> Section | None:
    if facts.area is not None or not facts.districts:
        return None
    section = Section("districts", pgettext("briefing heading", "Districts"))
    names = names_of("district", [member.code for member in facts.districts], language)
    section.paragraphs.append(
        _("The districts that treated the most foreign patients were %(districts)s.")
        % {"districts": _ranked_list(facts.districts, names, language, shares=False)}
    )
    if facts.district_ratio is not None:
        first, second = facts.districts[0], facts.districts[1]
        section.paragraphs.append(
            _("%(first)s treated %(ratio)s times as many foreign patients as %(second)s.")
            % {
                "first": names[first.code],
                "second": names[second.code],
                "ratio": ratio(facts.district_ratio, language),
            }
        )
    section.paragraphs.append(
        _(
            "A patient treated in two districts counts once in each, so the districts' figures "
            "add up to more than the city's total."
        )
    )
    return section


def _nationalities(facts: BriefingFacts, area: str, language: str) -> Section | None:
    if not facts.nationalities:
        return None
    names = names_of("nationality", [member.code for member in facts.nationalities], language)
    section = Section("nationalities", pgettext("briefing heading", "Nationalities"))
    section.paragraphs.append(
        _("By nationality, the largest groups of patients were %(nationalities)s.")
        % {"nationalities": _ranked_list(facts.nationalities, names, language, shares=True)}
    )
    return section


def _departments(facts: BriefingFacts, area: str, language: str) -> Section | None:
    if not facts.departments:
        return None
    names = names_of("department", [member.code for member in facts.departments], language)
    section = Section("departments", pgettext("briefing heading", "Departments"))
    section.paragraphs.append(
        _(
            "The departments that treated the most patients were %(departments)s, as shares of "
            "the patients counted once per department."
        )
        % {"departments": _ranked_list(facts.departments, names, language, shares=True)}
    )
    return section


def _care(facts: BriefingFacts, area: str, language: str) -> Section | None:
    if not facts.care_types or not facts.episodes:
        return None
    labels = dict(CareType.choices)
    names = {member.code: str(labels.get(member.code, member.code)) for member in facts.care_types}
    section = Section("care", pgettext("briefing heading", "Care"))
    section.paragraphs.append(
        ngettext(
            "The %(count)s episode of care was %(mix)s.",
            "The %(count)s episodes of care were %(mix)s.",
            facts.episodes,
        )
        % {
            "count": number(facts.episodes),
            "mix": _ranked_list(facts.care_types, names, language, shares=True),
        }
    )
    return section


def _targets(facts: BriefingFacts, area: str, language: str) -> Section:
    section = Section("targets", pgettext("briefing heading", "Targets"))
    say = section.paragraphs.append
    if not facts.targets:
        say(_("No target is recorded for %(area)s.") % {"area": area})
        return section
    for target in facts.targets:
        values = {
            "year": facts.year,
            "target_year": target.year,
            "target": number(target.value),
            "share": percent(target.share_achieved or 0, language),
        }
        if target.year == facts.year:
            say(
                ngettext(
                    "The target for %(target_year)s was %(target)s foreign patient; "
                    "%(share)s of it was reached.",
                    "The target for %(target_year)s was %(target)s foreign patients; "
                    "%(share)s of it was reached.",
                    target.value,
                )
                % values
            )
        else:
            say(
                ngettext(
                    "The target for %(target_year)s is %(target)s foreign patient; the "
                    "%(year)s total is %(share)s of it.",
                    "The target for %(target_year)s is %(target)s foreign patients; the "
                    "%(year)s total is %(share)s of it.",
                    target.value,
                )
                % values
            )
        if target.growth_needed is not None and target.growth_observed is not None:
            say(
                _(
                    "Reaching it needs growth of %(needed)s a year from %(base_year)s, against "
                    "%(observed)s a year observed since %(observed_from)s."
                )
                % {
                    "needed": percent(target.growth_needed, language),
                    "observed": percent(target.growth_observed, language),
                    "base_year": target.base_year,
                    "observed_from": target.observed_from,
                }
            )
    return section


def _about(facts: BriefingFacts, area: str, language: str) -> Section:
    section = Section("about", pgettext("briefing heading", "About the figures"))
    say = section.paragraphs.append
    sources = facts.quality.sources
    if sources <= {"records"}:
        say(_("Every figure is counted from the patient records the institutions reported."))
    else:
        say(_("The figures are counted from the patient records the institutions reported."))
    if "aggregate" in sources:
        say(_("Some figures come from aggregate returns where no patient records exist."))
    if "estimate" in sources:
        say(_("Some figures are estimates."))
    if facts.quality.synthetic:
        say(
            _(
                "These are synthetic demonstration data, calibrated to the published "
                "statistics; they describe no real patient."
            )
        )
    if facts.quality.as_of:
        try:
            moment = datetime.fromisoformat(facts.quality.as_of)
        except ValueError:
            moment = None
        if moment is not None:
            say(
                _("Figures as of %(date)s.")
                % {"date": formats.date_format(moment, "DATE_FORMAT").rstrip(".")}
            )
    return section
