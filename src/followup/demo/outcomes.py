"""True outcome trajectories of synthetic graduates, at exit (wave 0) and at each follow-up wave.

Each yes/no outcome is a latent Gaussian that persists over months (an AR(1) process plus a person-level
"resilience" factor shared by all outcomes), cut at the share expected at that many months since exit. So
the marginal shares follow the targets below while each woman's answers hang together from wave to wave.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from statistics import NormalDist

WAVES: tuple[int, ...] = (3, 6, 12, 24, 36)
"""Follow-up waves, in months since exit."""

ALL_WAVES: tuple[int, ...] = (0, *WAVES)

# Share of "yes" by months since exit; linear in between.
_TARGETS: dict[str, dict[int, float]] = {
    "child_with_mother": {0: 0.90, 36: 0.84},
    "stable_housing": {0: 0.55, 3: 0.60, 6: 0.63, 12: 0.68, 24: 0.73, 36: 0.75},
    "income": {0: 0.35, 3: 0.40, 6: 0.44, 12: 0.50, 24: 0.56, 36: 0.60},
    "support_network": {0: 0.68, 36: 0.72},
}
_CRISIS_PER_YEAR = 0.08
_CONFIDENCE_MEAN = {0: 3.4, 36: 3.7}
_MEMORY_MONTHS = 18.0  # how fast a latent state forgets: correlation exp(-months / this)
_RESILIENCE_WEIGHT = 0.35  # share of latent variance that is the person's own stable factor

_STABLE = ("own", "rent", "relatives")
_STABLE_WEIGHTS = (0.15, 0.50, 0.35)
_UNSTABLE = ("dormitory", "shelter", "none", "halfway")  # halfway: a social flat, support for a while
_UNSTABLE_WEIGHTS = (0.35, 0.20, 0.30, 0.15)
_NORMAL = NormalDist()


@dataclass(frozen=True)
class WaveState:
    """What is true of one graduate at one wave; housing is an option code of the instruments."""

    child_with_mother: bool
    housing: str
    income: bool
    repeat_crisis: bool
    support_network: bool
    parenting_confidence: int
    resilience: float = 0.0  # her own stable factor, the same at every wave (standard normal)


def _share(targets: dict[int, float], month: int) -> float:
    points = sorted(targets.items())
    for (m0, v0), (m1, v1) in itertools.pairwise(points):
        if m0 <= month <= m1:
            return v0 + (v1 - v0) * (month - m0) / (m1 - m0)
    return points[-1][1] if month > points[-1][0] else points[0][1]


class _Latent:
    """A standard-normal latent per outcome: stable person factor plus an AR(1) over months."""

    def __init__(self, rng: random.Random, resilience: float) -> None:
        self._rng = rng
        self._resilience = resilience
        self._ar = rng.gauss(0.0, 1.0)

    def step(self, months: int) -> float:
        rho = math.exp(-months / _MEMORY_MONTHS)
        self._ar = rho * self._ar + math.sqrt(1.0 - rho * rho) * self._rng.gauss(0.0, 1.0)
        w = _RESILIENCE_WEIGHT
        return math.sqrt(w) * self._resilience + math.sqrt(1.0 - w) * self._ar


def _is_yes(latent: float, share: float) -> bool:
    return latent > _NORMAL.inv_cdf(1.0 - share)


def _housing(rng: random.Random, stable: bool, previous: str | None, new_crisis: bool) -> str:
    group, weights = (_STABLE, _STABLE_WEIGHTS) if stable else (_UNSTABLE, _UNSTABLE_WEIGHTS)
    if not stable and new_crisis and rng.random() < 0.6:
        return "shelter"
    if previous is not None and previous in group and rng.random() < 0.8:
        return previous
    return rng.choices(group, weights)[0]


def trajectory(rng: random.Random) -> dict[int, WaveState]:
    """Draw one graduate's true state at every wave in ALL_WAVES (whether or not she is ever asked)."""
    resilience = rng.gauss(0.0, 1.0)
    latents = {name: _Latent(rng, resilience) for name in (*_TARGETS, "confidence")}
    states: dict[int, WaveState] = {}
    previous_month = 0
    housing: str | None = None
    crisis = False
    for month in ALL_WAVES:
        gap = month - previous_month
        z = {name: latent.step(gap) for name, latent in latents.items()}
        new_crisis = not crisis and gap > 0 and rng.random() < 1.0 - (1.0 - _CRISIS_PER_YEAR) ** (gap / 12)
        crisis = crisis or new_crisis
        stable = _is_yes(z["stable_housing"], _share(_TARGETS["stable_housing"], month))
        housing = _housing(rng, stable, housing, new_crisis)
        confidence = _share(_CONFIDENCE_MEAN, month) + 0.9 * z["confidence"]
        states[month] = WaveState(
            child_with_mother=_is_yes(z["child_with_mother"], _share(_TARGETS["child_with_mother"], month)),
            housing=housing,
            income=_is_yes(z["income"], _share(_TARGETS["income"], month)),
            repeat_crisis=crisis,
            support_network=_is_yes(z["support_network"], _share(_TARGETS["support_network"], month)),
            parenting_confidence=min(5, max(1, round(confidence))),
            resilience=resilience,
        )
        previous_month = month
    return states
