"""The demo generator's true outcome probabilities are recovered: they fall inside the computed 95 %
intervals at most waves, and the shares are those of the corpus's ground truth (its linkage is perfect).

The true probabilities are the generator's own targets (src/followup/demo/outcomes.py): each yes/no outcome
is a standard-normal latent cut at the target share for that many months since exit, and a repeat crisis
comes at a constant 8 % a year. Whether a woman answers is drawn apart from her outcomes, so the answers
are a random sample of the true states and a 95 % interval misses the truth about one time in twenty.
"""

from __future__ import annotations

import pytest
from conftest import AS_OF
from expected import expected_by_wave
from results_homes import demo as demo
from results_homes import demo_tables as demo_tables

from followup.demo.outcomes import _CRISIS_PER_YEAR, _TARGETS, _share

STATES = ["child_with_mother", "stable_housing", "income", "support_network"]


def test_the_true_shares_fall_inside_the_wilson_intervals_at_most_waves(demo_tables) -> None:
    by_wave = demo_tables.by_wave
    rows = by_wave[by_wave["indicator"].isin(STATES) & (by_wave["answered"] > 0)]
    true = [_share(_TARGETS[i], w) for i, w in zip(rows["indicator"], rows["wave"], strict=True)]
    inside = [lo <= p <= hi for p, lo, hi in zip(true, rows["ci_low"], rows["ci_high"], strict=True)]
    # 4 indicators × 6 waves, support network not asked at exit: 23 intervals. Seed 7 with 120 graduates:
    # 21 hold the truth; stable housing at exit (true 0.55, interval 0.35–0.53) and the support network at 24
    # months (true 0.71, interval 0.34–0.69) are missed, near their edges. A 95 % interval misses about one
    # in twenty, and the waves share their graduates: 500 graduates of other seeds miss 0 to 4 of the 23.
    assert len(inside) == 23
    assert sum(inside) >= 21, list(zip(rows["indicator"], rows["wave"], true, inside, strict=True))


def test_the_true_survival_without_a_repeat_crisis_falls_inside_the_kaplan_meier_intervals(demo_tables) -> None:
    events = demo_tables.events
    crisis = events[(events["indicator"] == "no_repeat_crisis") & (events["at_risk"] > 0)]
    true = [(1 - _CRISIS_PER_YEAR) ** (w / 12) for w in crisis["wave"]]
    inside = [
        lo - 1e-12 <= p <= hi + 1e-12 for p, lo, hi in zip(true, crisis["ci_low"], crisis["ci_high"], strict=True)
    ]
    # Seed 7, 120 graduates: every interval holds the truth but the last, at 36 months with 9 still at risk and
    # no crisis reported after 24 months: the truth (0.78) is below the interval (0.81–0.96). A 95 % interval
    # misses about one in twenty, and these six share their graduates.
    assert crisis["wave"][inside].tolist() == [0, 3, 6, 12, 24], list(zip(crisis["wave"], true, inside, strict=True))
    assert crisis["at_risk"].iloc[-1] < 10 and crisis["events"].iloc[-1] == crisis["events"].iloc[-2]


def test_the_shares_are_the_ground_truths_shares(demo, demo_tables, demo_corpus) -> None:
    by_wave = demo_tables.by_wave
    expected = expected_by_wave(demo_corpus.truth_path, AS_OF, demo.settings.waves.months)
    expected = expected[expected["answered"] > 0]
    got = by_wave.merge(expected, on=["indicator", "wave"], suffixes=("", "_truth"))
    assert len(got) == len(expected) >= 25
    assert got["share"].tolist() == pytest.approx(
        (got["with_outcome_truth"] / got["answered_truth"]).tolist(), abs=1e-15
    )
