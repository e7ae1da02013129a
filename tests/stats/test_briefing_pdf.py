"""The PDF renders Korean, Chinese, Japanese, Russian and Kazakh: the text extracted back from
it (pypdf) holds the names in each script, Kazakh's own Cyrillic letters included."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from medtour.reference.models import Country, District
from medtour.stats.briefing import build_briefing
from medtour.stats.briefing_prose import write_briefing
from medtour.stats.briefing_render import to_html, to_pdf, with_charts
from tests.stats.briefing_data import build_small_city
from tests.stats.builders import GANGNAM, SEOCHO
from tests.stats.test_briefing_prose import CITY_NAMES, seoul_like

pytestmark = pytest.mark.django_db
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def pdf_text(pdf: bytes) -> str:
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["ko", "zh-hans", "ja", "ru", "kk"])
def test_the_pdf_text_reads_back_in_the_language(language: str) -> None:
    pdf = to_pdf(with_charts(write_briefing(seoul_like(), language)))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    expected = [
        CITY_NAMES[language],
        District.objects.get(code=GANGNAM).names[language],
        District.objects.get(code=SEOCHO).names[language],
        Country.objects.get(alpha2="KZ").names[language],
        Country.objects.get(alpha2="CN").names[language],
    ]
    for name in expected:
        assert re.sub(r"\s+", "", name) in text, (language, name)


def test_the_kazakh_pdf_keeps_the_kazakh_letters() -> None:
    names = [Country.objects.get(alpha2=code).names["kk"] for code in ("KZ", "CN")]
    letters = KAZAKH_LETTERS & set("".join(names))
    assert letters  # Қазақстан, Қытай: the test means something
    text = pdf_text(to_pdf(write_briefing(seoul_like(), "kk")))
    assert letters <= set(text)


def test_the_standalone_html_has_its_charts_and_fetches_nothing() -> None:
    build_small_city()
    page = to_html(build_briefing(2016, "seoul", "ko"))
    assert page.count("<svg") == 4  # years, districts, nationalities, departments
    assert "<style>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page
    assert "<script" not in page
