"""A scale where a lower score is better (`better: lower`): a home's own PHQ-style depression screen (four items
scored 0–3, the mean against a threshold of 1.0) asked at case closure and in a call 3 and 6 months after exit,
with every answer written below, so that each table's figure can be stated by hand.

The same items also feed an indicator with the default direction (`higher`: the share whose mean is at least
1.0), so the two read as mirror images of each other and the default's behaviour is pinned down beside it.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from conftest import AS_OF
from matplotlib.backends.backend_agg import FigureCanvasAgg
from results_homes import tables_of
from scipy.stats import wilcoxon
from studies.common import set_waves
from test_pipeline import run_stages

from followup.definition_files import DefinitionError
from followup.demo import write_baseline_xlsx, write_followup_csv
from followup.home import Home, init_home, open_home
from followup.indicators import Indicator, load_indicators
from followup.results import charts, labels, render
from followup.results.disclosure import suppress
from followup.results.render import About
from followup.results.report import html_report
from followup.run import definitions
from followup.run_definitions import current, parse

OPTIONS = """    type: likert
    scale: {min: 0, max: 3}
    options:
      "0": [Ни разу]
      "1": [Несколько дней]
      "2": [Больше половины дней]
      "3": [Почти каждый день]
"""
# item code -> the question as the forms word it (over the last two weeks, how often ...)
PHQ = {
    "phq_interest": "Мало интереса или удовольствия от занятий",
    "phq_mood": "Подавленность, тоска, безнадёжность",
    "phq_sleep": "Трудности со сном (не может заснуть, просыпается, спит слишком много)",
    "phq_tired": "Усталость, упадок сил",
}
ITEMS = "".join(f"  - code: {code}\n    text: {text}\n{OPTIONS}" for code, text in PHQ.items())
COLUMNS = "".join(f'      "{text}": {code}\n' for code, text in PHQ.items())

CLOSURE = f"""\
# Завершение случая с коротким скринингом депрессии (как PHQ-4: четыре вопроса, 0–3).
instrument: closure_phq
title: Завершение случая — самочувствие при выходе
kind: baseline
grouping: [programme]

items:
  - code: programme
    text: Программа, по которой проживала
    type: select_one
    options:
      shelter: [Социальный приют]
      crisis: [Кризисное отделение]
{ITEMS}
versions:
  - version: 1
    columns:
      Дата завершения случая: {{role: exit_date, format: "%d.%m.%Y"}}
      ФИО выпускницы: {{role: full_name}}
      Телефон: {{role: phone}}
      Программа: programme
{COLUMNS}"""

CALL = f"""\
# Звонок выпускнице через 3 и 6 месяцев (Google Форма): те же четыре вопроса о последних двух неделях.
instrument: phq_call
title: Звонок выпускнице — самочувствие
kind: followup

items:
{ITEMS}
versions:
  - version: 1
    columns:
      Отметка времени: {{role: timestamp, format: "%d.%m.%Y %H:%M:%S"}}
      ФИО: {{role: full_name}}
      Телефон: {{role: phone}}
{COLUMNS}"""

INDICATORS = """\
indicators:
  - id: depression_symptoms
    title: Нет выраженных симптомов депрессии (PHQ)
    description: Средний балл (0–3) четырёх вопросов о последних двух неделях; результат — не выше 1.
    type: scale
    items: [phq_interest, phq_mood, phq_sleep, phq_tired]
    threshold: 1.0
    better: lower
  - id: depression_score_from_one
    title: Балл PHQ от 1 и выше
    type: scale
    items: [phq_interest, phq_mood, phq_sleep, phq_tired]
    threshold: 1.0
"""

# name, exit date, programme, and the four answers at exit, in the 3-month call and in the 6-month call (None:
# no call answered; an item None: left blank). The means are written beside each.
GRADUATES = [
    ("Аксёнова Мария Игоревна", dt.date(2025, 1, 13), "shelter", (2, 2, 3, 1), (1, 1, 1, 1), (0, 1, 0, 1)),
    ("Быкова Ольга Сергеевна", dt.date(2025, 1, 20), "shelter", (3, 2, 2, 1), (2, 2, 1, 1), (1, 1, 0, 0)),
    ("Власова Нина Петровна", dt.date(2025, 1, 27), "shelter", (1, 1, 0, 0), (2, 1, 1, 2), (1, 2, 1, 2)),
    ("Гусева Алёна Викторовна", dt.date(2025, 2, 3), "shelter", (2, 1, 1, 2), (0, 0, 1, 1), None),
    ("Давыдова Ирина Олеговна", dt.date(2025, 2, 10), "shelter", (1, 1, 1, 1), (1, 1, 1, 1), (0, 0, 0, 1)),
    ("Егорова Светлана Юрьевна", dt.date(2025, 2, 17), "crisis", (3, 3, 2, 2), (2, 1, 1, 0), (1, 0, 0, 1)),
    ("Жданова Татьяна Ильинична", dt.date(2025, 2, 24), "crisis", (2, 2, 2, 2), (3, 2, 2, 3), (2, 2, 1, 1)),
    ("Зуева Людмила Андреевна", dt.date(2025, 3, 3), "crisis", (3, 2, 3, 2), (1, 0, 1, 0), (0, 0, 1, 0)),
    ("Королёва Анастасия Павловна", dt.date(2025, 3, 10), "crisis", (2, 1, 2, 1), (1, 1, 0, 0), (1, 0, 0, None)),
    ("Лебедева Юлия Денисовна", dt.date(2025, 3, 17), "crisis", (0, 1, 0, 1), None, None),
]
# means:  exit  2.0 2.0 0.5 1.5 1.0 2.5 2.0 2.5 1.5 0.5
#         3 m.  1.0 1.5 1.5 0.5 1.0 1.0 2.5 0.5 0.5  —
#         6 m.  0.5 0.5 1.5  —  0.25 0.5 1.5 0.25 1/3 —
PROGRAMMES = {"shelter": "Социальный приют", "crisis": "Кризисное отделение"}
LOWER, HIGHER = "depression_symptoms", "depression_score_from_one"


def _mean(answers: tuple[int | None, ...]) -> float:
    return float(np.mean([a for a in answers if a is not None]))


def _phone(n: int) -> str:
    return f"+7 921 555-40-{n:02d}"


@pytest.fixture(scope="module")
def phq_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    root = init_home(tmp_path_factory.mktemp("phq") / "home")[0].root
    set_waves(root, [3, 6], organisation="Дом для мамы «Тёплый дом»")
    home = open_home(root)  # (the settings as edited)
    (home.instruments / "closure_phq.yaml").write_text(CLOSURE, encoding="utf-8")
    (home.instruments / "phq_call.yaml").write_text(CALL, encoding="utf-8")
    (home.root / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    headers = ["Дата завершения случая", "ФИО выпускницы", "Телефон", "Программа", *PHQ.values()]
    closure = [
        {"Дата завершения случая": left, "ФИО выпускницы": name, "Телефон": _phone(n), "Программа": PROGRAMMES[p]}
        | dict(zip(PHQ.values(), at_exit, strict=True))
        for n, (name, left, p, at_exit, _, _) in enumerate(GRADUATES)
    ]
    write_baseline_xlsx(home.inbox / "завершение случая 2025.xlsx", closure, headers=headers)
    calls = []
    for n, (name, left, _, _, *later) in enumerate(GRADUATES):
        for days, answers in zip((92, 183), later, strict=True):
            if answers is not None:
                when = dt.datetime.combine(left + dt.timedelta(days=days), dt.time(18, 5))
                calls.append(
                    {"Отметка времени": f"{when:%d.%m.%Y %H:%M:%S}", "ФИО": name, "Телефон": _phone(n)}
                    | {text: None if a is None else str(a) for text, a in zip(PHQ.values(), answers, strict=True)}
                )
    call_headers = ["Отметка времени", "ФИО", "Телефон", *PHQ.values()]
    write_followup_csv(home.inbox / "Звонок выпускнице (Ответы).csv", calls, headers=call_headers)
    summary, _ = run_stages(home, as_of=AS_OF)
    assert summary.files_loaded == 2 and summary.rows_quarantined == 0, summary
    return home


def _row(table, **where):  # type: ignore[no-untyped-def]
    found = table
    for column, value in where.items():
        found = found[found[column] == value]
    assert len(found) == 1, where
    return found.iloc[0]


def test_the_share_with_the_result_is_the_share_at_or_below_the_threshold(phq_home) -> None:
    by_wave = tables_of(phq_home)[0].by_wave
    lower = {w: _row(by_wave, indicator=LOWER, wave=w) for w in (0, 3, 6)}
    # at exit 3 of 10 score at most 1.0 (0.5, 1.0, 0.5); 6 of 9 at 3 months; 6 of 8 at 6 months
    assert [(r["answered"], r["with_outcome"]) for r in lower.values()] == [(10, 3), (9, 6), (8, 6)]
    assert lower[3]["share"] == pytest.approx(6 / 9)
    assert lower[0]["mean"] == pytest.approx(np.mean([_mean(g[3]) for g in GRADUATES]))
    assert lower[6]["mean"] == pytest.approx((0.5 + 0.5 + 1.5 + 0.25 + 0.5 + 1.5 + 0.25 + 1 / 3) / 8)
    # The default direction on the same scores: at least 1.0 (1.0 itself counts in both).
    higher = [_row(by_wave, indicator=HIGHER, wave=w) for w in (0, 3, 6)]
    assert [(r["answered"], r["with_outcome"]) for r in higher] == [(10, 8), (9, 6), (8, 2)]


def test_the_breakdown_by_programme_counts_low_scores(phq_home) -> None:
    breakdowns = tables_of(phq_home)[0].breakdowns
    at_three = {
        g: (_row(breakdowns, group_by="programme", group=g, indicator=LOWER, wave=3)[["answered", "with_outcome"]])
        for g in PROGRAMMES
    }
    assert {g: tuple(r) for g, r in at_three.items()} == {"shelter": (5, 3), "crisis": (4, 3)}


def _pairs(wave: int, programme: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    at = {3: 4, 6: 5}[wave]
    both = [g for g in GRADUATES if g[at] is not None and programme in (None, g[2])]
    return np.array([_mean(g[3]) for g in both]), np.array([_mean(g[at]) for g in both])


def test_a_fall_in_the_score_is_an_improvement(phq_home) -> None:
    change = tables_of(phq_home)[0].change
    three, six = (_row(change, indicator=LOWER, wave=w) for w in (3, 6))
    # 3 months: six scores fell (Аксёнова, Быкова, Гусева, Егорова, Зуева, Королёва), two rose (Власова,
    # Жданова), one stayed at 1.0 (Давыдова); 6 months: seven fell, Власова's rose.
    assert (three["pairs"], three["improved"], three["worsened"]) == (9, 6, 2)
    assert (six["pairs"], six["improved"], six["worsened"]) == (8, 7, 1)
    assert (three["baseline"], three["at_wave"]) == pytest.approx((15.5 / 9, 10 / 9))
    before, after = _pairs(3)
    want = wilcoxon(after - before, zero_method="wilcox")
    assert three["test"] == "Wilcoxon"
    assert (three["statistic"], three["p_value"]) == pytest.approx((want.statistic, want.pvalue))
    # The default direction counts the same pairs the other way round; its test is the same two-sided one.
    mirror = _row(change, indicator=HIGHER, wave=3)
    assert (mirror["improved"], mirror["worsened"]) == (2, 6)
    assert (mirror["statistic"], mirror["p_value"]) == pytest.approx((three["statistic"], three["p_value"]))


def test_change_by_group_counts_falls_as_improvements_in_each_group(phq_home) -> None:
    by_group = tables_of(phq_home)[0].change_by_group
    shelter = _row(by_group, group_by="programme", group="shelter", indicator=LOWER, wave=3)
    crisis = _row(by_group, group_by="programme", group="crisis", indicator=LOWER, wave=3)
    assert (shelter["pairs"], shelter["improved"], shelter["worsened"]) == (5, 3, 1)
    assert (crisis["pairs"], crisis["improved"], crisis["worsened"]) == (4, 3, 1)
    before, after = _pairs(3, "crisis")
    assert crisis["p_value"] == pytest.approx(wilcoxon(after - before, zero_method="wilcox").pvalue)
    assert _row(by_group, group_by="programme", group="shelter", indicator=HIGHER, wave=3)[
        ["improved", "worsened"]
    ].tolist() == [1, 3]


def test_tables_charts_and_notes_say_that_lower_is_better(phq_home) -> None:
    tables, indicators, _ = tables_of(phq_home)
    heading = "Нет выраженных симптомов депрессии (PHQ) — чем ниже балл, тем лучше"
    for name in ("by_wave", "change", "breakdowns", "change_by_group"):
        table = getattr(tables, name)
        assert set(table.loc[table["indicator"] == LOWER, "title"]) == {heading}, name
        assert set(table.loc[table["indicator"] == HIGHER, "title"]) == {"Балл PHQ от 1 и выше"}, name
    shown = suppress(tables, min_cell=3)
    rows = shown.tables.by_wave[shown.tables.by_wave["indicator"] == LOWER]
    figure = charts.by_wave(rows, heading, "scale")
    assert figure is not None and " ".join(figure.axes[0].get_title(loc="left").split()) == heading
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # the long title is wrapped, not cut off at the figure's right edge
    assert figure.axes[0]._left_title.get_window_extent(canvas.get_renderer()).x1 <= figure.bbox.x1
    report = html_report(shown, About("Дом для мамы «Тёплый дом»", AS_OF))
    assert f"{heading}: медиана и квартили балла по волнам" in report
    notes = " ".join(render.notes_sheet(shown, About("Дом", AS_OF))["Примечания"])
    assert (
        "для шкал, где лучше низкий балл" in notes and "а для шкал «чем ниже балл, тем лучше» — упал / вырос" in notes
    )
    assert labels.indicator_title(next(i for i in indicators if i.id == HIGHER)) == "Балл PHQ от 1 и выше"


def test_better_is_refused_on_a_state_or_an_event_with_its_line(tmp_path) -> None:
    instruments = definitions(init_home(tmp_path / "home")[0])[0]
    menu = tmp_path / "indicators.yaml"
    menu.write_text(
        "indicators:\n"
        "  - id: housed\n"
        "    title: Стабильное жильё\n"
        "    type: state\n"
        "    item: housing\n"
        "    positive: [own, rent]\n"
        "    better: lower\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match=r"line 7: indicators\.0\.better: `better` is only for scale indicators"):
        load_indicators([menu], instruments)
    with pytest.raises(ValueError, match=r"an event's result is its absence or its presence"):
        Indicator(id="x", title="Нет кризиса", type="event", item="repeat_crisis", event=["yes"], better="higher")
    with pytest.raises(ValueError, match=r"better"):
        Indicator(id="x", title="Шкала", type="scale", items=["s"], threshold=1, better="down")  # type: ignore[arg-type]


def test_definitions_stored_before_better_existed_still_parse_as_higher(phq_home) -> None:
    instruments, indicators = definitions(phq_home)
    body = json.loads(current(indicators, [3, 6], instruments).body())
    stored = {i["id"]: i for i in body["indicators"]}
    assert (stored[LOWER]["better"], stored[HIGHER]["better"], stored["income"]["better"]) == ("lower", "higher", None)
    for ind in body["indicators"]:  # as a run before this release stored them: no `better` at all
        del ind["better"]
    old = {i.id: i for i in parse(json.dumps(body)).indicators}
    assert (old[LOWER].better, old[HIGHER].better, old["income"].better) == ("higher", "higher", None)
    assert {i.id: i.better for i in parse(current(indicators, [3, 6], instruments).body()).indicators}[LOWER] == "lower"
