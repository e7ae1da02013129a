"""Capabilities from the scoping layer, for templates: `{% if user|can_manage_users %}`."""

from __future__ import annotations

from typing import Any

from django import template

from medtour.accounts import scope

register = template.Library()


@register.filter
def can_manage_users(user: Any) -> bool:
    return scope.can_manage_users(user)


@register.filter
def can_view_audit_log(user: Any) -> bool:
    return scope.can_view_audit_log(user)


@register.filter
def is_staff_user(user: Any) -> bool:
    return scope.is_staff_user(user)


@register.filter
def can_view_submissions(user: Any) -> bool:
    return scope.can_view_submissions(user)


@register.filter
def can_submit_records(user: Any) -> bool:
    return scope.can_submit_records(user)


@register.filter
def can_view_aggregates(user: Any) -> bool:
    return scope.can_view_aggregates(user)
