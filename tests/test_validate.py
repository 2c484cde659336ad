"""Row checks and answer coding driven by a definition: multiple choice, 0/1 option columns, Likert labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

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
