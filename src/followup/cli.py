"""The `followup` command: a thin layer over the library (see `followup --help`)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    help=(
        "followup: long-term follow-up of shelter graduates. Reads questionnaire and interview exports "
        "dropped in a home folder's inbox, validates and pseudonymises them, loads a DuckDB warehouse and "
        "writes result tables by months since exit.\n\n"
        "Start with `followup init`, drop exports into the inbox, then `followup run` and `followup results`. "
        "`followup demo` does all of this on made-up data."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="FOLLOWUP_HOME",
        help="The home folder (settings, inbox, key, warehouse). Default: ./followup-home.",
        show_default=False,
    ),
]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn followup's own errors (which say what to do) into a message and exit code 2, no traceback."""
    from followup.config import ConfigError
    from followup.definition_files import DefinitionError
    from followup.home import HomeError
    from followup.keys import KeyFileError
    from followup.warehouse import WarehouseError

    try:
        yield
    except (ConfigError, DefinitionError, HomeError, KeyFileError, WarehouseError) as exc:
        _fail(str(exc))


def _guarded(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with _user_errors():
        return fn(*args, **kwargs)


@app.command()
def init(
    directory: Annotated[Path | None, typer.Argument(help="Where to create the home (overrides --home).")] = None,
    home: HomeOption = None,
) -> None:
    """Create a home folder: followup.toml, inbox/, instruments/, reports/, secret.key and the warehouse."""
    from followup.home import init_home

    h, made = _guarded(init_home, directory or home)
    if made:
        console.print(f"Created in [bold]{h.root}[/]: " + ", ".join(made))
    else:
        console.print(f"[bold]{h.root}[/] is already a complete followup home; nothing was changed.")
    console.print(
        f"Next: drop exports into {h.inbox} and run `followup run --home {h.root}`.\n"
        f"Back up {h.secret_key.name} somewhere safe: without it new answers cannot be linked to old ones."
    )


def _run_nightly(home: Path | None, as_of: dt.date | None, verbose: bool, retry_quarantine: bool = False) -> Any:
    from followup.prefect_env import configure
    from followup.run import preflight

    h = _guarded(preflight, home)
    configure(h.prefect_home, h.settings.prefect.api_url, console_level="INFO" if verbose else "WARNING")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from flows.nightly import nightly
    from followup import progress

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
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
            summary = _guarded(nightly, home=str(h.root), as_of=as_of, retry_quarantine=retry_quarantine)
    _print_summary(summary)
    return h, summary


def _print_summary(s: Any) -> None:
    console.print(
        f"[bold]Run {s.run_id}[/]: files seen {s.files_seen} (loaded {s.files_loaded}, rejected "
        f"{s.files_rejected}, already loaded {s.files_skipped}); rows read {s.rows_read} = loaded "
        f"{s.rows_loaded} + quarantined {s.rows_quarantined} + duplicates {s.rows_duplicate}",
        highlight=False,
    )
    if s.rows_retried:
        console.print(f"Quarantined rows of earlier runs validated again: {s.rows_retried} (counted above).")
    for name, reason in s.rejected:
        console.print(f"[yellow]rejected[/] {name}: {reason}", highlight=False)
    if s.rejected:
        console.print("Rejected files are in inbox/rejected/, each with a .why.txt beside it.")
    for name, note in s.notes:
        console.print(f"[yellow]note[/] {name}: {note}", highlight=False)
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
) -> None:
    """Run the nightly flow once now: load every new export in the inbox and refresh the results.

    Each export then leaves the inbox: loaded ones go to inbox/processed/, rejected ones to inbox/rejected/
    with a .why.txt beside them saying what is wrong and what to do.
    """
    _run_nightly(home, _date(as_of), verbose, retry_quarantine)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"--as-of must be a date as YYYY-MM-DD, e.g. 2026-03-31 (got '{text}')")
    return None


def _result_table(home: Path | None, as_of: dt.date | None) -> tuple[Any, Any]:
    from followup.home import open_home
    from followup.results.wave_table import indicator_by_wave
    from followup.run import definitions
    from followup.warehouse import Warehouse

    h = _guarded(open_home, home)
    _, indicators = _guarded(definitions, h)
    with _user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        table = indicator_by_wave(wh, indicators, h.settings.waves.months, as_of or dt.date.today())
    return h, table


@app.command()
def results(
    home: HomeOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table, csv or xlsx.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File for csv/xlsx.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Due dates as of this date (YYYY-MM-DD).")] = None,
) -> None:
    """Show each social result by wave (months since exit): due, reached, share with the result."""
    from followup.results import render

    h, table = _result_table(home, _date(as_of))
    if format is Format.table:
        console.print(render.as_rich(table, f"{h.settings.organisation}: результаты по волнам"))
        return
    path = output or h.reports / f"indicator_by_wave.{format.value}"
    if format is Format.csv:
        if output is None and not sys.stdout.isatty():
            sys.stdout.write(render.russian(table).to_csv(index=False))
            return
        render.write_csv(table, path)
    else:
        render.write_xlsx(table, path, render.NOTES)
    console.print(f"Wrote {path}")


@app.command()
def status(
    home: HomeOption = None,
    last: Annotated[int, typer.Option(help="How many runs to show.")] = 10,
) -> None:
    """Show the last runs: when, outcome, files and rows, and why files were rejected."""
    from rich.table import Table

    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = _guarded(open_home, home)
    with _user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        runs = wh.recent_runs(last)
        latest = int(runs["run_id"].iloc[0]) if len(runs) else 0
        rejected = wh.rejected_files(latest)
        failed_checks, (checks, passed) = wh.failed_checks(latest), wh.checks_count(latest)
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
            f"[{colour}]{r['status']}[/]",
            f"{r['files_seen']}/{r['files_loaded']}/{r['files_rejected']}",
            f"{r['rows_read']}/{r['rows_loaded']}/{r['rows_quarantined']}/{r['rows_duplicate']}",
        )
    console.print(t)
    failed_runs = runs[runs["status"] == "failed"]
    if len(failed_runs):
        first = failed_runs.iloc[0]
        console.print(f"Run {first['run_id']} failed: {first['message']}", highlight=False)
    for name, reason in rejected:
        console.print(f"[yellow]rejected in the last run[/] {name}: {reason}", highlight=False)
    console.print(f"Validation in run {latest}: {passed} of {checks} checks passed.", highlight=False)
    for f in failed_checks.to_dict("records"):
        where = f"{f['file_name']}" + (f" [{f['sheet']}]" if f["sheet"] else "")
        what = (
            "forms share their graduate and wave with another form (all kept; results use the latest)"
            if f["check_name"] == "one_answer_per_wave"
            else "rows (see `followup quarantine`)"
        )
        console.print(
            f"  [yellow]{f['check_name']}[/] on '{f['column_name']}' in {where}: "
            f"{f['rows_failed']} of {f['rows_checked']} {what}",
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

    h = _guarded(open_home, home)
    with _user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        rows = wh.quarantined(run_id, waiting=run_id is None and not all_runs)
    which = f"run {run_id}" if run_id is not None else ("all runs" if all_runs else "waiting")
    if format is Format.xlsx:
        _fail("quarantine lists rows as a table or csv: use --format csv > quarantine.csv to open it in Excel")
    if format is Format.csv:
        sys.stdout.write(rows.to_csv(index=False))
        return
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


@app.command()
def review(
    home: HomeOption = None,
    accept: Annotated[
        list[str] | None,
        typer.Option("--accept", help="Link this identity (its pseudonym, or its start) to its candidate."),
    ] = None,
    split: Annotated[
        list[str] | None, typer.Option("--split", help="This identity is not its candidate (a different woman).")
    ] = None,
    names: Annotated[
        bool, typer.Option("--names", help="Also show the names from the contact vault (staff with the key only).")
    ] = False,
) -> None:
    """The review queue: forms whose writer may be a known graduate, but not surely.

    Lists each uncertain pair by pseudonym and name similarity (and, with --names, the names as written, from
    the encrypted contact vault). Decide with --accept ID or --split ID; then `followup run
    --retry-quarantine` loads the forms that waited.
    """
    from rich.table import Table

    from followup import keys
    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = _guarded(open_home, home)
    deciding = bool(accept or split)
    with _user_errors(), Warehouse(h.warehouse, read_only=not deciding) as wh:
        if names or deciding:
            wh.attach_vault(h.vault, keys.vault_key(keys.load_key(h.secret_key)))
        if deciding:
            for prefix in accept or []:
                console.print(wh.decide_review(prefix, "accepted"), highlight=False)
            for prefix in split or []:
                console.print(wh.decide_review(prefix, "split"), highlight=False)
            console.print("Load the forms that waited with `followup run --retry-quarantine`.")
            return
        waiting = wh.waiting_reviews(with_names=names)
    if waiting.empty:
        console.print("No uncertain links wait for review.")
        return
    t = Table(title=f"Uncertain links: {len(waiting)}")
    columns = ["identity", "may be graduate", "similarity", "forms", "organisation", "exit month"]
    columns += ["name as written", "graduate's name"] if names else []
    for col in columns:
        t.add_column(col, overflow="fold")
    for r in waiting.to_dict("records"):
        cells = [
            str(r["alias_id"])[:12],
            str(r["candidate_id"])[:12],
            f"{r['similarity']:.0f}%",
            str(r["forms"]),
            str(r["organisation"] or ""),
            str(r["exit_month"] or "")[:7],
        ]
        cells += [str(r.get("written") or ""), str(r.get("recorded_name") or "")] if names else []
        t.add_row(*cells)
    console.print(t)
    console.print("Decide with `followup review --accept ID` or `--split ID` (the first characters of the identity).")


instrument_app = typer.Typer(help="Instrument definitions: start one from an export.", no_args_is_help=True)
app.add_typer(instrument_app, name="instrument")


@instrument_app.command("draft")
def instrument_draft(
    file: Annotated[Path, typer.Argument(help="An export (CSV, XLSX, JSON, SAV) of the questionnaire.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML here (default: print it).")
    ] = None,
    instrument_id: Annotated[
        str | None,
        typer.Option("--id", help="The instrument's id (Latin letters, digits, _). Default: from the file name."),
    ] = None,
) -> None:
    """Write a starting definition from an export: columns, guessed roles and answer options, to edit."""
    from followup.draft import draft
    from followup.readers import ReadError

    if not file.is_file():
        _fail(f"{file} is not a file")
    try:
        text = draft(file, instrument_id)
    except ReadError as exc:
        _fail(str(exc))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {output}. Check the lines marked CHECK, then put it in your home's instruments/ folder.")


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

    h, _ = _guarded(init_home, home or Path("demo-home"))
    corpus = generate(h.inbox, h.root / "demo-truth", seed=seed, graduates=graduates, messy=True)
    console.print(f"Demo exports in {h.inbox}: " + ", ".join(p.name for p in corpus.inbox_files))
    _, summary = _run_nightly(h.root, None, verbose=False)
    _, table = _result_table(h.root, None)
    console.print(render.as_rich(table, "Демо: результаты по волнам (месяцев после выхода)"))
    console.print(f"Warehouse: {h.warehouse}   (open it with: .venv/bin/duckdb -readonly {h.warehouse})")
    for path in summary.reports:
        console.print(f"Report: {path}")


@app.command("check-pii")
def check_pii(
    home: HomeOption = None,
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value",
            help="A planted value to look for (repeatable). Its kind (name, phone, email, date) is guessed; "
            "write e.g. 'name: Роза' to set it.",
        ),
    ] = None,
    values_file: Annotated[
        Path | None,
        typer.Option("--values-file", help="A UTF-8 file of values, one a line; lines starting with # are skipped."),
    ] = None,
    from_vault: Annotated[
        bool,
        typer.Option(
            "--from-vault",
            help="Also look for every graduate's recorded name, surname, phone and e-mail from the contact vault.",
        ),
    ] = False,
) -> None:
    """Search the home for planted personal values (canaries); exit code 1 if one is found, never printing it.

    Searched: every column of every table and view of the warehouse (and of any other DuckDB file), the
    bytes of every file under the home (the warehouse and its .wal, Prefect's database in .prefect/ with
    its -wal, reports, logs, GX artefacts), the members of .xlsx and .zip files, and a SQL dump of
    Prefect's database. Names in any case and as normalised, phones also as digits and as the national
    number, dates also as YYYY-MM-DD; UTF-8, Windows-1251 and UTF-16.

    Not searched: the inbox (the raw exports are there) and files whose name starts with "vault" (the
    contact vault holds names), by design; a Prefect server set by prefect.api_url (its database is
    elsewhere). A date may also appear as the date of a run.
    """
    from rich.table import Table

    from followup.home import open_home
    from followup.pii_scan import read_values, scan

    h = _guarded(open_home, home)
    try:
        if from_vault:
            from followup.anonymise.contacts import every_identity

            with _user_errors():
                value = [*(value or []), *every_identity(h)]
        needles = read_values(value or [], values_file)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read --values-file (it must be UTF-8 text, one value a line): {exc}")
    if not needles:
        _fail("give the values to look for: --value TEXT (repeatable), --values-file FILE or --from-vault")
    try:
        result = scan(h, needles)
    except ValueError as exc:
        _fail(str(exc))
    for name, reason in result.unreadable:
        console.print(f"[yellow]could not search[/] {name}: {reason}", highlight=False)
    if result.findings:
        t = Table(title=f"Planted values found: {len(result.findings)} (the values themselves are not shown)")
        for col in ("artefact", "where", "value"):
            t.add_column(col, overflow="fold")
        for f in result.findings:
            t.add_row(f.artefact, f.where, f.value)
        console.print(t)
        raise typer.Exit(1)
    console.print(
        f"No planted value ({len(needles)} given) found in {result.artefacts} artefacts:\n"
        f"{result.describe()}\nNot searched, by design: the inbox and vault* files.",
        highlight=False,
    )
    if result.unreadable:
        _fail("some artefacts could not be searched (see above): close what holds them and run this again")


class DueFormat(StrEnum):
    table = "table"
    xlsx = "xlsx"


@app.command()
def due(
    month: Annotated[
        str | None, typer.Option(help="The month of the calls, YYYY-MM (e.g. 2027-03). Default: this month.")
    ] = None,
    home: HomeOption = None,
    format: Annotated[DueFormat, typer.Option("--format", "-f", help="table or xlsx.")] = DueFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The XLSX file. Default: due-YYYY-MM.xlsx here.")
    ] = None,
) -> None:
    """Who is due for a follow-up in a month, with her name and every phone and e-mail known (staff with the key).

    A graduate is due when her exit month plus a wave (waves.months in followup.toml) is the month; one row
    per graduate and wave, with whether a follow-up of hers already counts for that wave (answered early,
    within the wave's window) and the month of her latest follow-up. Names and phones come from the
    encrypted contact vault. Graduates erased with `followup forget` are not listed. The XLSX holds personal
    data: it is written readable by you only (mode 0600); do not send, share or sync it.
    """
    from rich.table import Table

    from followup import keys
    from followup.anonymise import contacts
    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = _guarded(open_home, home)
    first = _guarded(contacts.parse_month, month) if month else dt.date.today().replace(day=1)
    key_hex = _guarded(lambda: keys.vault_key(keys.load_key(h.secret_key)))
    waves = h.settings.waves.months
    with _user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
        wh.attach_vault(h.vault, key_hex)
        found = contacts.due(wh, first, waves)
    if found.empty:
        console.print(f"No graduate is due in {first:%Y-%m} (waves: {', '.join(map(str, waves))} months after exit).")
        return
    table = contacts.for_caller(found, h.settings.identity.phone_region)
    title = f"Кому звонить в {first:%Y-%m}: {len(table)}"
    if format is DueFormat.table:
        t = Table(title=title)
        for col in table.columns:
            t.add_column(col, overflow="fold")
        for values in table.itertuples(index=False):
            t.add_row(*(str(v) for v in values))
        console.print(t)
        return
    path = output or Path(f"due-{first:%Y-%m}.xlsx")
    contacts.write_xlsx(table, path, sheet=f"Обзвон {first:%Y-%m}")
    console.print(f"Wrote {path} ({len(table)} rows, readable by you only).", highlight=False)
    err.print(
        "[bold yellow]warning:[/] this file holds graduates' names, phones and e-mails. Do not e-mail or share "
        "it, do not put it in a synced folder (Яндекс Диск, Google Drive, OneDrive, Dropbox) or print it for "
        "others; delete it when the calls are done.",
        highlight=False,
    )


@app.command()
def forget(
    who: Annotated[
        str,
        typer.Argument(
            help="Her pseudonym (its first 8 characters at least, as `followup due` shows it) or her recorded name.",
            show_default=False,
        ),
    ],
    home: HomeOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking for confirmation.")] = False,
) -> None:
    """Erase a graduate on her request: her contacts from the vault and everything of hers from the warehouse.

    WHO is her pseudonym (at least its first 8 characters, as `followup due` shows it) or her recorded name.
    It asks before erasing, showing who that is, unless --yes is given.

    Deleted: her names, phones and e-mails (vault); her graduate row, forms, answers, comments, indicator
    values, aliases and reviews (warehouse). Both files are then rewritten, so no byte of her is left in
    them, and results computed afterwards no longer count her.

    Not deleted: quarantined rows (they name a file and row, never a graduate), run and file counts,
    reports written before (the next run rewrites them), backups, and the exports her forms came from (in
    inbox/processed/; listed after the erasure). An export that still holds her, dropped into the inbox
    again, would load her again: delete her rows from it first.
    """
    from followup import keys
    from followup.anonymise import contacts
    from followup.home import open_home
    from followup.warehouse import Warehouse

    h = _guarded(open_home, home)
    if not yes:
        key_hex = _guarded(lambda: keys.vault_key(keys.load_key(h.secret_key)))
        with _user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
            wh.attach_vault(h.vault, key_hex)
            g = contacts.find(wh, who)
        console.print(
            f"Graduate {g.graduate_id[: contacts.SHORT_ID]}: {g.full_name or '(no name in the vault)'}, "
            f"{g.organisation}, left {g.exit_month:%Y-%m}, {g.forms} forms.",
            highlight=False,
        )
        typer.confirm("Erase her from the contact vault and the warehouse? This cannot be undone", abort=True)
        who = g.graduate_id
    forgotten = _guarded(contacts.erase, h, who)
    counts = [
        f"{where}: " + ", ".join(f"{table} {n}" for table, n in deleted.items())
        for where, deleted in (("vault", forgotten.vault), ("warehouse", forgotten.warehouse))
    ]
    console.print(
        f"Erased graduate {forgotten.graduate_id[: contacts.SHORT_ID]}. Rows deleted, {'; '.join(counts)}. "
        f"Both files were rewritten.",
        highlight=False,
    )
    if forgotten.files:
        console.print(
            "Her forms came from these exports, which still hold her name: delete her rows from them (or the "
            f"files) in {h.inbox}: " + "; ".join(forgotten.files),
            highlight=False,
        )
    console.print(
        "Kept: quarantined rows (no graduate id), run and file counts. Reports in reports/ still count her "
        "until the next run; backups of vault.duckdb made before still hold her.",
        highlight=False,
    )


if __name__ == "__main__":
    app()
