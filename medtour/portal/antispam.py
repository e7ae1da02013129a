"""Spam protection for public forms with no outside service: ALTCHA proof of work, rate limits.

`ProofOfWorkField` renders the ALTCHA web component (served from our own static files) and
checks its answer here: the challenge is signed with a key derived from SECRET_KEY, expires after
ALTCHA_EXPIRES_SECONDS, and a solved challenge is accepted once (its signature is remembered in
the cache until it would have expired). `rate_limited` counts the POSTs of one client address per
form in the cache (Redis when REDIS_URL is set) and answers 429 with Retry-After beyond the limit.
See docs/portal.md, "Spam protection".
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

import altcha
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

ALGORITHM = "PBKDF2/SHA-256"
# A payload is a base64 JSON object of a few hundred bytes; anything far larger is not one.
MAX_PAYLOAD_LENGTH = 4096
USED_PREFIX = "antispam:used:"
RATE_PREFIX = "antispam:rate:"


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def _keys() -> tuple[str, str]:
    """The key that signs challenges and the one that signs the expected answer (both from
    SECRET_KEY, so no new secret to keep; rotating SECRET_KEY voids open challenges)."""
    sign = salted_hmac("medtour.portal.antispam.challenge", "altcha").hexdigest()
    answer = salted_hmac("medtour.portal.antispam.answer", "altcha").hexdigest()
    return sign, answer


def challenge_create(
    *, max_number: int | None = None, cost: int | None = None, expires_in: int | None = None
) -> dict[str, Any]:
    """A new signed challenge as the widget expects it (JSON object).

    The server picks the counter (below MAX_NUMBER) and publishes only the start of the key it
    derives; the browser tries counters from 0 until it finds the key, COST iterations a try.
    """
    max_number = max_number or _setting("ALTCHA_MAX_NUMBER")
    sign, answer = _keys()
    challenge = altcha.create_challenge(
        ALGORITHM,
        cost or _setting("ALTCHA_COST"),
        counter=secrets.randbelow(max_number),
        expires_at=int(time.time()) + (expires_in or _setting("ALTCHA_EXPIRES_SECONDS")),
        hmac_secret=sign,
        hmac_key_secret=answer,
    )
    return challenge.to_dict()


class Outcome(enum.Enum):
    VERIFIED = "verified"
    MISSING = "missing"
    INVALID = "invalid"
    EXPIRED = "expired"
    REPLAYED = "replayed"


def _decode(value: str) -> dict[str, Any] | None:
    """The payload as a dict of the expected shape, or None for anything else."""
    if len(value) > MAX_PAYLOAD_LENGTH:
        return None
    try:
        data = json.loads(base64.b64decode(value, validate=True).decode("utf-8"))
    except (ValueError, binascii.Error, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    challenge, solution = data.get("challenge"), data.get("solution")
    if not isinstance(challenge, dict) or not isinstance(solution, dict):
        return None
    parameters = challenge.get("parameters")
    if not isinstance(parameters, dict) or not isinstance(challenge.get("signature"), str):
        return None
    text_fields = ("algorithm", "nonce", "salt", "keyPrefix")
    if not all(isinstance(parameters.get(name), str) for name in text_fields):
        return None
    if not isinstance(solution.get("derivedKey"), str):
        return None
    return data


def proof_verify(value: str) -> Outcome:
    """Check a widget payload; a verified payload is used up (a second use is REPLAYED)."""
    value = (value or "").strip()
    if not value:
        return Outcome.MISSING
    data = _decode(value)
    if data is None:
        return Outcome.INVALID
    sign, answer = _keys()
    try:
        payload = altcha.Payload.from_dict(data)
        result = altcha.verify_solution(payload, sign, hmac_key_secret=answer)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return Outcome.INVALID
    if result.expired:
        return Outcome.EXPIRED
    if not result.verified:
        return Outcome.INVALID
    expires_at = payload.challenge.parameters.expires_at
    if not isinstance(expires_at, int):
        return Outcome.INVALID  # every challenge we sign carries its expiry
    remaining = max(1, expires_at - int(time.time()) + 1)
    # cache.add is atomic (also on Redis): only the first submission of a solution gets in.
    if not cache.add(USED_PREFIX + str(payload.challenge.signature), 1, timeout=remaining):
        return Outcome.REPLAYED
    return Outcome.VERIFIED


def widget_strings() -> dict[str, str]:
    """The widget's texts in the active language (ALTCHA's own keys)."""
    return {
        "label": _("I am not a robot"),
        "verifying": _("Checking…"),
        "verified": _("Checked: you are not a robot"),
        "verificationRequired": _("Tick “I am not a robot” first."),
        "waitAlert": _("Checking… please wait."),
        "error": _("The check failed. Try again later."),
        "expired": _("The check has expired. Tick the box again."),
        "loading": _("Loading…"),
        "cancel": _("Cancel"),
        "reload": _("Reload"),
        "verify": _("Check now"),
        "enterCode": _("Enter the code"),
        "enterCodeAria": _("Enter the code you hear. Press Space to play the audio."),
        "enterCodeFromImage": _("To continue, enter the code shown in the image below."),
        "getAudioChallenge": _("Listen to the code"),
        "ariaLinkLabel": _("About ALTCHA, the check that you are not a robot"),
        "footer": "",
    }


class ProofOfWorkWidget(forms.Widget):
    """The `<altcha-widget>` element with its script, stylesheet and worker from our static
    files. It fetches a fresh challenge when the visitor ticks the box and puts its answer in a
    hidden input of the same name. The value is never rendered back: a used answer is void."""

    template_name = "portal/antispam/widget.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        language = get_language() or settings.LANGUAGE_CODE
        context["widget"].update(
            {
                "challenge_url": reverse("portal:altcha-challenge"),
                "language": language.lower(),
                "strings": json.dumps(widget_strings(), ensure_ascii=False),
                "configuration": json.dumps({"hideFooter": True, "hideLogo": True}),
                "worker_url": static("vendor/altcha/dist/workers/pbkdf2.js"),
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class ProofOfWorkField(forms.Field):
    """Add `altcha = ProofOfWorkField()` to every public form that creates something."""

    widget = ProofOfWorkWidget
    default_error_messages = {
        "required": gettext_lazy(
            "Confirm that you are not a robot: tick “I am not a robot” above the send button."
        ),
        "invalid": gettext_lazy(
            "The check that you are not a robot did not succeed. Tick “I am not a robot” "
            "again and wait until it says you are not a robot."
        ),
        "expired": gettext_lazy(
            "The check that you are not a robot has expired or was already used. "
            "Tick “I am not a robot” again."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Confirmation that you are not a robot"))
        kwargs["required"] = True
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return value.strip() if isinstance(value, str) else ""

    def validate(self, value: Any) -> None:
        """Checked in clean(), once: verifying uses the answer up."""

    def clean(self, value: Any) -> bool:
        outcome = proof_verify(self.to_python(value))
        if outcome is Outcome.VERIFIED:
            return True
        code = {
            Outcome.MISSING: "required",
            Outcome.EXPIRED: "expired",
            Outcome.REPLAYED: "expired",
        }.get(outcome, "invalid")
        raise ValidationError(self.error_messages[code], code=code)


def challenge(request: HttpRequest) -> HttpResponse:
    """GET: a fresh challenge for the widget (never cached)."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    response = JsonResponse(challenge_create())
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Rate limits


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front of us,
    the address the outermost trusted proxy saw (counted from the right of X-Forwarded-For)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-proxies] if len(hops) >= proxies else remote


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return 1


def rate_check(scope: str, address: str, per_minute: int, per_day: int) -> int:
    """Count one attempt; 0 when allowed, else the seconds until the next one is."""
    now = int(time.time())
    for window, limit in ((60, per_minute), (86400, per_day)):
        bucket = now // window
        if _count(f"{RATE_PREFIX}{scope}:{address}:{window}:{bucket}", window) > limit:
            return (bucket + 1) * window - now
    return 0


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    context = {
        "status": 429,
        "title": _("Too many attempts"),
        "explanation": _(
            "This form was sent too often from your connection. Nothing was saved from the "
            "last attempt. Please try again in %(minutes)s min."
        )
        % {"minutes": minutes},
    }
    page = loader.get_template("errors/error.html").render(context, request=request)
    return HttpResponse(page, status=429, headers={"Retry-After": str(retry_after)})


ViewFunction = Callable[..., HttpResponse]


def rate_limited(
    scope: str, per_minute: int = 5, per_day: int = 50
) -> Callable[[ViewFunction], ViewFunction]:
    """Limit the POSTs of one client address to this view (GETs are not counted)."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                wait = rate_check(scope, client_address(request), per_minute, per_day)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
