"""The table explorer: rows, columns, measure and filters in a GET form, answered by pivot().

It is the drill-down target of every chart (their "table" links fill it in) and works on its
own. With HTMX only the table is swapped; the same query downloads as CSV or XLSX.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from medtour.stats.query import DIMENSIONS, MEASURES, PivotQuery

MAX_FILTERS = 4


def _dimension_choices() -> list[tuple[str, Any]]:
    return [("", gettext_lazy("(none)")), *DIMENSIONS.items()]


class ExplorerForm(forms.Form):
    rows = forms.ChoiceField(
        label=pgettext_lazy("table axis", "rows"), required=False, choices=_dimension_choices
    )
    cols = forms.ChoiceField(
        label=pgettext_lazy("table axis", "columns"), required=False, choices=_dimension_choices
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("measure"),
        choices=list(MEASURES.items()),
        initial="patients",
        required=False,  # unique patients when left out
    )

    def __init__(self, data: Any = None, *, filters: list[str] | None = None) -> None:
        super().__init__(data)
        self.filter_values = [value for value in (filters or []) if value.strip()][:MAX_FILTERS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rows, cols = cleaned.get("rows"), cleaned.get("cols")
        if rows and rows == cols:
            raise forms.ValidationError(_("Rows and columns need two different dimensions."))
        parsed = []
        for value in self.filter_values:
            name, _sep, code = value.partition(":")
            if name not in DIMENSIONS or not code.strip():
                raise forms.ValidationError(
                    _("“%(value)s” is not a filter such as year:2016 or nationality:CN.")
                    % {"value": value}
                )
            parsed.append((name, code.strip()))
        cleaned["filters"] = tuple(parsed)
        return cleaned

    def query(self) -> PivotQuery:
        data = self.cleaned_data
        return PivotQuery(
            rows=(data["rows"],) if data.get("rows") else (),
            cols=(data["cols"],) if data.get("cols") else (),
            measure=data.get("measure") or "patients",
            filters=data["filters"],
        )

    def filter_slots(self) -> list[str]:
        """The filter inputs to show: the current ones and one empty slot."""
        return [*self.filter_values, ""][:MAX_FILTERS]


def filter_examples() -> str:
    return ", ".join(["year:2016", "district:11680", "nationality:CN", "department:dermatology"])
