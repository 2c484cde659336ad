"""Gehan (1965) again (MASS `gehan`: 42 children in 21 pairs, 6-MP or placebo, weeks until relapse), recast as
a network of three shelters served by one home (issue 14): the pairs 1–7 left «Дом для мамы», 8–14
«КЦ Надежда» (an organisation named like a woman), 15–21 «Радуга». A week is a month, as in studies/gehan.py.

The exports carry no organisation column. «Дом для мамы» and «Радуга» drop theirs in their inbox subfolders
(inbox/ddm/, inbox/raduga/: Excel and KoboToolbox CSV); «КЦ Надежда» sends to the inbox itself, its files
recognised by their names (`nadezhda_*`). Each shelter's case-closure form records the programme she lived
under: 6-MP is «Материальная поддержка», placebo «Консультации». One woman of «Радуга» has the full name of a
woman of «Дом для мамы» (another phone): two women, each linked within her own shelter.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from studies.common import (
    Woman,
    answered,
    google_timestamp,
    kobo_time,
    women,
    write_google_csv,
    write_kobo_csv,
    write_xlsx,
)
from studies.gehan import INDICATORS, dataset  # the same indicator: no repeat crisis since exit

WAVES = list(range(1, 36))
QUESTION = "Обращались ли вы снова в кризисный центр или приют с прошлого звонка?"
ORGANISATIONS = {  # code: (name, pairs)
    "ddm": ("Дом для мамы", range(1, 8)),
    "nadezhda": ("КЦ Надежда", range(8, 15)),
    "raduga": ("Радуга", range(15, 22)),
}
PROGRAMMES = {"6-MP": "Материальная поддержка", "control": "Консультации"}

NETWORK = f"""\
organisation = "Сеть приютов «Мама рядом»"

[waves]
months = {WAVES}

[results]
min_cell = 3

[[organisations]]
code = "ddm"
name = "Дом для мамы"

[[organisations]]
code = "nadezhda"
name = "КЦ Надежда"
files = ["nadezhda_*"]

[[organisations]]
code = "raduga"
name = "Радуга"
"""

INSTRUMENTS = {
    "network_closure.yaml": """\
# Завершение случая, общая форма сети (Excel): дата выхода и программа.
instrument: network_closure
title: Завершение случая — сеть приютов
kind: baseline
grouping: [programme]

items:
  - code: programme
    text: Программа
    type: select_one
    options:
      material: [Материальная поддержка]
      advice: [Консультации]

versions:
  - version: 1
    columns:
      Дата завершения случая: {role: exit_date, format: "%d.%m.%Y"}
      ФИО выпускницы: {role: full_name}
      Телефон: {role: phone}
      Программа: programme
""",
    "network_call.yaml": """\
# Ежемесячный звонок, общая форма сети (Google Форма или KoboToolbox): было ли повторное обращение.
instrument: network_call
title: Ежемесячный звонок — повторный кризис
kind: followup

items:
  - code: crisis_again
    text: Повторное обращение в кризисный центр с прошлого звонка
    type: yes_no

versions:
  - version: 1  # Google Forms
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Телефон: {role: phone}
      "Обращались ли вы снова в кризисный центр или приют с прошлого звонка?": crisis_again
  - version: 2  # KoboToolbox
    columns:
      end: {role: timestamp}
      ФИО: {role: full_name}
      Телефон: {role: phone}
      "Обращались ли вы снова в кризисный центр или приют с прошлого звонка?": crisis_again
      _uuid: {role: submission_id}
""",
}


@dataclass(frozen=True)
class Recast:
    data: pd.DataFrame  # rownames, pair, time, cens, treat, and organisation (code), programme (code)
    people: dict[int, Woman]
    namesakes: tuple[int, int]  # the subjects of two shelters with one full name


def truth() -> pd.DataFrame:
    data = dataset()
    pair_org = {p: code for code, (_, pairs) in ORGANISATIONS.items() for p in pairs}
    return data.assign(
        organisation=data["pair"].map(pair_org),
        programme=data["treat"].map({"6-MP": "material", "control": "advice"}),
    )


def write(home: Path, seed: int = 2014) -> Recast:
    """The network's settings, shared definitions and exports (`followup init` made the home)."""
    rng = random.Random(seed)
    data = truth()
    subjects = data["rownames"].astype(int).tolist()
    people = women(subjects, rng, dt.date(2022, 1, 10), dt.date(2023, 6, 30))
    by_org = {code: data[data["organisation"] == code] for code in ORGANISATIONS}
    first_ddm, first_raduga = int(by_org["ddm"]["rownames"].iloc[0]), int(by_org["raduga"]["rownames"].iloc[0])
    twin = people[first_ddm]
    people[first_raduga] = replace(
        people[first_raduga], surname=twin.surname, first=twin.first, patronymic=twin.patronymic
    )
    for name, text in INSTRUMENTS.items():
        (home / "instruments" / name).write_text(text, encoding="utf-8")
    (home / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    (home / "followup.toml").write_text(NETWORK, encoding="utf-8")  # (as `followup init --organisation` would)

    inbox = home / "inbox"
    for code, rows in by_org.items():
        folder = inbox / code if code != "nadezhda" else inbox
        folder.mkdir(exist_ok=True)
        closure: list[list[object]] = [["Дата завершения случая", "ФИО выпускницы", "Телефон", "Программа"]]
        for subject in sorted(rows["rownames"], key=lambda s: people[s].exit_date):
            w, treat = people[subject], rows.set_index("rownames").loc[subject, "treat"]
            closure.append([f"{w.exit_date:%d.%m.%Y}", w.full_name, w.written_phone(rng), PROGRAMMES[treat]])
        calls = []
        for subject, last, relapsed in rows[["rownames", "time", "cens"]].itertuples(index=False):
            for month in range(1, int(last) + 1):
                moment = answered(people[subject].exit_date, month, rng.randint(-7, 12), rng)
                calls.append((moment, subject, "Да" if relapsed and month == last else "Нет"))
        calls.sort()
        form: list[list[object]] = [["Отметка времени", "ФИО", "Телефон", QUESTION]]
        form += [
            [google_timestamp(m), people[s].written_name(rng), people[s].written_phone(rng), a] for m, s, a in calls
        ]
        if code == "raduga":  # KoboToolbox: its own time column and a submission id
            form = [["end", "ФИО", "Телефон", QUESTION, "_uuid"]]
            form += [
                [
                    kobo_time(m),
                    people[s].written_name(rng),
                    people[s].written_phone(rng),
                    a,
                    f"{rng.getrandbits(128):032x}",
                ]
                for m, s, a in calls
            ]
            write_xlsx(folder / "Завершение случая.xlsx", closure, sheet="Закрытые случаи")
            write_kobo_csv(folder / "Ежемесячный_звонок_-_all_versions_-_labels_-_2026-11-02-10-12-44.csv", form)
        else:
            prefix = "nadezhda_" if code == "nadezhda" else ""
            write_xlsx(folder / f"{prefix}zavershenie_sluchaya.xlsx", closure, sheet="Лист1")
            write_google_csv(folder / f"{prefix}monitoring_2026-11-02.csv", form)
    return Recast(data, people, (first_ddm, first_raduga))
