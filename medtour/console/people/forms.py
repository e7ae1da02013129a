"""Forms for the people screens: they parse input; the rules live in accounts.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from medtour.accounts import scope
from medtour.accounts.models import MANAGED_ROLES, Role
from medtour.audit.models import AuditAction
from medtour.institutions.models import Institution
from medtour.localization.text import localize
from medtour.reference.models import District

ACTIVE_CHOICES = [("", _("all")), ("yes", _("active")), ("no", _("deactivated"))]
STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in MANAGED_ROLES]


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localize(obj.names).text


class InstitutionCodeField(forms.ModelChoiceField):
    """An institution typed by its code; the page suggests codes as you type (HTMX)."""

    default_error_messages = {
        "invalid_choice": _("No institution has the code you entered."),
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Institution):
            return value.code
        if isinstance(value, int):
            return Institution.objects.filter(pk=value).values_list("code", flat=True).first()
        return super().prepare_value(value)


def _district_field() -> DistrictChoiceField:
    return DistrictChoiceField(
        queryset=District.objects.order_by("code"),
        required=False,
        label=_("district"),
        help_text=_("Only for district officers: the district whose records they see."),
    )


def _institution_field(viewer: Any) -> InstitutionCodeField:
    return InstitutionCodeField(
        queryset=scope.visible_institutions(viewer),
        to_field_name="code",
        required=False,
        label=_("institution"),
        help_text=_(
            "Only for institution staff: start typing the name or code of the institution and "
            "pick it from the list."
        ),
        widget=forms.TextInput(
            attrs={
                "list": "institution-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("console:user-institution-options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#institution-options",
                "hx-swap": "innerHTML",
            }
        ),
    )


class ServiceErrorsMixin:
    """Show a service's validation errors next to the fields they name, the rest above the form."""

    fields: dict[str, forms.Field]

    def apply_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # type: ignore[attr-defined]
            return
        for name, messages in error.message_dict.items():
            field = name if name in self.fields else None
            self.add_error(field, messages)  # type: ignore[attr-defined]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("role"), required=False, choices=[("", _("all")), *Role.choices]
    )
    district = DistrictChoiceField(
        queryset=District.objects.order_by("code"),
        required=False,
        label=_("district"),
        empty_label=_("all"),
    )
    active = forms.ChoiceField(label=_("status"), choices=ACTIVE_CHOICES, required=False)

    def filters(self) -> dict[str, Any] | None:
        """Keyword arguments for `accounts.selectors.user_list`; None when the input is invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        active = {"yes": True, "no": False}.get(data["active"])
        return {
            "search": data["q"],
            "role": data["role"],
            "district": data["district"],
            "active": active,
        }


class StaffUserCreateForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("e-mail address"))
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=STAFF_ROLE_CHOICES)
    preferred_language = forms.ChoiceField(
        label=_("preferred language"),
        required=False,
        choices=[("", "—"), *settings.LANGUAGES],
        help_text=_("The invitation and the console use this language."),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = _district_field()
        self.fields["institution"] = _institution_field(viewer)
        self.order_fields(["email", "first_name", "last_name", "role", "district", "institution"])


class UserEditForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = _district_field()
        self.fields["institution"] = _institution_field(viewer)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("actor e-mail"), required=False)
    action = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", _("all")), *AuditAction.choices]
    )
    target_type = forms.ChoiceField(label=_("object type"), required=False)
    target_id = forms.CharField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, target_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_type = self.fields["target_type"]
        assert isinstance(target_type, forms.ChoiceField)
        target_type.choices = [("", _("all")), *target_types]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(
                {"date_to": _("The end date is before the start date.")}, code="date_order"
            )
        return data

    def filters(self) -> dict[str, Any] | None:
        """Keyword arguments for `audit.selectors.audit_log`; None when the input is invalid."""
        if not self.is_valid():
            return None
        return {key: value for key, value in self.cleaned_data.items() if value}
