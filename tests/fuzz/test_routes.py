"""Every route of the URL configuration, fed malformed input: never an HTTP 500.

The routes and their URL arguments come from the permission table, which already lists every
portal, console and API route (`test_every_route_is_in_the_table`). For each route, the signed-out
visitor and one persona allowed to open it send every field its page's forms declare, plus
common parameter names, set to each malformed value, by GET and by POST where the route posts;
every other persona sends a rotating pair of them. Path
arguments are replaced by malformed ones where the converter lets them through. A 500 anywhere
fails the route. `make fuzz` runs every persona (FUZZ_LEVEL=full).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.conftest import PERSONAS
from tests.fuzz.inputs import COMMON_NAMES, FULL, MALFORMED, NON_UTF8_QUERY, form_fields
from tests.test_permissions import ROUTES, targets  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

REPORT = os.environ.get("FUZZ_REPORT", "")  # a file to append "route, personas, requests" to
FAVOURED = ("admin_user", "coordinator", "staff_gangnam", "officer_gangnam", "patient")


def _values_per_persona(expected: dict[str, int]) -> dict[str, list[str]]:
    """Every persona tries the route. The signed-out visitor and one persona allowed in send
    every malformed value; the others a rotating pair (all of them with FUZZ_LEVEL=full)."""
    allowed = [name for name in PERSONAS if expected.get(name, 500) < 400 and name != "anonymous"]
    chosen = {"anonymous", *([name for name in FAVOURED if name in allowed][:1] or allowed[:1])}
    values = {}
    for index, persona in enumerate(PERSONAS):
        if FULL or persona in chosen:
            values[persona] = MALFORMED
        else:
            values[persona] = [MALFORMED[(2 * index + k) % len(MALFORMED)] for k in range(2)]
    return values


def _malformed_kwargs(kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    variants = []
    for key, value in kwargs.items():
        if isinstance(value, int):
            variants += [{**kwargs, key: 10**20}, {**kwargs, key: 0}]
        elif isinstance(value, str):
            variants += [{**kwargs, key: "x" * 300}, {**kwargs, key: "-_-"}]
    return variants


def _client(request: pytest.FixtureRequest, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize(
    ("route", "method", "key", "expected"), ROUTES, ids=[route[0] for route in ROUTES]
)
def test_route_never_answers_500(
    request: pytest.FixtureRequest,
    targets: dict[str, dict[str, Any]],  # noqa: F811
    route: str,
    method: str,
    key: str,
    expected: dict[str, int],
) -> None:
    kwargs = targets[key]
    url = reverse(route, kwargs=kwargs)
    failures: list[str] = []
    tried = 0
    for persona, values in _values_per_persona(expected).items():
        client = _client(request, persona)
        names, posts = set(COMMON_NAMES), method == "POST"
        page = client.get(url)
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            fields, has_post_form = form_fields(page.content.decode("utf-8", "replace"))
            names |= fields
            posts = posts or has_post_form
        requests: list[tuple[str, str, Any]] = [("GET", url, {"QUERY_STRING": NON_UTF8_QUERY})]
        for value in values:
            data = dict.fromkeys(sorted(names), value)
            requests.append(("GET", url, data))
            if posts:
                requests.append(("POST", url, data))
        for variant in _malformed_kwargs(kwargs):
            try:
                requests.append((method, reverse(route, kwargs=variant), {}))
            except NoReverseMatch:
                continue  # the converter refuses it: the resolver answers 404 by itself
        for verb, address, data in requests:
            tried += 1
            if verb == "GET" and "QUERY_STRING" in data:
                response = client.get(address, **data)
            elif verb == "GET":
                response = client.get(address, data)
            else:
                response = client.post(address, data)
            if response.status_code >= 500:
                shown = {k: (v[:40] if isinstance(v, str) else v) for k, v in data.items()}
                failures.append(f"{persona} {verb} {address} {shown}: {response.status_code}")
    assert tried > 0
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as report:
            report.write(f"{route}\t{len(PERSONAS)}\t{tried}\n")
    assert not failures, "\n".join(failures[:10])
