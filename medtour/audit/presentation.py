"""Audit events as people read them: field names, choice labels and related names, not raw ids.

`changes` holds {field: [old, new]} for edits and {key: value} for details such as the stage at
which a sign-in failed. Related objects are looked up once per page, one query per model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from medtour.audit.models import AuditEvent, SignInStage
from medtour.audit.selectors import target_type_label
from medtour.localization.text import LANGUAGE_CODES, localize

EMPTY = "—"
# Details that are not model fields: their label and the choices that name their values.
DETAILS: dict[str, type[models.TextChoices]] = {"stage": SignInStage}


@dataclass
class ChangeLine:
    label: str
    old: str | None  # None: a detail, not a change from one value to another
    new: str


@dataclass
class EventView:
    event: AuditEvent
    target_type_label: str
    lines: list[ChangeLine] = field(default_factory=list)


@dataclass(frozen=True)
class _Ref:
    """Primary keys of related objects, named once the page's lookups are done."""

    model: type[models.Model]
    pks: tuple[str, ...]


def describe(events: Iterable[AuditEvent]) -> list[EventView]:
    events = list(events)
    pending: dict[type[models.Model], set[str]] = defaultdict(set)
    raw: list[tuple[AuditEvent, list[tuple[str, Any, Any, bool]]]] = []
    for event in events:
        model = _model(event.target_type)
        rows = []
        for key, value in sorted((event.changes or {}).items()):
            model_field = _field(model, key)
            is_change = isinstance(value, list) and len(value) == 2
            old, new = (value[0], value[1]) if is_change else (None, value)
            old = _prepare(key, model_field, old, pending)
            new = _prepare(key, model_field, new, pending)
            rows.append((_label(model_field, key), old, new, is_change))
        raw.append((event, rows))
    names = _resolve(pending)
    views = []
    for event, rows in raw:
        view = EventView(event=event, target_type_label=target_type_label(event.target_type))
        for label, old, new, is_change in rows:
            view.lines.append(
                ChangeLine(
                    label=label,
                    old=_text(old, names) if is_change else None,
                    new=_text(new, names),
                )
            )
        views.append(view)
    return views


def _model(target_type: str) -> type[models.Model] | None:
    if not target_type:
        return None
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist: a field removed since the event was written
        return None


def _label(model_field: Any, key: str) -> str:
    if key in DETAILS:
        return _("failed at")
    if model_field is not None and getattr(model_field, "verbose_name", None):
        return str(model_field.verbose_name)
    return key


def _prepare(
    key: str, model_field: Any, value: Any, pending: dict[type[models.Model], set[str]]
) -> Any:
    """Values as display text, except related keys, which become a _Ref to look up later."""
    if value is None or value == "" or value == []:
        return EMPTY
    if key in DETAILS:
        return str(dict(DETAILS[key].choices).get(value, value))
    if model_field is None:
        return _plain(value)
    if model_field.is_relation and model_field.related_model is not None:
        pks = tuple(str(pk) for pk in (value if isinstance(value, list) else [value]))
        pending[model_field.related_model].update(pks)
        return _Ref(model_field.related_model, pks)
    if model_field.choices:
        labels = {str(code): str(label) for code, label in model_field.flatchoices}
        if isinstance(value, list):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGE_CODES):
            return localize(value).text
        return "; ".join(f"{key}: {_plain(item)}" for key, item in sorted(value.items()))
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    return str(value)


def _resolve(pending: dict[type[models.Model], set[str]]) -> dict[tuple[Any, str], str]:
    names: dict[tuple[Any, str], str] = {}
    for model, pks in pending.items():
        for obj in model._default_manager.filter(pk__in=list(pks)):
            names[(model, str(obj.pk))] = str(obj)
    return names


def _text(value: Any, names: dict[tuple[Any, str], str]) -> str:
    if isinstance(value, _Ref):
        # A deleted object keeps its id, marked so it is not mistaken for a name.
        return ", ".join(names.get((value.model, pk), f"#{pk}") for pk in value.pks)
    return str(value)
