"""The demo with specialists' assessment sheets (`generate(..., assessments=True)`), through the real pipeline:
every sheet loads whole and in the waves the truth says, every indicator of the menu gets data, no staff name
reaches the home's artefacts, and a scale's by-wave mean recovers the truth behind the ratings."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import AS_OF
from test_pipeline import run_stages

from followup.demo import DemoCorpus, generate
from followup.demo.sheets import SHEETS
from followup.demo.truth import ASSESSMENT_ANSWERS_FILE, FILES_FILE, ROWS_FILE, TRUTH_FILE
from followup.home import Home, init_home
from followup.indicators import load_indicators
from followup.instruments import load_instruments
from followup.pii_scan import scan
from followup.resources import schemas_dir
from followup.warehouse import Warehouse

SEED, GRADUATES = 7, 120
STAFF_COLUMNS = ("Специалист", "Интервьюер", "Кто помогал заполнять")
# indicator -> the instrument that alone feeds it, and the items of its scale
SCALES = {
    "child_parent_interaction": "child_parent_interaction",
    "life_situation": "adaptation_assessment",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> DemoCorpus:
    base = tmp_path_factory.mktemp("assessments")
    return generate(
        base / "inbox", base / "truth", seed=SEED, today=AS_OF, graduates=GRADUATES, messy=True, assessments=True
    )


@pytest.fixture(scope="module")
def loaded(corpus: DemoCorpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, pd.DataFrame]:
    """A home with copies of the corpus's exports, run once: the home and its by-wave table (not suppressed)."""
    home, _ = init_home(tmp_path_factory.mktemp("assessments-home") / "home")
    for path in corpus.inbox_files:
        shutil.copyfile(path, home.inbox / path.name)
    summary, by_wave = run_stages(home, as_of=AS_OF)
    assert summary.files_loaded == len(corpus.inbox_files) == 13 and summary.files_rejected == 0, summary
    return home, by_wave


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _query(home: Home, sql: str) -> pd.DataFrame:
    with Warehouse(home.warehouse, read_only=True) as wh:
        return wh.con.execute(sql).df()


def test_every_assessment_sheet_loads_whole_into_the_waves_the_truth_says(corpus, loaded) -> None:
    home, _ = loaded
    truth = _csv(corpus.assessments_path)
    assert set(truth["instrument"]) == set(SHEETS)  # the five instruments, one workbook each
    assert {"typo", "no_patronymic"} <= set(truth["name_variant"])  # not every name is written as recorded
    per_file = _query(
        home,
        "SELECT r.instrument, any_value(f.rows_read) AS rows_read, any_value(f.rows_loaded) AS rows_loaded, "
        "any_value(f.rows_quarantined) AS rows_quarantined, any_value(f.rows_duplicate) AS rows_duplicate "
        "FROM responses r JOIN file_runs f USING (file_id) WHERE r.kind = 'assessment' GROUP BY r.instrument",
    ).set_index("instrument")
    rows = truth.groupby("instrument").size()
    assert per_file["rows_read"].to_dict() == per_file["rows_loaded"].to_dict() == rows.to_dict()
    assert (per_file["rows_quarantined"] == 0).all() and (per_file["rows_duplicate"] == 0).all()
    assert _query(home, "SELECT count(*) AS n FROM quarantine")["n"].iloc[0] == 0

    got = _query(home, "SELECT instrument, wave, count(*) AS n FROM responses WHERE kind = 'assessment' GROUP BY ALL")
    expected = truth.astype({"wave": int}).groupby(["instrument", "wave"]).size().rename("n").reset_index()
    pd.testing.assert_frame_equal(
        got.sort_values(["instrument", "wave"]).reset_index(drop=True), expected, check_dtype=False
    )
    assert (expected["wave"] > 0).sum() >= 8  # at follow-up waves too, not only at exit


def test_every_indicator_of_the_menu_has_data_at_some_wave(loaded) -> None:
    _, by_wave = loaded
    instruments = load_instruments(schemas_dir() / "instruments")
    menu = [i.id for i in load_indicators([schemas_dir() / "indicators.yaml"], instruments)]
    answered = by_wave.groupby("indicator")["answered"].max()
    assert len(menu) == 18
    assert {i for i in menu if answered.get(i, 0) == 0} == set()
    # fed only by the assessment sheets: without them these seven show nothing
    only_assessed = [
        "child_parent_interaction", "relations_with_child_improved", "motivation_for_change", "life_situation",
        "child_feels_well", "child_feels_protected", "satisfaction_with_help",
    ]  # fmt: skip
    assert (answered[only_assessed] >= 5).all(), answered[only_assessed]


def _staff_names(corpus: DemoCorpus) -> dict[str, set[str]]:
    """Per workbook with a staff column (the residents' online form has none), every name in it, as written."""
    names: dict[str, set[str]] = {}
    for path in corpus.inbox_files:
        if path.name not in {sheet.file for sheet in SHEETS.values()}:
            continue
        book = openpyxl.load_workbook(path, read_only=True)
        rows = [
            [str(cell) if cell is not None else "" for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        book.close()
        top = next((n for n, row in enumerate(rows[:3]) if set(STAFF_COLUMNS) & set(row)), None)
        if top is not None:
            at = [rows[top].index(column) for column in STAFF_COLUMNS if column in rows[top]]
            names[path.name] = {row[i] for row in rows[top + 1 :] for i in at if row[i]}
    return names


def test_no_specialists_name_reaches_the_warehouse_or_any_artefact(corpus, loaded) -> None:
    home, _ = loaded
    staff = _staff_names(corpus)
    # up to three per workbook (a woman is followed by the same one)
    assert len(staff) == 4 and all(1 <= len(names) <= 3 for names in staff.values()), staff
    assert sum(len(names) for names in staff.values()) >= 8
    needles = sorted(set().union(*staff.values()))
    found = scan(home, needles)
    assert found.findings == [], [str(f) for f in found.findings]
    assert any("warehouse.duckdb" in name for names in found.searched.values() for name in names)
    # The same scan finds them where they are: a copy of a sheet left among the reports.
    planted = home.reports / "копия листа.xlsx"
    (file,) = [path for path in corpus.inbox_files if path.name == SHEETS["child_parent_interaction"].file]
    shutil.copyfile(file, planted)
    try:
        hits = {needles[f.needle] for f in scan(home, needles).findings}
    finally:
        planted.unlink()
    assert hits == staff[file.name]


def _truth_scores(corpus: DemoCorpus, instrument: str) -> pd.DataFrame:
    """person, wave, the mean of her ratings (blanks left out) and the true level, per assessment."""
    answers = _csv(corpus.truth_path.parent / ASSESSMENT_ANSWERS_FILE)
    made = _csv(corpus.assessments_path)
    made = made[made["instrument"] == instrument]
    rated = answers.merge(made[["file", "row"]], on=["file", "row"])
    rated = rated[rated["code"].str.fullmatch(r"\d+") & rated["item"].ne("child_age")]
    if instrument == "adaptation_assessment":  # the wellbeing indicator's five areas
        rated = rated[
            rated["item"].isin(
                ["assess_housing", "assess_finances", "assess_documents", "assess_health", "assess_social_ties"]
            )
        ]
    score = rated.astype({"code": float}).groupby(["file", "row"])["code"].mean().rename("score").reset_index()
    out = made.merge(score, on=["file", "row"]).astype({"wave": int, "level": float})
    assert not out.duplicated(["person", "wave"]).any()  # one assessment per graduate and wave
    return out


@pytest.mark.parametrize("indicator", sorted(SCALES))
def test_the_by_wave_mean_of_a_scale_recovers_the_truth(corpus, loaded, indicator) -> None:
    _, by_wave = loaded
    truth = _truth_scores(corpus, SCALES[indicator])
    got = by_wave[(by_wave["indicator"] == indicator) & (by_wave["answered"] > 0)].set_index("wave")
    per_wave = truth.groupby("wave").agg(n=("score", "size"), score=("score", "mean"), level=("level", "mean"))
    assert got.index.tolist() == per_wave.index.tolist() and len(per_wave) >= 4
    # The ratings the sheets hold, read back exactly: the same graduates, waves and means.
    assert got["answered"].tolist() == per_wave["n"].tolist()
    assert got["mean"].tolist() == pytest.approx(per_wave["score"].tolist(), abs=1e-9)
    # The true level behind the ratings lies within the 95 % interval of the mean, wherever 5 or more answered.
    enough = per_wave[per_wave["n"] >= 5]
    half_width = 1.96 * got.loc[enough.index, "sd"] / enough["n"] ** 0.5
    assert ((got.loc[enough.index, "mean"] - enough["level"]).abs() <= half_width).all(), (got, per_wave)


def test_without_assessments_the_corpus_is_the_same_file_for_file(corpus, tmp_path) -> None:
    plain = generate(tmp_path / "inbox", tmp_path / "truth", seed=SEED, today=AS_OF, graduates=GRADUATES, messy=True)
    sheets = {sheet.file for sheet in SHEETS.values()}
    assert [p.name for p in corpus.inbox_files if p.name not in sheets] == [p.name for p in plain.inbox_files]
    for path in plain.inbox_files:
        assert path.read_bytes() == (corpus.inbox_files[0].parent / path.name).read_bytes(), path.name
    truth = corpus.truth_path.parent
    assert (tmp_path / "truth" / TRUTH_FILE).read_bytes() == (truth / TRUTH_FILE).read_bytes()
    for name in (FILES_FILE, ROWS_FILE):  # the sheets' lines follow those of the other exports
        assert (truth / name).read_text(encoding="utf-8").startswith((tmp_path / "truth" / name).read_text("utf-8"))
