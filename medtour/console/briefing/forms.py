"""The briefing's choice of year, area and language, limited to the user's areas."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from medtour.stats.briefing import FORMATS, briefing_areas


class BriefingForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    area = forms.ChoiceField(label=_("area"))
    lang = forms.ChoiceField(label=_("language of the text"), choices=settings.LANGUAGES)

    def __init__(self, data: Any, *, user: Any, years: list[int]) -> None:
        areas = briefing_areas(user)
        languages = dict(settings.LANGUAGES)
        language = get_language() or settings.LANGUAGE_CODE
        defaults = {
            "year": str(years[0] if years else timezone.localdate().year - 1),
            "area": areas[0][0] if areas else "",
            "lang": language if language in languages else settings.LANGUAGE_CODE,
        }
        # Missing fields take their defaults, so `?lang=ru` alone is a complete request.
        merged = {**defaults, **{key: value for key, value in data.items() if value}}
        super().__init__(merged)
        self.years = years
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = areas


class DownloadForm(BriefingForm):
    format = forms.ChoiceField(label=_("format"), choices=[(key, key) for key in FORMATS])
