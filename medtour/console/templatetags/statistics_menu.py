"""The statistics entry of the console menu: `{% if user|can_view_statistics %}`."""

from __future__ import annotations

from typing import Any

from django import template

from medtour.accounts import scope

register = template.Library()


@register.filter
def can_view_statistics(user: Any) -> bool:
    return scope.can_view_statistics(user)
