"""Commands for researchers: export (the warehouse as SPSS, Stata, CSV or Parquet files, k-anonymous)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from followup.cli.common import HomeOption, WaitOption, app, console, fail, guarded, one_writer, user_errors
from followup.export.writers import ExportFormat


@app.command()
def export(
    home: HomeOption = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="sav (SPSS), dta (Stata), csv or parquet.")
    ] = ExportFormat.sav,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder to write into. Default: HOME/reports/export.")
    ] = None,
    k: Annotated[
        int, typer.Option("--k", help="Each combination of quasi-identifiers covers at least k graduates.")
    ] = 5,
    quasi_identifier: Annotated[
        list[str] | None,
        typer.Option(
            "--quasi-identifier",
            help="Also count this baseline grouping item (e.g. programme) as a quasi-identifier; repeatable.",
        ),
    ] = None,
    wait: WaitOption = 0.0,
) -> None:
    """Write the warehouse for researchers: one row per graduate and wave, and one per answer, with labels.

    SPSS and Stata files carry the variable labels (item code and question) and value labels (the answers)
    from the instrument definitions; codebook.csv lists them for every format. Graduates are pseudonyms;
    organisation, exit month and birth year are generalised (exit quarter or year, 5- or 10-year age band)
    until every combination covers at least k graduates, and graduates still alone are left out (counted in
    README.txt). No name, phone, date, comment or open answer is exported.
    """
    from followup.export.research import ExportError, export_research
    from followup.home import open_home

    with one_writer(home, "followup export", wait):
        h = guarded(open_home, home)
        folder = output or h.reports / "export"
        try:
            with user_errors():
                done = export_research(h, folder, format, k=k, quasi_identifiers=quasi_identifier or [])
        except ExportError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write into {folder} ({exc.strerror}); choose another folder with --output.")
        for path in done.files:
            console.print(f"Wrote {path}", highlight=False)
        console.print(done.anonymity.describe(), highlight=False)
