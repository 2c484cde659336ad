"""The stages end to end, without Prefect: what lands in the warehouse and what the result table says."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import AS_OF
from expected import expected_by_wave, read_truth

from followup.anonymise.file_names import recorded_names
from followup.demo import generate
from followup.run import Run, load_order
from followup.warehouse import Warehouse


def run_stages(home, as_of: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    """The nightly flow's stages in order, as flows/nightly.py calls them."""
    with Run.open(home.root, as_of=as_of) as run:
        checked = []
        for export in run.discover():
            tables = run.read(export)
            tables_checked = run.validate(export, tables) if tables is not None else None
            if tables_checked is not None:
                checked.append((export, tables_checked, False))
        for export, tables_checked, _ in load_order(checked):
            run.load(run.anonymise(export, tables_checked))
        table = run.results()
        summary = run.finish()
        run.publish()
        return summary, table


def _table_of(table: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    known = table[table["indicator"].isin(expected["indicator"])]
    return known[["indicator", "wave", "eligible", "reached", "answered", "with_outcome"]].reset_index(drop=True)


def _placed_forms(home, rows_path) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """file, row, the wave each loaded follow-up form was placed in and the wave the demo sent it for."""
    with Warehouse(home.warehouse, read_only=True) as wh:
        placed = wh.con.execute(
            "SELECT f.file_name AS file, r.source_row AS row, r.wave FROM responses AS r "
            "JOIN files AS f USING (file_id) WHERE r.kind = 'followup' ORDER BY ALL"
        ).df()
    sent = pd.read_csv(rows_path, dtype=str, keep_default_na=False).astype({"row": int, "wave": int})
    files = sorted(set(sent["file"]))  # the warehouse knows each file by its recorded name
    sent["file"] = sent["file"].map(dict(zip(files, recorded_names(files), strict=True)))
    return placed.merge(sent.rename(columns={"wave": "wave_sent"}), on=["file", "row"], how="left")


def test_the_demo_corpus_loads_whole_and_the_table_matches_the_truth(demo_home, demo_corpus) -> None:
    summary, table = run_stages(demo_home)
    assert summary.files_loaded == len(demo_corpus.inbox_files) == 8 and summary.files_rejected == 0
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate
    assert summary.rows_quarantined == 0

    expected = expected_by_wave(demo_corpus.truth_path, AS_OF, demo_home.settings.waves.months)
    pd.testing.assert_frame_equal(_table_of(table, expected), expected, check_dtype=False)
    assert table.loc[table["wave"] == 36, "reached"].iloc[0] > 0
    # Forms come back from two weeks early to six weeks late, some on a month's last day: each lands in the
    # wave it was sent for.
    placed = _placed_forms(demo_home, demo_corpus.rows_path)
    assert placed["wave_sent"].notna().all() and len(placed) > 150
    assert placed["wave"].tolist() == placed["wave_sent"].tolist()
    # Interviews (organisation C) feed the same items as the forms, and a crisis denied after it was reported
    # still counts: the event reading differs from a wave-by-wave one, so the comparison above can fail.
    truth = read_truth(demo_corpus.truth_path)
    assert (truth.loc[truth["answered"] == "1", "instrument"] == "followup_interview").sum() > 20
    crisis = truth[(truth["answered"] == "1") & (truth["wave"] > 0) & (truth["repeat_crisis"] != "")]
    as_states = crisis.groupby("wave")["repeat_crisis"].apply(lambda said: int((said == "no").sum()))
    as_events = expected[expected["indicator"] == "no_repeat_crisis"].set_index("wave")["with_outcome"]
    assert (as_events.reindex(as_states.index) < as_states).any()


def test_each_graduate_keeps_her_organisation(demo_home, demo_corpus) -> None:
    run_stages(demo_home)
    truth = read_truth(demo_corpus.truth_path)
    at_exit = truth[truth["wave"] == 0]["organisation"].value_counts().sort_index()
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        loaded = wh.con.execute("SELECT organisation, count(*) FROM graduates GROUP BY 1 ORDER BY 1").fetchall()
    assert loaded == list(at_exit.items())
    assert len(loaded) == 3


def test_a_messy_corpus_accounts_for_every_row_and_links_the_names_written_differently(home, tmp_path) -> None:
    corpus = generate(home.inbox, tmp_path / "truth", seed=7, today=AS_OF, graduates=120, messy=True)
    summary, _ = run_stages(home)
    assert summary.files_loaded == len(corpus.inbox_files) and summary.files_rejected == 0
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate
    rows = pd.read_csv(corpus.rows_path, dtype=str, keep_default_na=False)
    assert (rows["name_variant"] != "exact").sum() > 20  # typos, missing patronymics, initials
    with Warehouse(home.warehouse, read_only=True) as wh:
        held = wh.con.execute("SELECT check_name FROM quarantine").df()
        how = dict(wh.con.execute("SELECT how, count(*) FROM graduate_aliases GROUP BY ALL").fetchall())
    assert set(held["check_name"]) <= {"link_review"}  # (tests/test_linkage.py measures who is linked to whom)
    assert how.get("phone", 0) + how.get("fuzzy", 0) > 20


def test_loaded_exports_are_filed_and_the_same_files_dropped_again_are_not_loaded_twice(demo_home, demo_corpus):
    run_stages(demo_home)
    inbox = demo_home.inbox
    assert [p.name for p in inbox.iterdir()] == ["processed"]
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        before = {
            t: wh.con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("graduates", "responses", "answers")
        }
        stored = dict(wh.con.execute("SELECT file_name, stored_as FROM files").fetchall())
    # each under its recorded name (a woman's name in it replaced) and the start of its hash
    assert len(stored) == len(demo_corpus.inbox_files)
    for where in stored.values():
        assert where.startswith("processed/") and (inbox / where).is_file()
    assert len(list((inbox / "processed").iterdir())) == len(demo_corpus.inbox_files)

    summary, _ = run_stages(demo_home)  # nothing new
    assert (summary.files_seen, summary.files_loaded, summary.rows_read) == (0, 0, 0)

    for n, path in enumerate(demo_corpus.inbox_files):  # the same exports dropped again, one of them renamed
        (inbox / (f"копия {path.name}" if n == 0 else path.name)).write_bytes(path.read_bytes())
    summary, _ = run_stages(demo_home)
    assert (summary.files_skipped, summary.files_loaded, summary.rows_read) == (len(demo_corpus.inbox_files), 0, 0)
    assert [p.name for p in inbox.iterdir()] == ["processed"]
    assert len(list((inbox / "processed").iterdir())) == len(demo_corpus.inbox_files) + 1  # the renamed copy
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        after = {
            t: wh.con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("graduates", "responses", "answers")
        }
    assert after == before


def test_a_cumulative_re_export_loads_each_answer_once(demo_home, demo_corpus) -> None:
    survey = demo_home.inbox / "Катамнез выпускниц (Ответы) - Ответы на форму (1).csv"  # the Google Form's
    lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
    run_stages(demo_home)
    # The same form exported again a week later: every earlier row plus one more answer (a re-sent row).
    (demo_home.inbox / "Катамнез (Ответы) - выгрузка 2.csv").write_text("".join([*lines, lines[1]]), encoding="utf-8")
    summary, _ = run_stages(demo_home)
    assert summary.files_loaded == 1
    assert summary.rows_loaded == 0
    assert summary.rows_duplicate == len(lines)  # every data row, plus the repeated one


@pytest.mark.parametrize(
    ("cell", "value", "check"),
    [
        ("Отметка времени", "2024-13-45", "timestamp_format"),
        ("Отметка времени", "01.01.2099 10:00:00", "timestamp_not_future"),
        ("Где вы сейчас живёте?", "Во дворце", "answer_in_options"),
    ],
)
def test_a_bad_row_is_quarantined_with_file_row_and_column(demo_home, cell: str, value: str, check: str) -> None:
    from followup.demo import FOLLOWUP_HEADERS, write_followup_csv

    row = {h: "" for h in FOLLOWUP_HEADERS} | {
        "Отметка времени": "05.05.2026 10:00:00",
        "Ваши фамилия, имя и отчество": "Тестова Анна",
        "Где вы сейчас живёте?": "Общежитие",
    }
    write_followup_csv(demo_home.inbox / "one.csv", [row, row | {cell: value}])
    summary, _ = run_stages(demo_home)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        q = wh.con.execute(
            "SELECT file_name, source_row, column_name, check_name FROM quarantine WHERE file_name = 'one.csv' "
            "ORDER BY source_row"
        ).fetchall()
    assert ("one.csv", 3, cell, check) in q
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        history = wh.con.execute(
            "SELECT column_name, check_name, unexpected_count, success FROM validation_results "
            "WHERE file_name = 'one.csv' AND NOT success"
        ).fetchall()
    assert (cell, check, 1, False) in history
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate


def test_an_unreadable_file_is_rejected_and_the_others_still_load(demo_home, demo_corpus) -> None:
    (demo_home.inbox / "сломанный.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (demo_home.inbox / "пустой.csv").write_bytes(b"")
    summary, _ = run_stages(demo_home)
    reasons = dict(summary.rejected)
    assert "not a readable XLSX" in reasons["сломанный.xlsx"]
    assert "empty" in reasons["пустой.csv"]
    assert summary.files_loaded == len(demo_corpus.inbox_files) and summary.rows_loaded > 300


def test_a_follow_up_that_asks_the_exit_date_needs_no_case_closure_form(home) -> None:
    """A shelter with only a follow-up survey: the form's own exit-date column makes its graduates known."""
    definition = """
instrument: standalone_followup
title: Анкета выпускницы с датой выхода
kind: followup
items:
  - code: income
    text: Есть ли у вас работа?
    type: yes_no
versions:
  - version: 1
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Когда вы выехали из приюта?: {role: exit_date, format: "%d.%m.%Y"}
      Есть ли у вас работа?: income
"""
    (home.instruments / "standalone.yaml").write_text(definition, encoding="utf-8")
    rows = [
        "Отметка времени,ФИО,Когда вы выехали из приюта?,Есть ли у вас работа?",
        "15.04.2026 10:00:00,Иванова Алёна,10.01.2026,Да",  # 3 months after exit
        "20.07.2026 10:00:00,алена иванова,,Нет",  # 6 months: the exit date given once is enough
        "20.07.2026 11:00:00,Петрова Мария,,Да",  # never gave an exit date: waits in quarantine
    ]
    (home.inbox / "survey.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary, table = run_stages(home)
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 1)
    income = table[table["indicator"] == "income"].set_index("wave")
    assert income.loc[3, ["eligible", "answered", "with_outcome"]].tolist() == [1, 1, 1]
    assert income.loc[6, ["answered", "with_outcome"]].tolist() == [1, 0]
    with Warehouse(home.warehouse, read_only=True) as wh:
        assert wh.con.execute("SELECT exit_month FROM graduates").fetchall() == [(dt.date(2026, 1, 1),)]
        reason = wh.con.execute("SELECT reason FROM quarantine").fetchone()
    assert reason is not None and "role exit_date" in reason[0]


def test_two_answers_in_one_wave_are_both_kept_and_reported(home) -> None:
    definition = """
instrument: wave_survey
title: Анкета выпускницы
kind: followup
items:
  - code: income
    text: Есть ли у вас работа?
    type: yes_no
versions:
  - version: 1
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Дата выезда: {role: exit_date, format: "%d.%m.%Y"}
      Есть ли у вас работа?: income
"""
    (home.instruments / "wave.yaml").write_text(definition, encoding="utf-8")
    rows = [
        "Отметка времени,ФИО,Дата выезда,Есть ли у вас работа?",
        "15.04.2026 10:00:00,Иванова Алёна,10.01.2026,Нет",  # 3 months after exit
        "02.05.2026 10:00:00,Иванова Алёна,10.01.2026,Да",  # 4 months: the same wave (3), answered again
        "15.04.2026 10:00:00,Петрова Мария,12.01.2026,Да",
    ]
    (home.inbox / "survey.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary, table = run_stages(home)
    assert summary.rows_loaded == 3
    with Warehouse(home.warehouse, read_only=True) as wh:
        check = wh.con.execute(
            "SELECT element_count, unexpected_count, success FROM validation_results "
            "WHERE check_name = 'one_answer_per_wave'"
        ).fetchall()
    assert check == [(3, 2, False)]
    income = table[table["indicator"] == "income"].set_index("wave")
    assert income.loc[3, ["answered", "with_outcome"]].tolist() == [2, 2]  # her latest answer counts


def test_comments_are_kept_redacted(demo_home) -> None:
    run_stages(demo_home)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        texts = [t for (t,) in wh.con.execute("SELECT text FROM comments").fetchall()]
        names = {n for (n,) in wh.con.execute("SELECT count(*) FROM comments WHERE text LIKE '%[ИМЯ]%'").fetchall()}
    assert len(texts) > 50
    assert names and max(names) > 5  # the demo's comments name staff and children
