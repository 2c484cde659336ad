"""Events over time ("no repeat crisis", "child not placed in care"): Kaplan–Meier survival by months since
exit (lifelines), graduates who stop answering censored at their last answer.

`events` reads the curve at each wave's month (months since exit = the wave): the graduates still followed
then, the events reported by then (cumulative), and the survival (the share without the event) with its
95 % interval. `survival_curve` is every step of the curve. An answer given a month after the wave's month
(as late follow-ups are) counts from its own month on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from followup.indicators import Indicator
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("events.sql")
EVENTS_COLUMNS = ["indicator", "title", "wave", "at_risk", "events", "survival", "ci_low", "ci_high"]
CURVE_COLUMNS = ["indicator", "title", "months", "survival", "ci_low", "ci_high"]


@dataclass(frozen=True)
class EventTables:
    events: pd.DataFrame
    survival_curve: pd.DataFrame


def follow_time(wh: Warehouse, indicator: Indicator) -> pd.DataFrame:
    """graduate_id, months (followed for), observed (the event was reported then) for every graduate."""
    return wh.frame(SQL, "follow_time", item=indicator.item, event=indicator.event)


def _curve(indicator: Indicator, durations: np.ndarray, observed: np.ndarray) -> pd.DataFrame:
    """The Kaplan–Meier curve with lifelines' default 95 % interval, one row per step; none for no graduates."""
    from lifelines import KaplanMeierFitter

    if len(durations) == 0:
        return pd.DataFrame(columns=CURVE_COLUMNS)
    km = KaplanMeierFitter().fit(durations, event_observed=observed)
    ci = km.confidence_interval_survival_function_
    return pd.DataFrame(
        {
            "indicator": indicator.id,
            "title": indicator.title,
            "months": km.survival_function_.index.to_numpy(dtype=int),
            "survival": km.survival_function_.iloc[:, 0].to_numpy(),
            "ci_low": ci.iloc[:, 0].to_numpy(),
            "ci_high": ci.iloc[:, 1].to_numpy(),
        },
        columns=CURVE_COLUMNS,
    )


def _at_waves(
    indicator: Indicator, curve: pd.DataFrame, durations: np.ndarray, observed: np.ndarray, waves: list[int]
) -> pd.DataFrame:
    """The curve read at each wave's month: its last step at or before it. Nobody followed that long
    (at_risk 0): the survival is unknown there (NaN), though lifelines would carry the last step on."""
    at_risk = [int((durations >= w).sum()) for w in waves]
    steps = curve["months"].searchsorted(waves, side="right") - 1
    rows = curve.iloc[steps.clip(0)].reset_index(drop=True) if len(curve) else None
    table = pd.DataFrame(
        {
            "indicator": indicator.id,
            "title": indicator.title,
            "wave": waves,
            "at_risk": at_risk,
            "events": [int(((durations <= w) & observed).sum()) for w in waves],
        }
    )
    for column in ("survival", "ci_low", "ci_high"):
        values = rows[column].to_numpy() if rows is not None else np.full(len(waves), np.nan)
        table[column] = np.where((np.asarray(at_risk) > 0) & (steps >= 0), values, np.nan)
    return table[EVENTS_COLUMNS]


def event_tables(wh: Warehouse, indicators: list[Indicator], waves: Sequence[int]) -> EventTables:
    """`events` (one row per event indicator and wave, 0 first) and `survival_curve` (every step) for the
    menu's event indicators, in menu order."""
    wave_list = [0, *(w for w in waves if w != 0)]
    events, curves = [], []
    for indicator in (i for i in indicators if i.type == "event"):
        followed = follow_time(wh, indicator)
        durations = followed["months"].to_numpy(dtype=int)
        observed = followed["observed"].to_numpy(dtype=bool)
        curve = _curve(indicator, durations, observed)
        curves.append(curve)
        events.append(_at_waves(indicator, curve, durations, observed, wave_list))
    return EventTables(
        events=pd.concat(events, ignore_index=True) if events else pd.DataFrame(columns=EVENTS_COLUMNS),
        survival_curve=pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=CURVE_COLUMNS),
    )
