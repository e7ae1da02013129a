"""The one validator of a target, and the scenario form of the console."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medtour.accounts.scope import can_edit_area
from medtour.localization.text import localize
from medtour.reference.models import Country, Department, District
from medtour.targets.models import Target


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ("district", "year", "value", "kind", "label", "source_url", "note")

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        field = self.fields["district"]
        allowed = [
            district.pk
            for district in District.objects.only("pk", "code")
            if can_edit_area(actor, district.code)
        ]
        field.queryset = District.objects.filter(pk__in=allowed)  # type: ignore[attr-defined]
        field.label_from_instance = lambda district: localize(district.names).text  # type: ignore[attr-defined]
        field.empty_label = _("the whole city")  # type: ignore[attr-defined]
        field.required = not can_edit_area(actor, None)

    def clean_district(self) -> District | None:
        district = self.cleaned_data.get("district")
        if not can_edit_area(self.actor, district.code if district else None):
            raise forms.ValidationError(_("You may not set targets for this area."))
        return district


SEGMENT_DIMENSIONS = (("nationality", _("nationality")), ("department", _("department")))


class ScenarioForm(forms.Form):
    """A shock of PERCENT to one nationality or department from START for MONTHS months."""

    dimension = forms.ChoiceField(label=_("segment"), choices=SEGMENT_DIMENSIONS)
    nationality = forms.ChoiceField(label=_("nationality"), required=False)
    department = forms.ChoiceField(label=_("department"), required=False)
    percent = forms.FloatField(
        label=_("change (%)"),
        min_value=-100,
        max_value=500,
        initial=-40,
        # xgettext:no-python-format
        help_text=_("-40 means 40 % fewer patients of that segment."),
    )
    start = forms.RegexField(
        label=_("from month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text=_("e.g. 2025-01"),
        error_messages={"invalid": _("Enter a month such as 2025-01.")},
    )
    months = forms.IntegerField(label=_("for months"), min_value=1, max_value=60, initial=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = sorted(
            ((country.alpha2, localize(country.names).text) for country in Country.objects.all()),
            key=lambda choice: choice[1].casefold(),
        )
        self.fields["nationality"].choices = [("", "—"), *countries]  # type: ignore[attr-defined]
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((item.code, localize(item.names).text) for item in Department.objects.all()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dimension = cleaned.get("dimension")
        if dimension and not cleaned.get(dimension):
            self.add_error(dimension, _("Choose the segment the change applies to."))
        cleaned["code"] = cleaned.get(dimension or "", "")
        return cleaned
