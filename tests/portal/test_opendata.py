"""The public open-data pages: every language, no sign-in, nothing below the threshold shown."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.conf import settings

from medtour.reference.models import Country
from medtour.stats.opendata import CATALOGUE, MEASURES, table_slug
from tests.stats.opendata_data import build_2016

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SLUGS = [table_slug(measure, spec) for measure in MEASURES for spec in CATALOGUE]
pytestmark = pytest.mark.django_db


@pytest.fixture
def data_2016(db: None) -> None:
    build_2016()


def get(client: Any, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, url
    return response


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel reads Korean only with the BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_lists_every_table_of_the_year_in_each_language(
    client: Any, data_2016: None, language: str
) -> None:
    html = get(client, f"/{language}/open-data/").content.decode()
    assert f'<html lang="{language}">' in html
    for slug in SLUGS:
        assert f'href="/{language}/open-data/2016/{slug}/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_table_page_renders_in_each_language(client: Any, data_2016: None, language: str) -> None:
    html = get(client, f"/{language}/open-data/2016/patients-by-district-and-nationality/")
    text = html.content.decode()
    assert f'<html lang="{language}">' in text
    assert f'href="/{language}/open-data/2016/patients-by-district-and-nationality.csv"' in text
    assert "synthetic-data" not in text  # hand-made records, not the demo


def test_hidden_figures_are_marked_and_their_numbers_never_appear(
    client: Any, data_2016: None
) -> None:
    html = get(client, "/en/open-data/2016/patients-by-nationality/").content.decode()
    row = re.search(r"Kazakhstan</th>\s*(<td.*?</td>)", html, re.S)
    assert row is not None
    assert 'class="num suppressed"' in row.group(1)
    assert "hidden to protect privacy" in row.group(1)
    assert ">2<" not in row.group(1)
    assert "Hidden to protect privacy" in html  # the legend


@pytest.mark.parametrize("slug", SLUGS)
def test_no_download_carries_a_figure_below_the_threshold(
    client: Any, data_2016: None, slug: str
) -> None:
    rows = csv_rows(get(client, f"/en/open-data/2016/{slug}.csv").content)
    header, body = rows[0], rows[1:]
    value, status = header.index("value"), header.index("status")
    assert body
    for row in body:
        if row[status] == "suppressed":
            assert row[value] == ""
        else:
            assert int(row[value]) == 0 or int(row[value]) >= 5


def test_the_csv_is_named_and_labelled_in_the_page_language(client: Any, data_2016: None) -> None:
    response = get(client, "/ko/open-data/2016/patients-by-nationality.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "medtour-2016-patients-by-nationality-ko.csv" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[1][:2] == ["CN", "중국"] or any(row[:2] == ["CN", "중국"] for row in rows)
    assert rows[-1][0] == "_total"


def test_labels_that_look_like_formulas_are_neutralised(client: Any, data_2016: None) -> None:
    Country.objects.filter(alpha2="CN").update(names={"en": '=HYPERLINK("x")'})
    rows = csv_rows(get(client, "/en/open-data/2016/patients-by-nationality.csv").content)
    labels = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("x")' in labels
    assert not any(label.startswith("=") for label in labels)


def test_the_metadata_describes_the_csv_in_the_page_language(client: Any, data_2016: None) -> None:
    response = get(client, "/ru/open-data/2016/episodes-by-district.csv-metadata.json")
    assert response["Content-Type"].startswith("application/csvm+json")
    document = json.loads(response.content)
    assert document["url"] == "http://testserver/ru/open-data/2016/episodes-by-district.csv"
    assert document["@context"][1] == {"@language": "ru"}
    assert document["dc:temporal"] == "2016"
    names = [column["name"] for column in document["tableSchema"]["columns"]]
    assert names == ["district_code", "district", "value", "status"]
    properties = {
        p["schema:name"]: p["schema:value"] for p in document["schema:additionalProperty"]
    }
    assert properties["disclosure_threshold"] == 5
    assert properties["synthetic_data"] is False
    csv_header = csv_rows(get(client, document["url"].removeprefix("http://testserver")).content)[0]
    titles = [column["titles"]["ru"] for column in document["tableSchema"]["columns"]]
    assert csv_header == titles


@pytest.mark.parametrize(
    "path",
    [
        "/en/open-data/2015/patients-by-district/",
        "/en/open-data/2016/patients-by-everything/",
        "/en/open-data/2016/fees-by-district.csv",
    ],
)
def test_unknown_years_and_tables_are_not_found(client: Any, data_2016: None, path: str) -> None:
    get(client, path, status=404)


def test_signing_in_shows_nothing_more(client: Any, data_2016: None, analyst: Any) -> None:
    anonymous = get(client, "/en/open-data/2016/patients-by-nationality.csv").content
    client.force_login(analyst)
    assert get(client, "/en/open-data/2016/patients-by-nationality.csv").content == anonymous
