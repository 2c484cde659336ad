"""The synthetic cohort: who the graduates are, when each left, and what is true of her at every wave."""

from __future__ import annotations

import calendar
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from followup.demo import texts
from followup.demo.names import FIRST_NAMES, PATRONYMICS, SURNAMES
from followup.demo.outcomes import WaveState, trajectory

_CLOSED_AT_MONTH_END = 0.05  # besides those whose uniform day falls on one


@dataclass(frozen=True)
class Graduate:
    """One fake woman who left a shelter; `person` is her id in the truth files (1.. in order of exit)."""

    person: int
    organisation: str  # the key of the organisation she left (see organisations.py)
    surname: str
    first: str
    patronymic: str
    birth_date: date
    exit_date: date
    phone: str  # 10 national digits
    states: dict[int, WaveState]

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, moved back to the month's last day where needed (31.01 + 1 → 28.02)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def draw_cohort(
    rng: random.Random, count: int, today: date, exit_years: int, organisations: Mapping[str, float]
) -> list[Graduate]:
    """`count` graduates with distinct names and phones, exits uniform over the `exit_years` before
    `today` (a few more cases closed on a month's last day, with the monthly report), aged 18–45 at exit,
    numbered 1..count in order of exit, each from one of the `organisations` (key -> share of the cohort)."""
    window_days = round(exit_years * 365.25)
    names: set[str] = set()
    phones: set[str] = set()
    drafts: list[Graduate] = []
    while len(drafts) < count:
        surname, first, patronymic = rng.choice(SURNAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS)
        key = f"{surname} {first} {patronymic}".lower().replace("ё", "е")
        if key in names:  # namesakes exist, but they would blur which answer is whose in the truth
            continue
        names.add(key)
        phone = texts.new_phone(rng)
        while phone in phones:
            phone = texts.new_phone(rng)
        phones.add(phone)
        exit_date = today - timedelta(days=rng.randint(1, window_days))
        if rng.random() < _CLOSED_AT_MONTH_END:
            exit_date = min(_month_end(exit_date), today - timedelta(days=1))
        birth_date = exit_date - timedelta(days=round(rng.triangular(18.05, 45.95, 27.0) * 365.25))
        organisation = rng.choices(list(organisations), list(organisations.values()))[0]
        drafts.append(
            Graduate(0, organisation, surname, first, patronymic, birth_date, exit_date, phone, trajectory(rng))
        )
    drafts.sort(key=lambda graduate: graduate.exit_date)
    return [replace(graduate, person=number) for number, graduate in enumerate(drafts, start=1)]
