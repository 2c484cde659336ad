"""A demo corpus: one organisation's case-closure sheet and follow-up answers, plus the truth behind them.

Everything is synthetic and seeded: the same seed and `today` give the same files, byte for byte. The truth
file says, for every graduate and every wave that was due, whether she answered and what was true, so
tests can check linkage, wave assignment, response rates and indicator shares against known values.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from followup.demo import texts
from followup.demo.cohort import Graduate, add_months, draw_cohort
from followup.demo.outcomes import WAVES
from followup.demo.writers import write_baseline_xlsx, write_followup_csv

FOLLOWUP_FILE = "Катамнез выпускниц (Ответы) - Ответы на форму (1).csv"
TRUTH_FILE = "ground_truth.csv"
TRUTH_COLUMNS: list[str] = [
    "person", "wave", "answered", "exit_date", "child_with_mother", "housing", "income", "repeat_crisis",
    "support_network", "parenting_confidence", "submitted_at",
]  # fmt: skip
REACH: dict[int, float] = {3: 0.85, 6: 0.75, 12: 0.60, 24: 0.50, 36: 0.40}
"""Expected share of graduates who answer at each wave, of those for whom the wave was due."""

_ANSWER_IF_CONTACTABLE = 0.9  # a reachable woman still skips a wave now and then
_BLANK_ITEM = 0.03
_DUPLICATE = 0.02
_FREE_TEXT = 0.25
_COMMENT = 0.30
# Answer labels exactly as in schemas/instruments/*.yaml (the first label of an option, or its second).
_PROGRAMME = {
    "shelter": ["Социальный приют"],
    "crisis": ["Кризисное отделение", "Кризисный центр"],
    "halfway": ["Социальная квартира"],
}
_BASELINE_HOUSING = {
    "own": "Собственное жильё",
    "rent": "Съёмное жильё",
    "relatives": "У родственников",
    "dormitory": "Общежитие",
    "shelter": "Приют или кризисный центр",
    "none": "Нет жилья",
}
_FOLLOWUP_HOUSING = {
    "own": "Собственное жильё",
    "rent": "Снимаю жильё",
    "relatives": "У родственников",
    "dormitory": "Общежитие",
    "shelter": "В приюте или кризисном центре",
    "none": "Нет постоянного жилья",
}
# When women fill in a form: mostly evenings, some at night (hence single-digit hours).
_HOUR_WEIGHTS = (1, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 6, 3)

Row = dict[str, object]


@dataclass(frozen=True)
class DemoCorpus:
    """What `generate` wrote: the exports in the inbox and the ground truth beside them."""

    inbox_files: list[Path]
    truth_path: Path


def _yes_no(flag: bool) -> str:
    return "Да" if flag else "Нет"


def _code(flag: bool) -> str:
    return "yes" if flag else "no"


def _google_timestamp(moment: datetime) -> str:
    """Google Forms' Russian-locale timestamp: the hour is not zero-padded."""
    return f"{moment:%d.%m.%Y} {moment.hour}:{moment:%M:%S}"


def _baseline(g: Graduate, rng: random.Random) -> tuple[Row, Row]:
    """The graduate's row in the case-closure sheet, and the wave-0 truth it records."""
    state = g.states[0]
    labels = _PROGRAMME[rng.choices(list(_PROGRAMME), (0.55, 0.35, 0.10))[0]]
    items: dict[str, tuple[str, str]] = {  # header -> (label, truth code)
        "Программа": (labels[1] if len(labels) > 1 and rng.random() < 0.3 else labels[0], ""),
        "Материальная помощь при выходе": (_yes_no(rng.random() < 0.6), ""),
        "Ребёнок проживает с мамой": (_yes_no(state.child_with_mother), _code(state.child_with_mother)),
        "Жильё после выхода": (_BASELINE_HOUSING[state.housing], state.housing),
        "Работа или доход": (_yes_no(state.income), _code(state.income)),
        "Документы и пособия": (_yes_no(rng.random() < (0.85 if state.income else 0.7)), ""),
    }
    blank = {header for header in items if rng.random() < _BLANK_ITEM}
    row: Row = {
        "№": g.person,
        # Typed by hand: Excel turned about half of the dates into real dates, the rest stayed text.
        "Дата завершения случая": g.exit_date if rng.random() < 0.5 else f"{g.exit_date:%d.%m.%Y}",
        "ФИО выпускницы": g.full_name,
        "Дата рождения": f"{g.birth_date:%d.%m.%Y}",
        "Телефон": texts.format_phone(g.phone, rng.randrange(5)),
    }
    row.update({header: None if header in blank else label for header, (label, _) in items.items()})
    if rng.random() < _COMMENT:
        row["Комментарий специалиста"] = texts.specialist_comment(g.first, rng)
    recorded = {header: "" if header in blank else code for header, (_, code) in items.items()}
    truth: Row = {
        "person": g.person,
        "wave": 0,
        "answered": 1,
        "exit_date": g.exit_date.isoformat(),
        "child_with_mother": recorded["Ребёнок проживает с мамой"],
        "housing": recorded["Жильё после выхода"],
        "income": recorded["Работа или доход"],
    }
    return row, truth


def _form_name(g: Graduate, rng: random.Random, messy_rng: random.Random | None) -> str:
    """Her name as she typed it. Messy slips draw from their own stream, so the rest stays identical."""
    surname, first, patronymic = g.surname, g.first, g.patronymic
    if messy_rng is not None:
        if messy_rng.random() < 0.10:
            patronymic = ""
        if messy_rng.random() < 0.05:
            if messy_rng.random() < 0.5:
                surname = texts.add_typo(surname, messy_rng)
            else:
                first = texts.add_typo(first, messy_rng)
    return texts.respell_name(surname, first, patronymic, rng)


def _followups(
    g: Graduate, rng: random.Random, messy_rng: random.Random | None, today: date
) -> tuple[list[tuple[datetime, Row]], list[Row]]:
    """Her form submissions (with their moments) and one truth row per wave that was due."""
    contactable = rng.random()  # she stays reachable while this is below the wave's reach
    submissions: list[tuple[datetime, Row]] = []
    truth: list[Row] = []
    for wave in WAVES:
        day = add_months(g.exit_date, wave) + timedelta(days=rng.randint(3, 21))
        if day >= today:
            break
        clock = time(rng.choices(range(24), _HOUR_WEIGHTS)[0], rng.randrange(60), rng.randrange(60))
        moment = datetime.combine(day, clock)
        reachable = contactable < REACH[wave] / _ANSWER_IF_CONTACTABLE
        answered = reachable and rng.random() < _ANSWER_IF_CONTACTABLE
        row: Row = {"person": g.person, "wave": wave, "answered": int(answered)}
        row["exit_date"] = g.exit_date.isoformat()
        truth.append(row)
        if not answered:
            continue
        state = g.states[wave]
        answer: Row = {
            "Отметка времени": _google_timestamp(moment),
            "Ваши фамилия, имя и отчество": _form_name(g, rng, messy_rng),
            "Номер телефона": texts.format_phone(g.phone, rng.randrange(5)),
            "Ребёнок (дети) живут с вами?": _yes_no(state.child_with_mother),
            "Где вы сейчас живёте?": _FOLLOWUP_HOUSING[state.housing],
            "Есть ли у вас работа или постоянный доход?": _yes_no(state.income),
            "Обращались ли вы снова в кризисный центр или приют?": _yes_no(state.repeat_crisis),
            "Есть ли люди, к которым вы можете обратиться за помощью?": _yes_no(state.support_network),
            "Насколько вы уверены в себе как мама? (1 — совсем не уверена, 5 — полностью уверена)": str(
                state.parenting_confidence
            ),
        }
        if rng.random() < _FREE_TEXT:
            answer["Что бы вы хотели рассказать нам?"] = texts.free_answer(g.surname, g.first, rng)
        submissions.append((moment, answer))
        row.update(
            child_with_mother=_code(state.child_with_mother),
            housing=state.housing,
            income=_code(state.income),
            repeat_crisis=_code(state.repeat_crisis),
            support_network=_code(state.support_network),
            parenting_confidence=state.parenting_confidence,
            submitted_at=answer["Отметка времени"],
        )
        if rng.random() < _DUPLICATE:  # pressed "Отправить" again a few minutes later
            again = moment + timedelta(seconds=rng.randint(60, 540))
            if again.date() < today:
                submissions.append((again, {**answer, "Отметка времени": _google_timestamp(again)}))
    return submissions, truth


def _write_truth(truth_dir: Path, truth: list[Row]) -> Path:
    truth_dir.mkdir(parents=True, exist_ok=True)
    path = truth_dir / TRUTH_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, TRUTH_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(truth)
    (truth_dir / "README.txt").write_text(
        f"{TRUTH_FILE} holds real-looking fake people for tests; every name, date and phone is made up.\n",
        encoding="utf-8",
    )
    return path


def generate(
    inbox: Path,
    truth_dir: Path,
    *,
    seed: int = 2026,
    today: date | None = None,
    graduates: int = 500,
    messy: bool = False,
    exit_years: int = 4,
) -> DemoCorpus:
    """Write one organisation's case-closure XLSX and follow-up CSV into `inbox`, and the ground truth
    (ground_truth.csv, README.txt) into `truth_dir`.

    Exits are spread uniformly over the `exit_years` before `today` (default 4, so that the 36-month wave
    is due for about a quarter of the cohort). With `messy`, names in the follow-up also carry typos
    (~5 %) and lose the patronymic (~10 %); nothing else in the files changes.
    """
    today = today or date.today()
    rng = random.Random(f"followup-demo:{seed}")
    messy_rng = random.Random(f"followup-demo-messy:{seed}") if messy else None
    cohort = draw_cohort(rng, graduates, today, exit_years)
    baseline_rows: list[Row] = []
    submissions: list[tuple[datetime, Row]] = []
    truth: list[Row] = []
    for graduate in cohort:
        row, wave0 = _baseline(graduate, rng)
        baseline_rows.append(row)
        truth.append(wave0)
        answers, waves = _followups(graduate, rng, messy_rng, today)
        submissions.extend(answers)
        truth.extend(waves)
    submissions.sort(key=lambda item: item[0])  # Google Forms lists answers in the order they came

    first_year = cohort[0].exit_date.year if cohort else today.year
    baseline_path = inbox / f"Завершение_случая_{first_year}-{today.year}.xlsx"
    write_baseline_xlsx(baseline_path, baseline_rows, stamp=datetime.combine(today, time(9)))
    followup_path = write_followup_csv(inbox / FOLLOWUP_FILE, [answer for _, answer in submissions])
    return DemoCorpus(inbox_files=[baseline_path, followup_path], truth_path=_write_truth(truth_dir, truth))
