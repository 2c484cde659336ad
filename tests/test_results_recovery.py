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
    # 21 hold the truth; the child with her mother at 12 months (true 0.88, interval 0.89–1.00) and income at
    # exit (true 0.35, interval 0.37–0.55) are missed, near their edges. (The 500 graduates of `followup
    # demo` hold it in all 23.) A 95 % interval misses about one in twenty.
    assert len(inside) == 23
    assert sum(inside) >= 21, list(zip(rows["indicator"], rows["wave"], true, inside, strict=True))


def test_the_true_survival_without_a_repeat_crisis_falls_inside_the_kaplan_meier_intervals(demo_tables) -> None:
    events = demo_tables.events
    crisis = events[(events["indicator"] == "no_repeat_crisis") & (events["at_risk"] > 0)]
    true = [(1 - _CRISIS_PER_YEAR) ** (w / 12) for w in crisis["wave"]]
    inside = [
        lo - 1e-12 <= p <= hi + 1e-12 for p, lo, hi in zip(true, crisis["ci_low"], crisis["ci_high"], strict=True)
    ]
    # Seed 7, 120 graduates: no crisis is reported in a 3-month form (the truth says 2 % had one by then),
    # and with no event yet the Kaplan–Meier interval is the single point 1, which the truth is not. From
    # the first event on (in a 6-month form answered late), every interval holds the truth: at 0, 6,
    # 12, 24 and 36 months.
    assert crisis["wave"][inside].tolist() == [0, 6, 12, 24, 36], list(zip(crisis["wave"], true, inside, strict=True))
    missed = crisis[[not i for i in inside]]
    assert (missed["events"] == 0).all() and (missed["ci_low"] == 1).all()


def test_the_shares_are_the_ground_truths_shares(demo, demo_tables, demo_corpus) -> None:
    by_wave = demo_tables.by_wave
    expected = expected_by_wave(demo_corpus.truth_path, AS_OF, demo.settings.waves.months)
    expected = expected[expected["answered"] > 0]
    got = by_wave.merge(expected, on=["indicator", "wave"], suffixes=("", "_truth"))
    assert len(got) == len(expected) >= 25
    assert got["share"].tolist() == pytest.approx(
        (got["with_outcome_truth"] / got["answered_truth"]).tolist(), abs=1e-15
    )
