"""History: a corrected re-export supersedes earlier answers without deleting them, and every result can be
computed again as of an earlier run."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from test_pipeline import run_stages

from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv
from followup.history import tables_as_of_run
from followup.results.tables import ResultTables, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse, WarehouseError

WOMEN = {  # name, phone, exit date, birth date
    "A": ("Андреева Алла Петровна", "89160000001", dt.date(2025, 1, 10), dt.date(1995, 3, 1)),
    "B": ("Борисова Бэлла Ивановна", "89160000002", dt.date(2025, 3, 5), dt.date(1990, 6, 2)),
    "C": ("Васильева Вера Олеговна", "89160000003", dt.date(2025, 2, 1), dt.date(1999, 1, 3)),
}
RUN_DATES = {1: dt.date(2025, 8, 1), 2: dt.date(2025, 9, 1), 3: dt.date(2025, 10, 1)}


def closure(
    inbox: Path, name: str, extra: dict[str, dict[str, str]] | None = None, **changed: tuple[dt.date, dt.date]
) -> None:
    """The case-closure workbook; `changed` gives a woman a corrected (exit date, birth date), `extra` other
    answers of hers (column → answer)."""
    rows = []
    for n, (who, (full_name, phone, exit_date, birth)) in enumerate(WOMEN.items(), start=1):
        exit_date, birth = changed.get(who, (exit_date, birth))
        rows.append(
            {h: "" for h in BASELINE_HEADERS}
            | {
                "№": n,
                "Дата завершения случая": exit_date,
                "ФИО выпускницы": full_name,
                "Дата рождения": birth,
                "Телефон": phone,
                "Программа": "Социальный приют",
                "Ребёнок проживает с мамой": "Да",
                "Жильё после выхода": "Съёмное жильё",
            }
            | (extra or {}).get(who, {})
        )
    write_baseline_xlsx(inbox / name, rows)


def follow_up(who: str, when: str, income: str) -> dict[str, object]:
    full_name, phone, _, _ = WOMEN[who]
    return {h: "" for h in FOLLOWUP_HEADERS} | {
        "Отметка времени": when,
        "Ваши фамилия, имя и отчество": full_name,
        "Номер телефона": phone,
        "Ребёнок (дети) живут с вами?": "Да",
        "Где вы сейчас живёте?": "Снимаю жильё",
        "Есть ли у вас работа или постоянный доход?": income,
    }


FIRST_ANSWERS = [
    follow_up("A", "15.04.2025 10:00:00", "Да"),  # 3 months after her exit
    follow_up("B", "10.06.2025 10:00:00", "Нет"),  # 3 months
    follow_up("C", "03.05.2025 10:00:00", "Да"),  # 3 months; 6 once her exit month is corrected
]


def tables(home, as_of: dt.date) -> ResultTables:  # type: ignore[no-untyped-def]
    instruments, indicators = definitions(home)
    with Warehouse(home.warehouse, read_only=True) as wh:
        return compute_tables(wh, indicators, home.settings.waves.months, as_of, instruments=instruments)


def assert_same(got: ResultTables, expected: ResultTables) -> None:
    for (name, frame), (_, want) in zip(got.items(), expected.items(), strict=True):
        pd.testing.assert_frame_equal(frame, want, obj=name)


def query(home, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with Warehouse(home.warehouse, read_only=True) as wh:
        return wh.con.execute(sql).fetchall()


@pytest.fixture
def three_runs(home):  # type: ignore[no-untyped-def]
    """Run 1: case closures and first follow-ups; run 2: a corrected re-export of both (B's income and birth
    year, C's exit month); run 3: a new follow-up of A. Returns the tables each run computed, and the run
    summaries."""
    computed, summaries = {}, {}
    closure(home.inbox, "Завершение случая.xlsx", {"B": {"Комментарий специалиста": "Первая запись специалиста"}})
    write_followup_csv(home.inbox / "Катамнез (Ответы).csv", FIRST_ANSWERS)
    summaries[1], _ = run_stages(home, as_of=RUN_DATES[1])
    computed[1] = tables(home, RUN_DATES[1])

    corrected = {"B": (WOMEN["B"][2], dt.date(1991, 6, 2)), "C": (dt.date(2024, 11, 20), WOMEN["C"][3])}
    comment = {"B": {"Комментарий специалиста": "Запись исправлена специалистом"}}
    closure(home.inbox, "Завершение случая (исправлено).xlsx", comment, **corrected)
    answers = [FIRST_ANSWERS[0], follow_up("B", "10.06.2025 10:00:00", "Да"), FIRST_ANSWERS[2]]
    write_followup_csv(home.inbox / "Катамнез (Ответы) исправлено.csv", answers)
    summaries[2], _ = run_stages(home, as_of=RUN_DATES[2])
    computed[2] = tables(home, RUN_DATES[2])

    write_followup_csv(home.inbox / "Катамнез (Ответы) 3.csv", [follow_up("A", "20.07.2025 10:00:00", "Нет")])
    summaries[3], _ = run_stages(home, as_of=RUN_DATES[3])
    computed[3] = tables(home, RUN_DATES[3])
    return computed, summaries


def test_a_corrected_re_export_is_a_new_version_and_the_old_one_is_kept(home, three_runs) -> None:
    _, summaries = three_runs
    second = summaries[2]
    # closures: A the same (a duplicate), B and C corrected; follow-ups: only B's answer changed
    assert (second.rows_read, second.rows_loaded, second.rows_duplicate, second.rows_quarantined) == (6, 3, 3, 0)
    assert query(home, "SELECT count(*) FROM graduates") == [(3,)]
    assert query(home, "SELECT count(*) FROM responses") == [(7,)]  # 3 closures, 4 follow-ups
    assert query(home, "SELECT birth_year, exit_month FROM graduates ORDER BY exit_month") == [
        (1999, dt.date(2024, 11, 1)),
        (1995, dt.date(2025, 1, 1)),
        (1991, dt.date(2025, 3, 1)),
    ]
    assert query(
        home, "SELECT birth_year, exit_month, valid_from_run, valid_to_run FROM graduates_history ORDER BY 2"
    ) == [(1999, dt.date(2025, 2, 1), 1, 2), (1990, dt.date(2025, 3, 1), 1, 2)]
    # B's first answer is kept, with the runs it was current for
    assert query(
        home,
        "SELECT h.value, r.valid_from_run, r.valid_to_run FROM answers_history h "
        "JOIN responses_history r ON r.response_id = h.response_id AND r.valid_from_run = h.valid_from_run "
        "WHERE h.item = 'income' AND r.kind = 'followup'",
    ) == [("no", 1, 2)]
    assert query(
        home,
        "SELECT a.value, r.valid_from_run FROM answers a JOIN responses r USING (response_id) "
        "JOIN graduates_history g USING (graduate_id) WHERE a.item = 'income' AND g.birth_year = 1990",
    ) == [("yes", 2)]
    # B's first comment is kept too
    assert query(home, "SELECT text, valid_from_run, valid_to_run FROM comments_history") == [
        ("Первая запись специалиста", 1, 2)
    ]
    assert query(home, "SELECT text, run_id FROM comments") == [("Запись исправлена специалистом", 2)]
    # C's follow-up moved with her exit month: from 3 to 6 months since exit, same answers
    assert query(
        home,
        "SELECT r.months_since_exit, r.wave, r.valid_from_run, r.answers_from_run, h.months_since_exit, h.wave "
        "FROM responses r JOIN responses_history h USING (response_id) "
        "WHERE r.kind = 'followup' AND r.answered_month = DATE '2025-05-01'",
    ) == [(6, 6, 2, 1, 3, 3)]


def test_results_as_of_each_run_equal_what_that_run_computed(home, three_runs) -> None:
    computed, _ = three_runs
    # the corrections changed the results (C's answer moved from wave 3 to 6, B's income became yes), so the
    # comparisons below can fail
    income = {n: t.by_wave.set_index(["indicator", "wave"]).loc["income"] for n, t in computed.items()}
    assert [income[n].loc[3, ["answered", "with_outcome"]].tolist() for n in (1, 2, 3)] == [[3, 2], [2, 2], [2, 2]]
    assert [income[n].loc[6, ["answered", "with_outcome"]].tolist() for n in (1, 2, 3)] == [[0, 0], [1, 1], [2, 1]]
    for run_id in (1, 2, 3):
        got, day = tables_as_of_run(home, run_id)
        assert day == RUN_DATES[run_id]  # the run's own date is the default due date
        assert_same(got, computed[run_id])
    got, day = tables_as_of_run(home, 1, as_of=RUN_DATES[3])  # run 1's data, due as of a later day
    assert day == RUN_DATES[3]
    eligible = got.by_wave.set_index(["indicator", "wave"]).loc["income", "eligible"]
    assert (
        eligible.loc[6] == 3
        and computed[1].by_wave.set_index(["indicator", "wave"]).loc[("income", 6), "eligible"] == 2
    )
    # and the shadow is gone after the block: the warehouse reads as it is now
    assert_same(tables(home, RUN_DATES[3]), computed[3])


def test_scoring_only_the_graduates_whose_forms_changed_gives_what_scoring_everyone_gives(home, three_runs) -> None:
    _, indicators = definitions(home)
    menu = [i.model_dump() for i in indicators]
    columns = ["indicator", "graduate_id", "wave"]
    with Warehouse(home.warehouse) as wh:
        kept = wh.con.execute("SELECT * FROM indicator_values").df().sort_values(columns).reset_index(drop=True)
        assert len(kept) > 10 and wh.score_indicators(menu) == 0  # each run scored what it changed
        with wh.as_of_run(3, menu):  # scores everyone again, from the same forms
            everyone = wh.con.execute("SELECT * FROM indicator_values").df()
        # a changed definition scores everyone again
        assert wh.score_indicators([{**menu[0], "positive": ["no"]}, *menu[1:]]) == 3
    pd.testing.assert_frame_equal(everyone.sort_values(columns).reset_index(drop=True), kept)


EDITED_MENU = """indicators:
  - id: income
    title: Нет работы и дохода
    type: state
    item: income
    positive: ["no"]
"""


def test_results_as_of_an_earlier_run_are_computed_with_that_runs_definitions(home) -> None:
    closure(home.inbox, "Завершение случая.xlsx")
    write_followup_csv(home.inbox / "Катамнез (Ответы).csv", FIRST_ANSWERS)
    run_stages(home, as_of=RUN_DATES[1])
    first = tables(home, RUN_DATES[1])
    (home.root / "indicators.yaml").write_text(EDITED_MENU, encoding="utf-8")  # the home's menu replaces income
    run_stages(home, as_of=RUN_DATES[1])  # nothing new: only the definitions changed
    now = tables(home, RUN_DATES[1])
    income = ["income", 3]
    assert first.by_wave.set_index(["indicator", "wave"]).loc[tuple(income), "with_outcome"] == 2  # A and C
    assert now.by_wave.set_index(["indicator", "wave"]).loc[tuple(income), "with_outcome"] == 1  # B
    got, _ = tables_as_of_run(home, 1)
    assert_same(got, first)
    got, _ = tables_as_of_run(home, 2)
    assert_same(got, now)
    assert query(home, "SELECT run_id, count(*) OVER (PARTITION BY digest) FROM run_definitions ORDER BY 1") == [
        (1, 1),
        (2, 1),
    ]


def test_graduate_groups_has_her_baseline_grouping_answers_as_columns(home, tmp_path) -> None:
    extra = {"A": {"Программа": "Кризисный центр", "Материальная помощь при выходе": "Да"}}
    closure(home.inbox, "Завершение случая.xlsx", extra)
    run_stages(home, as_of=RUN_DATES[1])
    expected = [  # (exit month, cohort, birth year, programme, material help)
        (dt.date(2025, 1, 1), 2025, 1995, "crisis", "yes"),
        (dt.date(2025, 2, 1), 2025, 1999, "shelter", None),  # no answer: NULL
        (dt.date(2025, 3, 1), 2025, 1990, "shelter", None),
    ]
    sql = "SELECT exit_month, cohort, birth_year, programme, material_help FROM graduate_groups ORDER BY exit_month"
    assert query(home, sql) == expected
    assert query(home, "SELECT count(DISTINCT graduate_id), count(DISTINCT organisation) FROM graduate_groups") == [
        (3, 1)
    ]
    with Warehouse(home.warehouse) as wh:
        wh.migrate()  # the view outlives an upgrade: made again from the grouping items the last run used
        assert wh.con.execute(sql).fetchall() == expected
        snapshot = wh.publish(tmp_path / "snapshot.duckdb")  # and researchers have it
        wh.make_groups_view(["material_help"])  # other grouping items, other columns
        columns = [c for (c,) in wh.con.execute("SELECT column_name FROM (DESCRIBE graduate_groups)").fetchall()]
        assert columns == ["graduate_id", "organisation", "exit_month", "cohort", "birth_year", "material_help"]
    with Warehouse(snapshot, read_only=True) as researcher:
        assert researcher.con.execute(sql).fetchall() == expected


def test_a_run_that_did_not_complete_cannot_be_a_point_in_time(home) -> None:
    closure(home.inbox, "Завершение случая.xlsx")
    run_stages(home, as_of=RUN_DATES[1])
    with (
        Warehouse(home.warehouse, read_only=True) as wh,
        pytest.raises(WarehouseError, match="run 7: there is no such run"),
        wh.as_of_run(7, []),
    ):
        pass


GOOGLE_FORM = "Катамнез выпускниц (Ответы) - Ответы на форму (1).csv"
DATA_TABLES = (  # what the data is; runs, files and their checks record each run and differ by design
    "graduates",
    "responses",
    "answers",
    "indicator_values",
    "comments",
    "graduate_aliases",
    "link_reviews",
    "quarantine",
    "graduates_history",
    "responses_history",
    "answers_history",
    "comments_history",
    "definitions",  # the same definitions are stored once
)


def data_tables(home) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    with Warehouse(home.warehouse, read_only=True) as wh:
        frames = {t: wh.con.execute(f"SELECT * FROM {t}").df() for t in DATA_TABLES}
    return {t: f.sort_values(list(f.columns)).reset_index(drop=True) for t, f in frames.items()}


def test_running_twice_on_the_same_inbox_changes_nothing(demo_home, demo_corpus) -> None:
    run_stages(demo_home)
    before = data_tables(demo_home)
    assert len(before["responses"]) > 300 and len(before["indicator_values"]) > 1000
    # The same exports again: the Google Form's re-exported with its rows in another order (other bytes, the same
    # forms), the others as they were.
    for path in demo_corpus.inbox_files:
        if path.name == GOOGLE_FORM:
            with path.open(encoding="utf-8", newline="") as f:
                head, *rows = list(csv.reader(f))
            with (demo_home.inbox / f"снова {path.name}").open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([head, *reversed(rows)])
        else:
            (demo_home.inbox / path.name).write_bytes(path.read_bytes())
    again, _ = run_stages(demo_home)
    assert (again.files_loaded, again.files_skipped) == (1, len(demo_corpus.inbox_files) - 1)
    assert again.rows_read > 50
    assert (again.rows_loaded, again.rows_duplicate) == (0, again.rows_read)
    after = data_tables(demo_home)
    for table in DATA_TABLES:
        pd.testing.assert_frame_equal(after[table], before[table], obj=table)
    assert len(after["responses_history"]) == 0  # no new versions
    with Warehouse(demo_home.warehouse) as wh:  # scored through the second run, and nobody is left to score
        assert wh.con.execute("SELECT value FROM meta WHERE key = 'scored_through_run'").fetchone() == ("2",)
        assert wh.score_indicators([i.model_dump() for i in definitions(demo_home)[1]]) == 0
