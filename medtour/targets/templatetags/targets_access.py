"""Target capabilities for templates: `{% if user|can_view_targets %}`."""

from __future__ import annotations

from typing import Any

from django import template

from medtour.accounts import scope

register = template.Library()


@register.filter
def can_view_targets(user: Any) -> bool:
    return scope.can_view_areas(user)


@register.filter
def percent(value: float | None) -> str:
    """0.153 -> "15.3": a rate as a percentage with one decimal (the template adds the sign)."""
    from medtour.localization.templatetags.localized import number

    return "" if value is None else number(round(value * 100, 1))
