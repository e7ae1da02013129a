"""The filter bar above the registry lists (GET forms; the selectors do the filtering)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medtour.institutions.models import InstitutionType, RegistrationStatus
from medtour.reference.models import Department, District

ANY = [("", _("any"))]


def _districts() -> list[tuple[str, Any]]:
    return ANY + [(district.code, str(district)) for district in District.objects.all()]


def _departments() -> list[tuple[str, Any]]:
    return ANY + [(department.code, str(department)) for department in Department.objects.all()]


class RegistryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("name in any language, code or number")}),
    )
    district = forms.ChoiceField(label=_("district"), required=False, choices=_districts)
    status = forms.ChoiceField(
        label=_("registration status"), required=False, choices=ANY + RegistrationStatus.choices
    )
    active = forms.ChoiceField(
        label=_("records"),
        required=False,
        choices=[("active", _("active")), ("inactive", _("deactivated")), ("all", _("all"))],
    )
    synthetic = forms.ChoiceField(
        label=_("demo data"),
        required=False,
        choices=[
            ("", _("real and demo")),
            ("real", _("real only")),
            ("synthetic", _("demo only")),
        ],
    )


class InstitutionFilterForm(RegistryFilterForm):
    type = forms.ChoiceField(label=_("type"), required=False, choices=ANY + InstitutionType.choices)
    department = forms.ChoiceField(label=_("department"), required=False, choices=_departments)

    field_order = ["q", "district", "type", "department", "status", "active", "synthetic"]
