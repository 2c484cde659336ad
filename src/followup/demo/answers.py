"""What each graduate answered, as item and answer codes: her record at exit and every follow-up contact.

The exports render these codes as the instruments' labels (forms.py). The truth files record the codes as
they stand in the exports, a blank being "", so tests compare what the pipeline read with what was written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from followup.anonymise.identity import normalise_name
from followup.demo import texts
from followup.demo.cohort import Graduate, add_months
from followup.demo.outcomes import WAVES, WaveState
from followup.demo.timing import answer_day

REACH: dict[int, float] = {3: 0.85, 6: 0.75, 12: 0.60, 24: 0.50, 36: 0.40}
"""Expected share of graduates who answer at each wave, of those for whom the wave was due."""

_ANSWER_IF_CONTACTABLE = 0.9  # a reachable woman still skips a wave now and then
_BLANK = 0.03  # an item left blank
_REPEAT = 0.02  # a form sent twice, or an interview entered twice
_SINCE_LAST_TIME = 0.5  # after reporting a crisis, «снова» read as «since we last asked»: she says no
_FREE_ANSWER, _QUOTE, _COMMENT = 0.25, 0.40, 0.30
# When women fill in a form: mostly evenings, some at night (hence single-digit hours).
_HOUR_WEIGHTS = (1, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 6, 3)
_STABLE = ("own", "rent", "relatives")


@dataclass(frozen=True)
class Contact:
    """One follow-up she took part in: an online form she sent, or an interview a staff member coded."""

    person: int
    wave: int
    when: datetime  # when the form was sent; an interview's day at 00:00
    answers: dict[str, str]  # item code -> answer code ("" = left blank)
    name: str  # her name as written
    name_variant: str  # "exact", or how it was written so that exact matching cannot link it
    phone: str  # as written
    notes: dict[str, str] = field(default_factory=dict)  # free text: "answer", "quote", "comment"
    repeats: tuple[datetime, ...] = ()  # the same answers sent again (forms) or entered again (interviews)


@dataclass(frozen=True)
class Due:
    """A wave that was due for a graduate, with her contact if she was reached."""

    person: int
    wave: int
    contact: Contact | None


def _code(flag: bool) -> str:
    return "yes" if flag else "no"


def _blanked(answers: dict[str, str], rng: random.Random) -> dict[str, str]:
    return {item: "" if rng.random() < _BLANK else code for item, code in answers.items()}


def exit_answers(g: Graduate, rng: random.Random) -> dict[str, str]:
    """Her case-closure answers: programme, help and family at exit, and her state at exit (wave 0)."""
    state = g.states[0]
    months = rng.triangular(1.0, 24.0, 5.0)
    answers = {
        "programme": rng.choices(("shelter", "crisis", "halfway"), (0.55, 0.35, 0.10))[0],
        "material_help": _code(rng.random() < 0.6),
        "child_with_mother": _code(state.child_with_mother),
        "housing": state.housing,
        "income": _code(state.income),
        "documents": _code(rng.random() < (0.85 if state.income else 0.7)),
        "children_count": str(rng.choices((1, 2, 3, 4, 5), (0.50, 0.28, 0.13, 0.06, 0.03))[0]),
        "youngest_child_age": rng.choices(("under_1", "age_1_3", "age_3_7", "age_7_18"), (0.3, 0.35, 0.25, 0.1))[0],
        # "Full months", says the form; now and then a specialist writes a half ("7,5").
        "months_in_shelter": f"{round(months * 2) / 2 if rng.random() < 0.2 else round(months):g}",
    }
    return _blanked(answers, rng)


def wave_answers(state: WaveState, previous: WaveState, rng: random.Random, *, since_exit: bool) -> dict[str, str]:
    """Every follow-up item's answer at one wave (each instrument asks its own subset).

    Asked «since you left» (the interview), she reports a repeat crisis at every later wave; asked «again»
    (the forms), a woman who reported one before sometimes answers for the time since the last form.
    """
    new_crisis = state.repeat_crisis and not previous.repeat_crisis
    said_crisis = state.repeat_crisis and (since_exit or new_crisis or rng.random() >= _SINCE_LAST_TIME)
    stable = state.housing in _STABLE
    confidence = state.parenting_confidence

    def scale(centre: float) -> str:
        return str(min(5, max(1, round(centre + rng.gauss(0.0, 0.8)))))

    placed = previous.child_with_mother and not state.child_with_mother and rng.random() < 0.25
    answers = {
        "child_with_mother": _code(state.child_with_mother),
        "housing": state.housing,
        "income": _code(state.income),
        "repeat_crisis": _code(said_crisis),
        "support_network": _code(state.support_network),
        "parenting_confidence": str(confidence),
        "documents": _code(rng.random() < (0.92 if state.income else 0.78)),
        "benefits_received": _code(rng.random() < 0.75),
        "child_in_care_placement": _code(placed),
        "feels_safe": _code(rng.random() < (0.9 if stable else 0.6)),
        "knows_child_needs": scale(confidence),
        "manage_money": scale(2.6 + (0.9 if state.income else 0.0) + (0.4 if stable else 0.0)),
        "deal_with_offices": scale(3.0 + (0.5 if state.income else 0.0)),
        "plan_future": scale(confidence - 0.3),
    }
    return _blanked(answers, rng)


def written_name(
    g: Graduate, rng: random.Random, messy_rng: random.Random | None, taken: set[str], *, interview: bool
) -> tuple[str, str]:
    """Her name as she (or the interviewer) wrote it, and its variant.

    Case, word order, «ё» and spacing vary always; exact matching on the normalised name still finds her.
    With `messy_rng` a name also loses the patronymic, carries a typo or (interviews) shrinks to initials;
    those decisions draw from their own stream, so everything else stays as in the tidy corpus.
    """
    surname, first, patronymic, variant = g.surname, g.first, g.patronymic, "exact"
    if messy_rng is not None:
        draw = messy_rng.random()
        drop, typo, initials = (0.05, 0.09, 0.14) if interview else (0.10, 0.15, 0.15)
        if draw < drop:
            patronymic, variant = "", "no_patronymic"
        elif draw < typo:
            surname, first, variant = _typo(g, messy_rng, taken)
        elif draw < initials:
            variant = "initials"
    if interview:
        text = texts.typed_name(surname, first, patronymic, rng)
    else:
        text = texts.respell_name(surname, first, patronymic, rng)
    if variant == "initials":
        text = f"{surname} {first[0]}. {patronymic[0]}."
    return text, variant


def _typo(g: Graduate, messy_rng: random.Random, taken: set[str]) -> tuple[str, str, str]:
    """A slip in the surname or first name that makes no other graduate's name (else none at all)."""
    for _ in range(20):
        surname, first = g.surname, g.first
        if messy_rng.random() < 0.5:
            surname = texts.add_typo(surname, messy_rng)
        else:
            first = texts.add_typo(first, messy_rng)
        if normalise_name(f"{surname} {first} {g.patronymic}") not in taken:
            return surname, first, "typo"
    return g.surname, g.first, "exact"


def follow_ups(
    g: Graduate,
    rng: random.Random,
    messy_rng: random.Random | None,
    today: date,
    taken: set[str],
    *,
    interview: bool,
    no_halfway_before: datetime | None = None,
) -> list[Due]:
    """Every wave due before `today`, with what she answered when she was reached.

    A wave is due once `wave` months have passed since her exit day; she answers from two weeks before
    that day to six weeks after it, some on a month's last day, inside the wave's window (timing.py); forms
    mostly in the evening. A wave is left out while its day has not come or its answer is yet to come.
    Before `no_halfway_before` the form had no «Социальная квартира», so a woman living in one chose
    «Нет постоянного жилья».
    """
    contactable = rng.random()  # she stays reachable while this is below the wave's reach
    dues: list[Due] = []
    previous = g.states[0]
    for wave in WAVES:
        state = g.states[wave]
        day = answer_day(g.exit_date, wave, rng, interview=interview)
        if add_months(g.exit_date, wave) >= today or day >= today:
            break
        hour = 0 if interview else rng.choices(range(24), _HOUR_WEIGHTS)[0]
        when = datetime.combine(day, time(hour, *divmod(0 if interview else rng.randrange(3600), 60)))
        reachable = contactable < REACH[wave] / _ANSWER_IF_CONTACTABLE
        if not (reachable and rng.random() < _ANSWER_IF_CONTACTABLE):
            dues.append(Due(g.person, wave, None))
            previous = state
            continue
        answers = wave_answers(state, previous, rng, since_exit=interview)
        if no_halfway_before is not None and when < no_halfway_before and answers["housing"] == "halfway":
            answers["housing"] = "none"
        name, variant = written_name(g, rng, messy_rng, taken, interview=interview)
        phone = texts.format_phone(g.phone, rng.randrange(5))
        notes: dict[str, str] = {}
        if interview:
            if rng.random() < _QUOTE:
                notes["quote"] = texts.interview_quote(rng)
            if rng.random() < _COMMENT:
                notes["comment"] = texts.interviewer_comment(g.first, rng)
        elif rng.random() < _FREE_ANSWER:
            notes["answer"] = texts.free_answer(g.surname, g.first, rng)
        repeats: tuple[datetime, ...] = ()
        if rng.random() < _REPEAT:  # pressed «Отправить» again minutes later; or two staff entered it
            again = when if interview else when + timedelta(seconds=rng.randint(60, 540))
            repeats = (again,) if again.date() < today else ()
        dues.append(Due(g.person, wave, Contact(g.person, wave, when, answers, name, variant, phone, notes, repeats)))
        previous = state
    return dues
