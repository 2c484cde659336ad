"""Disclosure control: no count of 1–4 graduates is shown, nor anything computed from it, nor anything it
can be recovered from by subtraction.

The oracle here is written independently of `disclosure`'s ledger: it lists, per table, the sums the
tables obey (with + without = answered, groups = total, ...) and recovers by repeated subtraction every
term it can from what is shown; no recovered term may be a suppressed count or a group of 1–4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.linalg

from followup.results import disclosure, tables
from followup.results.tables import ResultTables


def frame(kind: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=tables.COLUMNS[kind])


def result(**given: pd.DataFrame) -> ResultTables:
    return ResultTables(**{name: given.get(name, tables.empty(name)) for name in tables.COLUMNS})


def wave_row(indicator: str, wave: int, eligible: int, reached: int, answered: int, with_outcome: int) -> dict:
    share = with_outcome / answered if answered else None
    return {
        "indicator": indicator, "title": indicator.upper(), "type": "state", "wave": wave, "eligible": eligible,
        "reached": reached, "response_rate": reached / eligible if eligible else None, "answered": answered,
        "with_outcome": with_outcome, "share": share, "ci_low": share and share * 0.8,
        "ci_high": share and min(1.0, share * 1.2),
    }  # fmt: skip


Term = tuple[str, int, str]


def identities(t: ResultTables) -> tuple[list[tuple[Term, list[Term]]], dict[Term, float]]:
    """Every sum the tables obey, over terms (table, row, column); "~" terms are never shown."""
    value: dict[Term, float] = {}
    sums: list[tuple[Term, list[Term]]] = []

    def count(name: str, df: pd.DataFrame, cols: list[str]) -> None:
        for i, row in df.reset_index(drop=True).iterrows():
            for c in cols:
                value[(name, int(i), c)] = float(row[c])

    def pair(name: str, df: pd.DataFrame, total: str, parts: list[str]) -> None:
        for i, row in df.reset_index(drop=True).iterrows():
            rest = (name, int(i), f"~{total}")
            value[rest] = float(row[total] - sum(row[p] for p in parts))
            sums.append(((name, int(i), total), [(name, int(i), p) for p in parts] + [rest]))

    bw = t.by_wave.reset_index(drop=True)
    count("by_wave", bw, ["eligible", "reached", "answered", "with_outcome"])
    pair("by_wave", bw, "answered", ["with_outcome"])
    pair("by_wave", bw, "eligible", ["reached"])
    for _, rows in bw.groupby("wave"):
        for c in ("eligible", "reached"):
            sums += [(("by_wave", int(rows.index[0]), c), [("by_wave", int(j), c)]) for j in rows.index[1:]]
    bd = t.breakdowns.reset_index(drop=True)
    if len(bd):
        count("breakdowns", bd, ["eligible", "reached", "answered", "with_outcome"])
        pair("breakdowns", bd, "answered", ["with_outcome"])
        pair("breakdowns", bd, "eligible", ["reached"])
        for (_, ind, wave), rows in bd.groupby(["group_by", "indicator", "wave"]):
            total = int(bw[(bw["indicator"] == ind) & (bw["wave"] == wave)].index[0])
            for c in ("eligible", "reached", "answered", "with_outcome"):
                sums.append((("by_wave", total, c), [("breakdowns", int(j), c) for j in rows.index]))
    at = t.attrition.reset_index(drop=True)
    if len(at):
        count("attrition", at, ["eligible", "reached"])
        pair("attrition", at, "eligible", ["reached"])
        for wave, rows in at.groupby("wave"):
            total = int(bw[bw["wave"] == wave].index[0])
            for c in ("eligible", "reached"):
                sums.append((("by_wave", total, c), [("attrition", int(j), c) for j in rows.index]))
    if len(at) and len(bd):  # a cohort's counts in attrition and in the breakdown by cohort are the same
        for j, row in bd[bd["group_by"] == "cohort"].iterrows():
            same = at[(at["cohort"].astype(str) == str(row["group"])) & (at["wave"] == row["wave"])]
            for c in ("eligible", "reached"):
                sums += [(("attrition", int(k), c), [("breakdowns", int(j), c)]) for k in same.index]
    ch = t.change.reset_index(drop=True)
    if len(ch):
        count("change", ch, ["pairs", "improved", "worsened"])
        pair("change", ch, "pairs", ["improved", "worsened"])
    cg = t.change_by_group.reset_index(drop=True)
    if len(cg):
        count("change_by_group", cg, ["pairs", "improved", "worsened"])
        pair("change_by_group", cg, "pairs", ["improved", "worsened"])
        for (_, ind, wave), rows in cg.groupby(["group_by", "indicator", "wave"]):
            total = int(ch[(ch["indicator"] == ind) & (ch["wave"] == wave)].index[0])
            for c in ("pairs", "improved", "worsened"):
                sums.append((("change", total, c), [("change_by_group", int(j), c) for j in rows.index]))

    def cumulative(name: str, df: pd.DataFrame, series: list[str]) -> None:
        for _, rows in df.sort_values("wave").groupby(series):
            before: Term | None = None
            for j in rows.index:
                new = (name, int(j), "~new")
                value[new] = float(df.loc[j, "events"] - (df.loc[before[1], "events"] if before else 0))
                sums.append(((name, int(j), "events"), ([before] if before else []) + [new]))
                before = (name, int(j), "events")

    ev = t.events.reset_index(drop=True)
    if len(ev):
        count("events", ev, ["at_risk", "events"])
        cumulative("events", ev, ["indicator"])
    eg = t.events_by_group.reset_index(drop=True)
    if len(eg):
        count("events_by_group", eg, ["at_risk", "events"])
        cumulative("events_by_group", eg, ["group_by", "group", "indicator"])
        for (_, ind, wave), rows in eg.groupby(["group_by", "indicator", "wave"]):
            total = int(ev[(ev["indicator"] == ind) & (ev["wave"] == wave)].index[0])
            for c in ("at_risk", "events"):
                sums.append((("events", total, c), [("events_by_group", int(j), c) for j in rows.index]))
    return sums, value


def leaks(original: ResultTables, shown: disclosure.Suppressed) -> list[Term]:
    """Terms that are suppressed, or groups of 1–4 never shown, yet recovered by subtraction."""
    sums, value = identities(original)
    known = {k for k in value if not k[2].startswith("~") and not shown.hidden[k[0]].loc[k[1], k[2]]}
    for name, pos, col in known:  # what is shown is the true value, and it is not small
        assert getattr(shown.tables, name).loc[pos, col] == value[(name, pos, col)]
        assert not 0 < value[(name, pos, col)] < shown.min_cell, (name, pos, col)
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            unknown = [c for c in (total, *parts) if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return [
        k
        for k in known
        if (not k[2].startswith("~") and shown.hidden[k[0]].loc[k[1], k[2]])
        or (k[2].startswith("~") and 0 < value[k] < shown.min_cell)
    ]


def test_a_small_count_is_suppressed_with_every_figure_derived_from_it_and_zero_is_shown() -> None:
    bw = frame(
        "by_wave",
        [
            wave_row("housed", 0, 40, 40, 38, 3) | {"mean": 2.0, "sd": 1.0},
            wave_row("housed", 3, 40, 30, 0, 0),
            wave_row("housed", 36, 4, 4, 4, 2) | {"mean": 3.1, "sd": 0.4, "median": 3.0, "q1": 2.0, "q3": 4.0},
        ],
    )
    out = disclosure.suppress(result(by_wave=bw))
    t, hidden = out.tables.by_wave, out.hidden["by_wave"]
    # with 3 of 38: the count, its share and interval go; answered and the scale figures stay.
    assert hidden.loc[0, ["with_outcome", "share", "ci_low", "ci_high"]].all()
    assert t.loc[0, ["with_outcome", "share", "ci_low", "ci_high"]].isna().all()
    assert t.loc[0, "answered"] == 38 and t.loc[0, "mean"] == 2.0
    # 0 with the outcome of 0 answering is not disclosive.
    assert t.loc[1, "with_outcome"] == 0 and t.loc[1, "answered"] == 0 and not hidden.loc[1].any()
    # 4 graduates due at 36 months: every count and every figure of the row goes.
    for col in ("eligible", "reached", "response_rate", "answered", "with_outcome", "share", "mean", "sd", "q3"):
        assert hidden.loc[2, col] and pd.isna(t.loc[2, col]), col
    assert out.marker == "<5"
    assert leaks(result(by_wave=bw), out) == []


def test_the_complement_of_a_shown_total_is_protected() -> None:
    # 18 of 20 with the outcome: 2 without it = answered − with_outcome; 47 of 50 reached: 3 not reached.
    bw = frame("by_wave", [wave_row("housed", 3, 50, 47, 20, 18)])
    out = disclosure.suppress(result(by_wave=bw))
    t = out.tables.by_wave
    assert pd.isna(t.loc[0, "with_outcome"]) and pd.isna(t.loc[0, "share"])
    assert pd.isna(t.loc[0, "reached"]) and pd.isna(t.loc[0, "response_rate"])
    assert t.loc[0, "answered"] == 20 and t.loc[0, "eligible"] == 50
    assert leaks(result(by_wave=bw), out) == []


def test_a_suppressed_group_of_a_breakdown_cannot_be_had_from_the_total() -> None:
    bw = frame("by_wave", [wave_row("housed", 12, 60, 50, 50, 30)])
    groups = [("А", 20, 18, 18, 12), ("Б", 30, 29, 29, 15), ("В", 10, 3, 3, 3)]
    bd = frame(
        "breakdowns",
        [
            {"group_by": "organisation", "group_title": "Организация", "group": g} | wave_row("housed", 12, e, r, a, w)
            for g, e, r, a, w in groups
        ],
    )
    out = disclosure.suppress(result(by_wave=bw, breakdowns=bd))
    t = out.tables.breakdowns
    # В: 3 reached is primary; 60 − 20 − 30 − В would give it back, so a second group's count goes too.
    assert t.loc[2, ["reached", "answered", "with_outcome"]].isna().all()
    assert t["reached"].isna().sum() >= 2 and t["answered"].isna().sum() >= 2 and t["with_outcome"].isna().sum() >= 2
    # the smallest non-zero other group is chosen: А for answered (18 < 29)
    assert pd.isna(t.loc[0, "answered"]) and t.loc[1, "answered"] == 29
    assert out.tables.by_wave.loc[0, "answered"] == 50  # the total itself stays
    assert leaks(result(by_wave=bw, breakdowns=bd), out) == []


def test_a_breakdown_with_one_group_hides_the_total_it_equals() -> None:
    bw = frame("by_wave", [wave_row("housed", 12, 60, 50, 50, 3)])
    bd = frame(
        "breakdowns",
        [
            {"group_by": "programme", "group_title": "Программа", "group": "одна"}
            | wave_row("housed", 12, 60, 50, 50, 3)
        ],
    )
    out = disclosure.suppress(result(by_wave=bw, breakdowns=bd))
    assert pd.isna(out.tables.breakdowns.loc[0, "with_outcome"]) and pd.isna(out.tables.by_wave.loc[0, "with_outcome"])
    assert leaks(result(by_wave=bw, breakdowns=bd), out) == []


def test_cohorts_of_attrition_cannot_be_had_from_the_wave_total() -> None:
    bw = frame("by_wave", [wave_row("housed", 24, 45, 30, 30, 20), wave_row("safe", 24, 45, 30, 28, 10)])
    at = frame(
        "attrition",
        [
            {"cohort": 2022, "wave": 24, "eligible": 25, "reached": 20, "response_rate": 0.8},
            {"cohort": 2023, "wave": 24, "eligible": 17, "reached": 10, "response_rate": 10 / 17},
            {"cohort": 2024, "wave": 24, "eligible": 3, "reached": 0, "response_rate": 0.0},
        ],
    )
    out = disclosure.suppress(result(by_wave=bw, attrition=at))
    t = out.tables.attrition
    assert pd.isna(t.loc[2, "eligible"]) and pd.isna(t.loc[2, "response_rate"])
    assert t.loc[2, "reached"] == 0
    assert t["eligible"].isna().sum() == 2  # 45 − 25 − 17 would give 3: 2023's eligible (17) goes too
    assert pd.isna(t.loc[1, "eligible"]) and t.loc[0, "eligible"] == 25
    assert leaks(result(by_wave=bw, attrition=at), out) == []


def test_a_cohort_hidden_in_attrition_is_hidden_in_the_breakdown_by_cohort_too() -> None:
    # 2022: 18 of 20 reached, 2 not: hidden; 2023 and 2024 tie (12 of 20), listed in another order below.
    bw = frame("by_wave", [wave_row("housed", 12, 60, 42, 42, 25)])
    cohorts = {"2022": (20, 18, 18, 10), "2023": (20, 12, 12, 7), "2024": (20, 12, 12, 8)}
    at = frame(
        "attrition",
        [{"cohort": int(c), "wave": 12, "eligible": e, "reached": r} for c, (e, r, _, _) in cohorts.items()],
    )
    bd = frame(
        "breakdowns",
        [
            {"group_by": "cohort", "group_title": "Год выхода", "group": c} | wave_row("housed", 12, *cohorts[c])
            for c in ("2022", "2024", "2023")
        ],
    )
    out = disclosure.suppress(result(by_wave=bw, attrition=at, breakdowns=bd))
    shown_at = dict(zip(out.tables.attrition["cohort"].astype(str), out.tables.attrition["reached"], strict=True))
    shown_bd = dict(zip(out.tables.breakdowns["group"], out.tables.breakdowns["reached"], strict=True))
    assert {c for c, v in shown_at.items() if pd.isna(v)} == {c for c, v in shown_bd.items() if pd.isna(v)}
    assert pd.isna(shown_at["2022"])
    assert leaks(result(by_wave=bw, attrition=at, breakdowns=bd), out) == []


def test_change_hides_a_small_count_of_pairs_and_the_test_that_would_reveal_it() -> None:
    ch = frame(
        "change",
        [
            {"indicator": "housed", "title": "Ж", "type": "state", "wave": 12, "pairs": 40, "baseline": 0.5,
             "at_wave": 0.55, "improved": 5, "worsened": 3, "test": "McNemar", "statistic": 0.5, "p_value": 0.7},
            {"indicator": "housed", "title": "Ж", "type": "state", "wave": 24, "pairs": 20, "baseline": 0.5,
             "at_wave": 0.6, "improved": 9, "worsened": 9, "test": "McNemar", "statistic": 0.0, "p_value": 1.0},
        ],
    )  # fmt: skip
    bw = frame("by_wave", [wave_row("housed", 12, 60, 50, 50, 30)])
    out = disclosure.suppress(result(by_wave=bw, change=ch))
    t = out.tables.change
    assert pd.isna(t.loc[0, "worsened"]) and t.loc[0, "improved"] == 5 and t.loc[0, "pairs"] == 40
    assert t.loc[0, ["baseline", "at_wave", "statistic", "p_value"]].isna().all()
    assert t.loc[0, "test"] == "McNemar"
    # 20 − 9 − 9 = 2 unchanged: one of improved / worsened goes, with the figures.
    assert t.loc[1, ["improved", "worsened"]].isna().sum() == 1 and pd.isna(t.loc[1, "p_value"])
    assert leaks(result(by_wave=bw, change=ch), out) == []


def test_events_hide_a_small_number_of_new_events_between_waves_and_cut_the_curve() -> None:
    ev = frame(
        "events",
        [
            {"indicator": "crisis", "title": "К", "wave": w, "at_risk": n, "events": e, "survival": s,
             "ci_low": s - 0.05, "ci_high": min(1.0, s + 0.05)}
            for w, n, e, s in [(0, 100, 0, 1.0), (3, 90, 8, 0.92), (6, 80, 10, 0.9), (12, 60, 16, 0.83),
                               (24, 3, 17, 0.8)]
        ],
    )  # fmt: skip
    curve = frame(
        "survival_curve",
        [{"indicator": "crisis", "title": "К", "months": m, "survival": 1 - m / 100, "ci_low": 0.5, "ci_high": 1.0}
         for m in (0, 2, 3, 5, 8, 11, 20)],
    )  # fmt: skip
    bw = frame("by_wave", [wave_row("crisis", 0, 100, 100, 100, 0)])
    out = disclosure.suppress(result(by_wave=bw, events=ev, survival_curve=curve))
    t = out.tables.events
    # 8 → 10 is 2 new events: wave 6 goes; 16 − 8 = 8 new by wave 12 is safe; 3 at risk at 24 goes.
    assert t.loc[[0, 1, 3], "events"].tolist() == [0, 8, 16] and pd.isna(t.loc[2, "events"])
    assert pd.isna(t.loc[2, "survival"]) and pd.isna(t.loc[4, "at_risk"]) and pd.isna(t.loc[4, "survival"])
    c = out.tables.survival_curve
    assert c.loc[c["months"] <= 3, "survival"].notna().all()
    assert c.loc[c["months"] > 3, ["survival", "ci_low", "ci_high"]].isna().all().all()
    assert leaks(result(by_wave=bw, events=ev, survival_curve=curve), out) == []


def test_the_threshold_is_configurable() -> None:
    bw = frame("by_wave", [wave_row("housed", 3, 50, 45, 45, 7)])
    assert disclosure.suppress(result(by_wave=bw), min_cell=5).tables.by_wave.loc[0, "with_outcome"] == 7
    assert pd.isna(disclosure.suppress(result(by_wave=bw), min_cell=10).tables.by_wave.loc[0, "with_outcome"])
    assert disclosure.suppress(result(by_wave=bw), min_cell=10).marker == "<10"


def random_tables(seed: int) -> ResultTables:
    """by_wave, breakdowns by organisation and attrition (the organisations stand in for cohorts) whose
    groups add up to the totals, with many counts of 1–4."""
    rng = np.random.default_rng(seed)
    waves, indicators, orgs = [0, 3, 12, 36], ["a", "b"], ["А", "Б", "В"]
    by_wave, breakdowns, attrition = [], [], []
    for wave in waves:
        el = {o: int(rng.integers(0, 15)) for o in orgs}
        re = {o: int(rng.integers(0, el[o] + 1)) for o in orgs}
        attrition += [{"cohort": o, "wave": wave, "eligible": el[o], "reached": re[o]} for o in orgs]
        for ind in indicators:
            an = {o: int(rng.integers(0, re[o] + 1)) for o in orgs}
            wi = {o: int(rng.integers(0, an[o] + 1)) for o in orgs}
            by_wave.append(wave_row(ind, wave, sum(el.values()), sum(re.values()), sum(an.values()), sum(wi.values())))
            breakdowns += [
                {"group_by": "organisation", "group_title": "Организация", "group": o}
                | wave_row(ind, wave, el[o], re[o], an[o], wi[o])
                for o in orgs
            ]
    events, events_by_group, change, change_by_group = _events_and_change(rng, waves, orgs)
    return result(
        by_wave=frame("by_wave", by_wave),
        breakdowns=frame("breakdowns", breakdowns),
        attrition=frame("attrition", attrition),
        events=events,
        events_by_group=events_by_group,
        change=change,
        change_by_group=change_by_group,
    )


def _events_and_change(
    rng: np.random.Generator, waves: list[int], orgs: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """events and change, by organisation and in total, with many counts of 1–4 (events: few new per wave)."""
    grouped: list[dict[str, object]] = []
    for org in orgs:
        at_risk, events = int(rng.integers(0, 20)), 0
        for wave in waves:
            grouped.append({"group_by": "organisation", "group_title": "Организация", "group": org, "group_label": org,
                            "indicator": "e", "title": "E", "wave": wave, "at_risk": at_risk, "events": events,
                            "survival": 0.9, "ci_low": 0.8, "ci_high": 1.0, "test": "log-rank", "statistic": 1.5,
                            "p_value": 0.47})  # fmt: skip
            new = int(rng.integers(0, min(at_risk, 6) + 1))
            events += new
            at_risk -= new + int(rng.integers(0, at_risk - new + 1) // 2)
    by_group = frame("events_by_group", grouped)
    total = by_group.groupby("wave", as_index=False)[["at_risk", "events"]].sum()
    events_table = frame(
        "events", [{"indicator": "e", "title": "E", "survival": 0.9} | r for r in total.to_dict("records")]
    )
    pairs: list[dict[str, object]] = []
    for org in orgs:
        for wave in waves[1:]:
            n = int(rng.integers(0, 20))
            better = int(rng.integers(0, n + 1))
            worse = int(rng.integers(0, n - better + 1))
            pairs.append({"group_by": "organisation", "group_title": "Организация", "group": org, "group_label": org,
                          "indicator": "s", "title": "S", "type": "state", "wave": wave, "pairs": n,
                          "baseline": 0.5, "at_wave": 0.5, "improved": better, "worsened": worse, "test": "McNemar",
                          "statistic": 1.0, "p_value": 0.3})  # fmt: skip
    change_by_group = frame("change_by_group", pairs)
    summed = change_by_group.groupby("wave", as_index=False)[["pairs", "improved", "worsened"]].sum()
    change = frame("change", [{"indicator": "s", "title": "S", "type": "state", "p_value": 0.3} | r
                              for r in summed.to_dict("records")])  # fmt: skip
    return events_table, by_group, change, change_by_group


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_leak_nothing_by_subtraction(seed: int) -> None:
    original = random_tables(seed)
    out = disclosure.suppress(original)
    assert leaks(original, out) == []
    for name, table, hidden in out.items():  # a figure derived from a suppressed count is suppressed
        for count, figures in disclosure.RULES[name].derived.items():
            for fig in figures:
                if fig in table:
                    assert (hidden[fig] | ~hidden[count]).all(), (name, count, fig)
                    assert table.loc[hidden[fig], fig].isna().all()


@pytest.mark.parametrize("seed", range(30))
def test_a_log_rank_test_is_shown_only_when_no_group_has_1_to_4_graduates_or_events(seed: int) -> None:
    original = random_tables(seed)
    out = disclosure.suppress(original)
    table, hidden = original.events_by_group, out.hidden["events_by_group"]
    first, last = table["wave"] == table["wave"].min(), table["wave"] == table["wave"].max()
    small = table.loc[first, "at_risk"].between(1, 4).any() or table.loc[last, "events"].between(1, 4).any()
    any_hidden = bool(small)
    assert hidden["p_value"].tolist() == [any_hidden] * len(table)
    assert hidden["statistic"].tolist() == [any_hidden] * len(table)
    p_value = out.tables.events_by_group["p_value"]
    assert p_value.isna().all() if any_hidden else (p_value == 0.47).all()


def test_the_log_rank_test_goes_with_a_small_group_and_stays_with_large_ones() -> None:
    rows = [("А", 0, 40, 0), ("А", 12, 30, 8), ("Б", 0, 3, 0), ("Б", 12, 2, 0)]
    grouped = frame(
        "events_by_group",
        [{"group_by": "programme", "group": g, "indicator": "e", "title": "E", "wave": w, "at_risk": n, "events": e,
          "survival": 0.8, "test": "log-rank", "statistic": 2.0, "p_value": 0.16} for g, w, n, e in rows],
    )  # fmt: skip
    total = frame("events", [{"indicator": "e", "title": "E", "wave": 0, "at_risk": 43, "events": 0},
                             {"indicator": "e", "title": "E", "wave": 12, "at_risk": 32, "events": 8}])  # fmt: skip
    out = disclosure.suppress(result(events=total, events_by_group=grouped))
    assert out.tables.events_by_group["p_value"].isna().all() and out.hidden["events_by_group"]["p_value"].all()
    assert leaks(result(events=total, events_by_group=grouped), out) == []
    large = grouped.assign(at_risk=[40, 30, 30, 20], events=[0, 8, 0, 5])
    total = total.assign(at_risk=[70, 50], events=[0, 13])
    out = disclosure.suppress(result(events=total, events_by_group=large))
    assert out.tables.events_by_group["p_value"].tolist() == [0.16] * 4
    # those without an answer are not compared: their 3 graduates do not hide the test (their counts go)
    no_answer = frame(
        "events_by_group",
        [{"group_by": "programme", "group": "нет ответа", "indicator": "e", "title": "E", "wave": w, "at_risk": n,
          "events": 0, "test": "log-rank", "statistic": 2.0, "p_value": 0.16} for w, n in [(0, 3), (12, 3)]],
    )  # fmt: skip
    with_them = pd.concat([large, no_answer], ignore_index=True)
    total = total.assign(at_risk=[73, 53])
    out = disclosure.suppress(result(events=total, events_by_group=with_them))
    assert out.tables.events_by_group["p_value"].tolist() == [0.16] * 6
    assert out.tables.events_by_group["at_risk"].isna().sum() >= 2
    assert leaks(result(events=total, events_by_group=with_them), out) == []


@pytest.mark.parametrize("seed", range(20))
def test_random_tables_leak_nothing_even_solving_every_sum_at_once(seed: int) -> None:
    """Stronger than subtraction: a sensitive term is determined by the shown cells if every solution of
    the system of sums gives it the same value (its column is zero in the null space of the unknowns)."""
    original = random_tables(seed)
    out = disclosure.suppress(original)
    sums, value = identities(original)
    terms = sorted(value)
    at = {t: i for i, t in enumerate(terms)}
    system = np.zeros((len(sums), len(terms)))
    for row, (total, parts) in enumerate(sums):
        system[row, at[total]] = 1
        for part in parts:
            system[row, at[part]] -= 1
    unknown = [i for i, t in enumerate(terms) if t[2].startswith("~") or out.hidden[t[0]].loc[t[1], t[2]]]
    free = scipy.linalg.null_space(system[:, unknown])
    determined = [terms[i] for k, i in enumerate(unknown) if not free.size or np.abs(free[k]).max() < 1e-9]
    assert [t for t in determined if not t[2].startswith("~") or 0 < value[t] < out.min_cell] == []
