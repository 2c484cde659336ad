"""Indicator × wave: eligible, reached, response rate, the share with each social result and its 95 % Wilson
interval, and for scale indicators the mean, SD, median and quartiles of the score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from followup.indicators import Indicator
from followup.results.statistics import wilson_interval
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("indicator_by_wave.sql")
SCORE_COLUMNS = ["mean", "sd", "median", "q1", "q3"]


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
    """`table` with each indicator's title (and type) after its id; score statistics only for scales."""
    by_id = {i.id: i for i in indicators}
    table.insert(1, "title", table["indicator"].map(lambda i: by_id[i].title))
    table.insert(2, "type", table["indicator"].map(lambda i: by_id[i].type))
    # A state's score is NULL, so its statistics already are; an event or state never has a mean.
    table.loc[table["type"] != "scale", [c for c in SCORE_COLUMNS if c in table]] = float("nan")
    return table


def indicator_by_wave(wh: Warehouse, indicators: list[Indicator], waves: Sequence[int], as_of: dt.date) -> pd.DataFrame:
    """One row per indicator (in menu order) and wave (0, then `waves`), with the columns of
    `tables.COLUMNS["by_wave"]`; a wave or indicator nobody answered has answered 0 and NaN statistics."""
    table = wh.frame(
        SQL, "indicator_by_wave", waves=all_waves(waves), as_of=as_of, indicators=[i.id for i in indicators]
    )
    return describe_indicators(add_intervals(table), indicators)
