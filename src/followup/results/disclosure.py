"""Statistical disclosure control: what of the result tables may be shown, before anything is shown or written.

The rule (`min_cell`, default 5, set by `[results] min_cell`):

* **Primary**: a count cell of 1 … min_cell − 1 graduates is suppressed; 0 is not disclosive and is shown.
* **Derived**: every figure computed from a suppressed count is suppressed with it (see `RULES`: a share, its
  interval, a mean, sd, median, quartiles, a response rate, a survival estimate, a test).
* **Secondary**: counts are tied by sums. Each tie is an *identity* ``total = part + part + …``:
  with the outcome + without it = answered; reached + not reached = eligible; the groups of a breakdown add
  up to the row of `by_wave`, those of `change_by_group` and `events_by_group` to the rows of `change` and
  `events`; the cohorts of `attrition` add up to the wave's eligible and reached; improved +
  worsened + unchanged = pairs; a cumulative count of events is the previous wave's plus the new ones; the
  same count shown in two rows (eligible of a wave, for every indicator; a cohort's eligible and reached in
  `attrition` and in the breakdown by cohort) is one identity too. Some terms are
  never shown (without the outcome, not reached, unchanged, new events): they are *implicit* cells, and an
  implicit cell of 1 … min_cell − 1 is as sensitive as a shown one. Whenever an identity has exactly one
  unknown term and that term is sensitive (suppressed, or implicit and small), one more of its shown terms
  is suppressed (the smallest non-zero part; the total only if no part is left), and everything is checked
  again (knowledge recovered from one identity feeds the next) until no sensitive cell can be recovered by
  subtraction from what is shown.
* **Tests between groups** (the log-rank test of `events_by_group`) are computed from every compared group's
  graduates and events: a grouping's test is suppressed, in each of its rows, when a group it compares has
  1 … min_cell − 1 graduates (at risk at its first wave) or events (by its last wave). A group's count
  hidden only because of a sum (secondary) does not hide the test: the test does not give that count back.
* **Kaplan–Meier curves** carry no counts: a curve is shown only up to the last wave before the first one
  whose survival in `events` is suppressed (each step of a curve is a few events).

What stays possible (and is accepted, as in common statistical practice): bounds (a suppressed count lies
between 1 and min_cell − 1, or below a shown total), and steps of a Kaplan–Meier estimate between waves
whose counts are shown. `reached` − `answered` (reached but skipped the item) is not treated as a cell:
skipping a question says nothing about a graduate's situation.

Suppressed cells become NaN in the tables returned; `Suppressed.hidden` says which, so that writers show
the marker («<5») and never the value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from followup.results.tables import ResultTables
from followup.results.wave_table import NO_ANSWER

SHARE_FIGURES = ("share", "ci_low", "ci_high")
SCALE_FIGURES = ("mean", "sd", "median", "q1", "q3")


@dataclass(frozen=True)
class Rules:
    """Which columns of a table are counts of graduates, and which figures derive from which count."""

    counts: tuple[str, ...]
    derived: dict[str, tuple[str, ...]]
    # (total, parts): total − Σ parts is a group of graduates too (an implicit cell, never shown).
    complements: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Rows with the same values of `keys` are the groups of one total: rows of `total` sharing `total_keys`.
    partition_keys: tuple[str, ...] = ()
    partition_total: str = ""
    partition_total_keys: tuple[str, ...] = ()
    # A cumulative count over waves, per series (rows sharing these columns), ordered by `wave`.
    cumulative: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    # Rows sharing these columns show the same counts (e.g. eligible of a wave for every indicator).
    same_counts: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # A test between the groups of a block (rows sharing `block`), hidden in the whole block when a group it
    # compares has few graduates (`block_first` at the group's first wave) or events (`block_last` at its last).
    block: tuple[str, ...] = ()
    block_figures: tuple[str, ...] = ()
    block_first: str = ""
    block_last: str = ""


_BY_WAVE_DERIVED = {
    "eligible": ("response_rate",),
    "reached": ("response_rate",),
    "answered": SHARE_FIGURES + SCALE_FIGURES,
    "with_outcome": SHARE_FIGURES,
}
_CHANGE_FIGURES = ("baseline", "at_wave", "statistic", "p_value")
_KM_FIGURES = ("survival", "ci_low", "ci_high")

RULES: dict[str, Rules] = {
    "by_wave": Rules(
        counts=("eligible", "reached", "answered", "with_outcome"),
        derived=_BY_WAVE_DERIVED,
        complements=(("eligible", ("reached",)), ("answered", ("with_outcome",))),
        same_counts={("wave",): ("eligible", "reached")},
    ),
    "breakdowns": Rules(
        counts=("eligible", "reached", "answered", "with_outcome"),
        derived=_BY_WAVE_DERIVED,
        complements=(("eligible", ("reached",)), ("answered", ("with_outcome",))),
        partition_keys=("group_by", "indicator", "wave"),
        partition_total="by_wave",
        partition_total_keys=("indicator", "wave"),
        same_counts={("group_by", "group", "wave"): ("eligible", "reached")},
    ),
    "attrition": Rules(
        counts=("eligible", "reached"),
        derived={"eligible": ("response_rate",), "reached": ("response_rate",)},
        complements=(("eligible", ("reached",)),),
        partition_keys=("wave",),
        partition_total="by_wave",
        partition_total_keys=("wave",),
    ),
    "change": Rules(
        counts=("pairs", "improved", "worsened"),
        derived={"pairs": _CHANGE_FIGURES, "improved": _CHANGE_FIGURES, "worsened": _CHANGE_FIGURES},
        complements=(("pairs", ("improved", "worsened")),),
    ),
    "events": Rules(
        counts=("at_risk", "events"),
        derived={"at_risk": _KM_FIGURES, "events": _KM_FIGURES},
        cumulative=("events",),
        series=("indicator",),
    ),
    "change_by_group": Rules(
        counts=("pairs", "improved", "worsened"),
        derived={"pairs": _CHANGE_FIGURES, "improved": _CHANGE_FIGURES, "worsened": _CHANGE_FIGURES},
        complements=(("pairs", ("improved", "worsened")),),
        partition_keys=("group_by", "indicator", "wave"),
        partition_total="change",
        partition_total_keys=("indicator", "wave"),
    ),
    "events_by_group": Rules(
        counts=("at_risk", "events"),
        derived={"at_risk": _KM_FIGURES, "events": _KM_FIGURES},
        cumulative=("events",),
        series=("group_by", "group", "indicator"),
        partition_keys=("group_by", "indicator", "wave"),
        partition_total="events",
        partition_total_keys=("indicator", "wave"),
        block=("group_by", "indicator"),
        block_figures=("statistic", "p_value"),
        block_first="at_risk",
        block_last="events",
    ),
    "cost": Rules(
        counts=("residents", "graduates_due", "with_result"),
        derived={"residents": ("cost_per_resident",), "graduates_due": (), "with_result": ("cost_per_result",)},
        complements=(("graduates_due", ("with_result",)),),
    ),
    "survival_curve": Rules(counts=(), derived={}),  # follows `events`: see curve_shown
}


@dataclass
class Suppressed:
    """The result tables as they may be shown: suppressed cells are NaN and flagged in `hidden`."""

    tables: ResultTables
    hidden: dict[str, pd.DataFrame]  # per table, same index and columns: True where a cell is suppressed
    min_cell: int

    @property
    def marker(self) -> str:
        return f"<{self.min_cell}"

    def items(self) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
        return [(name, table, self.hidden[name]) for name, table in self.tables.items()]


Cell = tuple[str, int, str]  # (table, row position, column); implicit cells have a column starting with "~"


class _Ledger:
    """Every count cell with its value, and the identities that tie them."""

    def __init__(self, min_cell: int) -> None:
        self.min_cell = min_cell
        self.value: dict[Cell, float] = {}
        self.hidden: set[Cell] = set()
        self.identities: list[tuple[Cell, list[Cell]]] = []
        self.total_first: set[int] = set()  # identities where hiding the total loses least (a later wave)

    def small(self, cell: Cell) -> bool:
        v = self.value[cell]
        return 0 < v < self.min_cell

    def shown(self, cell: Cell) -> bool:
        return not cell[2].startswith("~") and cell not in self.hidden

    def sensitive(self, cell: Cell) -> bool:
        return cell in self.hidden or (cell[2].startswith("~") and self.small(cell))

    def add(self, total: Cell, parts: list[Cell], total_first: bool = False) -> None:
        if all(c in self.value for c in (total, *parts)):
            if total_first:
                self.total_first.add(len(self.identities))
            self.identities.append((total, parts))

    def recovered(self) -> tuple[dict[Cell, int], list[int]]:
        """What subtraction recovers from the shown cells (cell -> the identity that gave it), and the
        identities through which a sensitive cell would be recovered."""
        known: dict[Cell, int] = {}
        by_cell: dict[Cell, list[int]] = defaultdict(list)
        for i, (total, parts) in enumerate(self.identities):
            for c in (total, *parts):
                by_cell[c].append(i)
        unknown = [sum(1 for c in (t, *p) if not self.shown(c)) for t, p in self.identities]
        queue = [i for i, n in enumerate(unknown) if n == 1]
        violations: list[int] = []
        while queue:
            i = queue.pop()
            total, parts = self.identities[i]
            missing = [c for c in (total, *parts) if not self.shown(c) and c not in known]
            if len(missing) != 1:
                continue
            cell = missing[0]
            if self.sensitive(cell):
                violations.append(i)
                continue  # treat it as still unknown: the fix will hide another term
            known[cell] = i
            for j in by_cell[cell]:
                unknown[j] -= 1
                if unknown[j] == 1:
                    queue.append(j)
        return known, violations

    def hideable(self, i: int, known: dict[Cell, int], seen: set[int]) -> list[Cell]:
        """Shown terms of identity i (parts first, smallest non-zero first), or, if none, of the
        identities its recovered terms came from."""
        seen.add(i)
        total, parts = self.identities[i]
        shown = [c for c in parts if self.shown(c)]
        shown.sort(key=lambda c: (self.value[c] == 0, self.value[c]))
        if self.shown(total):
            if i in self.total_first:
                shown.insert(0, total)
            else:
                shown.append(total)
        if shown:
            return shown
        for c in (total, *parts):
            if c in known and known[c] not in seen:
                found = self.hideable(known[c], known, seen)
                if found:
                    return found
        return []

    def settle(self) -> None:
        """Hide cells until no sensitive cell is recovered by subtraction."""
        while True:
            known, violations = self.recovered()
            if not violations:
                return
            changed = False
            for i in violations:
                total, parts = self.identities[i]
                missing = [c for c in (total, *parts) if not self.shown(c) and c not in known]
                if len(missing) != 1:  # an earlier fix in this round already added an unknown
                    continue
                candidates = self.hideable(i, known, set())
                if candidates:
                    self.hidden.add(candidates[0])
                    changed = True
            if not changed:
                return


def _groups(table: pd.DataFrame, keys: tuple[str, ...]) -> list[list[int]]:
    """Row positions of `table` grouped by the values of `keys` (in table order)."""
    if not len(table) or not keys:
        return []
    frame = table.reset_index(drop=True)
    key = frame[list(keys)].astype(str).agg("\x1f".join, axis=1)
    return [list(rows) for rows in frame.groupby(key, sort=False).indices.values()]


def _numeric(table: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)


def _fill(ledger: _Ledger, tables: dict[str, pd.DataFrame]) -> None:
    for name, table in tables.items():
        rules = RULES[name]
        for col in rules.counts:
            if col not in table:
                continue
            for pos, v in enumerate(_numeric(table, col)):
                if not np.isnan(v):
                    ledger.value[(name, pos, col)] = v
                    if ledger.small((name, pos, col)):
                        ledger.hidden.add((name, pos, col))
        for total, parts in rules.complements:
            if total not in table or any(p not in table for p in parts):
                continue
            rest = f"~{total}-{'-'.join(parts)}"
            values = _numeric(table, total) - sum(_numeric(table, p) for p in parts)
            for pos, v in enumerate(values):
                if not np.isnan(v):
                    ledger.value[(name, pos, rest)] = v
                    ledger.add((name, pos, total), [(name, pos, p) for p in parts] + [(name, pos, rest)])
        for keys, cols in rules.same_counts.items():
            for rows in _groups(table, keys):
                for col in cols:
                    for pos in rows[1:]:
                        ledger.add((name, rows[0], col), [(name, pos, col)])
        for col in rules.cumulative:
            for rows in _groups(table, rules.series):
                ordered = sorted(rows, key=lambda p: float(table["wave"].iloc[p]))
                values = _numeric(table, col)
                before = 0.0
                for k, pos in enumerate(ordered):
                    if np.isnan(values[pos]):
                        break
                    step = (name, pos, f"~new-{col}")
                    ledger.value[step] = values[pos] - before
                    if k == 0:
                        ledger.add((name, pos, col), [step])
                    else:
                        ledger.add((name, pos, col), [(name, ordered[k - 1], col), step], total_first=True)
                    before = values[pos]
        if rules.partition_total:
            _partition(ledger, name, table, rules, tables[rules.partition_total])
    _cohorts(ledger, tables["attrition"], tables["breakdowns"])


def _cohorts(ledger: _Ledger, attrition: pd.DataFrame, breakdowns: pd.DataFrame) -> None:
    """A cohort's eligible and reached at a wave are the same count in `attrition` and in the breakdown by
    cohort: one identity each, so that a cell hidden in one table is hidden in the other."""
    if not len(attrition) or not len(breakdowns):
        return
    rows = {(str(c), str(w)): i for i, (c, w) in enumerate(zip(attrition["cohort"], attrition["wave"], strict=True))}
    for pos, (by, group, wave) in enumerate(
        zip(breakdowns["group_by"], breakdowns["group"], breakdowns["wave"], strict=True)
    ):
        at = rows.get((str(group), str(wave))) if by == "cohort" else None
        if at is not None:
            for col in ("eligible", "reached"):
                ledger.add(("attrition", at, col), [("breakdowns", pos, col)])


def _partition(ledger: _Ledger, name: str, table: pd.DataFrame, rules: Rules, totals: pd.DataFrame) -> None:
    """Identities `total = Σ groups` for every count the groups share with the total table."""
    if not len(table) or not len(totals):
        return
    frame = totals.reset_index(drop=True)
    key = frame[list(rules.partition_total_keys)].astype(str).agg("\x1f".join, axis=1)
    first = {k: int(p) for k, p in zip(key[::-1], frame.index[::-1], strict=True)}
    for rows in _groups(table, rules.partition_keys):
        at = "\x1f".join(str(table[c].iloc[rows[0]]) for c in rules.partition_total_keys)
        if at not in first:
            continue
        for col in rules.counts:
            if col in totals:
                ledger.add((rules.partition_total, first[at], col), [(name, pos, col) for pos in rows])


def curve_shown(curve: pd.DataFrame, events: pd.DataFrame, events_hidden: pd.DataFrame) -> pd.Series:
    """For each point of the Kaplan–Meier curves, whether it may be shown: up to the last wave before the
    first wave whose survival in `events` is suppressed (or missing), per indicator."""
    ok = pd.Series(False, index=curve.index)
    if not len(curve) or not len(events):
        return ok
    for indicator, rows in curve.groupby("indicator", sort=False):
        ev = events[events["indicator"] == indicator]
        limit = -np.inf
        for pos in np.argsort(pd.to_numeric(ev["wave"], errors="coerce").to_numpy(), kind="stable"):
            row = ev.index[pos]
            if bool(events_hidden.loc[row, "survival"]) or pd.isna(ev.loc[row, "survival"]):
                break
            limit = float(ev.loc[row, "wave"])
        ok[rows.index] = pd.to_numeric(rows["months"], errors="coerce") <= limit
    return ok


def _hide_block_tests(rules: Rules, table: pd.DataFrame, hidden: pd.DataFrame, min_cell: int) -> None:
    """Hide a block's test (every row of it) when one of the groups it compares (all but NO_ANSWER) has
    1 … min_cell − 1 graduates (`block_first` at its first wave) or events (`block_last` at its last wave)."""
    if not rules.block or not len(table):
        return
    waves = pd.to_numeric(table["wave"], errors="coerce")
    counts = {col: _numeric(table, col) for col in (rules.block_first, rules.block_last)}
    for rows in _groups(table, rules.block):
        block = table.iloc[rows]
        hide = False
        for group, of_group in block.groupby("group", sort=False):
            if group == NO_ANSWER:
                continue
            at = waves.loc[of_group.index].to_numpy()
            first, last = of_group.index[int(at.argmin())], of_group.index[int(at.argmax())]
            for pos, col in ((first, rules.block_first), (last, rules.block_last)):
                hide |= bool(0 < counts[col][pos] < min_cell)  # (the frames are indexed 0…n−1)
        if hide:
            for fig in rules.block_figures:
                hidden.loc[block.index, fig] = True


def suppress(tables: ResultTables, min_cell: int = 5) -> Suppressed:
    """The tables with every disclosive cell suppressed (see the module's docstring for the rule)."""
    if min_cell < 2:
        raise ValueError(f"min_cell must be at least 2 (got {min_cell}); the setting [results] min_cell is 5")
    frames = {name: table.reset_index(drop=True) for name, table in tables.items()}
    ledger = _Ledger(min_cell)
    _fill(ledger, frames)
    ledger.settle()
    hidden = {name: pd.DataFrame(False, index=t.index, columns=t.columns) for name, t in frames.items()}
    for name, pos, col in ledger.hidden:
        hidden[name].at[pos, col] = True  # the tables were re-indexed 0…n−1: position is label
    for name, table in frames.items():
        for count, figures in RULES[name].derived.items():
            if count not in table:
                continue
            for fig in figures:
                if fig in table:
                    hidden[name][fig] |= hidden[name][count]
    for name, table in frames.items():
        _hide_block_tests(RULES[name], table, hidden[name], min_cell)
    curve = frames["survival_curve"]
    if len(curve):
        shown = curve_shown(curve, frames["events"], hidden["events"])
        for col in ("survival", "ci_low", "ci_high"):
            if col in curve:
                hidden["survival_curve"][col] = ~shown
    out = {}
    for name, table in frames.items():
        masked = table.copy()
        for col in table.columns:
            if hidden[name][col].any():
                masked[col] = pd.to_numeric(masked[col], errors="coerce").astype(float).mask(hidden[name][col])
        out[name] = masked
    return Suppressed(ResultTables(**{f.name: out[f.name] for f in fields(ResultTables)}), hidden, min_cell)
