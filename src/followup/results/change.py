"""Change since exit: each follow-up wave compared with wave 0 for the same graduates (paired tests).

A yes/no state is compared with McNemar's test, a scale's score with Wilcoxon's signed-rank test; see
`statistics` for when each is exact and when a p-value is undefined (NaN). Event indicators are left out:
the case-closure form does not ask about events, so they never have a value at exit (the events table
follows them instead).

`improved` and `worsened` count the graduates who gained or lost the result (a yes/no state) or whose score
moved the better or the worse way (a scale): up, or for a scale with `better: lower` down.

`change_by_group` is the same comparison within each group of graduates (see `breakdowns`): by
organisation, year of exit and each baseline grouping item.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from followup.indicators import Indicator
from followup.results.breakdowns import in_group_order
from followup.results.labels import indicator_title
from followup.results.statistics import PairedTest, mcnemar_test, wilcoxon_test
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("change.sql")
COLUMNS = [
    "indicator", "title", "type", "wave", "pairs", "baseline", "at_wave", "improved", "worsened", "test",
    "statistic", "p_value",
]  # fmt: skip
BY_GROUP_COLUMNS = ["group_by", "group", *COLUMNS]


def _compare(indicator: Indicator, wave: int, pairs: pd.DataFrame) -> dict[str, object]:
    """The row of one indicator and wave from its counted pairs (possibly none): each distinct pair of values
    repeated as often as it occurs gives the tests exactly the graduates' values, in another order."""
    scale = indicator.type == "scale"
    counts = pairs["pairs"].to_numpy(dtype=int)
    before = np.repeat(pairs["baseline_score" if scale else "baseline_value"].to_numpy(dtype=float), counts)
    after = np.repeat(pairs["wave_score" if scale else "wave_value"].to_numpy(dtype=float), counts)
    test: PairedTest = wilcoxon_test(before, after) if scale else mcnemar_test(before, after)
    gain = before - after if indicator.lower_is_better else after - before  # (a state's values are its result)
    return {
        "indicator": indicator.id,
        "title": indicator_title(indicator),
        "type": indicator.type,
        "wave": wave,
        "pairs": len(before),
        "baseline": before.mean() if len(before) else np.nan,
        "at_wave": after.mean() if len(before) else np.nan,
        "improved": int((gain > 0).sum()),
        "worsened": int((gain < 0).sum()),
        "test": test.test,
        "statistic": test.statistic,
        "p_value": test.p_value,
    }


def change_since_exit(wh: Warehouse, indicators: list[Indicator], waves: Sequence[int]) -> pd.DataFrame:
    """One row per state or scale indicator (menu order; events are not compared) and follow-up wave (each of
    `waves` but 0): the graduates with a value at exit and at the wave (pairs), the share (or mean score) of
    each among them, how many gained or lost the result (or whose score moved the better or the worse way), and
    the paired test; no pairs: p_value NaN."""
    indicators = [i for i in indicators if i.type != "event"]
    follow_up = [w for w in waves if w != 0]
    pairs = wh.frame(SQL, "pairs", indicators=[i.id for i in indicators], waves=follow_up)
    groups = dict(list(pairs.groupby(["indicator", "wave"], sort=False)))
    none = pairs.iloc[0:0]
    rows = [_compare(i, w, groups.get((i.id, w), none)) for i in indicators for w in follow_up]
    return pd.DataFrame(rows, columns=COLUMNS)


def change_by_group(
    wh: Warehouse, indicators: list[Indicator], waves: Sequence[int], members: pd.DataFrame
) -> pd.DataFrame:
    """One row per grouping, group (in the order of `members`: group_by, group, graduate_id, as
    `breakdowns.membership` gives it), state or scale indicator (menu order) and follow-up wave: the change
    table's columns among the group's graduates, with the paired test within the group."""
    indicators = [i for i in indicators if i.type != "event"]
    follow_up = [w for w in waves if w != 0]
    with wh.staged(members=members[["group_by", "group", "graduate_id"]]):
        pairs = wh.frame(SQL, "pairs_by_group", indicators=[i.id for i in indicators], waves=follow_up)
    counted = dict(list(pairs.groupby(["group_by", "group", "indicator", "wave"], sort=False)))
    none = pairs.iloc[0:0]
    rows = [
        {"group_by": by, "group": group} | _compare(i, w, counted.get((by, group, i.id, w), none))
        for by, group in dict.fromkeys(zip(members["group_by"], members["group"], strict=True))
        for i in indicators
        for w in follow_up
    ]
    return in_group_order(pd.DataFrame(rows, columns=BY_GROUP_COLUMNS), members)
