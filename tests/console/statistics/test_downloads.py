"""Chart downloads (PNG, SVG) and data downloads (CSV with BOM, XLSX), injection-safe."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from medtour.console.statistics.tables import Cell, Table, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def chart(client: Any, panel: str, file_format: str, area: str = "city") -> Any:
    return client.get(
        f"/console/statistics/charts/{panel}.{file_format}", {"area": area, "year": "2016"}
    )


def test_png_and_svg_downloads(city_records: Any, persona_client: Any) -> None:
    client = persona_client("analyst")
    png = chart(client, "ranking", "png")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = chart(client, "map", "svg")
    assert svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg")
    assert "attachment" in svg["Content-Disposition"]


def test_csv_download_has_a_bom_and_the_panel_s_figures(
    city_records: Any, persona_client: Any
) -> None:
    response = chart(persona_client("analyst"), "ranking", "csv")
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4  # header, two districts, the real total
    assert lines[-1].split(",")[2] == "4"


def test_xlsx_download_holds_the_table(city_records: Any, persona_client: Any) -> None:
    from openpyxl import load_workbook

    response = chart(persona_client("analyst"), "totals", "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][1] == 2 and rows[2][1] == 4


def test_downloads_respect_the_scope(city_records: Any, persona_client: Any) -> None:
    client = persona_client("officer_mapo")
    assert chart(client, "totals", "csv", area="district:11680").status_code == 403
    assert chart(client, "totals", "csv", area="city").status_code == 403
    assert chart(client, "totals", "csv", area="district:11440").status_code == 200
    assert chart(client, "map", "svg", area="district:11440").status_code == 404
    assert chart(client, "totals", "exe", area="district:11440").status_code == 404


def test_cells_that_would_run_as_formulas_are_neutralised() -> None:
    table = Table(columns=["=label", "value"], rows=[[Cell("=HYPERLINK(1)"), Cell(3)]])
    assert "'=HYPERLINK(1)" in csv_bytes(table).decode("utf-8-sig")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx_bytes(table, title="t")))
    assert list(book.active.iter_rows(values_only=True))[1][0] == "'=HYPERLINK(1)"


def test_aggregate_cells_keep_their_mark_in_files() -> None:
    table = Table(columns=["district", "patients"], rows=[[Cell("Mapo"), Cell(7, aggregate=True)]])
    assert "7 (aggregate return)" in csv_bytes(table).decode("utf-8-sig")
