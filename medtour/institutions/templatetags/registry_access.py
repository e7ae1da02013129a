"""What the console menu offers: asked of the scoping layer, so the menu never shows a dead end."""

from __future__ import annotations

from typing import Any

from django import template

from medtour.accounts import scope

register = template.Library()


@register.simple_tag(takes_context=True)
def registry_access(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    match = getattr(request, "resolver_match", None)
    url_name = getattr(match, "url_name", "") or ""
    return {
        "institutions": scope.is_staff_user(user),
        "facilitators": scope.can_view_facilitators(user),
        "import": scope.can_register_institution(user),
        "section": "import" if "import" in url_name else url_name.split("-")[0],
    }
