"""Events over time: Kaplan–Meier survival against lifelines fitted on follow times computed independently
(from the demo's ground truth, and by hand for graduates whose answers are written out)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from expected import read_truth
from lifelines import KaplanMeierFitter
from results_homes import demo_home, small_home, tables_of, truth_follow_time

from followup.results.tables import COLUMNS


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_corpus):
    return demo_home(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_home(tmp_path_factory)


def _fitted(months, observed) -> KaplanMeierFitter:  # type: ignore[no-untyped-def]
    return KaplanMeierFitter().fit(np.asarray(months), event_observed=np.asarray(observed))


def _check_curve(curve: pd.DataFrame, km: KaplanMeierFitter) -> None:
    assert curve["months"].tolist() == km.survival_function_.index.astype(int).tolist()
    assert curve["survival"].tolist() == pytest.approx(km.survival_function_["KM_estimate"].tolist(), rel=1e-12)
    ci = km.confidence_interval_survival_function_
    assert curve["ci_low"].tolist() == pytest.approx(ci.iloc[:, 0].tolist(), rel=1e-12)
    assert curve["ci_high"].tolist() == pytest.approx(ci.iloc[:, 1].tolist(), rel=1e-12)


def test_the_repeat_crisis_curve_is_lifelines_on_the_ground_truths_follow_times(demo, demo_corpus) -> None:
    tables = tables_of(demo)[0]
    assert list(tables.events.columns) == COLUMNS["events"]
    assert list(tables.survival_curve.columns) == COLUMNS["survival_curve"]
    followed = truth_follow_time(read_truth(demo_corpus.truth_path), "repeat_crisis", {"yes"})
    assert followed["observed"].sum() >= 5  # the corpus has repeat crises to count
    km = _fitted(followed["months"], followed["observed"])
    curve = tables.survival_curve[tables.survival_curve["indicator"] == "no_repeat_crisis"]
    _check_curve(curve, km)

    events = tables.events[tables.events["indicator"] == "no_repeat_crisis"].set_index("wave")
    assert events.index.tolist() == [0, *demo.settings.waves.months]
    for wave, row in events.iterrows():
        assert row["at_risk"] == int((followed["months"] >= wave).sum())
        assert row["events"] == int(((followed["months"] <= wave) & followed["observed"]).sum())
        if row["at_risk"]:
            assert row["survival"] == pytest.approx(km.survival_function_at_times(wave).iloc[0], rel=1e-12)
            ci = km.confidence_interval_survival_function_.loc[:wave].iloc[-1]
            assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(ci), rel=1e-12)
    assert events["events"].is_monotonic_increasing and events["survival"].dropna().is_monotonic_decreasing
    assert events.loc[0, "at_risk"] == len(followed) == 120


def test_events_and_censoring_of_graduates_whose_answers_are_known(small) -> None:
    tables = tables_of(small)[0]
    # Abramova: no crisis at 3 and 12 (censored at 12); Belova: a crisis at 3; Volkova..Ershova and Zaytseva:
    # no crisis at 3 (censored at 3); Zhukova: none at 3, one at 24; Isaeva: never asked after exit (0).
    months = [12, 3, 3, 3, 3, 3, 24, 3, 0]
    observed = [False, True, False, False, False, False, True, False, False]
    km = _fitted(months, observed)
    curve = tables.survival_curve[tables.survival_curve["indicator"] == "no_repeat_crisis"]
    _check_curve(curve, km)
    assert curve["survival"].tolist() == pytest.approx([1, 7 / 8, 7 / 8, 0.0])
    events = tables.events[tables.events["indicator"] == "no_repeat_crisis"].set_index("wave")
    assert events["at_risk"].tolist() == [9, 8, 2, 2, 1, 0]
    assert events["events"].tolist() == [0, 1, 1, 1, 2, 2]
    assert events.loc[6, "survival"] == pytest.approx(7 / 8)
    assert math.isnan(events.loc[36, "survival"])  # nobody followed for 36 months: unknown, not carried on


def test_an_event_nobody_was_asked_about_is_all_censored_at_zero(small) -> None:
    tables = tables_of(small)[0]
    placement = tables.events[tables.events["indicator"] == "no_child_placement"]
    assert placement["events"].tolist() == [0] * 6 and placement["at_risk"].tolist() == [9, 0, 0, 0, 0, 0]
    assert placement["survival"].iloc[0] == 1 and placement["survival"].iloc[1:].isna().all()
