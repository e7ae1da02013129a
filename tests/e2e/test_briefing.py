"""The briefing in a real browser: an analyst writes Seoul's 2016 briefing in Russian and
downloads it as PDF (demo records from tests/e2e/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.signing import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_analyst_reads_the_2016_briefing_in_russian_and_downloads_the_pdf(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "analyst@medtour.example", totp=True)
    page.goto("/console/")
    page.locator("nav a[href='/console/briefing/']").click()
    page.wait_for_url("**/console/briefing/**")
    page.fill("input[name=year]", "2016")
    page.select_option("select[name=area]", "seoul")
    page.select_option("select[name=lang]", "ru")
    page.locator("main form button[type=submit]").click()
    article = page.locator("article.briefing[lang=ru]")
    article.wait_for()
    text = article.inner_text()
    assert "Сеул" in text  # the city, named in Russian, in the title
    assert "Каннам-гу" in text  # noqa: RUF001 - the leading district, named in Russian
    assert article.locator("svg").count() >= 3
    with page.expect_download() as found:
        page.locator("a[href*='format=pdf']").click()
    download = found.value
    assert download.suggested_filename == "briefing-seoul-2016-ru.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
