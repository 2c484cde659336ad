"""Every result table an evaluation publishes, computed from the warehouse in one call.

`compute_tables` returns plain DataFrames (one per kind of table, columns below); the writers
(`render`, the HTML report) and disclosure control take them as they are. A column that does not apply
to a row (the mean of a yes/no indicator) is NaN. Counts are graduates, never forms.

by_wave        indicator, title, type, wave, eligible, reached, response_rate, answered, with_outcome,
               share, ci_low, ci_high (95 % Wilson interval of share), mean, sd, median, q1, q3 (of the
               score, for scale indicators)
change         indicator, title, type, wave, pairs (graduates with a value at wave 0 and at this wave),
               baseline, at_wave (share, or mean score for scales, among the pairs), improved, worsened
               (pairs that gained / lost the result, or whose score rose / fell; fell / rose for a scale
               with `better: lower`), test ("McNemar" or "Wilcoxon"), statistic, p_value
events         indicator, title, wave, at_risk (graduates still followed at the wave), events (first
               reported by this wave, cumulative), survival (Kaplan–Meier: share without the event by the
               wave), ci_low, ci_high
survival_curve indicator, title, months, survival, ci_low, ci_high (every step of the Kaplan–Meier curve)
attrition      cohort (year of exit), wave, eligible, reached, response_rate
breakdowns     group_by (organisation, cohort or a baseline grouping item), group_title, group (the
               organisation, the year, or the item's answer code; «нет ответа» when she gave none), and the
               by_wave columns indicator, title, wave, eligible, reached, response_rate, answered,
               with_outcome, share, ci_low, ci_high, mean, sd, median, q1, q3; group_label (the group as
               the instrument words its answer, e.g. «Социальный приют» for `shelter`)
change_by_group
               group_by, group_title, group (as in breakdowns), then the change columns indicator … p_value
               among the group's graduates (the paired test within the group), group_label
events_by_group
               group_by, group_title, group (as in breakdowns), then the events columns indicator … ci_high
               among the group's graduates, group_label, and test ("log-rank"), statistic (chi-square),
               p_value: the log-rank test between the groups of the grouping (those without an answer to the
               item left out) for the indicator, the same in each of its rows; NaN with fewer than two groups,
               no event, or a graduate in two groups (a multiple-choice item)
cost           organisation, period, programme_cost, residents, cost_per_resident, indicator, title,
               graduates_due (exited in the period and due for the 12-month wave), with_result (had the
               result at 12 months), cost_per_result
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from followup.indicators import Indicator
from followup.instruments import Instrument
from followup.results.attrition import attrition_by_cohort
from followup.results.breakdowns import breakdowns, describe_groups, groupings, membership
from followup.results.change import change_by_group, change_since_exit
from followup.results.cost import cost_per_result
from followup.results.events import event_tables, events_by_group
from followup.results.in_use import in_use
from followup.results.wave_table import indicator_by_wave
from followup.warehouse import Warehouse

COLUMNS: dict[str, list[str]] = {
    "by_wave": [
        "indicator", "title", "type", "wave", "eligible", "reached", "response_rate", "answered", "with_outcome",
        "share", "ci_low", "ci_high", "mean", "sd", "median", "q1", "q3",
    ],
    "change": [
        "indicator", "title", "type", "wave", "pairs", "baseline", "at_wave", "improved", "worsened", "test",
        "statistic", "p_value",
    ],
    "events": ["indicator", "title", "wave", "at_risk", "events", "survival", "ci_low", "ci_high"],
    "survival_curve": ["indicator", "title", "months", "survival", "ci_low", "ci_high"],
    "attrition": ["cohort", "wave", "eligible", "reached", "response_rate"],
    "breakdowns": [
        "group_by", "group_title", "group", "indicator", "title", "wave", "eligible", "reached", "response_rate",
        "answered", "with_outcome", "share", "ci_low", "ci_high", "mean", "sd", "median", "q1", "q3", "group_label",
    ],
    "change_by_group": [
        "group_by", "group_title", "group", "indicator", "title", "type", "wave", "pairs", "baseline", "at_wave",
        "improved", "worsened", "test", "statistic", "p_value", "group_label",
    ],
    "events_by_group": [
        "group_by", "group_title", "group", "indicator", "title", "wave", "at_risk", "events", "survival", "ci_low",
        "ci_high", "group_label", "test", "statistic", "p_value",
    ],
    "cost": [
        "organisation", "period", "programme_cost", "residents", "cost_per_resident", "indicator", "title",
        "graduates_due", "with_result", "cost_per_result",
    ],
}  # fmt: skip


@dataclass
class ResultTables:
    by_wave: pd.DataFrame
    change: pd.DataFrame
    events: pd.DataFrame
    survival_curve: pd.DataFrame
    attrition: pd.DataFrame
    breakdowns: pd.DataFrame
    change_by_group: pd.DataFrame
    events_by_group: pd.DataFrame
    cost: pd.DataFrame

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def empty(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS[kind]})


def compute_tables(
    wh: Warehouse,
    indicators: list[Indicator],
    waves: Sequence[int],
    as_of: dt.date,
    costs: pd.DataFrame | None = None,
    *,
    instruments: Sequence[Instrument] = (),
    asked: Mapping[str, Sequence[str]] | None = None,
) -> ResultTables:
    """Every result table for the warehouse's current data, with graduates due by `as_of`. `waves` are the
    follow-up waves (settings.waves.months; wave 0, the exit, is always added); the cost table from `costs`
    (the home's costs.csv as `results.cost.home_costs` reads it), empty without; `instruments` give the
    baseline grouping items of the breakdowns and the tables by group (without them: by organisation and
    cohort only). Only what the warehouse's forms use is shown (`in_use.in_use`): the indicators whose items
    an instrument with forms asks (`asked`: instrument id -> item codes, default from `instruments`), the
    grouping items some case-closure form answers."""
    used = in_use(wh, indicators, instruments, asked)
    indicators, instruments = used.indicators, used.instruments
    by_wave = indicator_by_wave(wh, indicators, waves, as_of)
    events = event_tables(wh, indicators, waves)
    members = membership(wh, [g.by for g in groupings(instruments)])

    def by_group(kind: str, table: pd.DataFrame) -> pd.DataFrame:
        return describe_groups(table, instruments).reindex(columns=COLUMNS[kind])

    return ResultTables(
        by_wave=by_wave.reindex(columns=COLUMNS["by_wave"]),
        change=change_since_exit(wh, indicators, waves).reindex(columns=COLUMNS["change"]),
        events=events.events.reindex(columns=COLUMNS["events"]),
        survival_curve=events.survival_curve.reindex(columns=COLUMNS["survival_curve"]),
        attrition=attrition_by_cohort(wh, waves, as_of).reindex(columns=COLUMNS["attrition"]),
        breakdowns=breakdowns(wh, indicators, waves, as_of, instruments).reindex(columns=COLUMNS["breakdowns"]),
        change_by_group=by_group("change_by_group", change_by_group(wh, indicators, waves, members)),
        events_by_group=by_group("events_by_group", events_by_group(wh, indicators, waves, members)),
        cost=cost_per_result(wh, indicators, costs, as_of) if costs is not None else empty("cost"),
    )
