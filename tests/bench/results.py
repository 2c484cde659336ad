"""`make bench-results`: how long scoring the indicators and the result tables take for many graduates, and how
much memory; the roadmap wants result queries under a second at scale, and scoring that grows with a night's
new forms, not with history (issue 7).

The warehouse is made without the pipeline: a home (`init_home`), its migrated warehouse, then graduates,
forms and answers written straight into the tables by tests/bench/results.sql, as the loader would have
written them (lineage in runs, files and file_runs; the answers digest; the window rule of followup.waves). Run 1 holds
--graduates graduates of the three demo organisations who left in 2022–2025: each one's case-closure form,
a specialist's assessment at exit for most, and follow-ups at 3, 6, 12, 24 and 36 months with attrition,
answering the items the shipped indicators score. Run 2 is a night: 1 % of the graduates send the follow-up
due last month.

    .venv/bin/python tests/bench/results.py [--graduates N] [--repeat N] [--home DIR]

Not a test (pytest does not collect it): timings depend on the machine, so they are printed, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from stages import Step, measure

from followup import run_definitions
from followup.home import Home, init_home
from followup.indicators import Indicator
from followup.instruments import Instrument
from followup.results.attrition import attrition_by_cohort
from followup.results.breakdowns import breakdowns, groupings, membership
from followup.results.change import change_by_group, change_since_exit
from followup.results.cost import COSTS_FILE, cost_per_result, home_costs
from followup.results.disclosure import suppress
from followup.results.events import event_tables, events_by_group
from followup.results.render import About
from followup.results.report import write_reports
from followup.results.tables import ResultTables, compute_tables
from followup.results.wave_table import indicator_by_wave
from followup.run import definitions
from followup.snapshot import snapshot_path
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("results.sql")
AS_OF = dt.date(2026, 11, 1)  # run 1's date (every result test's "today")
NIGHT = dt.date(2026, 11, 2)  # run 2's
NIGHT_MONTH = dt.date(2026, 10, 1)  # the month whose follow-ups run 2 brings
NEW_SHARE = 0.01
ORGANISATIONS = ("Дом для мамы", "Кризисный центр „Надежда“", "Приют „Маленькая страна“")


@dataclass(frozen=True)
class Context:
    home: Home
    wh: Warehouse
    instruments: list[Instrument]
    indicators: list[Indicator]

    @property
    def menu(self) -> list[dict[str, Any]]:
        return [i.model_dump() for i in self.indicators]

    @property
    def waves(self) -> list[int]:
        return list(self.home.settings.waves.months)

    @property
    def window(self) -> float:
        return self.home.settings.waves.window


def _store(c: Context, run_id: int, first: bool) -> int:
    """Write the planned forms (bench_responses) of run `run_id` as its loads would: answers, files, the
    graduates (first run), responses, in one transaction; returns how many forms."""
    with c.wh.transaction():
        for name in ("plan_answers", "plan_files", "store_files", "store_file_runs"):
            c.wh.frame(SQL, name, run_id=run_id)
        if first:
            c.wh.frame(SQL, "store_graduates", run_id=run_id)
        c.wh.frame(SQL, "store_responses", run_id=run_id)
        c.wh.frame(SQL, "store_answers")
    counts = c.wh.frame(SQL, "counts")
    c.wh.finish_run(run_id, "completed", int(counts["files"].iloc[0]), 0)
    return int(counts["forms"].iloc[0])


def _start(c: Context, as_of: dt.date) -> int:
    run_id = c.wh.start_run(as_of, None)
    used = run_definitions.current(c.indicators, c.waves, c.instruments)
    c.wh.record_definitions(run_id, used.digest(), used.body(), used.grouping)
    return run_id


def first_run(c: Context, graduates: int) -> int:
    """Run 1: every graduate's forms up to AS_OF; returns how many forms."""
    for name in ("macro_wave", "macro_chance", "items"):
        c.wh.frame(SQL, name)
    c.wh.frame(SQL, "plan_graduates", graduates=graduates)
    run_id = _start(c, AS_OF)
    c.wh.frame(SQL, "plan_first_run", as_of=AS_OF, waves=c.waves, window=c.window)
    return _store(c, run_id, first=True)


def night(c: Context, graduates: int) -> int:
    """Run 2: NEW_SHARE of the graduates answer the wave of NIGHT_MONTH; returns how many forms came."""
    run_id = _start(c, NIGHT)
    c.wh.frame(
        SQL, "plan_night", month=NIGHT_MONTH, graduates=graduates, share=NEW_SHARE, waves=c.waves, window=c.window
    )
    return _store(c, run_id, first=False)


def write_costs(home: Home) -> None:
    """A costs.csv as an accountant keeps it: each organisation's programme cost per year of exit."""
    lines = ["Организация;Период;Затраты, руб.;Проживающих"]
    for n, name in enumerate(ORGANISATIONS):
        cost = f"{12_500_000 + 1_500_000 * n:,}".replace(",", " ")
        lines += [f"{name};{year};{cost};{48 + 6 * n}" for year in range(2022, 2026)]
    (home.root / COSTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Row:
    name: str
    step: Step
    count: float  # what the step went through or made
    unit: str


def _total_rows(tables: ResultTables) -> int:
    return sum(len(t) for _, t in tables.items())


class Bench:
    """The timed steps, in the order a night runs them, each a row of the table."""

    def __init__(self, c: Context, repeat: int) -> None:
        self.c, self.repeat = c, repeat
        self.rows: list[Row] = []

    def add(self, name: str, step: Callable[[], Any], count: Callable[[Any], float], unit: str) -> Step:
        measured = measure(step, self.repeat)
        self.rows.append(Row(name, measured, count(measured.result), unit))
        return measured

    def scoring(self, graduates: int) -> tuple[Step, Step]:
        """Scoring everyone, a night with NEW_SHARE new forms, and a night with none: (everyone, night)."""
        wh, menu = self.c.wh, self.c.menu

        def from_scratch() -> int:
            wh.frame(SQL, "score_from_scratch")  # (each repeat scores everyone again)
            return wh.score_indicators(menu)

        def since_first_run() -> int:
            wh.frame(SQL, "scored_through", run_id=1)  # (each repeat scores the night's graduates again)
            return wh.score_indicators(menu)

        everyone = self.add("score everyone", from_scratch, float, "graduates")
        started = time.perf_counter()
        new = night(self.c, graduates)
        print(f"night (run 2): {new:,} new follow-up forms written in {time.perf_counter() - started:.1f} s")
        tonight = self.add(f"score a night ({NEW_SHARE:.0%} new)", since_first_run, float, "graduates")
        assert tonight.result == new, f"the night scored {tonight.result} graduates, not the {new} with a new form"
        self.add("score, nothing new", lambda: wh.score_indicators(menu), float, "graduates")
        return everyone, tonight

    def tables(self) -> ResultTables:
        """Each result table on its own, then all of them in one call (as a run computes them)."""
        c, wh, waves = self.c, self.c.wh, self.c.waves
        costs = home_costs(c.home)
        assert costs is not None

        def members() -> pd.DataFrame:  # (timed with each table by group: compute_tables makes it once)
            return membership(wh, [g.by for g in groupings(c.instruments)])

        each: list[tuple[str, Callable[[], Any]]] = [
            ("by_wave", lambda: indicator_by_wave(wh, c.indicators, waves, NIGHT)),
            ("change", lambda: change_since_exit(wh, c.indicators, waves)),
            ("events + survival_curve", lambda: event_tables(wh, c.indicators, waves)),
            ("attrition", lambda: attrition_by_cohort(wh, waves, NIGHT)),
            ("breakdowns", lambda: breakdowns(wh, c.indicators, waves, NIGHT, c.instruments)),
            ("change_by_group", lambda: change_by_group(wh, c.indicators, waves, members())),
            ("events_by_group", lambda: events_by_group(wh, c.indicators, waves, members())),
            ("cost", lambda: cost_per_result(wh, c.indicators, costs, NIGHT)),
        ]
        for name, table in each:
            self.add(f"  {name}", table, lambda t: len(getattr(t, "events", t)), "rows")
        every = self.add(
            "compute_tables",
            lambda: compute_tables(wh, c.indicators, waves, NIGHT, costs, instruments=c.instruments),
            _total_rows,
            "rows",
        )
        assert isinstance(every.result, ResultTables)
        return every.result

    def reports(self, tables: ResultTables) -> None:
        c, min_cell = self.c, self.c.home.settings.results.min_cell
        self.add("suppress", lambda: suppress(tables, min_cell), lambda _: _total_rows(tables), "rows")
        about = About(ORGANISATIONS[0], NIGHT, 2)
        write = lambda: write_reports(tables, c.home.reports, about, min_cell)  # noqa: E731
        self.add("write_reports (+ suppress)", write, lambda r: len(r[1]), "files")
        target = snapshot_path(c.home)
        self.add("publish (snapshot copy)", lambda: c.wh.publish(target), lambda p: p.stat().st_size / 2**20, "MB")

    def history(self) -> None:
        wh, menu = self.c.wh, self.c.menu

        def as_of_first_run() -> int:
            with wh.as_of_run(1, menu):
                return int(wh.frame(SQL, "values_count")["n"].iloc[0])

        self.add("as_of_run(1)", as_of_first_run, float, "values")


def print_table(rows: list[Row], repeat: int, everyone: Step, tonight: Step) -> None:
    print()
    print(f"{'step':<28}{'count':>11} {'unit':<10}{'seconds':>9}{'ms':>8}{'per s':>12}{'peak MB':>9}{'added MB':>10}")
    for r in rows:
        s = r.step
        print(
            f"{r.name:<28}{r.count:>11,.0f} {r.unit:<10}{s.seconds:>9.3f}{s.seconds * 1000:>8.0f}"
            f"{r.count / s.seconds:>12,.0f}{s.peak_mb:>9,.0f}{s.peak_mb - s.before_mb:>10,.0f}"
        )
    print()
    print(
        f"a night with {NEW_SHARE:.0%} new forms vs scoring everyone: {tonight.seconds / everyone.seconds:.3f} "
        f"({tonight.seconds:.2f} s / {everyone.seconds:.2f} s)"
    )
    print(f"seconds: the best of {repeat} runs; peak MB: the whole process's during the first run (DuckDB's")
    print("memory included); added MB: the peak less the memory before the step. count: graduates scored, rows")
    print("of the table(s) made, files written, size of the snapshot, indicator values scored as of run 1.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the best time is shown")
    parser.add_argument("--home", type=Path, help="make the home here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="followup-bench-") as folder:
        home, _ = init_home(args.home or Path(folder) / "home")
        write_costs(home)
        instruments, indicators = definitions(home)
        with Warehouse(home.warehouse) as wh:
            c = Context(home, wh, instruments, indicators)
            started = time.perf_counter()
            forms = first_run(c, args.graduates)
            sizes = wh.frame(SQL, "sizes").iloc[0]
            print(
                f"made a warehouse of {sizes['graduates']:,} graduates, {forms:,} forms and {sizes['answers']:,} "
                f"answers (run 1) in {time.perf_counter() - started:.1f} s"
            )
            bench = Bench(c, args.repeat)
            everyone, tonight = bench.scoring(args.graduates)
            tables = bench.tables()
            bench.reports(tables)
            bench.history()
        print_table(bench.rows, args.repeat, everyone, tonight)


if __name__ == "__main__":
    main()
