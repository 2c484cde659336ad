"""What the result tables must show, computed independently from the demo generator's ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

POSITIVE = {
    "child_with_mother": ("child_with_mother", {"yes"}),
    "stable_housing": ("housing", {"own", "rent", "relatives"}),
    "income": ("income", {"yes"}),
    "no_repeat_crisis": ("repeat_crisis", {"no"}),
    "support_network": ("support_network", {"yes"}),
}


def expected_by_wave(truth_path: Path, as_of: dt.date, waves: list[int]) -> pd.DataFrame:
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    truth["wave"] = truth["wave"].astype(int)
    exits = truth.drop_duplicates("person").set_index("person")["exit_date"].map(dt.date.fromisoformat)
    rows = []
    for indicator, (item, positive) in POSITIVE.items():
        for wave in [0, *waves]:
            month = exits.map(lambda d, w=wave: d.year * 12 + d.month - 1 + w)
            eligible = int((month <= as_of.year * 12 + as_of.month - 1).sum())
            at = truth[(truth["wave"] == wave) & (truth["answered"] == "1")]
            answered = at[at[item] != ""]
            rows.append(
                {
                    "indicator": indicator,
                    "wave": wave,
                    "eligible": eligible,
                    "reached": len(at),
                    "answered": len(answered),
                    "with_outcome": int(answered[item].isin(positive).sum()),
                }
            )
    return pd.DataFrame(rows)
