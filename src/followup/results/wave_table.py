"""Indicator × wave: eligible, reached, response rate, the share with each social result and its 95 % Wilson
interval, and for scale indicators the mean, SD, median and quartiles of the score.

`figures_by_group` computes these figures per group of graduates (indicator_by_wave.sql); the by-wave table
is its one group «everyone», the breakdowns (`results.breakdowns`) its other groupings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from followup.indicators import Indicator
from followup.results.labels import indicator_title
from followup.results.statistics import wilson_interval
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("indicator_by_wave.sql")
SCORE_COLUMNS = ["mean", "sd", "median", "q1", "q3"]
EVERYONE = "everyone"
BUILT_IN_GROUPINGS = (EVERYONE, "organisation", "cohort")  # any other grouping is a baseline item code
NO_ANSWER = "нет ответа"


def all_waves(waves: Sequence[int]) -> list[int]:
    """The waves of the result tables: 0 (exit) first, then the configured follow-up waves."""
    return [0, *(w for w in waves if w != 0)]


def add_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with ci_low and ci_high, the 95 % Wilson interval of with_outcome / answered, after `share`."""
    low, high = wilson_interval(table["with_outcome"], table["answered"])
    at = list(table.columns).index("share") + 1
    table.insert(at, "ci_low", low)
    table.insert(at + 1, "ci_high", high)
    return table


def describe_indicators(table: pd.DataFrame, indicators: list[Indicator]) -> pd.DataFrame:
    """`table` with each indicator's title (`labels.indicator_title`: a scale where lower is better says so) and
    type after its id; score statistics only for scales."""
    by_id = {i.id: i for i in indicators}
    at = list(table.columns).index("indicator") + 1
    table.insert(at, "title", table["indicator"].map(lambda i: indicator_title(by_id[i])))
    table.insert(at + 1, "type", table["indicator"].map(lambda i: by_id[i].type))
    # A state's score is NULL, so its statistics already are; an event or state never has a mean.
    table.loc[table["type"] != "scale", [c for c in SCORE_COLUMNS if c in table]] = float("nan")
    return table


def figures_by_group(
    wh: Warehouse, indicators: list[Indicator], waves: Sequence[int], as_of: dt.date, groupings: Sequence[str]
) -> pd.DataFrame:
    """One row per grouping (in the order of `groupings`, each one of BUILT_IN_GROUPINGS or a baseline item
    code), group, indicator (menu order) and wave (0, then `waves`): group_by, group, then the by-wave columns
    with titles and intervals. A graduate with no answer to a grouping item is in the group NO_ANSWER; a wave
    or indicator nobody of the group answered has answered 0 and NaN statistics."""
    table = wh.frame(
        SQL,
        "indicator_by_wave",
        waves=all_waves(waves),
        as_of=as_of,
        indicators=[i.id for i in indicators],
        groupings=list(groupings),
        no_answer=NO_ANSWER,
    )
    return describe_indicators(add_intervals(table), indicators)


def indicator_by_wave(wh: Warehouse, indicators: list[Indicator], waves: Sequence[int], as_of: dt.date) -> pd.DataFrame:
    """One row per indicator (in menu order) and wave (0, then `waves`), with the columns of
    `tables.COLUMNS["by_wave"]`, among every graduate; also without any graduate (eligible 0)."""
    return figures_by_group(wh, indicators, waves, as_of, [EVERYONE]).drop(columns=["group_by", "group"])
