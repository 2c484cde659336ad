"""When a wave's form is answered: around the day the wave falls due, early, late or at a month's end.

A wave falls due `wave` months after the exit day (31 January + 1 month: 28 February). Organisations send
the link or make the call a little before or after that day, women answer the same evening or after a
reminder, and staff catch up on the last day of the month before their monthly report. So the answers of
one wave spread from two weeks early to six weeks late, over every day of the month.

Every day drawn stays, with a margin, inside the wave's window as the pipeline places forms by default
(followup.waves.place with config.WaveSettings: days since exit ÷ 30.4375 within max(1, round(wave ×
window)) months of the wave, the nearest such wave winning), so the wave a form was sent for is the wave it
belongs to. The 3-month wave, whose window is one month, is answered at most about four weeks late.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd

from followup.config import WaveSettings
from followup.demo.cohort import add_months
from followup.waves import DAYS_PER_MONTH, place

_EARLY = 14  # days before the due day a form can come back (the link sent early)
_LATE = 42  # days after it, at most (reminders), where the wave's window allows
_MARGIN = 2  # days kept clear of the window's edge
# Shares of answers on a month's last day, early, and soon after the due day (within the days given); the
# rest come late. Interviews: more at the month's end (the report), fewer early, "soon" is three weeks.
_FORM = (0.10, 0.20, 0.50, 14)
_INTERVIEW = (0.15, 0.10, 0.55, 21)


@cache
def _waves_by_day() -> list[int | None]:
    """The wave that a form answered n days after exit belongs to (index n), by followup.waves.place with the
    default waves and window; None if none."""
    settings = WaveSettings()
    horizon = round((max(settings.months) * (1 + settings.window) + 2) * DAYS_PER_MONTH)
    days = np.arange(horizon)
    forms = pd.DataFrame(
        {
            "graduate_id": days.astype(str),  # one form each: placed on its own
            "instrument": "followup_survey",
            "kind": "followup",
            "months": days / DAYS_PER_MONTH,
            "declared": pd.array([pd.NA] * horizon, dtype="Int64"),
        }
    )
    return [None if pd.isna(w) else int(w) for w in place(forms, settings.months, settings.window)]


def answer_day(exit_date: date, wave: int, rng: random.Random, *, interview: bool) -> date:
    """The day she answers the form sent for `wave` (or the day of her interview)."""
    due = add_months(exit_date, wave)
    first, last = _span(exit_date, wave)
    month_end, early, prompt, prompt_days = _INTERVIEW if interview else _FORM
    draw = rng.random()
    if draw < month_end:
        ends = _month_ends(first, last)
        return rng.choice(ends) if ends else due
    if draw < month_end + early and first < due:
        return due - timedelta(days=rng.randint(1, (due - first).days))
    if draw < month_end + early + prompt or (last - due).days <= prompt_days:
        return due + timedelta(days=rng.randint(0, min(prompt_days, (last - due).days)))
    return due + timedelta(days=rng.randint(prompt_days + 1, (last - due).days))


def _span(exit_date: date, wave: int) -> tuple[date, date]:
    """The earliest and latest answer day for `wave`: two weeks early to six weeks late, cut to the days
    that the default window rule places in `wave` with a margin to spare."""
    placed = _waves_by_day()
    due = add_months(exit_date, wave)

    def safe(day: date) -> bool:
        since = (day - exit_date).days
        return all(
            0 <= since + shift < len(placed) and placed[since + shift] == wave for shift in (-_MARGIN, 0, _MARGIN)
        )

    early = next((n for n in range(_EARLY, -1, -1) if safe(due - timedelta(days=n))), 0)
    late = next((n for n in range(_LATE, -1, -1) if safe(due + timedelta(days=n))), 0)
    return due - timedelta(days=early), due + timedelta(days=late)


def _month_ends(first: date, last: date) -> list[date]:
    """The last days of months from `first` to `last`."""
    ends: list[date] = []
    year, month = first.year, first.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > last:
            return ends
        if end >= first:
            ends.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
