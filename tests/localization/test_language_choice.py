"""Choosing the language: URL prefix on public pages, remembered, switchable from any page."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ko", "en", "zh-hans", "ja", "ru", "kk"])
def test_public_pages_take_the_language_from_the_prefix(client: Any, language: str) -> None:
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
def test_root_redirects_to_the_browser_language(client: Any) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.django_db
def test_switching_language_keeps_the_page_and_is_remembered(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/ja/"})
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    assert response.cookies["medtour_language"].value == "kk"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/kk/"


@pytest.mark.django_db
def test_switching_language_refuses_foreign_redirects(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_unknown_language_changes_nothing(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/en/"})
    assert response["Location"] == "/en/"
    assert "medtour_language" not in response.cookies


@pytest.mark.django_db
def test_signed_in_staff_preference_is_saved_and_used_in_the_console(
    persona_client: Any, agent: Any
) -> None:
    client = persona_client("agent")
    client.post("/i18n/setlang/", {"language": "ja", "next": "/console/"})
    agent.refresh_from_db()
    assert agent.preferred_language == "ja"
    client.cookies.pop("medtour_language")
    response = client.get("/console/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ja">' in response.content.decode()


def render(template: str, language: str, **context: Any) -> str:
    with translation.override(language):
        return Template("{% load localized %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "216,646"), ("ko", "216,646"), ("ru", "216\xa0646"), ("kk", "216\xa0646")],
)
def test_numbers_are_formatted_for_the_language(language: str, expected: str) -> None:
    assert render("{{ value|number }}", language, value=216646) == expected


def test_krw_amounts_are_formatted_for_the_language() -> None:
    assert render("{{ value|krw }}", "en", value=3240000) == "₩3,240,000"
    assert render("{{ value|krw }}", "ru", value=3240000).replace("\xa0", " ") == "3 240 000 ₩"


def test_fallback_content_names_the_language_it_is_in() -> None:
    html = render("{% localized names %}", "kk", names={"ko": "강남구", "en": "Gangnam-gu"})
    assert '<span lang="en">Gangnam-gu</span>' in html
    assert "English" in html
    assert render("{% localized names %}", "en", names={"en": "Gangnam-gu"}) == "Gangnam-gu"


def test_kazakh_dates_use_kazakh_formats() -> None:
    import datetime

    rendered = render("{{ day|date }}", "kk", day=datetime.date(2016, 3, 1))
    assert rendered.lower() == "2016 ж. 1 наурыз"
    assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', "kk", day=datetime.date(2016, 3, 1)) == (
        "01.03.2016"
    )
