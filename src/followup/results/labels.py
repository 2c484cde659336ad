"""Russian names of every result table and column, and the notes saying how each figure is computed.

Every writer for people (terminal, XLSX, HTML) takes its words from here, so a table reads the same wherever
an evaluator meets it. (The tidy CSV and Parquet for scripts keep the tables' own column names.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup.indicators import Indicator

TITLES: dict[str, str] = {
    "by_wave": "Показатели по волнам",
    "change": "Изменения с момента выхода",
    "events": "События по волнам",
    "survival_curve": "Кривые Каплана–Мейера",
    "attrition": "Охват по когортам",
    "breakdowns": "Показатели по группам",
    "change_by_group": "Изменения по группам",
    "events_by_group": "События по группам",
    "cost": "Стоимость социального результата",
}

# One dictionary for every table: a column means the same wherever it appears.
COLUMNS_RU: dict[str, str] = {
    "indicator": "Код показателя",
    "title": "Показатель",
    "type": "Тип показателя",
    "wave": "Месяцев после выхода",
    "eligible": "Должны были ответить",
    "reached": "Ответили",
    "response_rate": "Доля ответивших",
    "answered": "Ответили на вопрос",
    "with_outcome": "С результатом",
    "share": "Доля с результатом",
    "ci_low": "Нижняя граница 95% ДИ",
    "ci_high": "Верхняя граница 95% ДИ",
    "mean": "Среднее",
    "sd": "Стандартное отклонение",
    "median": "Медиана",
    "q1": "Нижний квартиль",
    "q3": "Верхний квартиль",
    "pairs": "Пар (выход и волна)",
    "baseline": "При выходе",
    "at_wave": "В волне",
    "improved": "Улучшение",
    "worsened": "Ухудшение",
    "test": "Критерий",
    "statistic": "Статистика",
    "p_value": "p",
    "at_risk": "Под наблюдением",
    "events": "С событием (накопленно)",
    "survival": "Доля без события",
    "months": "Месяцев после выхода",
    "cohort": "Год выхода",
    "group_by": "Разбивка (код)",
    "group_title": "Разбивка",
    "group": "Группа (код)",
    "group_label": "Группа",
    "organisation": "Организация",
    "period": "Период",
    "programme_cost": "Стоимость программы, руб.",
    "residents": "Проживающих",
    "cost_per_resident": "На одну проживающую, руб.",
    "graduates_due": "Выпускниц к 12 месяцам",
    "with_result": "С результатом в 12 месяцев",
    "cost_per_result": "На один устойчивый результат, руб.",
}

TYPES_RU = {"state": "состояние", "event": "событие", "scale": "шкала"}

# Said after the title of a scale whose lower score is better (`better: lower`), wherever it is named.
LOWER_IS_BETTER = "чем ниже балл, тем лучше"


def indicator_title(indicator: Indicator) -> str:
    """The indicator as the result tables, charts and reports name it: its title, and for a scale where lower
    is better, «— чем ниже балл, тем лучше» after it (unless the title already says «чем ниже»), so that its
    mean and median read the right way round wherever they are shown."""
    if indicator.lower_is_better and "чем ниже" not in indicator.title.lower():
        return f"{indicator.title} — {LOWER_IS_BETTER}"
    return indicator.title


# The terminal is narrow: a short header per column, the long ones are in the legend and the notes.
SHORT_RU: dict[str, str] = {
    "title": "Показатель",
    "wave": "Мес.",
    "eligible": "Должны",
    "reached": "Ответили",
    "response_rate": "Отклик",
    "answered": "На вопрос",
    "with_outcome": "С рез.",
    "share": "Доля",
    "ci_low": "ДИ от",
    "ci_high": "ДИ до",
    "mean": "Среднее",
    "sd": "СО",
    "median": "Медиана",
    "q1": "Q1",
    "q3": "Q3",
    "pairs": "Пар",
    "baseline": "Выход",
    "at_wave": "Волна",
    "improved": "Лучше",
    "worsened": "Хуже",
    "test": "Критерий",
    "statistic": "Стат.",
    "p_value": "p",
    "at_risk": "Под набл.",
    "events": "События",
    "survival": "Без события",
    "months": "Мес.",
    "cohort": "Год выхода",
    "group": "Группа",
    "organisation": "Организация",
    "period": "Период",
    "programme_cost": "Стоимость",
    "residents": "Прожив.",
    "cost_per_resident": "На прожив.",
    "graduates_due": "К 12 мес.",
    "with_result": "С рез.",
    "cost_per_result": "На результат",
}

GENERAL_NOTES = [
    "Волна — число календарных месяцев от месяца выхода из приюта до месяца ответа; 0 — анкета завершения случая.",
    "Ответ относится к ближайшей волне, если отстоит от неё не больше чем на долю waves.window её длины "
    "(не меньше 1 месяца).",
    "Все числа — выпускницы, а не анкеты; при нескольких анкетах одной выпускницы в волне берётся последняя.",
]


def suppression_notes(min_cell: int) -> list[str]:
    """How cells were suppressed, with the threshold in force."""
    return [
        f"Защита от раскрытия: число от 1 до {min_cell - 1} выпускниц не показывается («<{min_cell}»), как и "
        "всё, что из него вычисляется (доля, интервал, среднее, медиана, квартили, отклик, выживаемость, "
        "критерий); 0 показывается.",
        "Дополнительное скрытие: если скрытое число можно получить вычитанием из показанных (без результата = "
        "ответили на вопрос − с результатом; не ответили = должны − ответили; группы разбивки и когорты в "
        "сумме дают итог), скрывается и второе число (наименьшее из остальных), чтобы вычитание ничего не "
        f"давало. «<{min_cell}» стоит и в таких ячейках: оно значит «за числом стоит группа меньше {min_cell} "
        "выпускниц», а не само число.",
        "Если во всей разбивке одна группа, итог тоже скрывается. Лог-ранговый критерий скрывается во всей "
        f"разбивке, если в одной из сравниваемых групп от 1 до {min_cell - 1} выпускниц или событий. Кривая "
        "Каплана–Мейера показывается только до последней волны, где доля без события не скрыта; более поздние "
        "волны, где она показана, отчёт рисует точками.",
        f"Порог задаётся в followup.toml: [results] min_cell = {min_cell} (не меньше 3).",
    ]


TABLE_NOTES: dict[str, list[str]] = {
    "by_wave": [
        "Должны были ответить — выпускницы, для которых к дате расчёта наступил месяц «месяц выхода + волна».",
        "Ответили — выпускницы, от которых есть хотя бы одна анкета в этой волне; "
        "доля ответивших = Ответили / Должны были ответить.",
        "Доля с результатом = С результатом / Ответили на вопрос; 95% доверительный интервал — интервал "
        "Уилсона (statsmodels proportion_confint, method='wilson').",
        "Для шкал: среднее, стандартное отклонение (n − 1), медиана и квартили балла среди ответивших на вопрос; "
        "«С результатом» — балл не ниже порога показателя, а для шкал, где лучше низкий балл (симптомы, стресс; "
        f"в названии «{LOWER_IS_BETTER}»), — не выше порога.",
    ],
    "change": [
        "Одни и те же выпускницы при выходе (волна 0) и в волне: «Пар» — у скольких есть значение в обеих. "
        "События (повторный кризис, помещение ребёнка в учреждение) здесь не сравниваются: анкета завершения "
        "случая о них не спрашивает; они — в таблице «События по волнам».",
        "«При выходе» и «В волне» — доля с результатом (для шкал — средний балл) среди этих пар.",
        "Да/нет: критерий Мак-Немара (точный биномиальный при малом числе расхождений); «Улучшение» — пары, "
        "получившие результат, «Ухудшение» — потерявшие его.",
        "Шкалы: знаково-ранговый критерий Уилкоксона (scipy.stats.wilcoxon); «Улучшение»/«Ухудшение» — пары, "
        f"чей балл вырос / упал, а для шкал «{LOWER_IS_BETTER}» — упал / вырос. p — двусторонний.",
    ],
    "events": [
        "События («повторный кризис», «ребёнок помещён в учреждение»): «С событием» — выпускницы, сообщившие "
        "о событии в анкете этой волны или более ранней (накопленно).",
        "Доля без события — оценка Каплана–Мейера (lifelines) с 95% интервалом; выпускница, переставшая "
        "отвечать, цензурируется на волне последнего ответа.",
        "Под наблюдением — выпускницы, ещё наблюдаемые к волне (без события и не цензурированные раньше).",
        "Ось времени — волна, к которой отнесена анкета, а не месяц ответа: анкета 3 месяцев, заполненная на "
        "4-м месяце, сообщает о событии в 3 месяца. Поэтому эта таблица и «Показатели по волнам» считают одни "
        "и те же анкеты.",
    ],
    "survival_curve": [
        "Каждая ступень кривой Каплана–Мейера: волна (месяцев после выхода), доля без события и её 95% интервал.",
    ],
    "attrition": [
        "Охват: сколько выпускниц каждого года выхода должны были ответить в волне и сколько ответили; "
        "видно, до какой волны отслеживание ещё возможно.",
    ],
    "breakdowns": [
        "Те же столбцы, что в «Показателях по волнам», отдельно по организациям, годам выхода и группирующим "
        "вопросам анкеты завершения случая.",
    ],
    "change_by_group": [
        "Те же столбцы, что в «Изменениях с момента выхода», отдельно по организациям, годам выхода и "
        "группирующим вопросам анкеты завершения случая; критерий (Мак-Немара или Уилкоксона) — внутри группы.",
    ],
    "events_by_group": [
        "Те же столбцы, что в «Событиях по волнам», отдельно по организациям, годам выхода и группирующим "
        "вопросам анкеты завершения случая («нет ответа» — отдельная группа).",
        "Лог-ранговый критерий (lifelines multivariate_logrank_test; для двух групп — logrank_test): одинаковы "
        "ли кривые Каплана–Мейера групп разбивки; статистика — хи-квадрат с (число групп − 1) степенями свободы, "
        "p — в каждой строке разбивки. Группа «нет ответа» в сравнение не входит; если выпускница в двух "
        "группах (вопрос с несколькими ответами), критерий не считается.",
    ],
    "cost": [
        "Стоимость на проживающую = стоимость программы / число проживающих за период.",
        "Стоимость результата = стоимость программы / число выпускниц периода с результатом в 12 месяцев.",
    ],
}


def notes(min_cell: int) -> list[str]:
    """Every note, general first, then per table (prefixed by the table's title), then suppression."""
    out = list(GENERAL_NOTES)
    for name, lines in TABLE_NOTES.items():
        out += [f"{TITLES[name]}: {line}" for line in lines]
    return out + suppression_notes(min_cell)


# The tables with a row per indicator: with no indicator to show, the terminal says so once for all of them.
OF_INDICATORS = (
    "by_wave", "change", "events", "survival_curve", "breakdowns", "change_by_group", "events_by_group", "cost",
)  # fmt: skip
NO_INDICATORS = (
    "Пока нечего показать: ни одна загруженная анкета не задаёт вопросов, из которых считаются показатели. "
    "Положите выгрузки анкет в папку inbox и запустите followup run; если анкеты загружены, опишите свои "
    "показатели в indicators.yaml в папке followup (schemas/README.md, «The indicator menu»)."
)

# The `--table` that shows a table by group in the terminal (`followup results --table T --by CODE`).
TABLE_OF_GROUPS = {"breakdowns": "breakdowns", "change_by_group": "change", "events_by_group": "events"}


def other_groupings(others: dict[str, str], name: str = "breakdowns") -> str:
    """The terminal's line under a table by group: the groupings left out (code -> title) and how to see one."""
    names = ", ".join(f"{title} (--by {code})" for code, title in others.items())
    table = TABLE_OF_GROUPS[name]
    return f"Другие разбивки: {names}. Показать одну: followup results --table {table} --by {next(iter(others))}"


def on_request(name: str, groupings: dict[str, str]) -> str:
    """The terminal's line in place of a table by group shown only when asked for."""
    example = next(iter(groupings), "organisation")
    codes = ", ".join(groupings) if groupings else "organisation, cohort"
    return (
        f"Показать по группам: followup results --table {TABLE_OF_GROUPS[name]} --by {example} "
        f"(разбивки: {codes}); в CSV, XLSX и HTML — все разбивки."
    )


# Why a Kaplan–Meier curve stops being shown at a wave (see disclosure.curve_shown).
CURVE_STOPS = {
    "at_risk": "к {wave} мес. под наблюдением слишком мало выпускниц («<{min_cell}»)",
    "events": "к {wave} мес. слишком мало событий («<{min_cell}»), а ступени кривой выдали бы их число",
    "followed": "к {wave} мес. ещё никто не наблюдается",
    "last_wave": "дальше последней волны ({wave} мес.) кривая не показывается",
}

NO_CURVE = "после выхода на этот вопрос ещё никто не ответил"  # the curve is its month 0 alone


def curve_stop(until: float, wave: int, why: str, min_cell: int, later: list[int]) -> str:
    """The caption's words on where a Kaplan–Meier curve stops being shown (`until`, NaN: nowhere), why (the
    first wave whose survival is not shown, and the reason, a key of CURVE_STOPS) and the later waves whose
    survival is shown, drawn as points."""
    where = "кривая не показана" if until != until else f"кривая показана до {until:.0f} мес."  # NaN: none
    reason = CURVE_STOPS[why].format(wave=wave, min_cell=min_cell)
    points = f"; точками — волны, где доля без события показана: {', '.join(map(str, later))} мес." if later else ""
    return f"{where}, потому что {reason}{points}"
