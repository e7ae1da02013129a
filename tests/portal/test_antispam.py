"""Spam protection: the proof of work is real, single-use and expires; rate limits answer 429."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import altcha
import time_machine
from django import forms
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from medtour.portal.antispam import (
    Outcome,
    ProofOfWorkField,
    challenge_create,
    client_address,
    proof_verify,
    rate_limited,
)
from tests.antispam import solved_payload, solved_pow


class ContactForm(forms.Form):
    message = forms.CharField()
    altcha = ProofOfWorkField()


def _decoded(value: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(value))


def _encoded(data: Any) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def test_a_solved_challenge_is_accepted() -> None:
    form = ContactForm({"message": "Hello", **solved_pow()})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["altcha"] is True


def test_a_missing_answer_names_the_check_in_the_page_language() -> None:
    with translation.override("ru"):
        form = ContactForm({"message": "Hello"})
        assert not form.is_valid()
        [error] = form.errors["altcha"]
    assert "робот" in error


def test_a_replayed_answer_is_refused_the_second_time() -> None:
    answer = solved_pow()
    assert ContactForm({"message": "one", **answer}).is_valid()
    second = ContactForm({"message": "two", **answer})
    assert not second.is_valid()
    assert second.errors["altcha"][0] == ProofOfWorkField().error_messages["expired"]


def test_an_expired_challenge_is_refused() -> None:
    answer = solved_pow()
    with time_machine.travel(time.time() + 601, tick=False):
        assert proof_verify(answer["altcha"]) is Outcome.EXPIRED


def test_a_challenge_is_still_good_just_before_it_expires() -> None:
    answer = solved_pow()
    with time_machine.travel(time.time() + 590, tick=False):
        assert proof_verify(answer["altcha"]) is Outcome.VERIFIED


def test_an_easier_challenge_than_signed_is_refused() -> None:
    payload = _decoded(solved_payload())
    payload["challenge"]["parameters"]["cost"] = 1
    assert proof_verify(_encoded(payload)) is Outcome.INVALID


def test_a_wrong_answer_to_a_signed_challenge_is_refused() -> None:
    payload = _decoded(solved_payload())
    payload["solution"]["derivedKey"] = "00" * 32
    assert proof_verify(_encoded(payload)) is Outcome.INVALID


def test_a_later_expiry_than_signed_is_refused() -> None:
    payload = _decoded(solved_payload())
    payload["challenge"]["parameters"]["expiresAt"] += 3600
    assert proof_verify(_encoded(payload)) is Outcome.INVALID


def test_a_challenge_signed_with_another_key_is_refused() -> None:
    challenge = altcha.create_challenge(
        "PBKDF2/SHA-256", 10, counter=3, expires_at=int(time.time()) + 60, hmac_secret="guess"
    ).to_dict()
    assert proof_verify(solved_payload(challenge)) is Outcome.INVALID


def test_the_widgets_test_mode_payload_is_refused() -> None:
    fake = _encoded({"challenge": None, "solution": None, "test": True})
    assert proof_verify(fake) is Outcome.INVALID


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda raw: base64.b64encode(raw).decode()),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(st.text(max_size=12), children, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda data: _encoded(data)),
        st.fixed_dictionaries(
            {
                "challenge": st.fixed_dictionaries(
                    {
                        "parameters": st.dictionaries(
                            st.sampled_from(
                                ["algorithm", "nonce", "salt", "keyPrefix", "cost", "expiresAt"]
                            ),
                            st.one_of(st.text(max_size=10), st.integers(), st.none()),
                        ),
                        "signature": st.one_of(st.text(max_size=70), st.integers()),
                    }
                ),
                "solution": st.dictionaries(
                    st.sampled_from(["counter", "derivedKey", "time"]),
                    st.one_of(st.text(max_size=70), st.integers(), st.floats()),
                ),
            }
        ).map(lambda data: _encoded(data)),
    )
)
def test_garbage_answers_are_a_form_error_never_an_exception(value: str) -> None:
    form = ContactForm({"message": "x", "altcha": value})
    assert not form.is_valid()
    assert "altcha" in form.errors


def test_the_challenge_endpoint_gives_a_fresh_signed_challenge(client: Any) -> None:
    first = client.get(reverse("portal:altcha-challenge")).json()
    second = client.get(reverse("portal:altcha-challenge")).json()
    assert first["signature"] != second["signature"]
    assert first["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert first["parameters"]["keySignature"]


def test_the_challenge_endpoint_is_not_cached(client: Any) -> None:
    response = client.get(reverse("portal:altcha-challenge"))
    assert response["Cache-Control"] == "no-store"


@override_settings(ALTCHA_MAX_NUMBER=30, ALTCHA_COST=5)
def test_a_challenge_from_the_endpoint_can_be_solved_and_used_once(client: Any) -> None:
    challenge = client.get(reverse("portal:altcha-challenge")).json()
    value = solved_payload(challenge)
    assert proof_verify(value) is Outcome.VERIFIED
    assert proof_verify(value) is Outcome.REPLAYED


def test_production_difficulty_is_far_above_the_tests() -> None:
    from django.conf import settings as django_settings

    assert django_settings.ALTCHA_MAX_NUMBER >= 10_000
    assert django_settings.ALTCHA_COST >= 1_000
    assert challenge_create()["parameters"]["cost"] == django_settings.ALTCHA_COST


def test_the_widget_renders_in_the_page_language_from_our_static_files() -> None:
    with translation.override("kk"):
        html = ContactForm().as_div()
    assert "<altcha-widget" in html
    assert 'language="kk"' in html
    assert "vendor/altcha/dist/external/altcha.js" in html
    assert "vendor/altcha/dist/workers/pbkdf2.js" in html
    assert "robot" not in html.split("data-strings=")[1].split("data-worker")[0]
    assert "http" not in html  # nothing from another site


def test_a_rejected_answer_is_not_rendered_back() -> None:
    value = solved_payload()
    form = ContactForm({"altcha": value})
    form.is_valid()
    assert value not in form.as_div()


# --- rate limits --------------------------------------------------------------------------


@rate_limited("test-form", per_minute=3, per_day=5)
def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _post(address: str = "203.0.113.7", **extra: Any) -> HttpResponse:
    return _view(RequestFactory().post("/", REMOTE_ADDR=address, **extra))


def test_posts_beyond_the_minute_limit_get_429_with_retry_after() -> None:
    with time_machine.travel(1_800_000_000 + 10, tick=False):
        assert [_post().status_code for _ in range(3)] == [200, 200, 200]
        refused = _post()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"


def test_the_429_page_is_in_the_users_language() -> None:
    for _ in range(3):
        _post()
    with translation.override("ja"):
        refused = _post()
    assert refused.status_code == 429
    assert 'lang="ja"' in refused.content.decode()
    assert "Too many" not in refused.content.decode()


def test_the_minute_limit_resets_after_the_minute() -> None:
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        assert [_post().status_code for _ in range(4)] == [200, 200, 200, 429]
        traveller.shift(61)
        assert _post().status_code == 200


def test_the_day_limit_holds_across_minutes() -> None:
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        codes = []
        for _ in range(6):
            codes.append(_post().status_code)
            traveller.shift(61)
    assert codes == [200] * 5 + [429]


def test_other_addresses_and_gets_are_not_counted() -> None:
    for _ in range(4):
        _post("198.51.100.1")
    assert _post("198.51.100.2").status_code == 200
    get = _view(RequestFactory().get("/", REMOTE_ADDR="198.51.100.1"))
    assert get.status_code == 200


def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_address(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(request) == "203.0.113.9"
