"""Chart builders: the spec carries the title and exactly the PivotResult's figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from medtour.stats import charts
from medtour.stats.query import Member, PivotQuery, PivotResult


def by_district() -> PivotResult:
    return PivotResult(
        query=PivotQuery(rows=("district",), filters=(("year", "2016"),)),
        rows=[Member(("11440",), "Mapo-gu"), Member(("11680",), "Gangnam-gu")],
        cols=[],
        cells=[[], []],
        row_totals=[1200, 76385],
        col_totals=[],
        total=77000,
        sources={(0, 0): "aggregate"},
    )


def by_year_and_nationality() -> PivotResult:
    return PivotResult(
        query=PivotQuery(rows=("year",), cols=("nationality",)),
        rows=[Member(("2015",), "2015"), Member(("2016",), "2016")],
        cols=[Member(("CN",), "China"), Member(("US",), "United States")],
        cells=[[10, 4], [20, None]],
        row_totals=[14, 20],
        col_totals=[25, 4],
        total=29,
    )


def data_values(spec: dict[str, object]) -> list[dict[str, object]]:
    """Every inline data value of SPEC, wherever Altair put it (top level or in a layer)."""
    found: list[dict[str, object]] = []
    for part in [spec, *spec.get("layer", [])]:  # type: ignore[list-item]
        found += part.get("data", {}).get("values", [])
    return found


def test_bar_chart_carries_the_title_and_the_result_s_values() -> None:
    chart = charts.bar_chart(by_district(), title="Patients by district")
    spec = charts.spec(chart)
    assert spec["title"] == "Patients by district"
    values = {row["label"]: row["value"] for row in spec["data"]["values"]}
    assert values == {"Gangnam-gu": 76385, "Mapo-gu": 1200}
    # largest first, and the aggregate-return bar is marked
    assert [row["label"] for row in spec["data"]["values"]] == ["Gangnam-gu", "Mapo-gu"]
    assert [row["aggregate"] for row in spec["data"]["values"]] == [False, True]


def test_chart_values_read_cells_when_there_are_columns() -> None:
    values = charts.chart_values(by_year_and_nationality())
    assert [(v.row[0], v.col[0], v.value) for v in values] == [
        ("2015", "CN", 10),
        ("2015", "US", 4),
        ("2016", "CN", 20),
        ("2016", "US", None),
    ]
    line = charts.spec(charts.line_chart(by_year_and_nationality(), title="Trend"))
    assert sorted(row["value"] for row in line["data"]["values"]) == [4, 10, 20]


def test_share_chart_keeps_the_top_rows_and_others_against_the_real_total() -> None:
    rows = charts.share_rows(by_district(), top=1, others_label="others")
    assert rows[0][:2] == ("Gangnam-gu", 76385)
    assert rows[0][2] == pytest.approx(100 * 76385 / 77000)
    assert rows[1][:2] == ("others", 1200)


def test_svg_is_safe_to_inline_and_has_hover_titles() -> None:
    with translation.override("ru"):
        svg = charts.to_svg(charts.bar_chart(by_district(), title="Пациенты"))
    ET.fromstring(svg)
    assert "<script" not in svg and " style=" not in svg
    assert "aria-roledescription" not in svg
    assert 'aria-label="Пациенты"' in svg
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert "Gangnam-gu: 76\xa0385" in titles  # grouped as Russian groups digits


def test_png_rendering() -> None:
    png = charts.to_png(charts.line_chart(by_year_and_nationality(), title="Trend"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.django_db
def test_choropleth_draws_every_district_with_its_value() -> None:
    from medtour.reference.models import District

    areas = [(d.code, d.names["ko"], d.boundary) for d in District.objects.all()]
    spec = charts.spec(charts.choropleth(by_district(), areas, title="Map"))
    features = [value for value in data_values(spec) if value.get("type") == "Feature"]
    assert len(features) == 25
    values = {f["properties"]["name"]: f["properties"]["value"] for f in features}
    assert values["강남구"] == 76385 and values["종로구"] == 0
    svg = charts.to_svg(charts.choropleth(by_district(), areas, title="Map"))
    assert svg.count("<title>") == 25


def test_scatter_and_derived_charts() -> None:
    scatter = charts.spec(
        charts.scatter_chart(
            [{"label": "A", "x": 10.0, "y": 30.0}], title="S", x_title="x", y_title="y"
        )
    )
    assert scatter["title"] == "S"
    assert any(
        v.get("label") == "A"
        for layer in scatter["layer"]
        for v in layer.get("data", {}).get("values", [])
    )
    grouped = charts.spec(charts.grouped_bar_chart([("2016", "published", 5.0)], title="G"))
    assert grouped["data"]["values"][0]["value"] == 5.0
    shares = charts.spec(charts.values_chart([("2016", 22.5)], title="V", percent=True))
    assert shares["data"]["values"][0]["value"] == 22.5
