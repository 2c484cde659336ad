"""Breakdowns by organisation, cohort and baseline grouping items: each group's figures against the
ground truth or a hand count, and the groups adding up to the whole."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import AS_OF
from expected import INDICATORS, _scored, read_truth
from results_homes import demo as demo
from results_homes import demo_tables as demo_tables
from results_homes import months_between
from results_homes import small as small
from results_homes import small_tables as small_tables
from statsmodels.stats.proportion import proportion_confint

from followup.results.tables import COLUMNS, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse


def test_by_organisation_and_cohort_each_group_is_the_ground_truth_of_its_graduates(
    demo, demo_tables, demo_corpus
) -> None:
    breakdowns = demo_tables.breakdowns
    assert list(breakdowns.columns) == COLUMNS["breakdowns"]
    truth = read_truth(demo_corpus.truth_path)
    at_exit = truth[truth["wave"] == 0].set_index("person")
    groups = {
        "organisation": at_exit["organisation"],
        "cohort": at_exit["exit_date"].str[:4],
    }
    exits = at_exit["exit_date"].map(dt.date.fromisoformat)
    checked = 0
    for group_by, of_person in groups.items():
        for group, people in of_person.groupby(of_person).groups.items():
            rows = breakdowns[(breakdowns["group_by"] == group_by) & (breakdowns["group"] == group)]
            assert rows["group_title"].iloc[0] == {"organisation": "Организация", "cohort": "Год выхода"}[group_by]
            for indicator, (item, scoring, codes) in INDICATORS.items():
                scored = _scored(truth[truth["person"].isin(people)], item, scoring, codes)
                for wave in [0, *demo.settings.waves.months]:
                    row = rows[(rows["indicator"] == indicator) & (rows["wave"] == wave)].iloc[0]
                    at = scored[scored["wave"] == wave]
                    due = sum(months_between(exits[p], AS_OF) >= wave for p in people)
                    reached = truth[(truth["wave"] == wave) & (truth["answered"] == "1") & truth["person"].isin(people)]
                    assert (row["eligible"], row["reached"]) == (due, len(reached))
                    assert (row["answered"], row["with_outcome"]) == (len(at), int(at["value"].sum()))
                    if len(at):
                        low, high = proportion_confint(int(at["value"].sum()), len(at), method="wilson")
                        assert (row["share"], row["ci_low"], row["ci_high"]) == pytest.approx(
                            (at["value"].mean(), low, high), rel=1e-12
                        )
                    checked += 1
    assert checked == (3 + len(set(groups["cohort"]))) * 5 * 6


def test_a_single_choice_grouping_splits_every_graduate_once(demo_tables) -> None:
    by_wave = demo_tables.by_wave.set_index(["indicator", "wave"])
    for group_by in ("organisation", "cohort", "programme", "material_help"):
        rows = demo_tables.breakdowns[demo_tables.breakdowns["group_by"] == group_by]
        summed = rows.groupby(["indicator", "wave"])[["eligible", "reached", "answered", "with_outcome"]].sum()
        pd.testing.assert_frame_equal(
            summed, by_wave.loc[summed.index, summed.columns], check_dtype=False, check_names=False
        )
    programmes = demo_tables.breakdowns[demo_tables.breakdowns["group_by"] == "programme"]
    assert set(programmes["group"]) == {"shelter", "crisis", "halfway", "нет ответа"}  # 3 % left it blank
    assert programmes["group_title"].iloc[0] == "Программа, по которой проживала"


def test_a_baseline_item_groups_by_her_answer_at_exit_and_keeps_those_without_one(small_tables) -> None:
    rows = small_tables.breakdowns.set_index(["group_by", "group", "indicator", "wave"])
    # Programme at exit: shelter = Abramova, Belova, Ershova, Zaytseva; crisis = Volkova, Gromova, Isaeva;
    # halfway = Zhukova; Demina left it blank.
    income = rows.xs(("programme", "income", 3), level=("group_by", "indicator", "wave"))
    assert income.loc["shelter", ["eligible", "reached", "answered", "with_outcome"]].tolist() == [4, 4, 4, 2]
    assert income.loc["crisis", ["eligible", "reached", "answered", "with_outcome"]].tolist() == [2, 2, 2, 2]
    assert income.loc["нет ответа", ["eligible", "answered", "with_outcome"]].tolist() == [1, 1, 1]
    assert income.loc["shelter", "group_label"] == "Социальный приют"
    assert income.loc["нет ответа", "group_label"] == "нет ответа"
    low, high = proportion_confint(2, 4, method="wilson")
    assert income.loc["shelter", ["share", "ci_low", "ci_high"]].tolist() == pytest.approx([0.5, low, high])
    helped = rows.xs(("material_help", "parenting_competence", 0), level=("group_by", "indicator", "wave"))
    assert helped.loc["yes", ["answered", "mean", "median"]].tolist() == pytest.approx([6, 19 / 6, 3.5])
    assert helped.loc["no", ["answered", "mean"]].tolist() == pytest.approx([3, 8 / 3])
    assert helped.loc["yes", "group_label"] == "Да"
    assert rows.loc[("cohort", "2026", "income", 0), "eligible"] == 1


def test_without_instruments_the_breakdowns_are_by_organisation_and_cohort_only(small) -> None:
    _, indicators = definitions(small)
    with Warehouse(small.warehouse, read_only=True) as wh:
        tables = compute_tables(wh, indicators, [0, *small.settings.waves.months], AS_OF)  # wave 0 given too
    assert set(tables.breakdowns["group_by"]) == {"organisation", "cohort"}
    assert tables.by_wave.groupby("indicator")["wave"].apply(list).iloc[0] == [0, 3, 6, 12, 24, 36]
    assert tables.cost.empty and list(tables.cost.columns) == COLUMNS["cost"]
