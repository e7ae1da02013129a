"""The one validator for institutions and facilitators.

The console forms, the bulk import (one form per row) and the services all validate through these
classes, so a value is accepted or refused for the same reason wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.accounts import scope
from medtour.institutions.actors import is_command_line
from medtour.institutions.models import (
    Accreditation,
    Facilitator,
    Institution,
    InstitutionType,
    RegistrationStatus,
)
from medtour.reference.models import Department, District, Language
from medtour.reference.resolvers import (
    UnknownValue,
    normalize_key,
    resolve_department,
    resolve_district,
    resolve_language,
)

# One sentence per kind, so that each translation can get its grammar right.
UNKNOWN_MESSAGES = {
    "district": (
        _("“%(value)s” is not a known district."),
        _("“%(value)s” is not a known district. Did you mean: %(suggestions)s?"),
    ),
    "department": (
        _("“%(value)s” is not a known department."),
        _("“%(value)s” is not a known department. Did you mean: %(suggestions)s?"),
    ),
    "language": (
        _("“%(value)s” is not a known language."),
        _("“%(value)s” is not a known language. Did you mean: %(suggestions)s?"),
    ),
}


def unknown_value_error(error: UnknownValue, kind: str) -> ValidationError:
    plain, with_suggestions = UNKNOWN_MESSAGES[kind]
    if error.suggestions:
        return ValidationError(
            with_suggestions,
            code="unknown",
            params={"value": error.value, "suggestions": ", ".join(error.suggestions)},
        )
    return ValidationError(plain, code="unknown", params={"value": error.value})


_remembered: ContextVar[dict[tuple[str, str], Any] | None] = ContextVar(
    "remembered_reference_lookups", default=None
)


@contextmanager
def remembered_lookups() -> Iterator[None]:
    """Within the block, each distinct district, department or language is looked up once.

    A bulk import names the same few values thousands of times; reference data does not change
    while one file is being checked.
    """
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _resolve(kind: str, resolve: Callable[[str], Any], value: str) -> Any:
    memory = _remembered.get()
    if memory is None:
        return resolve(value)
    key = (kind, value)
    if key not in memory:
        try:
            memory[key] = resolve(value)
        except UnknownValue as unknown:
            memory[key] = unknown
    found = memory[key]
    if isinstance(found, UnknownValue):
        raise found
    return found


def _reference_choices(model: type[models.Model], **filters: Any) -> Callable[[], list]:
    def choices() -> list[tuple[str, str]]:
        return [(item.code, str(item)) for item in model.objects.filter(**filters)]  # type: ignore[attr-defined]

    return choices


class ReferenceChoiceField(forms.ChoiceField):
    """A district chosen by code in the console, or written as a code or a name in any language.

    Choices are evaluated only when the widget is rendered, so validating thousands of import rows
    does not query them.
    """

    def __init__(self, *, kind: str, resolve: Callable[[str], Any], **kwargs: Any) -> None:
        self.kind = kind
        self.resolve = resolve
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "code", value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return _resolve(self.kind, self.resolve, str(value).strip())
        except UnknownValue as error:
            raise unknown_value_error(error, self.kind) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")


class ReferenceMultipleField(forms.MultipleChoiceField):
    """Departments or languages: codes from the console, codes or names from an import file."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, kind: str, resolve: Callable[[str], Any], **kwargs: Any) -> None:
        self.kind = kind
        self.resolve = resolve
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if value is None:
            return []
        return [getattr(item, "code", item) for item in value]

    def to_python(self, value: Any) -> list[Any]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        resolved: list[Any] = []
        errors: list[ValidationError] = []
        for item in value:
            if isinstance(item, models.Model):
                found = item
            elif not str(item).strip():
                continue
            else:
                try:
                    found = _resolve(self.kind, self.resolve, str(item).strip())
                except UnknownValue as error:
                    errors.append(unknown_value_error(error, self.kind))
                    continue
            if found not in resolved:
                resolved.append(found)
        if errors:
            raise ValidationError(errors)
        return sorted(resolved, key=lambda item: item.code)

    def validate(self, value: Any) -> None:
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class CodeChoiceField(forms.ChoiceField):
    """A fixed choice written as its code in any case, or as its label in the reader's language."""

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not one of: %(choices)s."),
    }

    def _pairs(self) -> list[tuple[Any, Any]]:
        return list(self.choices)  # type: ignore[arg-type]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        key = normalize_key(text).replace(" ", "_").replace("-", "_")
        for code, label in self._pairs():
            if key == normalize_key(str(code)).replace(" ", "_") or normalize_key(
                str(label)
            ) == normalize_key(text):
                return str(code)
        return text

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            super().validate(value)
            return
        if not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={
                    "value": value,
                    "choices": ", ".join(str(code) for code, _label in self._pairs()),
                },
            )


class AccreditationsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not one of: %(choices)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=Accreditation.choices, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        known = {normalize_key(code): code for code in Accreditation.values}
        codes = []
        for item in value or []:
            text = str(item).strip()
            if text:
                codes.append(known.get(normalize_key(text), text))
        return codes

    def validate(self, value: Any) -> None:
        for code in value:
            if code not in Accreditation.values:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code, "choices": ", ".join(Accreditation.values)},
                )

    def clean(self, value: Any) -> list[str]:
        codes = super().clean(value)
        # Stored in the order of the list of badges, without repeats: a stable export.
        return [code for code in Accreditation.values if code in codes]


class CoordinateField(forms.DecimalField):
    """Degrees, rounded to six decimals (about 10 cm), which is what the registry stores."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number = super().to_python(value)
        if number is None:
            return None
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    def validate(self, value: Any) -> None:
        # The digit limits of DecimalField do not apply: the value is rounded instead.
        forms.Field.validate(self, value)


class FlagField(forms.Field):
    """true/false, yes/no, 1/0 in a file; a blank cell means the given default."""

    default_error_messages = {"invalid": _("Write true or false.")}
    TRUE = frozenset({"true", "yes", "y", "1", "t"})
    FALSE = frozenset({"false", "no", "n", "0", "f"})

    def __init__(self, *, default: bool, **kwargs: Any) -> None:
        self.default = default
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = normalize_key(str(value or ""))
        if not text:
            return self.default
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class ActorFormMixin:
    """Forms that know who is submitting, to keep districts within the submitter's scope."""

    actor: Any

    def district_in_scope(self, district: District | None) -> None:
        if district is None or is_command_line(self.actor):
            return
        if not scope.can_register_institution(self.actor, district.pk):
            raise ValidationError(
                _("You may register and change institutions only in your own district."),
                code="out_of_scope",
            )


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationFieldsMixin:
    cleaned_data: dict[str, Any]

    def check_registration(self) -> None:
        data = self.cleaned_data
        start, end = data.get("registered_from"), data.get("registered_until")
        if start and end and end < start:
            self.add_error(  # type: ignore[attr-defined]
                "registered_until", _("The registration cannot end before it starts.")
            )
        if data.get("registration_status") == RegistrationStatus.REGISTERED and not data.get(
            "registration_number"
        ):
            self.add_error(  # type: ignore[attr-defined]
                "registration_number",
                _("A registered body needs its registration number."),
            )


class InstitutionForm(ActorFormMixin, RegistrationFieldsMixin, forms.ModelForm):
    """Registry fields, for administrators and district officers."""

    type = CodeChoiceField(label=_("type"), choices=InstitutionType.choices)
    registration_status = CodeChoiceField(
        label=_("registration status"), choices=RegistrationStatus.choices
    )
    district = ReferenceChoiceField(
        label=_("district"),
        kind="district",
        resolve=resolve_district,
        choices=_reference_choices(District),
    )
    departments = ReferenceMultipleField(
        label=_("departments"),
        kind="department",
        resolve=resolve_department,
        choices=_reference_choices(Department),
    )
    languages = ReferenceMultipleField(
        label=_("languages spoken"),
        kind="language",
        resolve=resolve_language,
        choices=_reference_choices(Language),
    )
    accreditations = AccreditationsField(label=_("accreditations"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    latitude = CoordinateField(label=_("latitude"), limit=90)
    longitude = CoordinateField(label=_("longitude"), limit=180)

    class Meta:
        model = Institution
        fields = [
            "code",
            "names",
            "type",
            "district",
            "address",
            "latitude",
            "longitude",
            "departments",
            "languages",
            "registration_number",
            "registration_status",
            "registered_from",
            "registered_until",
            "accreditations",
            "phone",
            "email",
            "website",
            "profile",
        ]
        widgets = {"registered_from": _date_widget(), "registered_until": _date_widget()}
        help_texts = {
            "code": _("A short permanent identifier: letters, digits and hyphens."),
        }

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code links the record to imports and exports; it never changes.
            self.fields["code"].disabled = True
            self.initial["district"] = self.instance.district.code
        district_id = getattr(actor, "district_id", None)
        if district_id and not scope.is_administrator(actor) and not is_command_line(actor):
            field = self.fields["district"]
            field.choices = _reference_choices(District, pk=district_id)  # type: ignore[attr-defined]

    def clean_registration_number(self) -> str | None:
        return self.cleaned_data.get("registration_number") or None

    def clean_district(self) -> District | None:
        district = self.cleaned_data.get("district")
        self.district_in_scope(district)
        return district

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            {"latitude", "longitude"} & set(self.errors)
        ):
            self.add_error(
                "longitude" if data.get("longitude") is None else "latitude",
                _("Enter both latitude and longitude, or neither."),
            )
        self.check_registration()
        return data


class InstitutionImportForm(InstitutionForm):
    """A row of an import file: the registry fields plus the record's lifecycle flags."""

    is_active = FlagField(label=_("active"), default=True)
    is_synthetic = FlagField(label=_("synthetic demo record"), default=False)

    class Meta(InstitutionForm.Meta):
        fields = [*InstitutionForm.Meta.fields, "is_active", "is_synthetic"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An import matches rows to records by code, so the code is data, not a locked field.
        self.fields["code"].disabled = False


class InstitutionProfileForm(forms.ModelForm):
    """What an institution's own staff may change: its public profile, contacts and languages."""

    languages = InstitutionForm.base_fields["languages"]
    website = InstitutionForm.base_fields["website"]

    class Meta:
        model = Institution
        fields = ["profile", "phone", "email", "website", "languages"]

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)


class FacilitatorForm(RegistrationFieldsMixin, forms.ModelForm):
    registration_status = CodeChoiceField(
        label=_("registration status"), choices=RegistrationStatus.choices
    )
    district = ReferenceChoiceField(
        label=_("district"),
        kind="district",
        resolve=resolve_district,
        choices=_reference_choices(District),
        required=False,
        help_text=_("Where the agency has its office, if in the city."),
    )
    website = InstitutionForm.base_fields["website"]

    class Meta:
        model = Facilitator
        fields = [
            "code",
            "names",
            "registration_number",
            "registration_status",
            "registered_from",
            "registered_until",
            "district",
            "phone",
            "email",
            "website",
        ]
        widgets = {"registered_from": _date_widget(), "registered_until": _date_widget()}
        help_texts = {
            "code": _("A short permanent identifier: letters, digits and hyphens."),
        }

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            district = self.instance.district
            self.initial["district"] = district.code if district else ""

    def clean_registration_number(self) -> str | None:
        return self.cleaned_data.get("registration_number") or None

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_registration()
        return self.cleaned_data


def error_values(errors: Iterable[ValidationError]) -> list[tuple[str, Any]]:
    """(message, the offending value if the error names one) for each error."""
    result = []
    for error in errors:
        for single in error.error_list if hasattr(error, "error_list") else [error]:
            params = single.params or {}
            message = single.message % params if params else single.message
            result.append((str(message), params.get("value")))
    return result
