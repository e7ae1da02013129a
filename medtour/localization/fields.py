"""A model field holding one text per language, edited as six inputs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from medtour.localization.text import LANGUAGE_CODES, clean_localized


class LocalizedTextWidget(forms.MultiWidget):
    template_name = "localization/widgets/localized_text.html"

    def __init__(self, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        widget_class = forms.Textarea if multiline else forms.TextInput
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            code: widget_class(attrs={"lang": code, "rows": 3} if multiline else {"lang": code})
            for code in LANGUAGE_CODES
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        value = value or {}
        return [value.get(code, "") for code in LANGUAGE_CODES]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, subwidget in zip(LANGUAGE_CODES, context["widget"]["subwidgets"], strict=True):
            subwidget["language_name"] = names[code]
            subwidget["language_code"] = code
        return context


class LocalizedTextFormField(forms.MultiValueField):
    def __init__(
        self, *, required_languages: tuple[str, ...] = (), multiline: bool = False, **kwargs: Any
    ) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        self.required_languages = required_languages
        fields = [forms.CharField(required=False) for _code in LANGUAGE_CODES]
        super().__init__(
            fields=fields,
            widget=LocalizedTextWidget(multiline=multiline),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> dict[str, str]:
        return clean_localized(dict(zip(LANGUAGE_CODES, data_list or [], strict=False)))

    def clean(self, value: Any) -> dict[str, str]:
        cleaned = super().clean(value) or {}
        names = dict(settings.LANGUAGES)
        missing = [names[code] for code in self.required_languages if not cleaned.get(code)]
        if missing:
            raise ValidationError(
                _("Enter the text in: %(languages)s."),
                code="required_language",
                params={"languages": ", ".join(missing)},
            )
        return cleaned


class LocalizedTextField(models.JSONField):
    """JSON object {language: text}; see docs/i18n.md for the fallback rules."""

    def __init__(
        self,
        *args: Any,
        required_languages: tuple[str, ...] = (),
        multiline: bool = False,
        **kwargs: Any,
    ) -> None:
        self.required_languages = required_languages
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", not required_languages)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.required_languages:
            kwargs["required_languages"] = self.required_languages
        if self.multiline:
            kwargs["multiline"] = True
        return name, path, args, kwargs

    def formfield(  # type: ignore[override]
        self, **kwargs: Any
    ) -> LocalizedTextFormField:
        return LocalizedTextFormField(
            required_languages=self.required_languages,
            multiline=self.multiline,
            required=bool(self.required_languages),
            label=self.verbose_name,
            help_text=self.help_text,
        )
