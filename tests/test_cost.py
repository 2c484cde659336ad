"""Cost per social result: the costs file as organisations keep it, and the figures against a hand count
from the demo generator's ground truth on a warehouse loaded through the real pipeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import AS_OF, ROOT
from expected import _scored, read_truth
from results_homes import demo as demo

from followup.results.cost import COSTS_FILE, CostsError, cost_per_result, home_costs, read_costs
from followup.results.tables import COLUMNS, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse

COSTS = ROOT / "tests" / "data" / "costs"


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _hand_count(truth: pd.DataFrame, organisation: str, first: dt.date, last: dt.date, item: str, scoring: str,
                codes: set[str]) -> tuple[int, int]:  # fmt: skip
    """graduates_due and with_result from the ground truth: exited in [first, last] (by month), exit month
    + 12 months begun by AS_OF, and the result in her answer at wave 12."""
    exits = truth[truth["wave"] == 0].set_index("person")
    exit_month = exits["exit_date"].map(lambda s: _month(dt.date.fromisoformat(s)))
    due = exits[
        (exits["organisation"] == organisation)
        & (exit_month >= _month(first))
        & (exit_month <= _month(last))
        & (exit_month + 12 <= _month(AS_OF))
    ].index
    scored = _scored(truth, item, scoring, codes)
    at_12 = scored[(scored["wave"] == 12) & scored["person"].isin(due)]
    return len(due), int(at_12["value"].sum())


def test_an_excel_costs_file_is_read_with_its_encoding_separator_headers_and_decimal_comma() -> None:
    costs = read_costs(COSTS / "costs_excel_cp1251.csv")
    assert costs["row"].tolist() == [2, 3, 4, 5, 6]
    assert costs["organisation"].tolist()[3] == 'Кризисный центр "Надежда"'
    assert costs["period"].tolist() == ["2023", "2024", "2025-01..2025-06", "2024", "2023-07..2024-06"]
    assert costs["first_month"].tolist()[2:] == [dt.date(2025, 1, 1), dt.date(2024, 1, 1), dt.date(2023, 7, 1)]
    assert costs["last_month"].tolist()[2:] == [dt.date(2025, 6, 1), dt.date(2024, 12, 1), dt.date(2024, 6, 1)]
    assert costs["programme_cost"].tolist() == [11_850_000.0, 12_500_000.5, 6_100_000.0, 9_000_000.0, 7_250_000.0]
    assert costs["residents"].tolist() == [46, 48, 30, 0, 25]
    english = read_costs(COSTS / "costs_english.csv")
    assert english[["organisation", "period", "programme_cost", "residents"]].values.tolist() == [
        ["Дом для мамы", "2024", 12_500_000.5, 48]
    ]


@pytest.mark.parametrize(
    ("name", "where", "what"),
    [
        ("bad_cost.csv", "row 3, column 'затраты'", "is not a cost: write the programme's cost in roubles"),
        ("bad_period.csv", "row 2, column 'период'", "is not a period: write a year (2024) or a range"),
        ("bad_residents.csv", "row 2, column 'проживающих'", "is not a number of residents: write"),
        ("missing_column.csv", "row 1: no column 'проживающих'", "The first line must name the columns"),
        ("overlapping_periods.csv", "rows 2 and 3, column 'период'", "overlap, so its graduates would be counted"),
    ],
)
def test_a_wrong_cell_names_the_file_row_and_column_and_what_to_write(name: str, where: str, what: str) -> None:
    with pytest.raises(CostsError) as caught:
        read_costs(COSTS / name)
    message = str(caught.value)
    assert message.startswith(f"{COSTS / name}, {where}")
    assert what in message
    assert "двенадцать" not in message  # the cell is described, not repeated


def test_the_costs_table_equals_a_hand_count_from_the_ground_truth(demo, demo_corpus) -> None:
    costs = read_costs(COSTS / "costs_excel_cp1251.csv")
    _, indicators = definitions(demo)
    with Warehouse(demo.warehouse, read_only=True) as wh:
        table = cost_per_result(wh, indicators, costs, AS_OF)
    assert list(table.columns) == COLUMNS["cost"]
    assert len(table) == len(costs) * len(indicators)
    # the warehouse's spelling of the organisation, whatever quotes the costs file used
    assert set(table["organisation"]) == {"Дом для мамы", "Кризисный центр „Надежда“", "Приют „Маленькая страна“"}
    truth = read_truth(demo_corpus.truth_path)
    checked = 0
    for c in costs.to_dict("records"):
        for indicator, item, scoring, codes in [
            ("child_with_mother", "child_with_mother", "state", {"yes"}),
            ("stable_housing", "housing", "state", {"own", "rent", "relatives"}),
            ("no_repeat_crisis", "repeat_crisis", "event_absent", {"yes"}),
        ]:
            row = table[(table["period"] == c["period"]) & (table["indicator"] == indicator)]
            row = row[row["programme_cost"] == c["programme_cost"]].iloc[0]
            organisation = row["organisation"]
            due, with_result = _hand_count(truth, organisation, c["first_month"], c["last_month"], item, scoring, codes)
            assert (row["graduates_due"], row["with_result"]) == (due, with_result), (c["row"], indicator)
            if with_result:
                assert row["cost_per_result"] == pytest.approx(c["programme_cost"] / with_result, abs=0.005)
            else:
                assert math.isnan(row["cost_per_result"])
            if c["residents"]:
                assert row["cost_per_resident"] == pytest.approx(c["programme_cost"] / c["residents"], abs=0.005)
            else:
                assert math.isnan(row["cost_per_resident"])
            checked += due
    assert checked > 100  # the periods hold graduates due for the 12-month wave (the comparison can fail)
    # 2025-01..2025-06: a graduate of June 2025 is due by November 2026; none of a later month is counted
    first_half = table[(table["period"] == "2025-01..2025-06") & (table["indicator"] == "child_with_mother")]
    assert first_half["graduates_due"].iloc[0] > 0


def test_compute_tables_fills_the_cost_table_from_the_homes_costs_file(demo, tmp_path: Path) -> None:
    _, indicators = definitions(demo)
    assert home_costs(demo) is None
    # The same home at another root holds the costs file: the shared demo home is only read.
    with_costs = dataclasses.replace(demo, root=tmp_path)
    shutil.copyfile(COSTS / "costs_english.csv", tmp_path / COSTS_FILE)
    costs = home_costs(with_costs)
    with Warehouse(demo.warehouse, read_only=True) as wh:
        tables = compute_tables(wh, indicators, demo.settings.waves.months, AS_OF, costs=costs)
        without = compute_tables(wh, indicators, demo.settings.waves.months, AS_OF)
    assert without.cost.empty and list(without.cost.columns) == COLUMNS["cost"]
    cost = tables.cost.set_index("indicator")
    assert cost.loc["income", "period"] == "2024" and cost.loc["income", "graduates_due"] > 10
    assert cost.loc["income", "cost_per_result"] == pytest.approx(12_500_000.5 / cost.loc["income", "with_result"])


def test_an_organisation_the_warehouse_does_not_know_is_refused_with_the_names_it_knows(demo) -> None:
    _, indicators = definitions(demo)
    with Warehouse(demo.warehouse, read_only=True) as wh, pytest.raises(CostsError) as caught:
        cost_per_result(wh, indicators, read_costs(COSTS / "unknown_organisation.csv"), AS_OF)
    assert "row 2, column 'организация'" in str(caught.value)
    assert "Дом для мамы, Кризисный центр „Надежда“, Приют „Маленькая страна“" in str(caught.value)
