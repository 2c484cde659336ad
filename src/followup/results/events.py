"""Events over time ("no repeat crisis", "child not placed in care"): Kaplan–Meier survival over the waves
(lifelines), graduates who stop answering censored at their last wave.

Time is the wave a form was placed in, not the months since exit it was answered in: a 3-month form
answered in month 4 reports its event at 3 months. So `events` at a wave counts the graduates whose event
was reported in a form of that wave or an earlier one, from the same indicator values as the by-wave
table, and the two tables agree by construction. `events` reads the curve at each wave: the graduates
still followed then, the events reported by then (cumulative), and the survival (the share without the
event) with its 95 % interval. `survival_curve` is every step of the curve (its `months` are waves).
`events_by_group` is `events` per group of graduates (see `breakdowns`), with the log-rank test between
the groups of each grouping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from followup.indicators import Indicator
from followup.results.breakdowns import in_group_order
from followup.results.statistics import logrank_test
from followup.results.wave_table import NO_ANSWER, all_waves
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("events.sql")
KM_FIGURES = ["survival", "ci_low", "ci_high"]
EVENTS_COLUMNS = ["indicator", "title", "wave", "at_risk", "events", *KM_FIGURES]
CURVE_COLUMNS = ["indicator", "title", "months", *KM_FIGURES]
BY_GROUP_COLUMNS = ["group_by", "group", *EVENTS_COLUMNS, "test", "statistic", "p_value"]


@dataclass(frozen=True)
class EventTables:
    events: pd.DataFrame
    survival_curve: pd.DataFrame


def follow_time(wh: Warehouse, indicator: Indicator) -> pd.DataFrame:
    """graduate_id, wave (followed until), observed (the event was reported in that wave) for every graduate."""
    happened = 0 if indicator.result == "absent" else 1
    return wh.frame(SQL, "follow_time", indicator=indicator.id, happened=happened)


def _curve(durations: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """The Kaplan–Meier curve with lifelines' default 95 % interval, one row per step (months: the wave);
    none for no graduates."""
    from lifelines import KaplanMeierFitter

    if len(durations) == 0:
        return pd.DataFrame(columns=["months", *KM_FIGURES])
    km = KaplanMeierFitter().fit(durations, event_observed=observed)
    ci = km.confidence_interval_survival_function_
    return pd.DataFrame(
        {
            "months": km.survival_function_.index.to_numpy(dtype=int),
            "survival": km.survival_function_.iloc[:, 0].to_numpy(),
            "ci_low": ci.iloc[:, 0].to_numpy(),
            "ci_high": ci.iloc[:, 1].to_numpy(),
        }
    )


def _at_waves(curve: pd.DataFrame, durations: np.ndarray, observed: np.ndarray, waves: list[int]) -> pd.DataFrame:
    """The curve read at each wave: its last step at or before it. Nobody followed that long (at_risk 0):
    the survival is unknown there (NaN), though lifelines would carry the last step on."""
    at_risk = [int((durations >= w).sum()) for w in waves]
    steps = curve["months"].searchsorted(waves, side="right") - 1
    rows = curve.iloc[steps.clip(0)].reset_index(drop=True) if len(curve) else None
    table = pd.DataFrame(
        {"wave": waves, "at_risk": at_risk, "events": [int(((durations <= w) & observed).sum()) for w in waves]}
    )
    for column in KM_FIGURES:
        values = rows[column].to_numpy() if rows is not None else np.full(len(waves), np.nan)
        table[column] = np.where((np.asarray(at_risk) > 0) & (steps >= 0), values, np.nan)
    return table


def _arrays(followed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return followed["wave"].to_numpy(dtype=int), followed["observed"].to_numpy(dtype=bool)


def _events(indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in indicators if i.type == "event"]


def event_tables(wh: Warehouse, indicators: list[Indicator], waves: Sequence[int]) -> EventTables:
    """`events` (one row per event indicator and wave, 0 first) and `survival_curve` (every step) for the
    menu's event indicators, in menu order."""
    events, curves = [], []
    for indicator in _events(indicators):
        durations, observed = _arrays(follow_time(wh, indicator))
        curve = _curve(durations, observed)
        named = {"indicator": indicator.id, "title": indicator.title}
        curves.append(curve.assign(**named)[CURVE_COLUMNS])
        events.append(_at_waves(curve, durations, observed, all_waves(waves)).assign(**named)[EVENTS_COLUMNS])
    return EventTables(
        events=pd.concat(events, ignore_index=True) if events else pd.DataFrame(columns=EVENTS_COLUMNS),
        survival_curve=pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=CURVE_COLUMNS),
    )


def _compared(grouping: pd.DataFrame) -> tuple[str, float, float]:
    """The log-rank test between the groups of one grouping (their graduates' follow times), leaving out
    those who gave no answer to the item: they are not a group of its answers. Undefined (NaN) when a
    graduate is in two groups (a multiple-choice item): the groups must not share anyone."""
    answered = grouping[grouping["group"] != NO_ANSWER]
    if answered["graduate_id"].duplicated().any():
        return "log-rank", np.nan, np.nan
    test = logrank_test(answered["wave"], answered["group"].astype(str), answered["observed"])
    return test.test, test.statistic, test.p_value


def events_by_group(
    wh: Warehouse, indicators: list[Indicator], waves: Sequence[int], members: pd.DataFrame
) -> pd.DataFrame:
    """One row per grouping, group (in the order of `members`: group_by, group, graduate_id, as
    `breakdowns.membership` gives it), event indicator (menu order) and wave (0, then `waves`): the events
    table's columns among the group's graduates, then the log-rank test between the groups of the grouping
    for the indicator (test, statistic, p_value: the same in each of its rows)."""
    parts = []
    for indicator in _events(indicators):
        followed = members.merge(follow_time(wh, indicator), on="graduate_id", how="inner", sort=False)
        for group_by, grouping in followed.groupby("group_by", sort=False):
            test, statistic, p_value = _compared(grouping)
            for group, rows in grouping.groupby("group", sort=False):
                durations, observed = _arrays(rows)
                table = _at_waves(_curve(durations, observed), durations, observed, all_waves(waves))
                named = {"group_by": group_by, "group": group, "indicator": indicator.id, "title": indicator.title}
                parts.append(table.assign(**named, test=test, statistic=statistic, p_value=p_value))
    if not parts:
        return pd.DataFrame(columns=BY_GROUP_COLUMNS)
    table = pd.concat(parts, ignore_index=True)[BY_GROUP_COLUMNS]
    return in_group_order(table, members)
