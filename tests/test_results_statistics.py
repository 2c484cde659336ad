"""The tests and intervals of `results.statistics`, against statsmodels and scipy called directly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import wilcoxon
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

from followup.results.statistics import mcnemar_test, wilcoxon_test, wilson_interval


def test_the_wilson_interval_is_statsmodels_and_undefined_for_nobody() -> None:
    low, high = wilson_interval([0, 3, 7, 0], [5, 10, 7, 0])
    for k, n, lo, hi in zip([0, 3, 7], [5, 10, 7], low, high, strict=False):
        assert (lo, hi) == pytest.approx(proportion_confint(k, n, alpha=0.05, method="wilson"), abs=1e-12)
    assert low[0] == pytest.approx(0.0, abs=1e-12) and high[2] == pytest.approx(1.0)
    assert math.isnan(low[3]) and math.isnan(high[3])


def _pairs(b: int, c: int, same: int = 10) -> tuple[list[int], list[int]]:
    """Paired 0/1 values with b pairs gaining the result, c losing it and `same` keeping it."""
    return [0] * b + [1] * c + [1] * same, [1] * b + [0] * c + [1] * same


@pytest.mark.parametrize(("b", "c", "exact"), [(5, 1, True), (13, 11, True), (15, 10, False), (40, 12, False)])
def test_mcnemar_is_exact_below_25_discordant_pairs_else_chi_square_with_correction(b, c, exact) -> None:
    before, after = _pairs(b, c)
    got = mcnemar_test(before, after)
    want = mcnemar([[0, b], [c, 10]], exact=exact, correction=True)
    assert got.test == "McNemar"
    assert (got.statistic, got.p_value) == pytest.approx((want.statistic, want.pvalue), rel=1e-12)
    if exact:
        assert got.statistic == min(b, c)  # the exact test's statistic is the smaller count


def test_mcnemar_without_a_changed_pair_is_undefined_not_an_error() -> None:
    assert all(math.isnan(x) for x in (mcnemar_test([1, 0, 1], [1, 0, 1]).p_value, mcnemar_test([], []).p_value))
    one = mcnemar_test([0], [1])  # one pair only, and it changed: the exact test says p = 1
    assert one.p_value == pytest.approx(1.0)


def test_wilcoxon_is_scipys_signed_rank_test_on_the_differences() -> None:
    before = np.array([2, 3, 4, 3, 2, 5, 3, 1, 2.5, 4])
    after = np.array([4, 3, 5, 2, 4, 4, 5, 3, 4, 4.5])
    got = wilcoxon_test(before, after)
    want = wilcoxon(after - before, zero_method="wilcox")
    assert got.test == "Wilcoxon"
    assert (got.statistic, got.p_value) == pytest.approx((want.statistic, want.pvalue), rel=1e-12)
    assert 0 < got.p_value < 0.2


def test_wilcoxon_without_a_changed_score_is_undefined_not_an_error() -> None:
    assert math.isnan(wilcoxon_test([3, 4], [3, 4]).p_value)
    assert math.isnan(wilcoxon_test([], []).statistic)
    assert wilcoxon_test([2.0], [5.0]).p_value == pytest.approx(1.0)  # one pair: nothing to conclude
