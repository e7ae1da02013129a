"""The briefing's capability for templates: `{% if user|can_view_briefing %}`."""

from __future__ import annotations

from typing import Any

from django import template

from medtour.stats import briefing

register = template.Library()


@register.filter
def can_view_briefing(user: Any) -> bool:
    return briefing.can_view_briefing(user)
