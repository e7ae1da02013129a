"""Forms of the reporting screens. They only collect input: the records validator judges it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from medtour.records.aggregates import CITY_WIDE
from medtour.records.columns import COLUMNS
from medtour.records.models import (
    AggregateMeasure,
    AggregateReturn,
    CareType,
    ReportingPeriod,
    Sex,
)
from medtour.records.services import SubmissionError, parse_period
from medtour.reference.models import Country, Department, District

FILE_FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"))


def _periods() -> Any:
    return ReportingPeriod.objects.all()


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.label


class UploadForm(forms.Form):
    period = PeriodChoiceField(queryset=_periods(), label=_("Reporting period"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or CP949) or XLSX in the official template's columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_LIMIT_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than the limit of %(limit)s MB; "
                    "split it into smaller files."
                ),
                params={"limit": f"{settings.UPLOAD_LIMIT_BYTES / 1_000_000:.0f}"},
            )
        return upload


class AnnotateForm(forms.Form):
    file = forms.FileField(
        label=_("The same file"),
        help_text=_(
            "Choose the file you uploaded once more: it comes back with an error column. "
            "Patient ID numbers are never kept, so the original cannot be sent from here."
        ),
    )


class RecordForm(forms.Form):
    """One patient episode, in the template's columns."""

    period = PeriodChoiceField(queryset=_periods(), label=_("Reporting period"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            self.fields[column.name] = self._field(column)

    @staticmethod
    def _field(column: Any) -> forms.Field:
        options: dict[str, Any] = {
            "label": column.label,
            "help_text": column.instruction,
            "required": column.required,
        }
        if column.name == "sex":
            return forms.ChoiceField(choices=[("", "—"), *Sex.choices], **options)
        if column.name == "care_type":
            return forms.ChoiceField(choices=[("", "—"), *CareType.choices], **options)
        if column.name in {"first_visit", "last_visit"}:
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **options)
        return forms.CharField(max_length=100, **options)

    def record(self) -> dict[str, str]:
        return {column.name: self.cleaned_data.get(column.name) or "" for column in COLUMNS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs correcting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PeriodForm(forms.Form):
    label = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year (2016), a quarter (2016-Q1) or a month (2016-03)."),
    )

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        try:
            parse_period(label)
        except SubmissionError as error:
            raise forms.ValidationError(error.message) from error
        return label


class TemplateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file_format = forms.ChoiceField(label=_("Format"), choices=FILE_FORMATS)


# Aggregate returns -----------------------------------------------------------------------------

ANY = [("", _("any"))]


def _sorted_choices(records: Any, empty: str) -> list[tuple[Any, str]]:
    """Reference records by their name in the reader's language, alphabetically."""
    named = sorted(((record.pk, str(record)) for record in records), key=lambda pair: pair[1])
    return [("", empty), *named]


def _choose(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class AggregateForm(forms.Form):
    """One total. The district offered is the officer's own; the city's for administrators."""

    period = PeriodChoiceField(queryset=_periods(), label=_("Reporting period"))
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        label=_("District"),
        required=False,
        help_text=_("Empty for the whole city."),
    )
    nationality = forms.ModelChoiceField(
        queryset=Country.objects.all(), label=_("Nationality"), required=False
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), label=_("Department"), required=False
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=AggregateMeasure.choices)
    count = forms.IntegerField(label=_("Count"))
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the total comes from, e.g. the publication and its table."),
    )

    def __init__(
        self, *args: Any, districts: QuerySet[District], city_wide: bool, **kwargs: Any
    ) -> None:
        """DISTRICTS: those the user enters totals for; CITY_WIDE: may enter the city's."""
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = districts
        if city_wide:
            district.choices = _sorted_choices(districts, str(_("the whole city")))
        else:
            district.required = True
            district.empty_label = None
            district.help_text = ""
        _choose(self, "nationality", _sorted_choices(Country.objects.all(), "—"))

    @classmethod
    def initial_of(cls, total: AggregateReturn) -> dict[str, Any]:
        return {
            "period": total.period_id,
            "district": total.district_id,
            "nationality": total.nationality_id,
            "department": total.department_id,
            "measure": total.measure,
            "count": total.count,
            "source": total.source,
        }


class AggregateFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    measure = forms.ChoiceField(
        label=_("Measure"), required=False, choices=ANY + AggregateMeasure.choices
    )

    def __init__(
        self, *args: Any, districts: QuerySet[District], city_wide: bool, **kwargs: Any
    ) -> None:
        """DISTRICTS: those whose totals the user sees; CITY_WIDE: sees the city's too."""
        super().__init__(*args, **kwargs)
        periods = [(str(period.pk), period.label) for period in ReportingPeriod.objects.all()]
        _choose(self, "period", [*ANY, *periods])
        if not city_wide:  # one district: nothing to choose
            del self.fields["district"]
            return
        named = sorted(((d.code, str(d)) for d in districts), key=lambda pair: pair[1])
        _choose(self, "district", [*ANY, (CITY_WIDE, _("the whole city")), *named])


class AggregateImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or CP949), comma, semicolon or tab separated."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )
