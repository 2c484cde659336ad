"""What specialists' assessments and the graduates' feedback forms say about each graduate, and when.

Five shipped `assessment` instruments, each kept by one organisation (sheets.py writes them):

* A «Дом для мамы»: the unified assessment form (adaptation_assessment) in the last days before exit and at
  the after-care visits of months 3, 6 and 12; the residents' online form (shelter_resident_online) in the
  last weeks of the stay, and again when its link comes with the 3-month follow-up.
* B «Кризисный центр „Надежда“»: the interview after the family camp (family_camp_interview), held for
  residents and graduates alike: at the end of her stay, at month 6, at month 12 (some go twice); the children's
  questionnaire (children_questionnaire) for a child of 7 or more, at exit and at months 12 and 24.
* C «Приют „Маленькая страна“»: the child–parent interaction protocol (child_parent_interaction) at exit
  and at the home visits of months 3, 6 and 12, while the child lives with her.

After exit a graduate is assessed only at a wave she was reached at (the specialist sees the women who stay
in touch), so the response rates of the follow-ups stay as they are. The answers hang on her true state at
that wave (outcomes.py) and her own stable factor (`resilience`), and drift with months since exit as the
targets below say; `level` is the true level of the instrument's scale behind the ratings, for tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from followup.demo.answers import Due
from followup.demo.cohort import Graduate
from followup.demo.outcomes import WaveState, _share
from followup.demo.timing import answer_day

# Means by months since exit (linear in between), on each instrument's own scale.
_CPI_MEAN = {0: 2.6, 12: 2.9, 36: 3.0}  # 1–4
_MOTIVATION_MEAN = {0: 3.4, 12: 3.7, 36: 3.8}  # 1–5
_ACTIVE_MEAN = {0: 3.1, 12: 3.5, 36: 3.7}
_DOCUMENTS_MEAN = {0: 3.4, 12: 3.9, 36: 4.1}
_HEALTH_MEAN = {0: 3.6, 36: 3.9}
_HOUSING_LEVEL = {"own": 4.7, "rent": 4.1, "relatives": 3.9, "halfway": 3.5, "dormitory": 3.0, "shelter": 2.2}
_UNHOUSED_LEVEL = 1.7
# Offsets of the seven observed behaviours from the protocol's level (they sum to 0: the mean is the level).
_CPI_ITEMS = {
    "cpi_warmth": 0.3, "cpi_responsiveness": 0.1, "cpi_consistent_rules": -0.3, "cpi_joint_play": -0.2,
    "cpi_praise": 0.1, "cpi_calm_discipline": -0.4, "cpi_safety": 0.4,
}  # fmt: skip
_WELLBEING = ("assess_housing", "assess_finances", "assess_documents", "assess_health", "assess_social_ties")
_CHILD_HOME = {0: 0.0, 24: 0.4}  # a child's latent «хорошо дома», before the family's own state
_STABLE = ("own", "rent", "relatives")
_RATING_SD = 0.6  # how far one rating strays from the true level
_BLANK = 0.03
_SHARE = {  # of the graduates (at exit) or of those reached at the wave (after exit) who are assessed
    "adaptation_assessment": {0: 0.85, 3: 0.6, 6: 0.6, 12: 0.5},
    "shelter_resident_online": {0: 0.6, 3: 0.35},
    "family_camp_interview": {0: 0.25, 6: 0.2, 12: 0.2},
    "children_questionnaire": {0: 0.9, 12: 0.7, 24: 0.7},
    "child_parent_interaction": {0: 0.9, 3: 0.7, 6: 0.7, 12: 0.6},
}
KEPT_BY = {
    "adaptation_assessment": "A",
    "shelter_resident_online": "A",
    "family_camp_interview": "B",
    "children_questionnaire": "B",
    "child_parent_interaction": "C",
}
_HELP = ("food", "clothes", "legal", "psychologist", "documents_help", "employment")
_HELP_WEIGHTS = (0.8, 0.6, 0.3, 0.6, 0.5, 0.3)


@dataclass(frozen=True)
class Assessment:
    """One filled-in assessment form: whose, which instrument, the wave it was made for and when."""

    person: int
    instrument: str
    wave: int  # 0: around exit
    when: datetime  # a staff sheet's day at 00:00; an online form's moment
    answers: dict[str, str]  # item code -> answer code ("" = left blank; several options joined by "+")
    level: float | None = None  # the true level of the scale (protocol: 1–4; unified form: wellbeing, 1–5)


def _rating(level: float, rng: random.Random, low: int, high: int) -> str:
    return str(min(high, max(low, round(level + rng.gauss(0.0, _RATING_SD)))))


def _blanked(answers: dict[str, str], rng: random.Random) -> dict[str, str]:
    return {item: "" if rng.random() < _BLANK else code for item, code in answers.items()}


def _three(z: float, rng: random.Random, codes: tuple[str, str, str], cut: float = -1.0) -> str:
    """The first code when the latent with noise is above 0, the second above `cut`, else the third."""
    drawn = z + rng.gauss(0.0, 1.0)
    return codes[0] if drawn > 0 else codes[1] if drawn > cut else codes[2]


def adaptation(state: WaveState, months: int, rng: random.Random) -> tuple[dict[str, str], float]:
    """The unified form's eight ratings (1–5) and the true wellbeing level (the mean of its five areas)."""
    r, income = state.resilience, float(state.income)
    levels = {
        "assess_housing": _HOUSING_LEVEL.get(state.housing, _UNHOUSED_LEVEL),
        "assess_finances": 2.3 + 1.4 * income + 0.3 * r,
        "assess_documents": _share(_DOCUMENTS_MEAN, months) + 0.3 * income,
        "assess_health": _share(_HEALTH_MEAN, months) + 0.25 * r,
        "assess_parenting": 0.9 + 0.75 * state.parenting_confidence + (0.2 if state.child_with_mother else -0.6),
        "assess_social_ties": 2.6 + 1.5 * float(state.support_network) + 0.2 * r,
        "motivation_for_change": _share(_MOTIVATION_MEAN, months) + 0.5 * r,
        "active_position": _share(_ACTIVE_MEAN, months) + 0.5 * r + 0.2 * income,
    }
    levels = {item: min(5.0, max(1.0, level)) for item, level in levels.items()}
    answers = {"assessment_stage": "exit" if months == 0 else "after_exit"}
    answers |= {item: _rating(level, rng, 1, 5) for item, level in levels.items()}
    return answers, sum(levels[item] for item in _WELLBEING) / len(_WELLBEING)


def interaction(state: WaveState, months: int, rng: random.Random) -> tuple[dict[str, str], float]:
    """The observation protocol's seven ratings (1–4) and the true level of the interaction."""
    level = _share(_CPI_MEAN, months) + 0.35 * state.resilience + 0.15 * (state.parenting_confidence - 3.5)
    return {item: _rating(level + offset, rng, 1, 4) for item, offset in _CPI_ITEMS.items()}, level


def resident_feedback(state: WaveState, months: int, rng: random.Random) -> dict[str, str]:
    """A resident's online form: satisfaction (1–5), the help she got (several), whether she feels safe
    (after exit: where she lives now). Looking back from after exit she rates the help a little lower."""
    centre = 4.1 - (0.25 if months else 0.0) + 0.3 * state.resilience
    safe = 0.85 + 0.05 * state.resilience if months == 0 else 0.9 if state.housing in _STABLE else 0.6
    helped = [code for code, weight in zip(_HELP, _HELP_WEIGHTS, strict=True) if rng.random() < weight]
    return {
        "sat_living_conditions": _rating(centre - 0.3, rng, 1, 5),
        "sat_staff": _rating(centre + 0.2, rng, 1, 5),
        "sat_help": _rating(centre + 0.1, rng, 1, 5),
        "help_received": "+".join(helped or ["food"]),
        "feels_safe": "yes" if rng.random() < safe else "no",
    }


def child_answers(state: WaveState, months: int, age: int, rng: random.Random) -> dict[str, str]:
    """A child's own answers (Да / Иногда / Нет); a calmer home and people around make «да» likelier."""
    home = _share(_CHILD_HOME, months) + 0.4 * (state.housing in _STABLE) + 0.3 * state.support_network
    home += 0.3 * state.resilience
    codes = ("yes", "sometimes", "no")
    return {
        "child_age": str(age),
        "child_feels_well_home": _three(home, rng, codes),
        "child_mother_interesting": _three(0.3 + 0.2 * (state.parenting_confidence - 3), rng, codes),
        "child_mother_listens": _three(0.1 + 0.25 * (state.parenting_confidence - 3), rng, codes),
        "child_has_protector": _three(0.3 + 0.6 * state.support_network + 0.2 * state.resilience, rng, codes),
        "child_has_friends": _three(0.5 + 0.04 * (age - 7), rng, codes),
    }


def camp_answers(state: WaveState, rng: random.Random) -> dict[str, str]:
    """A camp participant's coded answers: how things changed after the camp."""
    codes = ("better", "same", "worse")
    confident = 0.2 + 0.3 * (state.parenting_confidence - 3.5) + 0.3 * state.resilience
    return {
        "camp_relations_change": _three(confident, rng, codes, cut=-1.6),
        "camp_time_together_change": _three(confident + 0.2, rng, codes, cut=-1.6),
        "camp_confidence_change": _three(confident - 0.1, rng, codes, cut=-1.6),
        "camp_support_change": _three(-0.2 + 0.5 * state.support_network, rng, codes, cut=-1.6),
        "camp_again": rng.choices(("yes", "dont_know", "no"), (0.7, 0.2, 0.1))[0],
    }


def child_age_at_exit(exit: dict[str, str], rng: random.Random) -> int | None:
    """The age at exit of her child who fills in the questionnaires once 7, if she has one of 3 or more."""
    youngest = exit.get("youngest_child_age", "")
    if youngest == "age_7_18":
        return rng.randint(7, 12)
    if youngest == "age_3_7" and rng.random() < 0.5:
        return rng.randint(3, 6)  # the youngest, who turns 7 at a later wave
    if int(exit.get("children_count") or 1) >= 2 and rng.random() < 0.5:
        return rng.randint(7, 13)  # an older child
    return None


def _waves(instrument: str, reached: set[int], rng: random.Random) -> list[int]:
    """The waves she is assessed at with this instrument (of those she was reached at; 0 always is)."""
    return [wave for wave, share in _SHARE[instrument].items() if wave in reached and rng.random() < share]


def _when(g: Graduate, instrument: str, wave: int, answered: dict[int, date], rng: random.Random) -> datetime:
    """A staff sheet's day: the last days before exit (wave 0), or a visit around the day the wave falls due
    (timing.py). A resident sends the online form in her last three weeks, mostly in the evening; a graduate
    with the follow-up form, the day she `answered` it."""
    if instrument == "shelter_resident_online":
        day = answered[wave] if wave else g.exit_date - timedelta(days=rng.randint(1, 21))
        return datetime.combine(day, time(rng.choice((13, 18, 19, 20, 21, 22)), rng.randrange(60), rng.randrange(60)))
    if wave == 0:
        return datetime.combine(g.exit_date - timedelta(days=rng.randint(0, 12)), time())
    return datetime.combine(answer_day(g.exit_date, wave, rng, interview=True), time())


def _drawn(
    instrument: str, state: WaveState, wave: int, age: int, rng: random.Random
) -> tuple[dict[str, str], float | None]:
    if instrument == "adaptation_assessment":
        return adaptation(state, wave, rng)
    if instrument == "child_parent_interaction":
        return interaction(state, wave, rng)
    if instrument == "children_questionnaire":
        return child_answers(state, wave, age, rng), None
    if instrument == "family_camp_interview":
        return camp_answers(state, rng), None
    return resident_feedback(state, wave, rng), None


def graduate_assessments(
    g: Graduate, exit: dict[str, str], dues: list[Due], today: date, rng: random.Random
) -> list[Assessment]:
    """Every assessment of one graduate made before `today`, by the instruments her organisation keeps."""
    answered = {due.wave: due.contact.when.date() for due in dues if due.contact is not None}
    reached = {0, *answered}
    made: list[Assessment] = []
    for instrument in (name for name, key in KEPT_BY.items() if key == g.organisation):
        child = child_age_at_exit(exit, rng) if instrument == "children_questionnaire" else None
        for wave in _waves(instrument, reached, rng):
            state, age = g.states[wave], None if child is None else child + wave // 12
            if not _possible(instrument, state, age):
                continue
            when = _when(g, instrument, wave, answered, rng)
            if when.date() >= today:
                continue
            answers, level = _drawn(instrument, state, wave, age or 0, rng)
            made.append(Assessment(g.person, instrument, wave, when, _blanked(answers, rng), level))
    return made


def _possible(instrument: str, state: WaveState, child_age: int | None) -> bool:
    """The protocol and the children's questionnaire need the child at home, the questionnaire a child of 7+."""
    if instrument == "children_questionnaire":
        return state.child_with_mother and child_age is not None and child_age >= 7
    return state.child_with_mother or instrument != "child_parent_interaction"
