from __future__ import annotations

from typing import Any

from django import template

from medtour.notifications import scope

register = template.Library()


@register.filter
def can_manage_mail(user: Any) -> bool:
    return scope.can_manage_mail(user)
