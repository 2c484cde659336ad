"""Events over time: Kaplan–Meier survival against lifelines fitted on follow times computed independently
(from the demo's ground truth, and by hand for graduates whose answers are written out), counted by the wave
each form was placed in (late forms too), and by group with lifelines' log-rank test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from expected import read_truth
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from results_homes import demo_home, late_home, small_home, tables_of, truth_follow_time

from followup.results.events import event_tables
from followup.results.tables import COLUMNS
from followup.warehouse import Warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_corpus):
    return demo_home(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_home(tmp_path_factory)


@pytest.fixture(scope="module")
def late(tmp_path_factory):
    return late_home(tmp_path_factory)


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
    km = _fitted(followed["wave"], followed["observed"])
    curve = tables.survival_curve[tables.survival_curve["indicator"] == "no_repeat_crisis"]
    _check_curve(curve, km)

    events = tables.events[tables.events["indicator"] == "no_repeat_crisis"].set_index("wave")
    assert events.index.tolist() == [0, *demo.settings.waves.months]
    for wave, row in events.iterrows():
        assert row["at_risk"] == int((followed["wave"] >= wave).sum())
        assert row["events"] == int(((followed["wave"] <= wave) & followed["observed"]).sum())
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


def test_an_event_nobody_was_asked_about_is_left_out_and_would_be_all_censored_at_zero(small) -> None:
    tables, indicators, _ = tables_of(small)
    assert "no_child_placement" not in set(tables.events["indicator"])  # (no form of this home asks about it)
    with Warehouse(small.warehouse, read_only=True) as wh:
        every = event_tables(wh, indicators, small.settings.waves.months).events
    placement = every[every["indicator"] == "no_child_placement"]
    assert placement["events"].tolist() == [0] * 6 and placement["at_risk"].tolist() == [9, 0, 0, 0, 0, 0]
    assert placement["survival"].iloc[0] == 1 and placement["survival"].iloc[1:].isna().all()


# The late home, by hand: the wave each graduate was followed until (her first repeat crisis, else her last
# form) and whether it was a crisis. Abramova's crisis is in her 12-month form (month 13), Belova's in her
# 3-month form (month 4), Volkova's at 3, Gromova's in her 6-month form (month 7), Zhukova's in her 24-month
# form (month 25); Demina, Ershova, Zaytseva had none; Isaeva was never asked after exit.
LATE = {
    "Абрамова": (12, True), "Белова": (3, True), "Волкова": (3, True), "Громова": (6, True),
    "Демина": (3, False), "Ершова": (12, False), "Жукова": (24, True), "Зайцева": (3, False), "Исаева": (0, False),
}  # fmt: skip
LATE_WAVES = [0, 3, 6, 12, 24, 36]


def test_a_late_form_counts_its_event_in_its_own_wave_and_the_events_agree_with_the_by_wave_table(late) -> None:
    tables = tables_of(late)[0]
    events = tables.events[tables.events["indicator"] == "no_repeat_crisis"].set_index("wave")
    assert events.index.tolist() == LATE_WAVES
    # by months since exit (the old count) it would be 0, 1, 2, 3, 4, 5: each late crisis a wave later
    assert events["events"].tolist() == [0, 2, 3, 4, 5, 5]
    assert events["at_risk"].tolist() == [9, 8, 4, 3, 1, 0]
    waves, observed = zip(*LATE.values(), strict=True)
    km = _fitted(waves, observed)
    for wave in LATE_WAVES[:-1]:
        assert events.loc[wave, "survival"] == pytest.approx(km.survival_function_at_times(wave).iloc[0], rel=1e-12)
    curve = tables.survival_curve[tables.survival_curve["indicator"] == "no_repeat_crisis"]
    _check_curve(curve, km)

    # The by-wave table counts the same forms: those who answered at a wave without the result (a crisis by
    # then) are the new crises of that wave here, as nobody with a crisis answered again.
    by_wave = tables.by_wave[tables.by_wave["indicator"] == "no_repeat_crisis"].set_index("wave")
    crises = (by_wave["answered"] - by_wave["with_outcome"]).loc[LATE_WAVES]
    assert crises.cumsum().tolist() == events["events"].tolist()
    assert (by_wave.loc[LATE_WAVES, "answered"] > 0).tolist() == [False, True, True, True, True, False]


def _logrank(waves: list[int], observed: list[bool], groups: list[str]) -> tuple[float, float]:
    if len(set(groups)) == 2:
        a, b = sorted(set(groups))
        pick = [np.array([g == x for g in groups]) for x in (a, b)]
        w, o = np.array(waves), np.array(observed)
        result = logrank_test(w[pick[0]], w[pick[1]], event_observed_A=o[pick[0]], event_observed_B=o[pick[1]])
    else:
        result = multivariate_logrank_test(np.array(waves), np.array(groups), np.array(observed))
    return float(result.test_statistic), float(result.p_value)


def test_events_by_group_are_each_groups_events_with_lifelines_log_rank_test(late) -> None:
    tables = tables_of(late)[0]
    assert list(tables.events_by_group.columns) == COLUMNS["events_by_group"]
    crisis = tables.events_by_group[tables.events_by_group["indicator"] == "no_repeat_crisis"]
    assert list(dict.fromkeys(crisis["group_by"])) == ["organisation", "cohort", "programme", "material_help"]
    # material help at exit: yes = Abramova, Volkova, Gromova, Ershova, Zaytseva, Isaeva; no = the others
    helped = ["Абрамова", "Волкова", "Громова", "Ершова", "Зайцева", "Исаева"]
    rows = crisis[crisis["group_by"] == "material_help"]
    assert list(dict.fromkeys(rows["group"])) == ["no", "yes"] and set(rows["group_label"]) == {"Да", "Нет"}
    for group, names in {"yes": helped, "no": [n for n in LATE if n not in helped]}.items():
        waves, observed = zip(*(LATE[n] for n in names), strict=True)
        km = _fitted(waves, observed)
        at = rows[rows["group"] == group].set_index("wave")
        assert at["at_risk"].tolist() == [sum(w >= x for w in waves) for x in LATE_WAVES]
        pairs = list(zip(waves, observed, strict=True))
        assert at["events"].tolist() == [sum(o and w <= x for w, o in pairs) for x in LATE_WAVES]
        shown = at["at_risk"] > 0
        assert at.loc[shown, "survival"].tolist() == pytest.approx(
            km.survival_function_at_times(at.index[shown]).tolist(), rel=1e-12
        )
    all_waves, all_observed = zip(*LATE.values(), strict=True)
    statistic, p = _logrank(list(all_waves), list(all_observed), ["yes" if n in helped else "no" for n in LATE])
    assert rows["test"].unique().tolist() == ["log-rank"]
    assert rows["statistic"].tolist() == pytest.approx([statistic] * len(rows), rel=1e-12)
    assert rows["p_value"].tolist() == pytest.approx([p] * len(rows), rel=1e-12)
    assert 0 < p < 1

    # programme: three groups (Demina left it blank: «нет ответа», kept as a group but not compared)
    programme = {"Абрамова": "shelter", "Белова": "shelter", "Ершова": "shelter", "Зайцева": "shelter",
                 "Волкова": "crisis", "Громова": "crisis", "Исаева": "crisis", "Жукова": "halfway"}  # fmt: skip
    rows = crisis[crisis["group_by"] == "programme"]
    assert list(dict.fromkeys(rows["group"])) == ["crisis", "halfway", "shelter", "нет ответа"]
    waves, observed = zip(*(LATE[n] for n in programme), strict=True)
    statistic, p = _logrank(list(waves), list(observed), list(programme.values()))
    assert (rows["statistic"].iloc[0], rows["p_value"].iloc[0]) == pytest.approx((statistic, p), rel=1e-12)

    # the groups of a grouping add up to the events table; one organisation: nothing to compare
    total = tables.events.set_index(["indicator", "wave"])[["at_risk", "events"]]
    for _, rows in tables.events_by_group.groupby("group_by"):
        summed = rows.groupby(["indicator", "wave"])[["at_risk", "events"]].sum()
        pd.testing.assert_frame_equal(summed, total.loc[summed.index], check_dtype=False, check_names=False)
    organisation = tables.events_by_group[tables.events_by_group["group_by"] == "organisation"]
    assert organisation["group"].nunique() == 1 and organisation["p_value"].isna().all()


@pytest.mark.parametrize("group_by", ["organisation", "cohort"])
def test_events_by_group_on_the_demo_are_the_ground_truths_with_lifelines_log_rank(demo, demo_corpus, group_by) -> None:
    tables = tables_of(demo)[0]
    truth = read_truth(demo_corpus.truth_path)
    followed = truth_follow_time(truth, "repeat_crisis", {"yes"})
    at_exit = truth[truth["wave"] == 0].set_index("person")
    of_person = at_exit["organisation"] if group_by == "organisation" else at_exit["exit_date"].str[:4]
    followed["group"] = followed["person"].map(of_person)
    events = tables.events_by_group
    rows = events[(events["indicator"] == "no_repeat_crisis") & (events["group_by"] == group_by)]
    assert set(rows["group"]) == set(followed["group"]) and followed["group"].nunique() >= 3
    waves = [0, *demo.settings.waves.months]
    for group, people in followed.groupby("group"):
        at = rows[rows["group"] == group].set_index("wave")
        assert at["at_risk"].tolist() == [int((people["wave"] >= w).sum()) for w in waves]
        assert at["events"].tolist() == [int(((people["wave"] <= w) & people["observed"]).sum()) for w in waves]
    assert followed["observed"].sum() >= 5
    statistic, p = _logrank(followed["wave"].tolist(), followed["observed"].tolist(), followed["group"].tolist())
    assert rows["statistic"].tolist() == pytest.approx([statistic] * len(rows), rel=1e-12)
    assert rows["p_value"].tolist() == pytest.approx([p] * len(rows), rel=1e-12)
