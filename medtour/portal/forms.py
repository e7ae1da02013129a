"""The filters above the public list of institutions (a GET form; its values go in the URL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from medtour.institutions.models import InstitutionType
from medtour.localization.text import localize
from medtour.portal.queries import InstitutionFilters, languages_spoken
from medtour.reference.models import Department, District, Language


def _by_name(records: Any) -> list[tuple[str, str]]:
    choices = [(record.code, localize(record.names).text) for record in records]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def _pick(model: Any, code: str | None) -> Any:
    return model.objects.filter(code=code).first() if code else None


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("institution search", "Name of the institution"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request: the labels are in the page language and follow the reference data.
        self._choose("district", _("All districts"), _by_name(District.objects.defer("boundary")))
        self._choose("department", _("All departments"), _by_name(Department.objects.all()))
        self._choose("type", _("All types"), InstitutionType.choices)
        self._choose("language", _("Any language"), _by_name(languages_spoken()))

    def _choose(self, name: str, everything: Any, choices: Sequence[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *choices]

    def filters(self) -> InstitutionFilters:
        """The valid filters; a value that is not valid is left out (and shown as an error)."""
        if not self.is_bound:
            return InstitutionFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InstitutionFilters(
            district=_pick(District, data.get("district")),
            department=_pick(Department, data.get("department")),
            language=_pick(Language, data.get("language")),
            type=data.get("type", ""),
            text=(data.get("q") or "").strip(),
        )
