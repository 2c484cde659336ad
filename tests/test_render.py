"""The terminal and XLSX views of the result tables, and the tidy CSV and Parquet, after disclosure control.

`TABLES` are small hand-made tables following `tables.COLUMNS`; some of their cells are small counts
whose figures are distinctive (7,77, 12%, 987 654), so a test can tell that no view shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
from rich.console import Console

from followup.config import Organisation
from followup.organisations import Network
from followup.results import disclosure, labels, render, tables, tidy
from followup.results.tables import ResultTables

ABOUT = render.About("Приют «Тест»", dt.date(2026, 11, 1), 7)


def _frame(kind: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=tables.COLUMNS[kind])


def _wave(indicator: str, title: str, kind: str, wave: int, counts: tuple[int, int, int, int], **more: object) -> dict:
    eligible, reached, answered, with_outcome = counts
    share = with_outcome / answered if answered else None
    return {
        "indicator": indicator, "title": title, "type": kind, "wave": wave, "eligible": eligible, "reached": reached,
        "response_rate": reached / eligible if eligible else None, "answered": answered, "with_outcome": with_outcome,
        "share": share, "ci_low": share and share * 0.9, "ci_high": share and min(1.0, share * 1.1),
    } | more  # fmt: skip


BY_WAVE = _frame(
    "by_wave",
    [
        _wave("housed", "Стабильное жильё", "state", 0, (60, 60, 58, 30)),
        _wave("housed", "Стабильное жильё", "state", 12, (50, 40, 40, 30)),
        _wave("housed", "Стабильное жильё", "state", 36, (50, 40, 3, 1)) | {"share": 0.123},  # hidden: 12%
        _wave("skills", "Родительская компетентность", "scale", 0, (60, 60, 0, 0)),
        _wave("skills", "Родительская компетентность", "scale", 12, (50, 40, 30, 20), mean=3.4, sd=0.8, median=3.0,
              q1=3.0, q3=4.0),
        _wave("skills", "Родительская компетентность", "scale", 36, (50, 40, 4, 2), mean=7.77, sd=6.66, median=8.0,
              q1=7.0, q3=9.0),
    ],
)  # fmt: skip
CHANGE = _frame(
    "change",
    [
        {"indicator": "housed", "title": "Стабильное жильё", "type": "state", "wave": 12, "pairs": 38,
         "baseline": 0.5, "at_wave": 0.75, "improved": 12, "worsened": 3, "test": "McNemar", "statistic": 5.3,
         "p_value": 0.0351},
        {"indicator": "skills", "title": "Родительская компетентность", "type": "scale", "wave": 12, "pairs": 30,
         "baseline": 3.1, "at_wave": 3.4, "improved": 14, "worsened": 6, "test": "Wilcoxon", "statistic": 44.0,
         "p_value": 0.0004},
    ],
)  # fmt: skip
EVENTS = _frame(
    "events",
    [
        {"indicator": "crisis", "title": "Нет повторного кризиса", "wave": w, "at_risk": n, "events": e,
         "survival": s, "ci_low": s - 0.1, "ci_high": min(1.0, s + 0.05)}
        for w, n, e, s in [(0, 60, 0, 1.0), (12, 40, 6, 0.9), (36, 3, 9, 0.8)]
    ],
)  # fmt: skip
CURVE = _frame(
    "survival_curve",
    [
        {"indicator": "crisis", "title": "Нет повторного кризиса", "months": m, "survival": s, "ci_low": s - 0.1,
         "ci_high": min(1.0, s + 0.05)}
        for m, s in [(0, 1.0), (5, 0.95), (12, 0.9), (30, 0.8)]
    ],
)  # fmt: skip
ATTRITION = _frame(
    "attrition",
    [
        {"cohort": c, "wave": w, "eligible": e, "reached": r, "response_rate": r / e if e else None}
        for c, w, e, r in [(2024, 0, 30, 30), (2025, 0, 30, 30), (2024, 12, 30, 22), (2025, 12, 20, 18),
                           (2024, 36, 30, 25), (2025, 36, 20, 15)]
    ],
)  # fmt: skip
BREAKDOWNS = _frame(
    "breakdowns",
    [
        {"group_by": "organisation", "group_title": "Организация", "group": g, "group_label": g}
        | _wave("housed", "Стабильное жильё", "state", 12, counts)
        for g, counts in [("Приют А", (30, 25, 25, 20)), ("Приют Б", (20, 15, 15, 10))]
    ],
)  # fmt: skip
CHANGE_BY_GROUP = _frame(
    "change_by_group",
    [
        {"group_by": "organisation", "group_title": "Организация", "group": g, "group_label": g,
         "indicator": "housed", "title": "Стабильное жильё", "type": "state", "wave": 12, "pairs": n,
         "baseline": 0.5, "at_wave": 0.7, "improved": b, "worsened": c, "test": "McNemar", "statistic": 4.0,
         "p_value": p}
        for g, n, b, c, p in [("Приют А", 20, 7, 0, 0.0156), ("Приют Б", 18, 5, 3, 0.7266)]
    ],
)  # fmt: skip
# 2025 has 2 events: hidden, and with them the log-rank test (p 0,00618).
EVENTS_BY_GROUP = _frame(
    "events_by_group",
    [
        {"group_by": "cohort", "group_title": "Год выхода", "group": g, "group_label": g, "indicator": "crisis",
         "title": "Нет повторного кризиса", "wave": w, "at_risk": n, "events": e, "survival": v, "ci_low": v - 0.1,
         "ci_high": min(1.0, v + 0.05), "test": "log-rank", "statistic": 7.5, "p_value": 0.00618}
        for g, w, n, e, v in [("2024", 0, 30, 0, 1.0), ("2024", 12, 20, 4, 0.8), ("2024", 36, 2, 7, 0.6),
                              ("2025", 0, 30, 0, 1.0), ("2025", 12, 20, 2, 0.9), ("2025", 36, 1, 2, 0.9)]
    ],
)  # fmt: skip
COST = _frame(
    "cost",
    [
        {"organisation": "Приют А", "period": "2025", "programme_cost": 2_963_000.0, "residents": 3,
         "cost_per_resident": 987_654.0, "indicator": "housed", "title": "Стабильное жильё", "graduates_due": 20,
         "with_result": 12, "cost_per_result": 246_917.0},
    ],
)  # fmt: skip
RAW = ResultTables(
    by_wave=BY_WAVE,
    change=CHANGE,
    events=EVENTS,
    survival_curve=CURVE,
    attrition=ATTRITION,
    breakdowns=BREAKDOWNS,
    change_by_group=CHANGE_BY_GROUP,
    events_by_group=EVENTS_BY_GROUP,
    cost=COST,
)
SHOWN = disclosure.suppress(RAW)
SECRET_TEXTS = ["7,77", "6,66", "12%", "987\u202f654", "987 654", "0,006"]  # figures of suppressed cells, as written


def test_the_hand_made_tables_do_hide_what_the_tests_look_for() -> None:
    bw, hidden = SHOWN.tables.by_wave, SHOWN.hidden["by_wave"]
    assert hidden.loc[2, "share"] and hidden.loc[5, "mean"] and pd.isna(bw.loc[5, "mean"])
    assert SHOWN.hidden["cost"].loc[0, "cost_per_resident"]
    assert SHOWN.hidden["events"].loc[2, "survival"]


def test_the_terminal_shows_every_table_in_100_columns_with_the_marker_and_never_a_hidden_figure() -> None:
    console = Console(width=100, record=True)
    console.print(render.all_rich(SHOWN, ABOUT))
    text = console.export_text()
    for name in labels.TITLES:
        if name != "survival_curve" or len(CURVE):
            assert labels.TITLES[name] in text, name
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "Стабильное жильё" in text and "50%–60%" not in text and "75%" in text
    assert "<5" in text and "Приют «Тест»: результаты на 01.11.2026; запуск 7." in text
    assert not [s for s in SECRET_TEXTS if s in text]
    # the cohort view: reached of eligible and the response rate; 2025 at 12 months has 2 not reached
    # (20 − 18), so its reached is hidden, and 2024's too (both add up to the wave's 40)
    assert "25/30 83%" in text and "<5/20 <5" in text and "<5/30 <5" in text


def test_one_table_alone_and_an_empty_one_say_so() -> None:
    console = Console(width=100, record=True)
    console.print(render.all_rich(SHOWN, ABOUT, only="attrition"))
    text = console.export_text()
    assert labels.TITLES["attrition"] in text and labels.TITLES["by_wave"] not in text
    empty = disclosure.suppress(ResultTables(**{n: tables.empty(n) for n in tables.COLUMNS}))
    console = Console(width=100, record=True)
    console.print(render.as_rich(empty, "cost"))
    assert "costs.csv" in console.export_text()


def test_the_terminal_shows_a_programme_cost_once_and_the_cost_per_result_where_a_graduate_had_it() -> None:
    periods = [("2025", 2_963_000.0, 30), ("2026", 3_100_000.0, 31)]
    results = {"2025": [("housed", "Стабильное жильё", 20, 12), ("skills", "Родительская компетентность", 20, 0),
                        ("safe", "Чувствует себя в безопасности", 20, 3)],
               "2026": [("housed", "Стабильное жильё", 0, 0), ("skills", "Родительская компетентность", 0, 0),
                        ("safe", "Чувствует себя в безопасности", 0, 0)]}  # fmt: skip
    cost = _frame(
        "cost",
        [
            {"organisation": "Приют А", "period": period, "programme_cost": money, "residents": residents,
             "cost_per_resident": money / residents, "indicator": code, "title": title, "graduates_due": due,
             "with_result": had, "cost_per_result": money / had if had else None}
            for period, money, residents in periods
            for code, title, due, had in results[period]
        ],
    )  # fmt: skip
    shown = disclosure.suppress(ResultTables(**{name: table for name, table in RAW.items()} | {"cost": cost}))
    console = Console(width=100, record=True)
    console.print(render.as_rich(shown, "cost"))
    text = console.export_text()
    assert text.count("2\u202f963\u202f000") == 1 and text.count("3\u202f100\u202f000") == 1  # once per period
    assert "98\u202f767" in text and "100\u202f000" in text  # cost per resident
    assert "Стабильное жильё" in text and "246\u202f917" in text  # 2 963 000 / 12
    assert "Чувствует себя в безопасности" in text and "987\u202f667" not in text  # 3 graduates: «<5»
    assert "Ни у одной выпускницы периода нет результата в 12 месяцев: Родительская компетентность." in text
    assert text.count("Приют А") == 2 + 2  # the two periods' costs, and one row per indicator with a result
    assert len(text.splitlines()) < 30


def test_the_tidy_files_for_scripts_leave_suppressed_cells_empty_and_flag_them(tmp_path: Path) -> None:
    paths = tidy.write_tables(SHOWN, tmp_path / "csv") + tidy.write_tables(SHOWN, tmp_path / "parquet", "parquet")
    assert sorted(p.name for p in paths) == sorted(f"{n}.{ext}" for n in tables.COLUMNS for ext in ("csv", "parquet"))
    raw = (tmp_path / "csv" / "by_wave.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Cyrillic as UTF-8
    frame = pd.read_csv(tmp_path / "csv" / "by_wave.csv")
    assert list(frame.columns)[:4] == ["indicator", "title", "type", "wave"]
    assert list(frame.columns)[-2:] == ["suppressed", "suppressed_columns"]
    row = frame.iloc[2]
    assert pd.isna(row["with_outcome"]) and pd.isna(row["share"]) and row["reached"] == 40
    assert row["suppressed"] and {"with_outcome", "share"} <= set(row["suppressed_columns"].split(";"))
    assert not frame.iloc[0]["suppressed"] and pd.isna(frame.iloc[0]["suppressed_columns"])
    assert frame.iloc[0]["type"] == "state" and frame.iloc[0]["indicator"] == "housed"
    text = "".join(p.read_text(encoding="utf-8-sig") for p in paths if p.suffix == ".csv")
    assert "0.123" not in text and "7.77" not in text and "987654" not in text
    with duckdb.connect() as con:
        for path in (p for p in paths if p.suffix == ".parquet"):
            values = con.sql(f"SELECT * FROM '{path}'").fetchall()
            assert not {0.123, 7.77, 987654} & {v for row in values for v in row}, path.name


def test_a_grouping_or_column_added_later_gets_the_same_treatment_in_the_tidy_files() -> None:
    """The writer is generic over the tables' columns: a second grouping (group_by_2 …, as a cross-breakdown
    has) gets its code beside its label, a new text column stays text and a new figure a number."""
    crossed = BREAKDOWNS.assign(
        better="higher", effect=[0.25, 0.5], group_by_2="cohort", group_title_2="Год выхода",
        group_2=["2024", "нет ответа"], group_label_2=["2024", "нет ответа"],
    )  # fmt: skip
    shown = disclosure.suppress(replace(RAW, breakdowns=crossed))
    network = Network((Organisation(code="priut_a", name="Приют А"),), "Сеть приютов")
    frame = tidy.tidy(shown, "breakdowns", network)
    columns = list(frame.columns)
    assert columns[:4] == ["group_by", "group_title", "group_code", "group_label"]
    at = columns.index("group_by_2")
    assert columns[at : at + 4] == ["group_by_2", "group_title_2", "group_code_2", "group_label_2"]
    assert frame["group_code"].tolist() == ["priut_a", pd.NA] and frame["group_label"].tolist() == [
        "Приют А",
        "Приют Б",
    ]
    assert frame["group_code_2"].tolist() == ["2024", pd.NA]  # «нет ответа» has no code
    assert str(frame["better"].dtype) == "string" and str(frame["effect"].dtype) == "Float64"
    assert columns[-2:] == ["suppressed", "suppressed_columns"]


def test_the_workbook_has_a_sheet_per_table_the_marker_widths_and_notes(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(render.write_xlsx(SHOWN, tmp_path / "r.xlsx", ABOUT))
    assert book.sheetnames == [render.sheet_name(n) for n in tables.COLUMNS] + ["Примечания"]
    sheet = book[render.sheet_name("by_wave")]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Показатель", "Тип показателя"]
    share = header.index("Доля с результатом") + 1
    assert sheet.cell(row=2, column=share).value == 30 / 58 and sheet.cell(row=2, column=share).number_format == "0%"
    assert sheet.cell(row=4, column=share).value == "<5"
    assert sheet.column_dimensions["A"].width > 30
    values = [c.value for row in book.worksheets for line in row.iter_rows() for c in line]
    assert 0.123 not in values and 7.77 not in values and 987_654.0 not in values
    notes = [r[0].value for r in book["Примечания"].iter_rows(min_row=2)]
    assert notes[0] == "Приют «Тест»: результаты на 01.11.2026; запуск 7."
    assert any("Уилсона" in n for n in notes) and any("Мак-Немара" in n for n in notes)
    assert any("Каплана–Мейера" in n and "цензурируется" in n for n in notes)
    assert any("min_cell = 5" in n for n in notes)


def test_one_sheet_alone(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(render.write_xlsx(SHOWN, tmp_path / "r.xlsx", ABOUT, only=["by_wave"]))
    assert book.sheetnames == ["Показатели по волнам", "Примечания"]
    assert book["Показатели по волнам"].max_row == 1 + len(BY_WAVE)


def test_figures_read_as_an_evaluator_writes_them() -> None:
    assert render.text(0.6667, "share") == "67%"
    assert render.text(3.456, "mean") == "3,46"
    assert render.text(0.5, "baseline", "state") == "50%" and render.text(3.1, "baseline", "scale") == "3,10"
    assert render.text(0.0004, "p_value") == "<0,001" and render.text(0.0351, "p_value") == "0,035"
    assert render.text(2_963_000.0, "programme_cost") == "2\u202f963\u202f000"
    assert render.text(12.0, "eligible") == "12" and render.text(float("nan"), "share") == "—"
    assert render.text("scale", "type") == "шкала"


def test_a_scale_table_fits_80_columns_without_wrapping_a_figure() -> None:
    """`make demo` prints to a terminal of 80 columns, or to a pipe (rich then takes 80): the quartiles, a
    scale's widest figure, stay on one line."""
    console = Console(width=80, record=True)
    console.print(render.as_rich(SHOWN, "by_wave"))
    text = console.export_text()
    assert "3,00–4,00" in text and "Q1–Q3" in text and "Среднее" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_events_and_change_by_group_in_the_terminal_with_the_log_rank_test_or_why_it_is_hidden() -> None:
    console = Console(width=100, record=True)
    console.print(render.all_rich(SHOWN, ABOUT, "events_by_group", ["cohort"]))
    text = console.export_text()
    assert "Нет повторного кризиса: Год выхода" in text and labels.TITLES["events"] + "\n" not in text
    assert "Лог-ранговый критерий скрыт (<5)" in text and "0,006" not in text and "7,50" not in text
    assert all(len(line) <= 100 for line in text.splitlines())

    both = [(0, 50, 0, 1.0), (12, 40, 10, 0.8)], [(0, 50, 0, 1.0), (12, 45, 5, 0.9)]
    events = _frame(
        "events_by_group",
        [
            {"group_by": "material_help", "group_title": "Материальная помощь", "group": g, "group_label": label,
             "indicator": "crisis", "title": "Нет повторного кризиса", "wave": w, "at_risk": n, "events": e,
             "survival": v, "ci_low": v - 0.1, "ci_high": v + 0.05, "test": "log-rank", "statistic": 4.2,
             "p_value": 0.0404}
            for (g, label), waves in zip([("yes", "Да"), ("no", "Нет")], both, strict=True)
            for w, n, e, v in waves
        ],
    )  # fmt: skip
    total = _frame(
        "events",
        [{"indicator": "crisis", "title": "Нет повторного кризиса", "wave": w, "at_risk": n, "events": e}
         for w, n, e in [(0, 100, 0), (12, 85, 15)]],
    )  # fmt: skip
    shown = disclosure.suppress(ResultTables(**dict(RAW.items()) | {"events": total, "events_by_group": events}))
    console = Console(width=100, record=True)
    console.print(render.all_rich(shown, ABOUT, "events_by_group", ["material_help"]))
    text = console.export_text()
    assert "Лог-ранговый критерий: хи-квадрат 4,20, p = 0,040." in text
    assert "Да" in text and "Нет" in text and "80%" in text

    console = Console(width=100, record=True)
    console.print(render.all_rich(SHOWN, ABOUT, "change_by_group", ["organisation"]))
    text = console.export_text()
    assert "Стабильное жильё: Организация" in text and "Приют Б" in text and "0,016" in text
    assert "<5" in text and "0,727" not in text  # Приют Б's 3 worsened, and the test derived from it
    assert "Другие разбивки" not in text


def test_every_table_without_by_names_the_tables_by_group_and_how_to_see_them() -> None:
    console = Console(width=100, record=True)
    console.print(render.all_rich(SHOWN, ABOUT))
    text = " ".join(console.export_text().split())
    assert "Показать по группам: followup results --table events --by cohort" in text
    assert "Показать по группам: followup results --table change --by organisation" in text
    assert "Нет повторного кризиса: Год выхода" not in text
