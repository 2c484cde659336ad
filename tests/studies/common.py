"""What every recast study needs: made-up women, the days they answer, the export writers and the home.

A woman's exit date is spread over the days of the months (month ends included); a follow-up form is
answered some days before or after its due date, `round(wave × 30.4375)` days after her exit. Names and
phones are drawn from the demo's lists of common names (no combination stands for a real person); a
follow-up writes her name as women write it (without the patronymic, first name first, «е» for «ё»).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from followup.demo.names import FIRST_NAMES, PATRONYMICS, SURNAMES

DAYS_PER_MONTH = 30.4375  # 365.25 / 12: months since exit at day precision (issue 13)


@dataclass(frozen=True)
class Woman:
    """One made-up graduate standing for one subject of a study."""

    subject: int
    surname: str
    first: str
    patronymic: str
    phone: str  # 10 national digits
    exit_date: dt.date

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}"

    def written_name(self, rng: random.Random) -> str:
        """Her name as she types it into a form."""
        return rng.choice(
            [
                self.full_name,
                self.full_name,
                f"{self.surname} {self.first}",
                f"{self.first} {self.surname}",
                self.full_name.replace("ё", "е"),
                self.full_name.upper(),
            ]
        )

    def written_phone(self, rng: random.Random) -> str:
        """Her phone in one of the ways people write it."""
        p = self.phone
        return rng.choice(
            [
                f"+7 {p[:3]} {p[3:6]}-{p[6:8]}-{p[8:]}",
                f"8 ({p[:3]}) {p[3:6]}-{p[6:8]}-{p[8:]}",
                f"8{p}",
                f"+7{p}",
                f"{p[:3]}-{p[3:6]}-{p[6:]}",
            ]
        )


def women(subjects: list[int], rng: random.Random, first_exit: dt.date, last_exit: dt.date) -> dict[int, Woman]:
    """A woman with a distinct name and phone for each subject, exits spread over the days between the two
    dates; about one in six leaves on the last day of a month (as the files of a closing month do)."""
    taken: set[str] = set()
    phones: set[str] = set()
    out: dict[int, Woman] = {}
    span = (last_exit - first_exit).days
    for subject in subjects:
        while True:
            surname, first, patronymic = rng.choice(SURNAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS)
            key = f"{surname} {first}".lower().replace("ё", "е")
            if key not in taken:
                break
        taken.add(key)
        phone = f"9{rng.randrange(10**9):09d}"
        while phone in phones:
            phone = f"9{rng.randrange(10**9):09d}"
        phones.add(phone)
        day = first_exit + dt.timedelta(days=rng.randrange(span + 1))
        if rng.random() < 1 / 6:  # the last day of that month
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        out[subject] = Woman(subject, surname, first, patronymic, phone, day)
    return out


def answered(exit_date: dt.date, wave: int, offset_days: int, rng: random.Random) -> dt.datetime:
    """When a form due `wave` months after exit was filled in: `offset_days` from its due day, in the daytime."""
    day = exit_date + dt.timedelta(days=round(wave * DAYS_PER_MONTH) + offset_days)
    return dt.datetime.combine(day, dt.time(rng.randrange(8, 23), rng.randrange(60), rng.randrange(60)))


def months_since_exit(exit_date: dt.date, moment: dt.datetime) -> float:
    return (moment.date() - exit_date).days / DAYS_PER_MONTH


def google_timestamp(moment: dt.datetime) -> str:
    """Google Forms' Russian timestamp, "dd.mm.yyyy H:MM:SS" (the hour not zero-padded)."""
    return f"{moment:%d.%m.%Y} {moment.hour}:{moment:%M:%S}"


def kobo_time(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}.000+03:00"


def write_google_csv(path: Path, rows: list[list[str]]) -> Path:
    """Google Forms' CSV: UTF-8, ',', header first."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_kobo_csv(path: Path, rows: list[list[str]]) -> Path:
    """KoboToolbox's CSV: ';', every cell quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, title: str | None = None, sheet: str = "Лист1") -> Path:
    """A workbook as Excel or Yandex Forms save it: with `title`, the form's name merged above the header."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def set_waves(home: Path, months: list[int], *, organisation: str, min_cell: int = 3) -> None:
    """Edit the followup.toml that `followup init` wrote, as a user does: the organisation, the study's
    waves and the smallest count shown."""
    config = home / "followup.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^organisation = ".*"$', f'organisation = "{organisation}"', text)
    text = re.sub(r"(?m)^months = \[.*\]$", f"months = {months}", text)
    text = re.sub(r"(?m)^min_cell = \d+$", f"min_cell = {min_cell}", text)
    config.write_text(text, encoding="utf-8")


def planted_values(people: dict[int, Woman]) -> list[str]:
    """Every name and phone planted in a study's exports, for `followup check-pii --values-file`."""
    lines = []
    for w in people.values():
        lines += [f"name: {w.full_name}", f"name: {w.surname} {w.first}", f"phone: +7{w.phone}"]
    return lines
