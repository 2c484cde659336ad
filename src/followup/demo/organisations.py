"""The three made-up organisations and their exports, each with its own tools and habits.

* A «Дом для мамы»: the case-closure sheet in Excel (case_closure v1, exit dates partly real date cells,
  partly typed as text); follow-ups by a Google Form, downloaded twice: before the form was edited
  (followup_survey v1) and now, cumulatively (v2: the housing question reworded, «Социальная квартира» added).
* B «Кризисный центр „Надежда“»: the case-closure sheet saved by Excel as CSV (case_closure v2: Windows-1251,
  `;`, a title line, a decimal comma in the months of stay); follow-ups by a Yandex Form (XLSX, the form's
  title merged above the header, an «ID» column first).
* C «Приют „Маленькая страна“»: the case-closure sheet in Excel (case_closure v2, with the children);
  follow-up interviews coded in KoboToolbox (kobo.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from followup.demo.answers import Contact, Due
from followup.demo.cohort import Graduate, add_months
from followup.demo.exports import Export, Line, closure_export, excel_phone, google_timestamp, in_order
from followup.demo.formats import write_excel_csv, write_yandex_xlsx
from followup.demo.forms import Form
from followup.demo.kobo import kobo_exports
from followup.demo.writers import write_baseline_xlsx, write_followup_csv


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    share: float  # of the cohort
    interviews: bool  # follow-up by interviews (else by an online form)
    form_edited_months_ago: int | None = None  # when the follow-up form got its version 2

    def form_edited(self, today: date) -> datetime | None:
        if self.form_edited_months_ago is None:
            return None
        return datetime.combine(add_months(today, -self.form_edited_months_ago), time(0))


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation("A", "Дом для мамы", 0.45, interviews=False, form_edited_months_ago=18),
    Organisation("B", "Кризисный центр „Надежда“", 0.30, interviews=False),
    Organisation("C", "Приют „Маленькая страна“", 0.25, interviews=True),
)
BY_KEY = {organisation.key: organisation for organisation in ORGANISATIONS}

FOLLOWUP_FILE = "Катамнез выпускниц (Ответы) - Ответы на форму (1).csv"
RE_EXPORT_FILE = "Катамнез выпускниц (Ответы) - Ответы на форму (2).csv"
# The follow-up form version whose headers the Yandex export carries. A real Yandex export names its
# timestamp column «Время создания»; followup_survey has no version with it yet, so the demo writes v2's
# «Отметка времени» (switch to that version once it exists).
YANDEX_FORM = ("followup_survey", 3)
_FIRST_DOWNLOAD_BEFORE_EDIT = 2  # months: A downloaded its answers once before editing the form


def organisation_exports(
    organisation: Organisation,
    graduates: list[Graduate],
    exits: dict[int, dict[str, str]],
    dues: dict[int, list[Due]],
    today: date,
    rng: random.Random,
) -> list[Export]:
    """The organisation's exports, case closure first, from its graduates' answers."""
    contacts = [due.contact for g in graduates for due in dues[g.person] if due.contact is not None]
    first = graduates[0].exit_date.year if graduates else today.year
    years = f"{first}-{today.year}"
    stamp = datetime.combine(today, time(9))
    if organisation.key == "A":
        form = Form.of("case_closure", 1, ("№", "Организация", "Комментарий специалиста"))
        closure = closure_export(
            file=f"Завершение_случая_{years}.xlsx",
            organisation=organisation.name,
            format="XLSX (Excel)",
            form=form,
            graduates=graduates,
            exits=exits,
            rng=rng,
            write=partial(write_baseline_xlsx, headers=form.headers, stamp=stamp),
            # Typed by hand: Excel turned about half of the dates into real dates, the rest stayed text.
            dates=lambda day: day if rng.random() < 0.5 else f"{day:%d.%m.%Y}",
        )
        return [closure, *_google(organisation, contacts, today, rng)]
    if organisation.key == "B":
        form = Form.of("case_closure", 2, ("Организация", "Комментарий специалиста"))
        closure = closure_export(
            file="Завершение случая КЦ Надежда.csv",
            organisation=organisation.name,
            format="CSV (Excel, Windows-1251, ;)",
            form=form,
            graduates=graduates,
            exits=exits,
            rng=rng,
            write=partial(write_excel_csv, headers=form.headers, title=f"Выпускницы КЦ «Надежда», {years}"),
            dates=lambda day: day,
            phones=excel_phone,
            first_row=3,
        )
        return [closure, _yandex(organisation, contacts, stamp, rng)]
    form = Form.of("case_closure", 2, ("№", "Организация"))
    closure = closure_export(
        file="Маленькая страна - Завершение случая.xlsx",
        organisation=organisation.name,
        format="XLSX (Excel)",
        form=form,
        graduates=graduates,
        exits=exits,
        rng=rng,
        write=partial(write_baseline_xlsx, headers=form.headers, stamp=stamp),
        dates=lambda day: day,
    )
    return [closure, *kobo_exports(organisation.name, contacts, today, rng)]


def _google(organisation: Organisation, contacts: list[Contact], today: date, rng: random.Random) -> list[Export]:
    """The Google Form's answers downloaded before the form was edited (v1) and again now, cumulatively (v2)."""
    edited = organisation.form_edited(today)
    assert edited is not None
    downloaded = datetime.combine(add_months(edited.date(), -_FIRST_DOWNLOAD_BEFORE_EDIT), time(10))
    sent = in_order(contacts)
    exports = []
    for file, version, until in ((FOLLOWUP_FILE, 1, downloaded), (RE_EXPORT_FILE, 2, datetime.combine(today, time()))):
        form = Form.of("followup_survey", version, ("Что бы вы хотели рассказать нам?",))
        lines = [
            Line(
                c.person,
                c.wave,
                c.name_variant,
                repeat,
                form.row(
                    c.answers,
                    {
                        "timestamp": google_timestamp(moment),
                        "full_name": c.name,
                        "phone": c.phone,
                        "free_text": c.notes.get("answer"),
                    },
                    rng,
                ),
            )
            for moment, repeat, c in sent
            if moment < until
        ]
        write = partial(write_followup_csv, headers=form.headers)
        exports.append(Export(file, organisation.name, "CSV (Google Forms)", form, lines, write))
    return exports


def _yandex(organisation: Organisation, contacts: list[Contact], stamp: datetime, rng: random.Random) -> Export:
    """The Yandex Form's answers: an «ID» first (it grows with every answer to any of the account's forms)."""
    form = Form.of(*YANDEX_FORM)
    lines, answer_id = [], rng.randrange(10**8, 2 * 10**8)
    for moment, repeat, c in in_order(contacts):
        answer_id += rng.randint(1, 40)
        fill = {"ID": answer_id, "timestamp": moment, "full_name": c.name, "phone": c.phone}
        cells = {"ID": answer_id, **form.row(c.answers, fill, rng)}
        lines.append(Line(c.person, c.wave, c.name_variant, repeat, cells))
    title = "Анкета выпускницы КЦ «Надежда» (катамнез)"
    headers = [*([] if "ID" in form.headers else ["ID"]), *form.headers]  # a version may name it itself
    write = partial(write_yandex_xlsx, headers=headers, title=title, stamp=stamp)
    return Export(
        "Анкета выпускницы КЦ Надежда - ответы.xlsx", organisation.name, "XLSX (Yandex Forms)", form, lines, write, 3
    )
