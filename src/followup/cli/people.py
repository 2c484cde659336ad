"""Commands on people: the review queue, the canary scan, who is due for a call, and erasure."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from followup.cli.common import (
    HomeOption,
    WaitOption,
    app,
    console,
    err,
    fail,
    guarded,
    one_writer,
    styled,
    user_errors,
)


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
    wait: WaitOption = 0.0,
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

    h = guarded(open_home, home)
    deciding = bool(accept or split)
    writer = one_writer(home, "followup review", wait) if deciding else nullcontext()
    with writer, user_errors(), Warehouse(h.warehouse, read_only=not deciding) as wh:
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

    h = guarded(open_home, home)
    try:
        if from_vault:
            from followup.anonymise.contacts import every_identity

            with user_errors():
                value = [*(value or []), *every_identity(h)]
        needles = read_values(value or [], values_file)
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read --values-file (it must be UTF-8 text, one value a line): {exc}")
    if not needles:
        fail("give the values to look for: --value TEXT (repeatable), --values-file FILE or --from-vault")
    try:
        result = scan(h, needles)
    except ValueError as exc:
        fail(str(exc))
    for name, reason in result.unreadable:
        console.print(styled("could not search", "yellow"), f"{name}: {reason}", highlight=False)
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
        fail("some artefacts could not be searched (see above): close what holds them and run this again")


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

    h = guarded(open_home, home)
    first = guarded(contacts.parse_month, month) if month else dt.date.today().replace(day=1)
    key_hex = guarded(lambda: keys.vault_key(keys.load_key(h.secret_key)))
    waves = h.settings.waves.months
    with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
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
        styled("warning:", "bold yellow"),
        "this file holds graduates' names, phones and e-mails. Do not e-mail or share "
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
    wait: WaitOption = 0.0,
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

    with one_writer(home, "followup forget", wait):
        h = guarded(open_home, home)
        if not yes:
            key_hex = guarded(lambda: keys.vault_key(keys.load_key(h.secret_key)))
            with user_errors(), Warehouse(h.warehouse, read_only=True) as wh:
                wh.attach_vault(h.vault, key_hex)
                g = contacts.find(wh, who)
            console.print(
                f"Graduate {g.graduate_id[: contacts.SHORT_ID]}: {g.full_name or '(no name in the vault)'}, "
                f"{g.organisation}, left {g.exit_month:%Y-%m}, {g.forms} forms.",
                highlight=False,
            )
            typer.confirm("Erase her from the contact vault and the warehouse? This cannot be undone", abort=True)
            who = g.graduate_id
        forgotten = guarded(contacts.erase, h, who)
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
