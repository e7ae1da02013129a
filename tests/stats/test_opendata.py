"""The published catalogue: every table through pivot(), protected jointly, with its metadata."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from medtour.stats import opendata
from medtour.stats.opendata import CATALOGUE, MEASURES, PublishedTable, publication
from tests.stats.builders import GANGNAM, MAPO
from tests.stats.opendata_data import build_2016
from tests.stats.test_disclosure_attack import Attacker, assert_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2016(db: None) -> list[PublishedTable]:
    build_2016()
    return publication(2016)


def by_slug(tables: list[PublishedTable]) -> dict[str, PublishedTable]:
    return {table.slug: table for table in tables}


def published_figures(table: PublishedTable) -> dict[tuple[str, ...], int | None]:
    """Figures by (row code, column code), totals under "_total"."""
    found: dict[tuple[str, ...], int | None] = {}
    for line in table.lines:
        for column, figure in zip(table.columns, line.figures, strict=True):
            found[(line.header.code, column.code)] = figure.value
        found[(line.header.code, "_total")] = line.total.value
    for column, figure in zip(table.columns, table.col_totals, strict=True):
        found[("_total", column.code)] = figure.value
    found[("_total", "_total")] = table.total.value
    return found


def test_the_catalogue_has_every_table_for_both_measures(year_2016: Any) -> None:
    assert {table.slug for table in year_2016} == {
        opendata.table_slug(measure, spec) for measure in MEASURES for spec in CATALOGUE
    }
    assert opendata.published_years() == [2016]


def test_no_published_figure_is_below_the_threshold(year_2016: Any) -> None:
    hidden = 0
    for table in year_2016:
        for figure in table.figures():
            assert figure.value is None or figure.value == 0 or figure.value >= 5
            hidden += figure.value is None
    assert hidden  # 3 Russians, 2 Kazakhs: something is hidden


def test_figures_are_the_engines_where_published(year_2016: Any) -> None:
    tables = by_slug(year_2016)
    districts = published_figures(tables["patients-by-district"])
    # cn-0 counts in Gangnam and in Mapo, and once in the city.
    truth = {(GANGNAM, "_total"): 45, (MAPO, "_total"): 29, ("_total", "_total"): 73}
    for key, value in truth.items():
        assert districts[key] in (value, None)
    assert districts[("_total", "_total")] == 73  # the city total is kept whenever possible
    assert published_figures(tables["episodes-by-district"])[("_total", "_total")] == 74


def test_a_figure_shared_by_tables_carries_one_decision(year_2016: Any) -> None:
    tables = by_slug(year_2016)
    for measure in MEASURES:
        alone = published_figures(tables[f"{measure}-by-district"])
        crossed = published_figures(tables[f"{measure}-by-district-and-nationality"])
        other = published_figures(tables[f"{measure}-by-district-and-department"])
        for district in (GANGNAM, MAPO):
            key = (district, "_total")
            assert alone[key] == crossed[key] == other[key]
        nationalities = published_figures(tables[f"{measure}-by-nationality"])
        for (row, col), value in crossed.items():
            if row == "_total" and col != "_total":
                assert nationalities[(col, "_total")] == value


def test_an_attacker_with_every_episode_table_learns_no_hidden_figure(year_2016: Any) -> None:
    """Episodes add up: row and column totals, and shared margins, are all equalities."""
    tables = [table for table in year_2016 if table.measure == "episodes"]
    values: dict[str, int] = {}
    published: set[str] = set()
    attacker = Attacker(values, published)
    truth = opendata._Linked()
    for shape in opendata._shapes(2016):
        if shape.measure == "episodes":
            opendata._link(shape, truth)

    def name(coordinates: tuple[tuple[str, str], ...]) -> str:
        return "/".join(f"{dim}={code}" for dim, code in coordinates) or "city"

    for (_measure, coordinates), value in truth.values.items():
        if _measure == "episodes":
            values[name(coordinates)] = value
    for table in tables:
        rows, cols = table.spec.rows, table.spec.cols

        def key(row: str, col: str | None, rows: str = rows, cols: Any = cols) -> str:
            parts = [(rows, row)] if row != "_total" else []
            if col not in (None, "_total") and cols:
                parts.append((cols, col))
            return name(tuple(sorted(parts)))

        for (row, col), value in published_figures(table).items():
            if value is not None:
                published.add(key(row, col))
        row_codes = [line.header.code for line in table.lines]
        col_codes = [column.code for column in table.columns]
        attacker.sums("city", [key(row, None) for row in row_codes])
        for row in row_codes:
            if col_codes:
                # The top nationalities only: the rest of the row is an unknown remainder.
                parts = [key(row, col) for col in col_codes]
                if table.spec.top_cols is None:
                    attacker.sums(key(row, None), parts)
        for col in col_codes:
            attacker.sums(key("_total", col), [key(row, col) for row in row_codes])
    assert_safe(attacker, threshold=5)


def test_the_threshold_is_a_setting(db: None, settings: Any) -> None:
    build_2016()
    settings.DISCLOSURE_THRESHOLD = 2
    tables = by_slug(publication(2016))
    nationalities = published_figures(tables["patients-by-nationality"])
    assert nationalities[("KZ", "_total")] == 2
    assert "1 to 1" in tables["patients-by-nationality"].rule


def test_metadata_names_period_definition_quality_and_rule(year_2016: Any) -> None:
    table = by_slug(year_2016)["patients-by-district"]
    assert table.title == "Foreign patients by district"
    assert "2016" in table.period
    assert "once" in table.definition
    assert table.quality.records > 0 and table.quality.synthetic is False
    assert table.threshold == 5 and "1 to 4" in table.rule
    assert table.as_of and table.generated_at


def test_publication_is_cached_until_the_data_change(year_2016: Any) -> None:
    before = opendata.data_version(2016)
    assert publication(2016) == year_2016
    build_2016()
    assert opendata.data_version(2016) != before
    assert by_slug(publication(2016))["episodes-by-district"].total.value == 148


def test_once_the_cells_are_built_the_version_follows_their_refresh(year_2016: Any) -> None:
    call_command("rebuild_statistics", verbosity=0)
    built = opendata.data_version(2016)
    assert built.startswith("cells-")
    call_command("rebuild_statistics", verbosity=0)
    assert opendata.data_version(2016) != built
