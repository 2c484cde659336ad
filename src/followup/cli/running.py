"""Commands that set up a home and run it: init, run, results, status, quarantine, demo."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import pandas as pd

from followup.cli.common import (
    Format,
    HomeOption,
    WaitOption,
    app,
    console,
    err,
    fail,
    guarded,
    one_writer,
    parse_date,
    styled,
    user_errors,
)


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(help="Where to create the home (overrides --home).")] = None,
    home: HomeOption = None,
    organisation: Annotated[
        list[str] | None,
        typer.Option(
            "--organisation",
            help="An organisation of a network served by this home, as CODE=NAME (repeat for each): added to "
            "followup.toml as [[organisations]], with its inbox subfolder inbox/CODE/.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a home folder: followup.toml, inbox/, instruments/, reports/, secret.key and the warehouse."""
    from followup.home import init_home

    h, made = guarded(init_home, directory or home, organisation or [])
    if made:
        console.print("Created in", styled(f"{h.root}:", "bold"), ", ".join(made))
    else:
        console.print(styled(str(h.root), "bold"), "is already a complete followup home; nothing was changed.")
    console.print(
        f"Next: drop exports into {h.inbox} and run `followup run --home {h.root}`.\n"
        f"Back up {h.secret_key.name} somewhere safe: without it new answers cannot be linked to old ones."
    )


def _run_nightly(home: Path | None, as_of: dt.date | None, verbose: bool, retry_quarantine: bool = False) -> Any:
    from followup.prefect_env import configure
    from followup.run import preflight

    h = guarded(preflight, home)
    configure(h.prefect_home, h.settings.prefect.api_url, console_level="INFO" if verbose else "WARNING")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from flows.nightly import nightly
    from followup import progress

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),  # (a file name is not markup)
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task_id = bar.add_task("starting Prefect (its local server starts with each run)…", total=None)

        def show(event: progress.Event) -> None:
            if event.total is not None:
                bar.update(task_id, total=event.total, completed=0, description="reading the inbox")
            elif event.stage in ("load", "rejected"):
                bar.update(task_id, advance=1, description=f"{event.stage}: {event.file}")
            else:
                bar.update(task_id, description=f"{event.stage}: {event.file or ''}")

        with progress.listening(show):
            summary = guarded(nightly, home=str(h.root), as_of=as_of, retry_quarantine=retry_quarantine)
    _print_summary(summary)
    return h, summary


def _print_summary(s: Any) -> None:
    for warning in s.warnings:  # first: a run can complete and still leave its figures wrong
        console.print(styled("WARNING:", "bold red"), warning, highlight=False)
    console.print(
        styled(f"Run {s.run_id}:", "bold"),
        f"files seen {s.files_seen} (loaded {s.files_loaded}, rejected "
        f"{s.files_rejected}, already loaded {s.files_skipped}); rows read {s.rows_read} = loaded "
        f"{s.rows_loaded} + quarantined {s.rows_quarantined} + duplicates {s.rows_duplicate}",
        highlight=False,
    )
    if s.rows_retried:
        console.print(f"Quarantined rows of earlier runs validated again: {s.rows_retried} (counted above).")
    for name, reason in s.rejected:
        console.print(styled("rejected", "yellow"), f"{name}: {reason}", highlight=False)
    if s.rejected:
        console.print("Rejected files are in inbox/rejected/, each with a .why.txt beside it.")
    for name, note in s.notes:
        console.print(styled("note", "yellow"), f"{name}: {note}", highlight=False)
    if s.rows_quarantined:
        console.print("See the quarantined rows, with file, row, column and reason: `followup quarantine`.")


@app.command()
def run(
    home: HomeOption = None,
    as_of: Annotated[
        str | None, typer.Option(help="Compute results as of this date (YYYY-MM-DD). Default: today.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's log lines.")] = False,
    retry_quarantine: Annotated[
        bool,
        typer.Option(
            "--retry-quarantine",
            help="After fixing an instrument definition: read the rejected exports again (from inbox/rejected/) "
            "and validate again the rows earlier runs quarantined.",
        ),
    ] = False,
    wait: WaitOption = 0.0,
) -> None:
    """Run the nightly flow once now: load every new export in the inbox and refresh the results.

    Each export then leaves the inbox: loaded ones go to inbox/processed/, rejected ones to inbox/rejected/
    with a .why.txt beside them saying what is wrong and what to do. One run of a home at a time: a second
    waits up to --wait seconds, else exits 3.
    """
    with one_writer(home, "followup run", wait):
        _run_nightly(home, parse_date(as_of), verbose, retry_quarantine)


TABLES = [
    "by_wave", "change", "events", "survival_curve", "attrition", "breakdowns", "change_by_group", "events_by_group",
    "cost",
]  # fmt: skip
# The tables `--by` splits (by_wave, change and events: shown by group) and those by group themselves.
TABLES_BY = ["by_wave", "change", "events", "breakdowns", "change_by_group", "events_by_group"]


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"
    html = "html"


def _result_tables(home: Path | None, as_of: dt.date | None, as_of_run: int | None = None) -> tuple[Any, Any, Any]:
    """The home, every result table as disclosure control leaves it, and what they are of; with `as_of_run`,
    the tables as that run computed them (its data, and its date unless `as_of` is given)."""
    from followup.home import open_home
    from followup.results.cost import home_costs
    from followup.results.disclosure import suppress
    from followup.results.render import About
    from followup.results.tables import compute_tables
    from followup.run import definitions
    from followup.warehouse import Warehouse

    h = guarded(open_home, home)
    instruments, indicators = guarded(definitions, h)
    costs = guarded(home_costs, h)
    if as_of_run is not None:
        from followup.history import tables_as_of_run

        with user_errors():
            computed, day = tables_as_of_run(h, as_of_run, as_of, costs)
        return h, suppress(computed, h.settings.results.min_cell), About(h.settings.organisation, day, as_of_run)
    day = as_of or dt.date.today()
    with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        computed = compute_tables(wh, indicators, h.settings.waves.months, day, costs, instruments=instruments)
        runs = wh.recent_runs(1)
    about = About(h.settings.organisation, day, int(runs["run_id"].iloc[0]) if len(runs) else None)
    return h, suppress(computed, h.settings.results.min_cell), about


def _in_use(h: Any) -> Any:
    """The indicators and baseline groupings the home's tables show (those its loaded forms use)."""
    from followup.results.in_use import in_use
    from followup.run import definitions
    from followup.warehouse import Warehouse

    instruments, indicators = guarded(definitions, h)
    with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        return in_use(wh, indicators, instruments)


@app.command()
def results(
    home: HomeOption = None,
    format: Annotated[
        ResultFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (the terminal), csv or parquet (tidy tables for scripts: codes beside the labels, "
            "see warehouse/README.md), xlsx or html.",
        ),
    ] = ResultFormat.table,
    table: Annotated[
        str | None, typer.Option("--table", "-t", help=f"Only this table: {', '.join(TABLES)}.", show_default=False)
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (csv or parquet of every table: a folder). Default: the home's reports/.",
        ),
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="Due dates as of this date (YYYY-MM-DD).")] = None,
    as_of_run: Annotated[
        int | None,
        typer.Option(
            "--as-of-run",
            help="Reproduce the tables as run N computed them: its data (later corrections and forms left out), "
            "its date and its definitions (indicator menu, waves, grouping items). See `followup status` for the runs.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            help="Split by this grouping in the terminal (repeat for more): organisation, cohort or a baseline "
            "grouping item such as material_help. With --table by_wave, change or events: that table by group "
            "(events with the log-rank test); without --table: every table, those by group by these groupings. "
            "Default: organisation and cohort. csv, parquet, xlsx and html hold every grouping.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show the result tables: each social result by wave (due, reached, share with its interval), change
    since exit, events (Kaplan–Meier), attrition by cohort, breakdowns, change and events by group (with the
    log-rank test), cost per result.

    A count of fewer than min_cell (5, under \\[results] in followup.toml) graduates is shown as «<5», with
    everything computed from it or that would reveal it. csv and parquet write one tidy file per table for
    scripts (snake_case columns, indicator ids and group and organisation codes beside the labels, hidden
    cells empty with a suppressed flag; piped, csv writes one table to stdout); xlsx one sheet per table and a
    notes sheet; html one offline report with charts. The columns are in warehouse/README.md.
    """
    from followup.home import open_home
    from followup.organisations import Network
    from followup.results import render, report, tidy
    from followup.results.breakdowns import groupings

    if table is not None and table not in TABLES:
        fail(f"--table must be one of {', '.join(TABLES)} (got '{table}')")
    if by and table is not None and table not in TABLES_BY:
        fail(f"--table {table} has no groups to choose with --by: --by takes the tables {', '.join(TABLES_BY)}")
    if by and format is not ResultFormat.table:
        fail(
            "--by chooses the groups shown in the terminal: use it without --format (csv, parquet, xlsx and html hold "
            "every grouping, in the tables breakdowns, change_by_group and events_by_group)"
        )
    if by:  # checked before the tables are computed, so that a typo is answered at once
        valid = [g.by for g in groupings(_in_use(guarded(open_home, home)).instruments)]
        unknown = [b for b in by if b not in valid]
        if unknown:
            message = f"no grouping '{unknown[0]}'; use one of: {', '.join(valid)}"
            raise typer.BadParameter(message, param_hint="'--by'")
    h, shown, about = _result_tables(home, parse_date(as_of), as_of_run)
    if format is ResultFormat.table:
        if about.run_id is None:  # (every table would say it has nothing to show)
            console.print(f"No runs yet: drop exports into {h.inbox} and run `followup run --home {h.root}`.")
            return
        one = render.BY_GROUP.get(table, table) if by and table else table  # events --by: events_by_group
        console.print(render.all_rich(shown, about, one, by))
        return
    network = Network.of(h.settings)
    if format is ResultFormat.csv and output is None and not sys.stdout.isatty():  # piped: one table
        tidy.write_csv(tidy.tidy(shown, table or "by_wave", network), sys.stdout)
        return
    if format in (ResultFormat.csv, ResultFormat.parquet):
        fmt: tidy.Format = "parquet" if format is ResultFormat.parquet else "csv"
        if table is None:
            paths = tidy.write_tables(shown, output or h.reports, fmt, network)
        else:
            paths = [tidy.write_table(shown, table, output or h.reports / f"{table}.{fmt}", fmt, network)]
    elif format is ResultFormat.xlsx:
        only = [table] if table else None
        paths = [render.write_xlsx(shown, output or h.reports / "results.xlsx", about, only)]
    else:
        paths = [report.write_html(shown, output or h.reports / "report.html", about)]
    for path in paths:
        console.print(f"Wrote {path}", highlight=False)


@app.command()
def status(
    home: HomeOption = None,
    last: Annotated[int, typer.Option(help="How many runs to show.")] = 10,
) -> None:
    """Show the last runs: when, outcome, files and rows, and why files were rejected."""
    from rich.table import Table

    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = guarded(open_home, home)
    with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        runs = wh.recent_runs(last)
        latest = int(runs["run_id"].iloc[0]) if len(runs) else 0
        rejected = wh.rejected_files(latest)
        failed_checks, (checks, passed) = wh.failed_checks(latest), wh.checks_count(latest)
        shared = wh.shared_waves()
    if runs.empty:
        console.print("No runs yet: drop exports into the inbox and run `followup run`.")
        return
    t = Table(title=f"Last runs in {h.root}")
    for name in ("run", "started", "status", "files seen/loaded/rejected", "rows read/loaded/quar./dup."):
        t.add_column(name, justify="right")
    for r in runs.to_dict("records"):
        colour = {"completed": "green", "failed": "red"}.get(str(r["status"]), "yellow")
        t.add_row(
            str(r["run_id"]),
            f"{r['started_at']:%Y-%m-%d %H:%M}",
            styled(str(r["status"]), colour),
            f"{r['files_seen']}/{r['files_loaded']}/{r['files_rejected']}",
            f"{r['rows_read']}/{r['rows_loaded']}/{r['rows_quarantined']}/{r['rows_duplicate']}",
        )
    console.print(t)
    failed_runs = runs[runs["status"] == "failed"]
    if len(failed_runs):
        first = failed_runs.iloc[0]
        console.print(f"Run {first['run_id']} failed: {first['message']}", highlight=False)
    for name, reason in rejected:
        console.print(styled("rejected in the last run", "yellow"), f"{name}: {reason}", highlight=False)
    console.print(f"Validation in run {latest}: {passed} of {checks} checks passed.", highlight=False)
    for f in failed_checks.to_dict("records"):
        where = f"{f['file_name']}" + (f" [{f['sheet']}]" if f["sheet"] else "")
        what = (
            "forms share their graduate and wave with another form (all kept; results use the latest)"
            if f["check_name"] == "one_answer_per_wave"
            else "rows (see `followup quarantine`)"
        )
        console.print(
            styled(f"  {f['check_name']}", "yellow"),
            f"on '{f['column_name']}' in {where}: {f['rows_failed']} of {f['rows_checked']} {what}",
            highlight=False,
        )
    if len(shared):
        console.print(
            styled("shared waves", "yellow"),
            f"{len(shared)} loaded forms share their graduate, instrument and wave with another "
            f"({shared['pair'].nunique()} graduates' waves); the tables use the latest of each. "
            "`followup quarantine` lists them by file and row.",
            highlight=False,
        )


@app.command()
def quarantine(
    home: HomeOption = None,
    run_id: Annotated[int | None, typer.Option("--run", help="Only the rows this run quarantined.")] = None,
    all_runs: Annotated[
        bool, typer.Option("--all", help="Every row ever quarantined, also those validated again since.")
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="table or csv.")] = Format.table,
) -> None:
    """List quarantined rows: file, sheet, row, column, the check that failed and what to do (never the value).

    By default, every row still waiting in quarantine (from any run); after fixing a definition,
    `followup run --retry-quarantine` validates them again.
    """
    import pandas as pd
    from rich.table import Table

    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = guarded(open_home, home)
    with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        rows = wh.quarantined(run_id, waiting=run_id is None and not all_runs)
        shared = wh.shared_waves()
    which = f"run {run_id}" if run_id is not None else ("all runs" if all_runs else "waiting")
    if format is Format.xlsx:
        fail("quarantine lists rows as a table or csv: use --format csv > quarantine.csv to open it in Excel")
    if format is Format.csv:
        sys.stdout.write(rows.to_csv(index=False))
        return
    if len(shared):
        _print_shared_waves(shared)
    if rows.empty:
        console.print(f"No quarantined rows ({which}).")
        return
    t = Table(title=f"Quarantined rows ({which}): {len(rows)}")
    for col in ("run", "file_name", "sheet", "row", "column", "check", "reason"):
        t.add_column(col.replace("_", " "), overflow="fold")
    for r in rows.to_dict("records"):
        retried = "" if pd.isna(r["retried_in_run"]) else f" (retried in run {int(r['retried_in_run'])})"
        t.add_row(
            str(r["run_id"]),
            str(r["file_name"]),
            str(r["sheet"]),
            str(r["row"]),
            str(r["column"]),
            str(r["check"]),
            str(r["reason"]) + retried,
        )
    console.print(t)


def _print_shared_waves(shared: pd.DataFrame) -> None:
    """Loaded forms that share their graduate, instrument and wave: by file and row, never the answers."""
    import pandas as pd
    from rich.table import Table

    t = Table(
        title=f"Loaded forms sharing a wave with another form of the same graduate: {len(shared)} "
        "(all kept; the tables use the latest of each wave)"
    )
    for col in ("pair", "file_name", "sheet", "row", "instrument", "wave", "months since exit", "used"):
        t.add_column(col.replace("_", " "), overflow="fold")
    for r in shared.to_dict("records"):
        t.add_row(
            str(r["pair"]),
            str(r["file_name"]),
            "" if pd.isna(r["sheet"]) else str(r["sheet"]),
            str(r["row"]),
            str(r["instrument"]),
            str(r["wave"]),
            str(r["months_since_exit"]),
            "yes" if r["used"] else "",
        )
    console.print(t)


@app.command()
def demo(
    home: HomeOption = None,
    graduates: Annotated[int, typer.Option(help="How many made-up graduates.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed of the made-up data.")] = 2026,
) -> None:
    """Make a home with realistic made-up exports, run the nightly flow and show the results."""
    from followup.demo import generate
    from followup.home import init_home
    from followup.results import render
    from followup.results.cost import COSTS_FILE

    h, _ = guarded(init_home, home or Path("demo-home"))
    costs = h.root / COSTS_FILE  # made-up programme costs, so that the cost table has rows too
    corpus = generate(
        h.inbox, h.root / "demo-truth", seed=seed, graduates=graduates, messy=True, costs_file=costs, assessments=True
    )
    console.print(f"Demo exports in {h.inbox}: " + ", ".join(p.name for p in corpus.inbox_files))
    _, summary = _run_nightly(h.root, None, verbose=False)
    _, shown, _ = _result_tables(h.root, None)
    for name in ("by_wave", "events", "attrition"):
        console.print(render.as_rich(shown, name))
    console.print(f"Every table: .venv/bin/followup results --home {h.root}   (--table NAME for one)")
    from followup.snapshot import snapshot_path

    snapshot = snapshot_path(h)
    console.print(f"Warehouse for researchers: {snapshot}   (open it with: .venv/bin/duckdb -readonly {snapshot})")
    for path in summary.reports:
        console.print(f"Report: {path}", highlight=False)
