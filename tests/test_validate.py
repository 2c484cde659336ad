"""Row checks and answer coding driven by a definition: multiple choice, 0/1 option columns, Likert labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from followup.dates import strptime
from followup.expectations import Expectation, Prepared, distinct_frame, run
from followup.instruments import Instrument, match_header
from followup.readers.table import ROW, RawTable
from followup.validate import check

DEFINITION = {
    "instrument": "help_survey",
    "title": "Помощь",
    "kind": "followup",
    "items": [
        {
            "code": "help",
            "text": "Какую помощь вы получили?",
            "type": "select_multiple",
            "options": {
                "food": ["Продукты"],
                "lawyer": ["Юридическая консультация, сопровождение"],
                "clothes": ["Одежда"],
            },
        },
        {
            "code": "mood",
            "text": "Настроение",
            "type": "likert",
            "scale": {"min": 1, "max": 3},
            "options": {"1": ["Плохое"], "2": ["Среднее"], "3": ["Хорошее"]},
        },
        {"code": "income", "text": "Доход, руб.", "type": "number"},
    ],
    "versions": [
        {
            "version": 1,
            "columns": {
                "Дата": {"role": "timestamp", "format": "%d.%m.%Y"},
                "Фамилия": {"role": "full_name"},
                "Имя": {"role": "full_name"},
                "Помощь": "help",
                "Помощь/Одежда": {"item": "help", "option": "clothes"},
                "Настроение": "mood",
                "Доход": "income",
            },
        },
    ],
}


def table(rows: list[dict[str, str]]) -> RawTable:
    headers = list(DEFINITION["versions"][0]["columns"])  # type: ignore[index]
    frame = pd.DataFrame([{h: r.get(h, "") for h in headers} for r in rows], dtype="string")
    frame[ROW] = range(2, len(rows) + 2)
    return RawTable(Path("help.csv"), None, headers, frame)


def test_multiple_choice_option_columns_likert_labels_and_decimal_commas_are_coded() -> None:
    inst = Instrument.model_validate(DEFINITION)
    raw = table(
        [
            {
                "Дата": "01.03.2026",
                "Фамилия": "Иванова",
                "Имя": "Алёна",
                "Помощь": "Продукты, Юридическая консультация, сопровождение",
                "Помощь/Одежда": "1",
                "Настроение": "Хорошее",
                "Доход": "12 500,50",
            },
            {
                "Дата": "02.03.2026",
                "Фамилия": "Петрова",
                "Имя": "Мария",
                "Помощь": "food clothes",
                "Помощь/Одежда": "0",
                "Настроение": "2",
            },
            {"Дата": "03.03.2026", "Фамилия": "Сидорова", "Помощь": "Продукты, Деньги", "Настроение": "5"},
        ]
    )
    match = match_header(raw.headers, [inst])
    assert match is not None
    checked = check(raw, match, today=dt.date(2026, 11, 1))
    got = {(r, i, v) for r, i, v in checked.answers[[ROW, "item", "value"]].itertuples(index=False)}
    assert got == {
        (2, "help", "food"),
        (2, "help", "lawyer"),
        (2, "help", "clothes"),
        (2, "mood", "3"),
        (2, "income", "12500.5"),
        (3, "help", "food"),
        (3, "help", "clothes"),
        (3, "mood", "2"),
    }
    # surname and first name in separate columns make one name
    assert checked.records.loc[checked.records[ROW] == 2, "full_name"].item() == "Иванова Алёна"
    problems = set(checked.quarantine[["column", "check"]].itertuples(index=False, name=None))
    assert problems == {("Помощь", "answer_in_options"), ("Настроение", "answer_in_options")}
    assert set(checked.quarantine[ROW]) == {4}
    assert "Деньги" not in " ".join(checked.quarantine["reason"])  # never the value itself


def test_a_bad_value_repeated_on_many_rows_quarantines_each_of_them_and_is_counted_per_row() -> None:
    # GX sees each distinct value once; what it finds must come back to every row holding the value
    inst = Instrument.model_validate(DEFINITION)
    cells = []
    for i in range(60):
        cells.append(
            {
                "Дата": ""
                if i in (5, 17)
                else "01.03.2030"
                if i % 20 == 7
                else "31.02.2026"
                if i == 33
                else "01.03.2026",
                "Фамилия": "" if i in (9, 41) else "Иванова",
                "Помощь": "Продукты",
                "Настроение": "5" if i % 4 == 1 else "" if i % 6 == 0 else "Хорошее",
                "Доход": "много" if i % 10 == 3 else "" if i % 10 == 4 else "10 000",
            }
        )
    match = match_header(table(cells).headers, [inst])
    assert match is not None
    checked = check(table(cells), match, today=dt.date(2026, 11, 1))

    def rows(pick) -> set[int]:  # the file's row numbers of the cells `pick` chooses
        return {i + 2 for i, cell in enumerate(cells) if pick(i, cell)}

    expected = {
        ("Дата", "timestamp_present"): rows(lambda i, c: c["Дата"] == ""),
        ("Дата", "timestamp_not_future"): rows(lambda i, c: c["Дата"] == "01.03.2030"),
        ("Дата", "timestamp_format"): rows(lambda i, c: c["Дата"] == "31.02.2026"),
        ("identity", "identity_present"): rows(lambda i, c: c["Фамилия"] == ""),
        ("Настроение", "answer_in_options"): rows(lambda i, c: c["Настроение"] == "5"),
        ("Доход", "answer_is_number"): rows(lambda i, c: c["Доход"] == "много"),
    }
    assert len(expected[("Настроение", "answer_in_options")]) == 15  # the same bad answer on 15 rows
    got: dict[tuple[str, str], set[int]] = {}
    for row, column, name in checked.quarantine[[ROW, "column", "check"]].itertuples(index=False):
        got.setdefault((column, name), set()).add(row)
    assert got == expected
    assert len(checked.quarantine) == sum(len(r) for r in expected.values())  # each row once per failed check

    summary = {(s.column, s.check, s.expectation): s for s in checked.validation.itertuples(index=False)}
    assert len(summary) == len(checked.validation) == 8  # three date checks, one per answer column, identity
    for (column, name, _), s in summary.items():
        bad = expected.get((column, name), set())
        assert (s.element_count, s.unexpected_count, s.success) == (60, len(bad), not bad), (column, name)

    bad_rows = set().union(*expected.values())
    assert set(checked.records[ROW]) == set(range(2, 62)) - bad_rows
    assert set(checked.answers[ROW]) == set(range(2, 62)) - bad_rows
    # a blank answer is no answer (and no problem): a kept row whose mood was left blank has no mood
    blank_mood = rows(lambda i, c: c["Настроение"] == "") - bad_rows
    moods = set(checked.answers.loc[checked.answers["item"] == "mood", ROW])
    assert blank_mood and not blank_mood & moods


def test_gx_is_shown_each_distinct_value_once_and_the_counts_are_the_rows() -> None:
    answer = Prepared.of(pd.Series(["yes"] * 500 + ["maybe"] * 400 + [None] * 100, dtype=object))
    given = Prepared.of(pd.Series(["yes"] * 900 + [None] * 100, dtype=object))
    columns = {"answer": answer, "given": given}
    assert len(distinct_frame(columns)) == 3  # yes, maybe, null; `given` is padded with its own value
    expectations = [
        Expectation("ExpectColumnValuesToBeInSet", "answer", (("value_set", ["yes", "no"]),), "Q", "in_set", "."),
        Expectation("ExpectColumnValuesToNotBeNull", "given", (), "Q", "present", "."),
    ]
    outcome = run(columns, np.arange(2, 1002), expectations, "distinct_values")
    quarantined = outcome.quarantine.groupby("check")[ROW].apply(list).to_dict()
    assert quarantined == {"in_set": list(range(502, 902)), "present": list(range(902, 1002))}
    counts = outcome.summary.set_index("check")[["element_count", "unexpected_count", "success"]]
    assert counts.to_dict("index") == {
        "in_set": {"element_count": 1000, "unexpected_count": 400, "success": False},
        "present": {"element_count": 1000, "unexpected_count": 100, "success": False},
    }


def test_timestamps_read_by_day_and_time_of_day_as_pandas_reads_them_whole() -> None:
    fmt = "%d.%m.%Y %H:%M:%S"  # Google Forms': parsed as day + time of day, each distinct one once
    texts = pd.Series(
        [
            "3.05.2025 9:03:11",
            "03.05.2025 09:03:11",
            "3.05.2025  9:03:11",  # two spaces: read whole
            "3.05.2025\t9:03:11",
            "29.02.2024 0:00:00",
            "31.12.2025 23:59:59",
            "31.02.2025 10:00:00",
            "01.01.2025 24:00:00",
            "3.05.2025",
            "3.05.2025 9:03:11 ",
            "2025-05-03 09:03:11",
            "",
        ],
        dtype=object,
    )
    got = strptime(texts, fmt)
    pd.testing.assert_series_equal(got, pd.to_datetime(texts, format=fmt, errors="coerce"))
    may_3 = pd.Timestamp("2025-05-03 09:03:11")
    assert got[:6].tolist() == [may_3] * 4 + [pd.Timestamp("2024-02-29"), pd.Timestamp("2025-12-31 23:59:59")]
    assert got[6:].isna().all()


def test_a_definitions_extra_expectations_quarantine_the_rows_that_fail_them() -> None:
    definition = DEFINITION | {
        "expectations": [
            {
                "expect": "expect_column_values_to_be_between",
                "item": "income",
                "min_value": 1000,
                "max_value": 500000,
                "reason": "доход меньше 1000 или больше 500 000 — проверьте ячейку",
            },
            {"expect": "expect_column_values_to_be_between", "item": "mood", "min_value": 2, "max_value": 3},
            {"expect": "expect_column_values_to_not_be_null", "item": "help"},
            {"expect": "expect_column_values_to_not_be_in_set", "item": "help", "value_set": ["lawyer"]},
        ]
    }
    instrument = Instrument.model_validate(definition)
    base = {"Дата": "01.03.2026", "Фамилия": "Иванова", "Имя": "Анна", "Помощь": "Продукты", "Настроение": "Хорошее"}
    rows = [
        base | {"Доход": "25 000"},  # row 2: passes every check
        base | {"Доход": "50"},  # row 3: income below the definition's bound
        base | {"Доход": "30000", "Настроение": "Плохое"},  # row 4: mood 1 (a labelled point) below 2
        base | {"Доход": "30000", "Помощь": ""},  # row 5: the question left unanswered
        base | {"Доход": "30000", "Помощь": "Юридическая консультация, сопровождение"},  # row 6: a refused option
    ]
    t = table(rows)
    match = match_header(t.headers, [instrument], "extra.csv")
    assert match is not None
    got = check(t, match, today=dt.date(2026, 11, 1))
    problems = sorted(got.quarantine[[ROW, "column", "check"]].itertuples(index=False, name=None))
    assert problems == [
        (3, "Доход", "income_be_between"),
        (4, "Настроение", "mood_be_between"),
        (5, "Помощь", "help_not_be_null"),
        (6, "Помощь", "help_not_be_in_set"),
    ]
    reasons = dict(zip(got.quarantine[ROW], got.quarantine["reason"], strict=True))
    assert reasons[3] == "доход меньше 1000 или больше 500 000 — проверьте ячейку"
    assert "mood" in reasons[4] and "help_survey" in reasons[4]
    assert list(got.records[ROW]) == [2]
    history = got.validation.set_index("check")
    assert history.loc["income_be_between", "unexpected_count"] == 1
    assert not history.loc["help_not_be_in_set", "success"]


def test_iso_times_with_different_offsets_are_read_as_written() -> None:
    from followup.dates import parse_dates

    texts = ["2026-03-01T10:00:00Z", "2026-03-02T11:30:00+03:00", "2026-03-03 09:00:00+0500", "01.03.2026 10:00:00"]
    parsed = parse_dates(np.array([*texts, "", "не дата"], dtype=object), "%d.%m.%Y %H:%M:%S")
    assert parsed.dtype == "datetime64[ns]"
    assert parsed.dt.strftime("%Y-%m-%d %H:%M").tolist()[:4] == [
        "2026-03-01 10:00",
        "2026-03-02 11:30",
        "2026-03-03 09:00",
        "2026-03-01 10:00",
    ]
    assert parsed[4:].isna().all()
