"""Who is calling: a bearer token, else the browser session, else (where allowed) anyone.

A request that presents a token is judged by that token alone: a wrong or revoked token is
refused with 401 even on public endpoints, so a program never silently gets less than it asked for.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from medtour.api.tokens import TokenRejected, authenticate_key


class BearerToken(HttpBearer):
    """`Authorization: Bearer mt_…` with a key from `manage.py issue_api_token`."""

    openapi_bearerFormat = "Medtour API token"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _space, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(
                message=_("Send the token in the header “Authorization: Bearer <token>”.")
            )
        return self.authenticate(request, key)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = authenticate_key(token)
        except TokenRejected as rejected:
            raise AuthenticationError(message=str(rejected)) from rejected
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SignedInSession(SessionAuth):
    """The browser session of a signed-in user, with the same second-factor rule as the console."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or request.headers.get("Authorization"):
            return None
        if getattr(user, "mfa_required", False) and not _has_totp(user):
            raise HttpError(
                403, _("Set up two-factor authentication in your account before using the API.")
            )
        return user


class Anyone:
    """Lets anonymous callers through to public endpoints (not a security scheme in OpenAPI)."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        return AnonymousUser()


class NoCredentials:
    """Ends the chain where a caller is needed: says what to send, not just "Unauthorized"."""

    def __call__(self, request: HttpRequest) -> Any:
        raise AuthenticationError(message=_("Sign in, or send an API token, to use this endpoint."))


def caller(request: HttpRequest) -> Any:
    """The user an operation runs for: what the authentication chain found (maybe anonymous)."""
    return getattr(request, "auth", None)


def _has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


bearer_token = BearerToken()
signed_in_session = SignedInSession()
PUBLIC = [bearer_token, signed_in_session, Anyone()]
SIGNED_IN = [bearer_token, signed_in_session, NoCredentials()]
# OpenAPI: on public endpoints, sending no credentials at all is also fine.
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}
