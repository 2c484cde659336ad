"""The organisations' assessment sheets, as their staff keep them: one workbook per instrument.

Specialists type a row per assessment into a sheet whose header is the instrument version's: the mother's
name as they write names (with `messy`, now and then a typo or no patronymic), the date as a date cell or
as typed text («05.03.2025», «5.3.2025»), their own name in «Специалист» (or «Интервьюер», «Кто помогал
заполнять»), a rating as a number or, in the protocol, sometimes as its label. The residents' online form
is a Google Form's answers downloaded as XLSX: the resident writes «имя и фамилия» and her phone.

A typo or a missing patronymic is written only where the name stays surely hers (as the linkage scores
names against every other graduate's), so that every row links; otherwise her name is written whole.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from followup.anonymise.identity import normalise_name
from followup.anonymise.linkage import LINK, MARGIN, name_similarity
from followup.demo import texts
from followup.demo.answers import Due
from followup.demo.assessments import KEPT_BY, Assessment, graduate_assessments
from followup.demo.cohort import Graduate
from followup.demo.exports import Export, Line, Row
from followup.demo.formats import write_staff_xlsx
from followup.demo.forms import Form
from followup.demo.names import CHILDREN_NAMES
from followup.demo.organisations import BY_KEY

_TYPO, _NO_PATRONYMIC = 0.04, 0.04  # with `messy`
_SURE = LINK + MARGIN  # a slip is written only when her name still scores this, and MARGIN more than any other's
_DATE_CELL, _PADDED = 0.45, 0.40  # a date as a date cell, as «05.03.2025»; the rest as «5.3.2025»
_NUMBERS = 0.5  # of the protocol's specialists, who write the number (the others the label)
_COMMENT, _SITUATION, _QUOTE, _PHONE = 0.2, 0.7, 0.5, 0.85


@dataclass(frozen=True)
class Sheet:
    """How one instrument's workbook looks: its file, sheet, optional columns and title."""

    file: str
    sheet: str
    optional: tuple[str, ...]
    format: str = "XLSX (лист специалиста)"
    title: str | None = None


SHEETS: dict[str, Sheet] = {
    "adaptation_assessment": Sheet(
        "Единая форма оценки - Дом для мамы.xlsx",
        "Оценки",
        ("№", "Дата рождения", "Специалист", "Комментарий специалиста"),
    ),
    "shelter_resident_online": Sheet(
        "Онлайн-анкета для постояльцев (Ответы).xlsx",
        "Ответы на форму (1)",
        ("Ваш номер телефона", "Что нам стоит изменить или улучшить?"),
        format="XLSX (Google Forms)",
    ),
    "family_camp_interview": Sheet(
        "Интервью после семейного лагеря.xlsx",
        "Интервью",
        ("№", "Телефон", "Интервьюер", "Цитата (отношения с ребёнком)", "Что запомнилось больше всего (цитата)"),
        title="Интервью с участницами выездного семейного лагеря",
    ),
    "children_questionnaire": Sheet(
        "Анкеты детей «Как мне живётся».xlsx",
        "Анкеты",
        ("№", "Имя ребёнка", "Что бы ты хотел(а) сказать взрослым?", "Кто помогал заполнять"),
    ),
    "child_parent_interaction": Sheet(
        "Протоколы наблюдения ДРВ - Маленькая страна.xlsx",
        "Протоколы",
        ("№", "Специалист", "Ситуация наблюдения", "Комментарий специалиста"),
        title="Оценка детско-родительского взаимодействия (протокол наблюдения)",
    ),
}
_SITUATIONS = (
    "Совместный обед", "Игра в игровой комнате", "Прогулка во дворе", "Подготовка ко сну",
    "Визит на дом", "Занятие с психологом, мама присутствует",
)  # fmt: skip
_COMMENTS = (
    "Положительная динамика.", "Продолжает консультации психолога.", "Нужна помощь в оформлении пособия.",
    "Рекомендовано посещать Родительскую школу.", "Сменила адрес, визит на новое место.", "Без изменений.",
)  # fmt: skip
_QUOTES = (
    "«Мы впервые столько играли вместе».", "«Сын стал чаще обниматься».", "«Поняла, что не одна такая».",
    "«Дочка до сих пор вспоминает костёр».", "«Стала меньше кричать».",
)  # fmt: skip
_CHILD_WORDS = ("Хочу, чтобы мама всегда была рядом.", "Спасибо!", "Хочу собаку.", "Чтобы не ругались.")
_RESIDENT_WORDS = ("Больше занятий для детей.", "Всё устраивает, спасибо.", "Почаще стиральную машину.")


@dataclass(frozen=True)
class Written:
    """An assessment as its sheet row holds it: the export row and how her name was written."""

    assessment: Assessment
    name_variant: str
    cells: Row


class _Names:
    """Writes mothers' names as staff type them, keeping a slip only where the name stays surely hers."""

    def __init__(self, cohort: list[Graduate], rng: random.Random, messy: bool) -> None:
        self._rng, self._messy = rng, messy
        self._keys = [(g.person, normalise_name(g.full_name)) for g in cohort]
        self._keys += [(g.person, normalise_name(f"{g.surname} {g.first}")) for g in cohort]

    def sure(self, g: Graduate, written: str) -> bool:
        """Whether the name as written scores as hers surely, and clearly above every other graduate's."""
        key = normalise_name(written)
        own = name_similarity(key, normalise_name(g.full_name))
        rival = max((name_similarity(key, other) for person, other in self._keys if person != g.person), default=0)
        return own >= _SURE and own - rival >= MARGIN

    def staff(self, g: Graduate) -> tuple[str, str]:
        surname, first, patronymic, variant = g.surname, g.first, g.patronymic, "exact"
        draw = self._rng.random() if self._messy else 1.0
        if draw < _TYPO:
            surname, variant = texts.add_typo(surname, self._rng), "typo"
        elif draw < _TYPO + _NO_PATRONYMIC:
            patronymic, variant = "", "no_patronymic"
        written = texts.typed_name(surname, first, patronymic, self._rng)
        if variant != "exact" and not self.sure(g, written):
            return texts.typed_name(g.surname, g.first, g.patronymic, self._rng), "exact"
        return written, variant

    def own(self, g: Graduate) -> str:
        """A resident's «имя и фамилия», as she types it."""
        return texts.respell_name(g.first, g.surname, "", self._rng)


def _typed(day: date, rng: random.Random) -> object:
    draw = rng.random()
    if draw < _DATE_CELL:
        return day
    return f"{day:%d.%m.%Y}" if draw < _DATE_CELL + _PADDED else f"{day.day}.{day.month}.{day.year}"


def _maybe(rng: random.Random, chance: float, choices: tuple[str, ...]) -> str | None:
    return rng.choice(choices) if rng.random() < chance else None


def _fill(a: Assessment, g: Graduate, names: _Names, staff: str, rng: random.Random) -> tuple[Row, str]:
    """The non-answer cells of her row (by header or role), and how her name was written."""
    if a.instrument == "shelter_resident_online":
        name = names.own(g)
        # she may leave the phone out; a namesake's name then needs it, or no one could tell them apart
        phone = (
            None if rng.random() >= _PHONE and names.sure(g, name) else texts.format_phone(g.phone, rng.randrange(5))
        )
        words = _maybe(rng, _COMMENT, _RESIDENT_WORDS)
        return {"timestamp": a.when, "full_name": name, "phone": phone, "free_text": words}, "no_patronymic"
    name, variant = names.staff(g)
    fill: Row = {"timestamp": _typed(a.when.date(), rng), "full_name": name}
    if a.instrument == "adaptation_assessment":
        fill |= {
            "birth_date": _typed(g.birth_date, rng),
            "Специалист": staff,
            "free_text": _maybe(rng, _COMMENT, _COMMENTS),
        }
    elif a.instrument == "child_parent_interaction":
        situation, comment = _maybe(rng, _SITUATION, _SITUATIONS), _maybe(rng, _COMMENT, _COMMENTS)
        fill |= {"Специалист": staff, "free_text": [situation, comment]}
    elif a.instrument == "children_questionnaire":
        words = _maybe(rng, _COMMENT, _CHILD_WORDS)
        fill |= {"Имя ребёнка": rng.choice(CHILDREN_NAMES), "Кто помогал заполнять": staff, "free_text": words}
    else:  # the camp interview
        phone = texts.format_phone(g.phone, rng.randrange(5)) if rng.random() < _PHONE else None
        quotes = [_maybe(rng, _QUOTE, _QUOTES), _maybe(rng, _QUOTE, _QUOTES)]
        fill |= {"phone": phone, "Интервьюер": staff, "free_text": quotes}
    return fill, variant


def _cells(form: Form, a: Assessment, fill: Row, numbers: bool, rng: random.Random) -> Row:
    """Her row: answers as labels (the stage now and then in another wording), or ratings as numbers; the
    options ticked in a checkbox question joined by ", ", as Google Forms writes them."""
    several = {
        h: str(c.item) for h, c in form.version.columns.items() if c.item and _type(form, c.item) == "select_multiple"
    }
    single = {item: code for item, code in a.answers.items() if item not in several.values()}
    cells = form.row(single, fill, rng, alternative=0.3)
    if numbers:
        as_codes = form.row(single, {}, rng, codes=True)
        for header in form.headers:
            item = form.version.columns[header].item
            if item and _type(form, item) == "likert" and header in as_codes:
                cells[header] = as_codes[header]
    for header, item in several.items():
        if header in form.headers and (ticked := a.answers.get(item)):
            labels = form.instrument.item(item).options
            cells[header] = ", ".join(labels[code][0] for code in ticked.split("+"))
    return cells


def _type(form: Form, item: str) -> str:
    return form.instrument.item(item).type


def _choices(form: Form) -> dict[str, list[str]]:
    """A staff sheet's drop-down lists: the labels of each labelled item, by its header."""
    lists: dict[str, list[str]] = {}
    for header in form.headers:
        item = form.version.columns[header].item
        if item and (options := form.instrument.item(item).options):
            lists[header] = [label for labels in options.values() for label in labels]
    return lists


def _export(
    instrument: str, made: list[tuple[Assessment, Graduate]], names: _Names, today: date, rng: random.Random
) -> tuple[Export, list[Written]]:
    """One instrument's workbook, rows in the order they were made, numbered from 1."""
    sheet = SHEETS[instrument]
    form = Form.of(instrument, 1, sheet.optional)
    staff = [texts.staff_name(rng) for _ in range(3)]
    numbers = {name: instrument != "child_parent_interaction" or rng.random() < _NUMBERS for name in staff}
    written: list[Written] = []
    for number, (a, g) in enumerate(sorted(made, key=lambda m: (m[0].when, m[0].person)), start=1):
        specialist = staff[g.person % len(staff)]  # a woman is followed by the same specialist
        fill, variant = _fill(a, g, names, specialist, rng)
        fill["№"] = number
        written.append(Written(a, variant, _cells(form, a, fill, numbers[specialist], rng)))
    online = sheet.format == "XLSX (Google Forms)"
    stamp = datetime.combine(today, time(9))
    write = partial(
        write_staff_xlsx,
        headers=form.headers,
        sheet=sheet.sheet,
        stamp=stamp,
        title=sheet.title,
        lists=None if online else _choices(form),
    )
    lines = [Line(w.assessment.person, w.assessment.wave, w.name_variant, "", w.cells) for w in written]
    organisation = BY_KEY[KEPT_BY[instrument]].name
    export = Export(sheet.file, organisation, sheet.format, form, lines, write, 3 if sheet.title else 2)
    return export, written


def assessment_sheets(
    cohort: list[Graduate],
    exits: dict[int, dict[str, str]],
    dues: dict[int, list[Due]],
    today: date,
    rng: random.Random,
    *,
    messy: bool,
) -> list[tuple[Export, list[Written]]]:
    """Each instrument's workbook, with what each of its rows holds (in row order)."""
    made: dict[str, list[tuple[Assessment, Graduate]]] = {instrument: [] for instrument in SHEETS}
    for g in cohort:
        for a in graduate_assessments(g, exits[g.person], dues[g.person], today, rng):
            made[a.instrument].append((a, g))
    names = _Names(cohort, rng, messy)
    return [_export(instrument, rows, names, today, rng) for instrument, rows in made.items() if rows]
