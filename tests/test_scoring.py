"""Indicator scoring in the warehouse (state, event, scale), on a real DuckDB file with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from followup.indicators import Indicator
from followup.warehouse import Warehouse

# graduate -> [(wave, {item: [values]}), ...]
ANSWERS = {
    "g1": [
        (0, {"housing": ["rent"]}),
        (3, {"housing": ["none"], "crisis": ["no"], "s1": ["4"], "s2": ["5"]}),
        (6, {"crisis": ["yes"]}),
        (12, {"crisis": ["no"], "s1": ["2"], "s2": ["2"]}),
    ],
    "g2": [(0, {"housing": ["own"]}), (3, {"crisis": ["no"], "help": ["food", "lawyer"], "s1": ["3"]})],
}
NUMBERS = {"yes": 1.0, "no": 0.0}


@pytest.fixture
def warehouse(home):
    with Warehouse(home.warehouse) as wh:
        wh.migrate()
        for g in ANSWERS:
            wh.con.execute("INSERT INTO graduates VALUES (?, 'Приют', DATE '2024-01-01', NULL, 1, 'f')", [g])
        for g, waves in ANSWERS.items():
            for n, (wave, items) in enumerate(waves):
                rid = f"{g}-{wave}"
                wh.con.execute(
                    "INSERT INTO responses (response_id, graduate_id, instrument, version, kind, answered_month, "
                    "months_since_exit, wave, run_id, file_id, source_row) "
                    "VALUES (?, ?, 'x', 1, 'followup', ?, ?, ?, 1, 'f', ?)",
                    [rid, g, dt.date(2024, 1, 1) + dt.timedelta(days=31 * wave), wave, wave, n + 2],
                )
                for item, values in items.items():
                    for v in values:
                        num = NUMBERS.get(v, float(v) if v.isdigit() else None)
                        wh.con.execute("INSERT INTO answers VALUES (?, ?, ?, ?)", [rid, item, v, num])
        yield wh


def scored(wh: Warehouse, indicator: Indicator) -> dict[tuple[str, int], tuple[float, float | None]]:
    wh.score_indicators([indicator.model_dump()])
    rows = wh.con.execute(
        "SELECT graduate_id, wave, value, score FROM indicator_values WHERE indicator = ?", [indicator.id]
    ).fetchall()
    return {(g, w): (v, s) for g, w, v, s in rows}


def test_a_state_is_the_answer_at_that_wave(warehouse) -> None:
    housed = Indicator(id="housed", title="Жильё", type="state", item="housing", positive=["own", "rent"])
    assert scored(warehouse, housed) == {("g1", 0): (1, None), ("g1", 3): (0, None), ("g2", 0): (1, None)}


def test_a_state_from_a_multiple_choice_counts_any_positive_option(warehouse) -> None:
    legal = Indicator(id="legal", title="Юрист", type="state", item="help", positive=["lawyer"])
    assert scored(warehouse, legal) == {("g2", 3): (1, None)}


def test_an_event_stays_once_it_happened(warehouse) -> None:
    no_crisis = Indicator(id="no_crisis", title="Нет кризиса", type="event", item="crisis", event=["yes"])
    assert scored(warehouse, no_crisis) == {
        ("g1", 3): (1, None),
        ("g1", 6): (0, None),
        ("g1", 12): (0, None),
        ("g2", 3): (1, None),
    }
    crisis = no_crisis.model_copy(update={"id": "crisis", "result": "present"})
    assert scored(warehouse, crisis)[("g1", 12)] == (1, None)


def test_a_scale_is_the_mean_of_its_items_against_the_threshold(warehouse) -> None:
    scale = Indicator(id="comp", title="Компетентность", type="scale", items=["s1", "s2"], threshold=3.5)
    assert scored(warehouse, scale) == {("g1", 3): (1, 4.5), ("g1", 12): (0, 2.0), ("g2", 3): (0, 3.0)}


def test_a_scale_where_lower_is_better_has_the_result_at_or_below_the_threshold(warehouse) -> None:
    stress = Indicator(id="stress", title="Стресс", type="scale", items=["s1", "s2"], threshold=3.0, better="lower")
    assert scored(warehouse, stress) == {("g1", 3): (0, 4.5), ("g1", 12): (1, 2.0), ("g2", 3): (1, 3.0)}
    # the default direction on the same scores: at least 3.0 (a mean of exactly 3.0 has the result both ways)
    higher = stress.model_copy(update={"id": "stress_high", "better": "higher"})
    assert scored(warehouse, higher) == {("g1", 3): (1, 4.5), ("g1", 12): (0, 2.0), ("g2", 3): (1, 3.0)}
    assert Indicator(id="y", title="Y", type="scale", items=["s1"], threshold=3).better == "higher"


def test_an_indicator_without_its_scoring_fields_is_refused() -> None:
    with pytest.raises(ValueError, match="needs `threshold`"):
        Indicator(id="x", title="X", type="scale", items=["s1"])
