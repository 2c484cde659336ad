"""What the result tables must show, computed independently from the demo generator's ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

# indicator -> (item, scoring, codes): a state counts its positive codes at the wave; an event counts the
# graduates who never reported one of its codes at this wave or any earlier wave they answered the item.
INDICATORS = {
    "child_with_mother": ("child_with_mother", "state", {"yes"}),
    "stable_housing": ("housing", "state", {"own", "rent", "relatives"}),
    "income": ("income", "state", {"yes"}),
    "no_repeat_crisis": ("repeat_crisis", "event_absent", {"yes"}),
    "support_network": ("support_network", "state", {"yes"}),
}


def read_truth(truth_path: Path) -> pd.DataFrame:
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    truth["wave"] = truth["wave"].astype(int)
    return truth


def _scored(truth: pd.DataFrame, item: str, scoring: str, codes: set[str]) -> pd.DataFrame:
    """person, wave, value for every answer to the item."""
    answered = truth[(truth["answered"] == "1") & (truth[item] != "")].sort_values(["person", "wave"])
    hit = answered[item].isin(codes).astype(int)
    if scoring == "state":
        return answered.assign(value=hit)[["person", "wave", "value"]]
    happened = hit.groupby(answered["person"]).cummax()
    return answered.assign(value=1 - happened)[["person", "wave", "value"]]


def expected_by_wave(truth_path: Path, as_of: dt.date, waves: list[int]) -> pd.DataFrame:
    """eligible, reached, answered and with_outcome per indicator and wave (0 = exit, then `waves`)."""
    truth = read_truth(truth_path)
    exits = truth.drop_duplicates("person").set_index("person")["exit_date"].map(dt.date.fromisoformat)
    rows = []
    for indicator, (item, scoring, codes) in INDICATORS.items():
        scored = _scored(truth, item, scoring, codes)
        for wave in [0, *waves]:
            month = exits.map(lambda d, w=wave: d.year * 12 + d.month - 1 + w)
            at = scored[scored["wave"] == wave]
            rows.append(
                {
                    "indicator": indicator,
                    "wave": wave,
                    "eligible": int((month <= as_of.year * 12 + as_of.month - 1).sum()),
                    "reached": int(((truth["wave"] == wave) & (truth["answered"] == "1")).sum()),
                    "answered": len(at),
                    "with_outcome": int(at["value"].sum()),
                }
            )
    return pd.DataFrame(rows)
