"""The statistical tests and intervals behind the result tables, each a thin call of statsmodels or scipy.

They take plain numbers (counts, arrays of pairs) and never raise on too little data: where a test or an
interval is undefined (no graduates, no discordant pairs, no change), the figure is NaN, so a table with a
sparse wave still has its row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EXACT_BELOW = 25  # McNemar: with fewer discordant pairs, the exact binomial test (the chi-square is poor there)

Numbers = npt.ArrayLike


def wilson_interval(successes: Numbers, trials: Numbers) -> tuple[np.ndarray, np.ndarray]:
    """The 95 % Wilson score interval (low, high) of successes / trials, elementwise; NaN where trials is 0."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    low = np.full(n.shape, np.nan)
    high = np.full(n.shape, np.nan)
    some = n > 0
    if some.any():
        low[some], high[some] = proportion_confint(k[some], n[some], alpha=0.05, method="wilson")
    return low, high


@dataclass(frozen=True)
class PairedTest:
    """One paired comparison: which test, its statistic and two-sided p-value (NaN when undefined)."""

    test: str
    statistic: float
    p_value: float


def mcnemar_test(before: Numbers, after: Numbers) -> PairedTest:
    """McNemar's test of paired 0/1 values: exact binomial when fewer than 25 pairs changed, else the
    chi-square with continuity correction (statsmodels). No changed pair: statistic and p are NaN."""
    from statsmodels.stats.contingency_tables import mcnemar

    b = np.asarray(before, dtype=int)
    a = np.asarray(after, dtype=int)
    table = [[int(((b == 0) & (a == 0)).sum()), int(((b == 0) & (a == 1)).sum())],
             [int(((b == 1) & (a == 0)).sum()), int(((b == 1) & (a == 1)).sum())]]  # fmt: skip
    discordant = table[0][1] + table[1][0]
    if discordant == 0:
        return PairedTest("McNemar", np.nan, np.nan)
    result = mcnemar(table, exact=discordant < EXACT_BELOW, correction=True)
    return PairedTest("McNemar", float(result.statistic), float(result.pvalue))


def wilcoxon_test(before: Numbers, after: Numbers) -> PairedTest:
    """Wilcoxon's signed-rank test of paired scores (scipy, two-sided, zero differences dropped; exact for
    small samples without ties). No pair whose score changed: statistic and p are NaN."""
    from scipy.stats import wilcoxon

    diff = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    if not (diff != 0).any():
        return PairedTest("Wilcoxon", np.nan, np.nan)
    result = wilcoxon(diff, zero_method="wilcox", alternative="two-sided")
    return PairedTest("Wilcoxon", float(result.statistic), float(result.pvalue))


@dataclass(frozen=True)
class GroupComparison:
    """One comparison between groups of graduates: which test, its statistic and p-value (NaN when undefined)."""

    test: str
    statistic: float
    p_value: float


def logrank_test(durations: Numbers, groups: Numbers, observed: Numbers) -> GroupComparison:
    """The log-rank test that the groups' survival curves are the same (lifelines' multivariate_logrank_test,
    which for two groups is logrank_test): chi-square with (groups − 1) degrees of freedom. Fewer than two
    groups, or no event at all: statistic and p are NaN."""
    from lifelines.statistics import multivariate_logrank_test

    t = np.asarray(durations, dtype=float)
    g = np.asarray(groups, dtype=object)
    e = np.asarray(observed, dtype=bool)
    if len(set(g.tolist())) < 2 or not e.any():
        return GroupComparison("log-rank", np.nan, np.nan)
    result = multivariate_logrank_test(t, g, e)
    return GroupComparison("log-rank", float(result.test_statistic), float(result.p_value))
