from __future__ import annotations

from typing import Any

import pytest

from medtour.accounts.models import User

pytestmark = pytest.mark.django_db


def test_console_renders_in_the_preferred_language(persona_client: Any, coordinator: User):
    coordinator.preferred_language = "ja"
    coordinator.save()

    response = persona_client("coordinator").get("/console/")

    assert '<html lang="ja">' in response.content.decode()
    assert response["Content-Language"] == "ja"


def test_preference_beats_the_language_cookie(persona_client: Any, coordinator: User):
    coordinator.preferred_language = "kk"
    coordinator.save()
    client = persona_client("coordinator")
    client.cookies["medtour_language"] = "ru"

    assert '<html lang="kk">' in client.get("/console/").content.decode()


def test_switching_language_saves_the_preference(persona_client: Any, coordinator: User):
    client = persona_client("coordinator")

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/console/account/"})

    assert response["Location"] == "/console/account/"
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "zh-hans"


def test_the_preference_is_remembered_without_the_cookie(persona_client: Any, coordinator: User):
    client = persona_client("coordinator")
    client.post("/i18n/setlang/", {"language": "ru", "next": "/console/"})
    del client.cookies["medtour_language"]

    response = client.get("/console/")

    assert '<html lang="ru">' in response.content.decode()


def test_public_pages_follow_their_url_prefix_not_the_preference(
    persona_client: Any, coordinator: User
):
    coordinator.preferred_language = "ja"
    coordinator.save()

    response = persona_client("coordinator").get("/en/")

    assert '<html lang="en">' in response.content.decode()


def test_unknown_language_is_ignored(persona_client: Any, coordinator: User):
    persona_client("coordinator").post("/i18n/setlang/", {"language": "xx", "next": "/console/"})

    coordinator.refresh_from_db()
    assert coordinator.preferred_language == ""
