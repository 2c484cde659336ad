"""Breakdowns: the indicator-by-wave figures per group of graduates — by organisation, by cohort (year of
exit), and by every baseline grouping item the instruments declare (`grouping:`, e.g. the programme she
lived in, or whether material help was given at exit). The figures are `wave_table.figures_by_group`'s, the
same query as the by-wave table's. `membership` lists the graduates of each group, for the tables computed
per graduate in Python (events and change by group)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from followup.indicators import Indicator
from followup.instruments import Instrument, Item
from followup.results.wave_table import BUILT_IN_GROUPINGS, EVERYONE, NO_ANSWER, SCORE_COLUMNS, figures_by_group
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("groups.sql")

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


def membership(wh: Warehouse, by: Sequence[str]) -> pd.DataFrame:
    """group_by, group, graduate_id: every graduate in each group of the groupings `by` (organisation, cohort
    or baseline item codes; in their order, groups as the breakdowns order them), NO_ANSWER for a graduate
    without an answer to the item."""
    return wh.frame(SQL, "membership", groupings=[b for b in by if b != EVERYONE], no_answer=NO_ANSWER)


def in_group_order(table: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """`table`'s rows in the order of `members`' groupings and groups, each group's rows in their order."""
    order = {key: k for k, key in enumerate(dict.fromkeys(zip(members["group_by"], members["group"], strict=True)))}
    at = pd.Series([order[key] for key in zip(table["group_by"], table["group"], strict=True)], index=table.index)
    return table.loc[at.sort_values(kind="stable").index].reset_index(drop=True)


def describe_groups(table: pd.DataFrame, instruments: Sequence[Instrument]) -> pd.DataFrame:
    """`table` (with group_by and group) with group_title after group_by and group_label at the end."""
    by = {g.by: g for g in groupings(instruments)}
    table.insert(list(table.columns).index("group_by") + 1, "group_title", table["group_by"].map(lambda b: by[b].title))
    table["group_label"] = [by[b].labels.get(g, g) for b, g in zip(table["group_by"], table["group"], strict=True)]
    return table


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
    table = figures_by_group(wh, indicators, waves, as_of, [g.by for g in groupings(instruments)])
    return describe_groups(table, instruments)[COLUMNS]
