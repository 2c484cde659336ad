"""Attrition by cohort (year of exit) and wave, against the demo's ground truth and a hand count."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF
from expected import read_truth
from results_homes import demo as demo
from results_homes import demo_tables as demo_tables
from results_homes import months_between
from results_homes import small_tables as small_tables

from followup.results.tables import COLUMNS


def test_each_cohort_is_due_and_reached_as_the_ground_truth_says(demo, demo_tables, demo_corpus) -> None:
    attrition = demo_tables.attrition
    assert list(attrition.columns) == COLUMNS["attrition"]
    truth = read_truth(demo_corpus.truth_path)
    exits = truth.drop_duplicates("person").set_index("person")["exit_date"].map(dt.date.fromisoformat)
    cohorts = exits.map(lambda d: d.year)
    waves = [0, *demo.settings.waves.months]
    assert sorted(set(attrition["cohort"])) == sorted(set(cohorts))
    assert len(attrition) == len(set(cohorts)) * len(waves)
    for _, row in attrition.iterrows():
        people = cohorts[cohorts == row["cohort"]].index
        due = sum(months_between(exits[p], AS_OF) >= row["wave"] for p in people)
        reached = truth[(truth["wave"] == row["wave"]) & (truth["answered"] == "1") & truth["person"].isin(people)]
        assert (row["eligible"], row["reached"]) == (due, reached["person"].nunique())
        if due:
            assert row["response_rate"] == pytest.approx(reached["person"].nunique() / due)
        else:
            assert row["response_rate"] != row["response_rate"]  # NaN: nobody of the cohort due yet
    # The later the wave, the fewer of the oldest cohort still answer (of the cohorts large enough to tell).
    large = attrition[(attrition["wave"] == 0) & (attrition["eligible"] >= 20)]["cohort"].min()
    oldest = attrition[attrition["cohort"] == large].set_index("wave")["response_rate"]
    assert oldest[0] == 1 and oldest[36] < oldest[3]


def test_a_cohort_not_yet_due_has_its_rows_with_nobody_eligible(small_tables) -> None:
    attrition = small_tables.attrition.set_index(["cohort", "wave"])
    assert attrition.loc[2024, 24][["eligible", "reached"]].tolist() == [2, 1]
    assert attrition.loc[2025, 3][["eligible", "reached"]].tolist() == [6, 6]
    assert attrition.loc[2025, 6][["eligible", "reached", "response_rate"]].tolist() == [6, 0, 0]
    assert attrition.loc[2026].loc[[0, 3], "eligible"].tolist() == [1, 0]
