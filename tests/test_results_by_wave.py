"""Indicator × wave: counts against the demo's ground truth, the Wilson interval against statsmodels, score
statistics against numpy; a wave nobody answered and an indicator nobody answered keep their rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import AS_OF
from expected import expected_by_wave
from results_homes import FOLLOW_UPS, GRADUATES, tables_of
from results_homes import demo as demo
from results_homes import demo_tables as demo_tables
from results_homes import small_tables as small_tables
from statsmodels.stats.proportion import proportion_confint

from followup.results.tables import COLUMNS
from followup.run import definitions
from followup.warehouse import Warehouse


def test_counts_and_shares_are_the_ground_truths_and_the_interval_is_wilsons(demo, demo_tables, demo_corpus) -> None:
    by_wave = demo_tables.by_wave
    assert list(by_wave.columns) == COLUMNS["by_wave"]
    expected = expected_by_wave(demo_corpus.truth_path, AS_OF, demo.settings.waves.months)
    got = by_wave.merge(expected, on=["indicator", "wave"], suffixes=("", "_truth"))
    assert len(got) == len(expected) == 5 * 6
    for column in ("eligible", "reached", "answered", "with_outcome"):
        assert got[column].tolist() == got[f"{column}_truth"].tolist(), column
    answered = got[got["answered_truth"] > 0]
    assert answered["share"].tolist() == pytest.approx(
        (answered["with_outcome_truth"] / answered["answered_truth"]).tolist()
    )
    low, high = proportion_confint(answered["with_outcome_truth"], answered["answered_truth"], method="wilson")
    assert answered["ci_low"].tolist() == pytest.approx(list(low), rel=1e-12)
    assert answered["ci_high"].tolist() == pytest.approx(list(high), rel=1e-12)
    assert (answered["ci_low"] <= answered["share"]).all() and (answered["share"] <= answered["ci_high"]).all()
    assert got["response_rate"].tolist() == pytest.approx((got["reached_truth"] / got["eligible_truth"]).tolist())


def test_score_statistics_are_numpys_on_the_scores_of_each_wave(demo, demo_tables) -> None:
    _, indicators = definitions(demo)
    by_wave = demo_tables.by_wave
    scales = [i.id for i in indicators if i.type == "scale"]
    with Warehouse(demo.warehouse, read_only=True) as wh:
        scores = wh.con.execute("SELECT indicator, wave, score FROM indicator_values WHERE score IS NOT NULL").df()
    checked = 0
    for (indicator, wave), group in scores.groupby(["indicator", "wave"]):
        row = by_wave[(by_wave["indicator"] == indicator) & (by_wave["wave"] == wave)].iloc[0]
        s = group["score"].to_numpy()
        assert row["type"] == "scale" and row["answered"] == len(s)
        want = [s.mean(), s.std(ddof=1), np.median(s), np.percentile(s, 25), np.percentile(s, 75)]
        # one score at a wave: its sd is undefined (NaN) in both
        assert row[["mean", "sd", "median", "q1", "q3"]].tolist() == pytest.approx(want, rel=1e-12, nan_ok=True)
        checked += 1
    assert checked >= 5  # parenting competence and independence at the follow-up waves
    states = by_wave[~by_wave["indicator"].isin(scales)]
    assert states[["mean", "sd", "median", "q1", "q3"]].isna().all().all()


def test_a_wave_nobody_answered_keeps_its_rows_and_an_indicator_no_loaded_form_asks_has_none(small_tables) -> None:
    by_wave = small_tables.by_wave.set_index(["indicator", "wave"])
    at_six = by_wave.loc["income", 6]
    assert (at_six["eligible"], at_six["reached"], at_six["answered"], at_six["with_outcome"]) == (8, 0, 0, 0)
    assert at_six[["share", "ci_low", "ci_high"]].isna().all()
    assert by_wave.loc["income"]["eligible"].tolist() == [9, 8, 8, 8, 2, 0]
    # the children's questionnaire is shipped, but none of the home's forms is one: no rows of «nothing yet»
    assert "child_feels_well" not in by_wave.index.get_level_values("indicator")
    assert list(dict.fromkeys(small_tables.by_wave["indicator"])) == [
        "child_with_mother", "stable_housing", "income", "no_repeat_crisis", "support_network", "parenting_competence",
    ]  # fmt: skip


def test_a_scale_asked_at_exit_and_later_has_numpys_statistics_of_the_written_answers(small_tables) -> None:
    by_wave = small_tables.by_wave.set_index(["indicator", "wave"])
    at_exit = np.array([g[2][5] for g in GRADUATES], dtype=float)
    at_three = np.array([f[3][5] for f in FOLLOW_UPS if f[1] == 3], dtype=float)
    for wave, s in ((0, at_exit), (3, at_three)):
        row = by_wave.loc["parenting_competence", wave]
        assert row["answered"] == len(s) and row["with_outcome"] == int((s >= 3.5).sum())
        want = [s.mean(), s.std(ddof=1), np.median(s), np.percentile(s, 25), np.percentile(s, 75)]
        assert row[["mean", "sd", "median", "q1", "q3"]].tolist() == pytest.approx(want)
    one = by_wave.loc["parenting_competence", 12]  # one graduate: no SD
    assert one["answered"] == 1 and one["mean"] == 5 and pd.isna(one["sd"])


def test_a_warehouse_without_forms_has_no_indicator_rows(home) -> None:
    tables, indicators, _ = tables_of(home)
    assert len(indicators) == 18  # (every shipped indicator is defined, but no loaded form asks about one)
    assert tables.by_wave.empty and list(tables.by_wave.columns) == COLUMNS["by_wave"]
    assert tables.breakdowns.empty and list(tables.breakdowns.columns) == COLUMNS["breakdowns"]
