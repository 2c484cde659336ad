"""Breakdowns: the indicator-by-wave figures per group of graduates — by organisation, by cohort (year of
exit), and by every baseline grouping item the instruments declare (`grouping:`, e.g. the programme she
lived in, or whether material help was given at exit). The figures are `wave_table.figures_by_group`'s, the
same query as the by-wave table's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from followup.indicators import Indicator
from followup.instruments import Instrument, Item
from followup.results.wave_table import BUILT_IN_GROUPINGS, SCORE_COLUMNS, figures_by_group
from followup.warehouse import Warehouse

YES_NO = {"yes": "Да", "no": "Нет"}
COLUMNS = [
    "group_by", "group_title", "group", "indicator", "title", "wave", "eligible", "reached", "response_rate",
    "answered", "with_outcome", "share", "ci_low", "ci_high", *SCORE_COLUMNS, "group_label",
]  # fmt: skip


@dataclass(frozen=True)
class Grouping:
    """One way of splitting the graduates: its id (`group_by`), its title, and labels of its groups' codes."""

    by: str
    title: str
    labels: dict[str, str] = field(default_factory=dict)


def _labels(item: Item) -> dict[str, str]:
    if item.type == "yes_no":
        return dict(YES_NO)
    return {code: labels[0] for code, labels in item.options.items() if labels}


def groupings(instruments: Sequence[Instrument]) -> list[Grouping]:
    """Organisation, cohort, then each baseline instrument's grouping items (the first definition of an
    item code wins), titled by the item's question. An item coded like a built-in grouping is not one."""
    found = [Grouping("organisation", "Организация"), Grouping("cohort", "Год выхода")]
    seen = set(BUILT_IN_GROUPINGS)
    for instrument in instruments:
        if instrument.kind != "baseline":
            continue
        for code in instrument.grouping:
            if code not in seen:
                item = instrument.item(code)
                found.append(Grouping(code, item.text, _labels(item)))
                seen.add(code)
    return found


def breakdowns(
    wh: Warehouse,
    indicators: list[Indicator],
    waves: Sequence[int],
    as_of: dt.date,
    instruments: Sequence[Instrument] = (),
) -> pd.DataFrame:
    """One row per grouping, group, indicator (menu order) and wave (0, then `waves`), with the columns
    of `tables.COLUMNS["breakdowns"]`: the indicator-by-wave figures among the group's graduates. A graduate
    with no answer to a grouping item is in the group «нет ответа»; group_label is the group's answer as
    the instrument words it (the code itself when it has no label)."""
    by = {g.by: g for g in groupings(instruments)}
    table = figures_by_group(wh, indicators, waves, as_of, list(by))
    table.insert(1, "group_title", table["group_by"].map(lambda b: by[b].title))
    table["group_label"] = [by[b].labels.get(g, g) for b, g in zip(table["group_by"], table["group"], strict=True)]
    return table[COLUMNS]
