"""Change since exit: the pairs and McNemar's test against the demo's ground truth and statsmodels, and
Wilcoxon's test, a wave without pairs and a wave with one pair on graduates whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from expected import INDICATORS, _scored, read_truth
from results_homes import FOLLOW_UPS, GRADUATES, demo_home, small_home, tables_of
from scipy.stats import wilcoxon
from statsmodels.stats.contingency_tables import mcnemar

from followup.results import labels
from followup.results.tables import COLUMNS


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_corpus):
    return demo_home(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_home(tmp_path_factory)


@pytest.mark.parametrize("indicator", ["child_with_mother", "stable_housing", "income"])
def test_pairs_and_mcnemar_are_those_of_the_ground_truth(demo, demo_corpus, indicator) -> None:
    change = tables_of(demo)[0].change
    assert list(change.columns) == COLUMNS["change"]
    scored = _scored(read_truth(demo_corpus.truth_path), *INDICATORS[indicator])
    at_exit = scored[scored["wave"] == 0].set_index("person")["value"]
    tested = 0
    for wave in demo.settings.waves.months:
        row = change[(change["indicator"] == indicator) & (change["wave"] == wave)].iloc[0]
        later = scored[scored["wave"] == wave].set_index("person")["value"]
        both = at_exit.to_frame("before").join(later.rename("after"), how="inner")
        b = int(((both["before"] == 0) & (both["after"] == 1)).sum())
        c = int(((both["before"] == 1) & (both["after"] == 0)).sum())
        assert (row["pairs"], row["improved"], row["worsened"]) == (len(both), b, c)
        assert (row["baseline"], row["at_wave"]) == pytest.approx((both["before"].mean(), both["after"].mean()))
        table = [[int(((both["before"] == 0) & (both["after"] == 0)).sum()), b],
                 [c, int(((both["before"] == 1) & (both["after"] == 1)).sum())]]  # fmt: skip
        assert row["test"] == "McNemar"
        if b + c == 0:  # nobody changed: no test (statsmodels would say p = 1)
            assert math.isnan(row["statistic"]) and math.isnan(row["p_value"])
            continue
        want = mcnemar(table, exact=b + c < 25, correction=True)
        assert (row["statistic"], row["p_value"]) == pytest.approx((want.statistic, want.pvalue), rel=1e-12)
        tested += 1
    # (120 graduates never give 25 discordant pairs: test_results_statistics checks the chi-square branch.)
    assert tested >= 4


def test_stable_housing_improves_after_exit_as_the_generator_makes_it(demo) -> None:
    change = tables_of(demo)[0].change.set_index(["indicator", "wave"])
    at_twelve = change.loc["stable_housing", 12]
    assert at_twelve["at_wave"] > at_twelve["baseline"] and at_twelve["improved"] > at_twelve["worsened"]


def _at_exit_and_at(wave: int, at_exit: int, later: int) -> tuple[list[float], list[float]]:
    """The answers (yes = 1) at exit and at the wave of each graduate answering at the wave; `at_exit` and
    `later` are the item's positions in GRADUATES' and FOLLOW_UPS' answer tuples."""
    answering = [(n, answers) for n, w, _, answers in FOLLOW_UPS if w == wave]

    def number(value: object) -> float:
        return float(value == "yes") if isinstance(value, str) else float(value)  # type: ignore[arg-type]

    return [number(GRADUATES[n][2][at_exit]) for n, _ in answering], [number(a[later]) for _, a in answering]


def test_a_scale_is_compared_with_wilcoxon_and_a_yes_no_result_with_mcnemar_on_the_written_answers(small) -> None:
    change = tables_of(small)[0].change.set_index(["indicator", "wave"])
    before, after = _at_exit_and_at(3, at_exit=5, later=5)  # confidence
    row = change.loc["parenting_competence", 3]
    want = wilcoxon(np.array(after) - np.array(before), zero_method="wilcox")
    assert (row["test"], row["pairs"]) == ("Wilcoxon", 8)
    assert (row["statistic"], row["p_value"]) == pytest.approx((want.statistic, want.pvalue))
    assert (row["baseline"], row["at_wave"]) == pytest.approx((np.mean(before), np.mean(after)))
    assert (row["improved"], row["worsened"]) == (5, 2)

    row = change.loc["income", 3]
    assert (row["pairs"], row["improved"], row["worsened"]) == (8, 5, 1)
    want = mcnemar([[1, 5], [1, 1]], exact=True)
    assert (row["statistic"], row["p_value"]) == pytest.approx((want.statistic, want.pvalue))
    assert row["p_value"] == pytest.approx(2 * 7 / 64)  # two-sided binomial: P(X <= 1 | 6 changed)


def test_a_wave_without_pairs_and_a_wave_with_one_pair_give_nan_or_a_p_of_one_not_an_error(small) -> None:
    change = tables_of(small)[0].change.set_index(["indicator", "wave"])
    for indicator in ("income", "parenting_competence"):
        none = change.loc[indicator, 6]
        assert none["pairs"] == 0 and math.isnan(none["p_value"]) and math.isnan(none["baseline"])
    one = change.loc["income", 12]
    assert (one["pairs"], one["baseline"], one["at_wave"], one["improved"], one["p_value"]) == (1, 0, 1, 1, 1.0)
    one_scale = change.loc["parenting_competence", 12]
    assert (one_scale["pairs"], one_scale["baseline"], one_scale["at_wave"]) == (1, 2, 5)
    assert one_scale["p_value"] == pytest.approx(1.0)
    unchanged = change.loc["child_with_mother", 12]  # she had the child with her at exit and still has
    assert unchanged["pairs"] == 1 and math.isnan(unchanged["p_value"])


def test_event_indicators_are_left_out_and_the_note_points_to_the_events_table(small) -> None:
    tables, indicators, _ = tables_of(small)
    shown = [i for i in indicators if i.id in set(tables.by_wave["indicator"])]  # (those its forms ask)
    events = {i.id for i in shown if i.type == "event"}
    assert "no_repeat_crisis" in events and set(tables.events["indicator"]) == events
    # (the case-closure form asks no event item: they would always have 0 pairs)
    compared = [i.id for i in shown if i.type != "event"]
    assert list(dict.fromkeys(tables.change["indicator"])) == compared
    assert len(tables.change) == len(compared) * len([w for w in small.settings.waves.months if w != 0])
    assert "они — в таблице «События по волнам»" in labels.TABLE_NOTES["change"][0]


def _mcnemar_row(before: list[float], after: list[float]) -> tuple[int, int, int, float, float]:
    b = sum(x == 0 and y == 1 for x, y in zip(before, after, strict=True))
    c = sum(x == 1 and y == 0 for x, y in zip(before, after, strict=True))
    a = sum(x == 0 and y == 0 for x, y in zip(before, after, strict=True))
    d = len(before) - a - b - c
    want = mcnemar([[a, b], [c, d]], exact=True)
    return len(before), b, c, want.statistic, want.pvalue


def test_change_by_group_compares_each_groups_own_pairs(small) -> None:
    tables = tables_of(small)[0]
    by_group = tables.change_by_group
    assert list(by_group.columns) == COLUMNS["change_by_group"]
    assert list(dict.fromkeys(by_group["group_by"])) == ["organisation", "cohort", "programme", "material_help"]
    rows = by_group.set_index(["group_by", "group", "indicator", "wave"])
    answering = [n for n, w, _, _ in FOLLOW_UPS if w == 3]
    before, after = _at_exit_and_at(3, at_exit=4, later=2)  # income
    for group in ("yes", "no"):
        mine = [k for k, n in enumerate(answering) if GRADUATES[n][2][1] == group]
        pairs, improved, worsened, statistic, p = _mcnemar_row([before[k] for k in mine], [after[k] for k in mine])
        row = rows.loc[("material_help", group, "income", 3)]
        assert (row["pairs"], row["improved"], row["worsened"]) == (pairs, improved, worsened)
        assert (row["statistic"], row["p_value"]) == pytest.approx((statistic, p), rel=1e-12)
        assert row["group_label"] == {"yes": "Да", "no": "Нет"}[group] and row["test"] == "McNemar"
    assert rows.loc[("material_help", "yes", "income", 3), ["pairs", "improved", "worsened"]].tolist() == [5, 2, 1]
    assert rows.loc[("material_help", "no", "income", 3), ["pairs", "improved", "worsened"]].tolist() == [3, 3, 0]

    before, after = _at_exit_and_at(3, at_exit=5, later=5)  # confidence, in the shelter programme
    mine = [k for k, n in enumerate(answering) if GRADUATES[n][2][0] == "shelter"]
    diff = np.array([after[k] - before[k] for k in mine])
    row = rows.loc[("programme", "shelter", "parenting_competence", 3)]
    want = wilcoxon(diff, zero_method="wilcox")
    assert (row["pairs"], row["test"]) == (len(mine), "Wilcoxon")
    assert (row["statistic"], row["p_value"]) == pytest.approx((want.statistic, want.pvalue), rel=1e-12)

    # every single-choice grouping's groups add up to the change table
    total = tables.change.set_index(["indicator", "wave"])[["pairs", "improved", "worsened"]]
    for _, grouping in by_group.groupby("group_by"):
        summed = grouping.groupby(["indicator", "wave"])[["pairs", "improved", "worsened"]].sum()
        pd.testing.assert_frame_equal(summed, total.loc[summed.index], check_dtype=False, check_names=False)


def test_change_by_organisation_is_the_ground_truths_of_each_organisation(demo, demo_corpus) -> None:
    change = tables_of(demo)[0].change_by_group
    truth = read_truth(demo_corpus.truth_path)
    organisation = truth[truth["wave"] == 0].set_index("person")["organisation"]
    scored = _scored(truth, *INDICATORS["stable_housing"])
    scored["group"] = scored["person"].map(organisation)
    tested = 0
    for group, of_group in scored.groupby("group"):
        at_exit = of_group[of_group["wave"] == 0].set_index("person")["value"]
        for wave in demo.settings.waves.months:
            row = change[
                (change["group_by"] == "organisation") & (change["group"] == group)
                & (change["indicator"] == "stable_housing") & (change["wave"] == wave)
            ].iloc[0]  # fmt: skip
            later = of_group[of_group["wave"] == wave].set_index("person")["value"]
            both = at_exit.to_frame("before").join(later.rename("after"), how="inner")
            pairs, b, c, statistic, p = _mcnemar_row(both["before"].tolist(), both["after"].tolist())
            assert (row["pairs"], row["improved"], row["worsened"]) == (pairs, b, c)
            if b + c:
                assert (row["statistic"], row["p_value"]) == pytest.approx((statistic, p), rel=1e-12)
                tested += 1
    assert tested >= 6
