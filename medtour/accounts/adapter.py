"""How allauth treats Medtour accounts: public sign-up makes patients, never staff."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from medtour.accounts.models import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.role = Role.PATIENT
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if getattr(request.user, "is_staff_role", False):
            return "/console/"
        return super().get_login_redirect_url(request)
