"""An export as the demo makes it: its rows (each knowing whose answer it holds) and how it is written."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from followup.demo import texts
from followup.demo.answers import Contact
from followup.demo.cohort import Graduate
from followup.demo.forms import Form

Row = dict[str, object]
Writer = Callable[[Path, list[Row]], Path]


@dataclass(frozen=True)
class Line:
    """One data row of an export, and whose answer at which wave it holds."""

    person: int
    wave: int  # 0: the case-closure record
    name_variant: str  # see answers.written_name
    repeat: str  # "": her answer; "resent": the form sent again minutes later; "entered_twice": same interview
    cells: Row


@dataclass(frozen=True)
class Export:
    """One file for the inbox: where it comes from, which definition it follows, its rows and its writer."""

    file: str
    organisation: str
    format: str
    form: Form
    lines: list[Line]
    write: Writer
    first_row: int = 2  # the file's row number of the first data row, as the readers count (header = 1)

    def save(self, inbox: Path) -> Path:
        return self.write(inbox / self.file, [line.cells for line in self.lines])


_COMMENT = 0.30
_ALTERNATIVE_LABEL = 0.3  # a hand-kept sheet: the other wording of an answer, where the definition has one


def closure_export(
    *,
    file: str,
    organisation: str,
    format: str,
    form: Form,
    graduates: list[Graduate],
    exits: dict[int, dict[str, str]],
    rng: random.Random,
    write: Writer,
    dates: Callable[[date], object],
    phones: Callable[[str], str] = str,
    first_row: int = 2,
) -> Export:
    """An organisation's case-closure export: one row per graduate in order of exit, numbered from 1.

    `dates` writes the exit date (a date cell, or text as typed); the birth date is written the same way.
    `phones` is what the tool did to a phone as typed (Excel's CSV: `excel_phone`).
    """
    lines = []
    for number, g in enumerate(graduates, start=1):
        fill: Row = {
            "№": number,
            "organisation": organisation,
            "exit_date": dates(g.exit_date),
            "full_name": g.full_name,
            "birth_date": dates(g.birth_date),
            "phone": phones(texts.format_phone(g.phone, rng.randrange(5))),
        }
        if rng.random() < _COMMENT:
            fill["free_text"] = texts.specialist_comment(g.first, rng)
        cells = form.row(exits[g.person], fill, rng, alternative=_ALTERNATIVE_LABEL)
        lines.append(Line(g.person, 0, "exact", "", cells))
    return Export(file, organisation, format, form, lines, write, first_row)


def in_order(contacts: list[Contact]) -> list[tuple[datetime, str, Contact]]:
    """Every sending of the contacts (the answer, then any repeat), in the order they came in."""
    sent = [(c.when, "", c) for c in contacts]
    sent += [(again, "entered_twice" if again == c.when else "resent", c) for c in contacts for again in c.repeats]
    return sorted(sent, key=lambda s: (s[0], s[2].person, s[1]))


def google_timestamp(moment: datetime) -> str:
    """Google Forms' Russian-locale timestamp: the hour is not zero-padded."""
    return f"{moment:%d.%m.%Y} {moment.hour}:{moment:%M:%S}"


def excel_phone(phone: str) -> str:
    """Excel took "+79123456789" typed into a cell for a number and dropped the plus."""
    return phone[1:] if phone.startswith("+") and phone[1:].isdigit() else phone
