"""The researcher export: SPSS and Stata files read back with pyreadstat carry the definitions' variable and
value labels and the warehouse's values; CSV and Parquet hold the same; no name, phone or date is in any."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyreadstat
import pytest
from conftest import ROOT, run_cli
from expected import read_truth
from exports import excel_csv, kobo_json
from results_homes import demo_loaded, load_and_score

from followup.anonymise.contacts import every_identity
from followup.export.codebook import NAME_CHARS, Names
from followup.export.research import ExportError, export_research
from followup.export.writers import ExportFormat
from followup.home import Home, init_home
from followup.pii_scan import Matcher, Needle
from followup.warehouse import Warehouse

VALID_NAME = re.compile(rf"^[a-z][a-z0-9_]{{0,{NAME_CHARS - 1}}}$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_corpus) -> Home:  # type: ignore[no-untyped-def]
    return demo_loaded(tmp_path_factory.mktemp("export"), demo_corpus.inbox_files)


@pytest.fixture(scope="module")
def exported(demo: Home, tmp_path_factory: pytest.TempPathFactory) -> dict[ExportFormat, Path]:
    """The demo warehouse exported in every format, each into its own folder."""
    base = tmp_path_factory.mktemp("exported")
    for fmt in ExportFormat:
        export_research(demo, base / fmt.value, fmt)
    return {fmt: base / fmt.value for fmt in ExportFormat}


@pytest.fixture(scope="module")
def multiple_choice(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Three graduates from an Excel CSV list, two of whom answered a KoboToolbox form with a multiple-choice
    item (tests/definitions/formats_*.yaml)."""
    h, _ = init_home(tmp_path_factory.mktemp("multiple") / "home")
    for name in ("formats_baseline.yaml", "formats_followup.yaml"):
        shutil.copyfile(ROOT / "tests" / "definitions" / name, h.instruments / name)
    excel_csv(h.inbox)
    kobo_json(h.inbox)
    load_and_score(h)
    return h


def test_spss_and_stata_files_carry_the_variable_and_value_labels_of_the_definitions(exported) -> None:
    for fmt, read in ((ExportFormat.sav, pyreadstat.read_sav), (ExportFormat.dta, pyreadstat.read_dta)):
        wide, meta = read(str(exported[fmt] / f"graduate_waves.{fmt.value}"))
        labels = meta.column_names_to_labels
        assert labels["housing"] == "housing: Жильё после выхода"
        assert labels["ind_stable_housing"] == "indicator stable_housing: Стабильное жильё"
        assert labels["wave"] == "wave: Волна (месяцев после выхода)"
        values = {v: meta.variable_value_labels[v] for v in ("housing", "income", "knows_child_needs", "programme")}
        assert values["housing"] == {
            1: "Собственное жильё",
            2: "Съёмное жильё",
            3: "У родственников",
            4: "Общежитие",
            5: "Приют или кризисный центр",
            6: "Социальная квартира",
            7: "Нет жилья",
        }
        assert values["income"] == {1: "Да", 0: "Нет"}
        assert values["knows_child_needs"][5] == "Справляется полностью"
        assert values["programme"] == {1: "Социальный приют", 2: "Кризисное отделение", 3: "Социальная квартира"}
        # a label longer than Stata's 80 characters is cut, with its code kept first
        long_label = labels["child_in_care_placement"]
        assert long_label.startswith("child_in_care_placement: Был ли ребёнок") and len(long_label) <= 80
        assert all(VALID_NAME.match(name) for name in wide.columns), [
            c for c in wide.columns if not VALID_NAME.match(c)
        ]
        long, long_meta = read(str(exported[fmt] / f"answers.{fmt.value}"))
        assert long_meta.column_names_to_labels["value_label"] == "value_label: Ответ"
        rent = long[(long["item"] == "housing") & (long["value"] == "rent")]
        assert len(rent) > 10 and set(rent["value_label"]) == {"Съёмное жильё"}
    codebook = pd.read_csv(exported[ExportFormat.sav] / "codebook.csv", encoding="utf-8-sig")
    full = codebook.set_index(["file", "variable"]).loc[("graduate_waves", "child_in_care_placement")]
    assert full["label"].endswith("или изъят из семьи?") and full["source"] == "item:child_in_care_placement"
    assert full["values"] == "1 = Да; 0 = Нет"


def test_the_wide_file_holds_the_warehouses_answers_and_indicator_values(demo, exported) -> None:
    wide, _ = pyreadstat.read_sav(str(exported[ExportFormat.sav] / "graduate_waves.sav"))
    with Warehouse(demo.warehouse, read_only=True) as wh:
        at_exit = wh.con.execute(
            "SELECT graduate_id, value FROM answers_by_wave WHERE kind = 'baseline' AND item = 'housing'"
        ).df()
        values = wh.con.execute("SELECT graduate_id, wave, value FROM indicator_values WHERE indicator = 'income'").df()
    codes = {"own": 1, "rent": 2, "relatives": 3, "dormitory": 4, "shelter": 5, "halfway": 6, "none": 7}
    exit_rows = wide[wide["wave"] == 0].set_index("graduate_id")
    expected = at_exit.set_index("graduate_id")["value"].map(codes)
    expected = expected[expected.index.isin(exit_rows.index)]
    assert len(expected) > 50
    assert exit_rows.loc[expected.index, "housing"].astype(int).tolist() == expected.tolist()
    kept = values[values["graduate_id"].isin(wide["graduate_id"])]
    got = wide.set_index(["graduate_id", "wave"])["ind_income"].dropna()
    assert (
        got.sort_index().astype(int).tolist()
        == kept.set_index(["graduate_id", "wave"])["value"].sort_index().astype(int).tolist()
    )
    # one row per graduate and wave, never two
    assert not wide.duplicated(["graduate_id", "wave"]).any()
    assert set(wide["wave"]) == {0, 3, 6, 12, 24, 36}


def test_csv_and_parquet_hold_the_same_rows_and_columns(exported) -> None:
    wide, _ = pyreadstat.read_sav(str(exported[ExportFormat.sav] / "graduate_waves.sav"))
    as_csv = pd.read_csv(exported[ExportFormat.csv] / "graduate_waves.csv", encoding="utf-8-sig")
    as_parquet = duckdb.sql(f"SELECT * FROM '{exported[ExportFormat.parquet] / 'graduate_waves.parquet'}'").df()
    for table in (as_csv, as_parquet):
        assert list(table.columns) == list(wide.columns)
        assert len(table) == len(wide)
        assert table["housing"].sum() == wide["housing"].sum()
        assert sorted(table["organisation"].unique()) == sorted(wide["organisation"].unique())
    assert (exported[ExportFormat.parquet] / "codebook.csv").is_file()


def test_no_name_phone_or_date_of_a_graduate_is_in_any_exported_file(demo, demo_corpus, exported) -> None:
    identities = every_identity(demo)
    assert sum(line.startswith("name:") for line in identities) > 100  # the vault does hold them
    truth = read_truth(demo_corpus.truth_path)
    dates = sorted(set(truth.loc[truth["wave"] == 0, "exit_date"]))
    needles = [Needle.parse(line) for line in identities] + [Needle(d, "date") for d in dates]
    matcher = Matcher(needles)
    files = [path for folder in exported.values() for path in folder.iterdir()]
    assert len(files) == 16
    for path in files:
        found = matcher.in_bytes(path.read_bytes())
        assert not found, f"{path.name}: {sorted(found)[:5]}"


def test_a_multiple_choice_item_becomes_one_0_1_variable_per_option(multiple_choice, tmp_path) -> None:
    done = export_research(multiple_choice, tmp_path, ExportFormat.sav, k=2)
    assert done.anonymity.suppressed == 0 and done.anonymity.exit_level == "quarter"
    wide, meta = pyreadstat.read_sav(str(tmp_path / "graduate_waves.sav"))
    assert meta.column_names_to_labels["help_food"] == "help=food: Продукты"
    assert meta.variable_value_labels["help_legal"] == {1: "Выбрано", 0: "Не выбрано"}
    # housing: the baseline's options first (rent, relatives, dormitory), then the follow-up's own (own)
    assert meta.variable_value_labels["housing"] == {
        1: "Снимаю комнату",
        2: "У родственников",
        3: "Общежитие",
        4: "В собственном жилье",
    }
    followed = wide[wide["wave"] == 3].sort_values("housing")
    assert followed[["housing", "help_food", "help_clothes", "help_legal"]].values.tolist() == [
        [1, 1, 1, 0],
        [2, 0, 0, 1],
    ]
    assert wide.loc[wide["wave"] == 0, "help_food"].isna().all()  # not asked at exit: missing, not 0


def test_names_are_valid_for_spss_and_stata_and_given_once() -> None:
    names = Names()
    made = [
        names("housing"),
        names("housing"),
        names("1st_wave"),
        names("Жильё"),
        names("if"),
        names("a" * 40),
        names("a" * 40),
        names("help=food"),
    ]
    assert made == ["housing", "housing_2", "v_1st_wave", "v", "if_", "a" * 28, "a" * 26 + "_2", "help_food"]
    assert all(VALID_NAME.match(n) for n in made)


def test_the_command_writes_the_files_and_says_how_k_anonymity_was_reached(demo, tmp_path) -> None:
    done = run_cli("export", "--home", str(demo.root), "--format", "dta", "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert f"Wrote {tmp_path / 'out' / 'graduate_waves.dta'}" in done.stdout
    assert "shared by at least 5 graduates" in " ".join(done.stdout.split())
    wide, _ = pyreadstat.read_dta(str(tmp_path / "out" / "graduate_waves.dta"))
    assert len(wide) > 100
    wrong = run_cli("export", "--home", str(demo.root), "--quasi-identifier", "housing", "--output", str(tmp_path))
    assert wrong.returncode == 2
    assert "housing: not a grouping item of the case-closure form; choose from: material_help, programme" in " ".join(
        wrong.stderr.split()
    )


def test_a_k_below_2_is_refused(demo, tmp_path) -> None:
    with pytest.raises(ExportError, match="k = 1 protects no one"):
        export_research(demo, tmp_path, ExportFormat.csv, k=1)
    assert not any(tmp_path.iterdir())
