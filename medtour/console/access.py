"""Guards for console views: signed in, a staff role, and a capability from the scoping layer."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from medtour.accounts.scope import is_staff_user

View = Callable[..., HttpResponse]


def staff_required(capability: Callable[[Any], bool] | None = None) -> Callable[[View], View]:
    """Anonymous users go to sign-in; signed-in users without the role or capability get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_user(request.user):
                raise PermissionDenied
            if capability is not None and not capability(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
