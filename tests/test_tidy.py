"""Tidy result files for scripts (results/tidy.py): CSV and Parquet of a realistic home, with codes beside the
labels, hidden cells empty and flagged, and the same figures as the terminal and the workbook."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import AS_OF
from results_homes import demo as demo
from results_homes import tables_of

from followup.config import Organisation
from followup.home import Home
from followup.organisations import Network
from followup.results import disclosure, render, tidy
from followup.results.cost import read_costs
from followup.results.disclosure import Suppressed
from followup.results.render import About
from followup.results.tables import COLUMNS, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse

# Two of the demo's three organisations are listed in followup.toml; «Приют „Маленькая страна“» is not.
NETWORK = Network(
    (
        Organisation(code="ddm", name="Дом для мамы"),
        Organisation(code="nadezhda", name="КЦ Надежда", aliases=["Кризисный центр „Надежда“"]),
    ),
    "Сеть приютов",
)
COSTS = """организация;период;затраты;проживающих
Дом для мамы;2024;2 963 000;30
Кризисный центр „Надежда“;2024;3 100 000;31
Приют „Маленькая страна“;2024;1 800 000;12
"""


@pytest.fixture(scope="module")
def shown(demo: Home, tmp_path_factory: pytest.TempPathFactory) -> Suppressed:
    costs_file = tmp_path_factory.mktemp("costs") / "costs.csv"
    costs_file.write_text(COSTS, encoding="utf-8")
    instruments, indicators = definitions(demo)
    with Warehouse(demo.warehouse, read_only=True) as wh:
        computed = compute_tables(
            wh, indicators, demo.settings.waves.months, AS_OF, read_costs(costs_file), instruments=instruments
        )
    out = disclosure.suppress(computed, demo.settings.results.min_cell)
    assert all(out.hidden[name].values.any() for name in ("by_wave", "breakdowns", "cost"))  # the checks mean something
    return out


@pytest.fixture(scope="module")
def written(shown: Suppressed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tidy")
    paths = tidy.write_tables(shown, folder, "csv", NETWORK)
    paths += tidy.write_tables(shown, folder, "parquet", NETWORK)
    assert sorted(p.name for p in paths) == sorted(f"{n}.{ext}" for n in COLUMNS for ext in ("csv", "parquet"))
    return folder


def read(folder: Path, name: str) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]]]:
    """The CSV as pandas reads it with the documented types, the Parquet as DuckDB reads it (in the same
    pandas types), and the Parquet's column types."""
    dtypes = {"text": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
    header = pd.read_csv(folder / f"{name}.csv", nrows=0).columns
    typed = {c: dtypes[tidy.kind_of(c)] for c in header}
    csv = pd.read_csv(folder / f"{name}.csv", dtype=typed)
    with duckdb.connect() as con:
        relation = con.sql(f"SELECT * FROM '{folder / name}.parquet'")
        types = list(zip(relation.columns, map(str, relation.types), strict=True))
        parquet = relation.df().astype(typed)
    return csv, parquet, types


def test_every_table_has_snake_case_columns_typed_alike_in_csv_and_parquet(shown: Suppressed, written: Path) -> None:
    for name in COLUMNS:
        csv, parquet, types = read(written, name)
        expected = tidy.tidy_columns(COLUMNS[name])
        assert list(csv.columns) == list(parquet.columns) == expected, name
        assert all(c.isascii() and c == c.lower() and " " not in c for c in expected)
        assert types == [(c, tidy.PARQUET_TYPES[tidy.kind_of(c)]) for c in expected], name
        assert len(csv) == len(parquet) == len(getattr(shown.tables, name)), name
        pd.testing.assert_frame_equal(csv, parquet, check_exact=False, rtol=1e-15)
    raw = (written / "by_wave.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfindicator,title,type,wave,eligible,")  # BOM: Excel reads the Cyrillic


def test_ids_and_codes_stand_beside_the_labels(shown: Suppressed, written: Path) -> None:
    by_wave, _, _ = read(written, "by_wave")
    menu = dict(zip(shown.tables.by_wave["indicator"], shown.tables.by_wave["title"], strict=True))
    assert dict(zip(by_wave["indicator"], by_wave["title"], strict=True)) == menu
    assert "stable_housing" in menu and menu["stable_housing"] == "Стабильное жильё"
    assert set(by_wave["type"]) == {"state", "event", "scale"} & set(shown.tables.by_wave["type"])
    assert sorted(set(by_wave["wave"])) == [0, *shown.tables.by_wave["wave"].drop_duplicates().iloc[1:]]

    breakdowns, _, _ = read(written, "breakdowns")
    columns = list(breakdowns.columns)
    assert columns[:5] == ["group_by", "group_title", "group_code", "group_label", "indicator"]
    organisations = breakdowns[breakdowns["group_by"] == "organisation"].drop_duplicates("group_label")
    assert dict(zip(organisations["group_label"], organisations["group_code"].fillna(""), strict=True)) == {
        "Дом для мамы": "ddm",
        "Кризисный центр „Надежда“": "nadezhda",  # by its alias
        "Приют „Маленькая страна“": "",  # not in [[organisations]]: no code, the name in group_label
    }
    programmes = breakdowns[breakdowns["group_by"] == "programme"].drop_duplicates("group_code")
    labels = dict(zip(programmes["group_code"].fillna("—"), programmes["group_label"], strict=True))
    assert labels["shelter"] == "Социальный приют" and labels["—"] == "нет ответа"
    assert programmes["group_title"].iloc[0] == "Программа, по которой проживала"
    cohorts = breakdowns[breakdowns["group_by"] == "cohort"]
    assert (cohorts["group_code"] == cohorts["group_label"]).all() and cohorts["group_code"].str.fullmatch(
        r"20\d\d"
    ).all()

    cost, _, _ = read(written, "cost")
    assert list(cost.columns[:2]) == ["organisation_code", "organisation"]
    codes = dict(zip(cost["organisation"], cost["organisation_code"].fillna(""), strict=True))
    assert codes == {"Дом для мамы": "ddm", "Кризисный центр „Надежда“": "nadezhda", "Приют „Маленькая страна“": ""}


def test_hidden_cells_are_empty_and_flagged_with_their_columns(shown: Suppressed, written: Path) -> None:
    checked = 0
    for name in COLUMNS:
        csv, parquet, _ = read(written, name)
        hidden = shown.hidden[name].reset_index(drop=True)
        for frame in (csv, parquet):
            assert frame["suppressed"].tolist() == hidden.any(axis=1).tolist(), name
            for i in hidden.index:
                columns = [c for c in hidden.columns if hidden.loc[i, c]]
                flagged = frame.loc[i, "suppressed_columns"]
                assert (flagged.split(";") if isinstance(flagged, str) else []) == columns, (name, i)
                assert frame.loc[i, columns].isna().all(), (name, i, columns)
                checked += len(columns)
    assert checked > 100


def test_the_same_figures_as_the_terminal_and_the_workbook(shown: Suppressed, written: Path, tmp_path: Path) -> None:
    book = render.write_xlsx(shown, tmp_path / "results.xlsx", About("Сеть приютов", AS_OF))
    for name in COLUMNS:
        csv, _, _ = read(written, name)
        table, hidden = getattr(shown.tables, name).reset_index(drop=True), shown.hidden[name].reset_index(drop=True)
        terminal = render.cells(shown, name).reset_index(drop=True)
        sheet = pd.read_excel(book, sheet_name=render.sheet_name(name))
        kinds = csv["type"] if "type" in csv else pd.Series("", index=csv.index)
        for column in render.file_columns(table):
            if column == "type":
                continue
            ru = sheet[render.labels.COLUMNS_RU[column]]
            for i in table.index:
                if hidden.loc[i, column]:
                    assert terminal.loc[i, column] == ru[i] == shown.marker and pd.isna(csv.loc[i, column])
                    continue
                assert render.text(csv.loc[i, column], column, str(kinds[i])) == terminal.loc[i, column], (name, i)
                if pd.isna(ru[i]):
                    assert pd.isna(csv.loc[i, column]), (name, i, column)
                elif tidy.kind_of(column) == "text":
                    assert csv.loc[i, column] == str(ru[i]), (name, i, column)
                elif tidy.kind_of(column) != "text":
                    assert float(csv.loc[i, column]) == pytest.approx(float(ru[i]), rel=1e-12), (name, i, column)


def test_the_run_writes_tidy_csvs_and_no_file_under_old_names(tmp_path: Path, demo_corpus) -> None:
    from results_homes import demo_loaded

    home = demo_loaded(tmp_path, demo_corpus.inbox_files)
    written = sorted(p.name for p in home.reports.iterdir())
    assert written == sorted(["results.xlsx", "report.html", *(f"{n}.csv" for n in COLUMNS)])
    by_wave = pd.read_csv(home.reports / "by_wave.csv")
    assert list(by_wave.columns) == tidy.tidy_columns(COLUMNS["by_wave"])
    tables, _, _ = tables_of(home)
    assert len(by_wave) == len(tables.by_wave) and by_wave["suppressed"].any()


def test_check_pii_reads_the_strings_of_the_parquet_files(shown: Suppressed, tmp_path: Path) -> None:
    """The Parquet files are written uncompressed, so that `followup check-pii` finds any text in their bytes
    (here an organisation's name, standing in for a planted value)."""
    from followup.home import init_home
    from followup.pii_scan import Needle, scan

    home, _ = init_home(tmp_path / "home")
    tidy.write_tables(shown, home.reports, "parquet", NETWORK)
    found = {(f.artefact, f.where) for f in scan(home, [Needle("Маленькая страна", "name")]).findings}
    assert ("reports/breakdowns.parquet", "bytes") in found and ("reports/cost.parquet", "bytes") in found
