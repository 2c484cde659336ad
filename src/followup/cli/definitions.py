"""Commands on instrument definitions: `followup instrument draft`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from followup.cli.common import app, console, fail

instrument_app = typer.Typer(help="Instrument definitions: start one from an export.", no_args_is_help=True)
app.add_typer(instrument_app, name="instrument")


@instrument_app.command("draft")
def instrument_draft(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Exports (CSV, XLSX, JSON, SAV) of the questionnaire: several exports of the same form (its "
            "versions, its waves) make one definition.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML here (default: print it).")
    ] = None,
    instrument_id: Annotated[
        str | None,
        typer.Option("--id", help="The instrument's id (Latin letters, digits, _). Default: from the file name."),
    ] = None,
) -> None:
    """Write a starting definition from exports of one form: columns, guessed roles and answer options, a
    version per header, the wave from the file names when they differ only by a number; to edit."""
    from followup.draft import draft
    from followup.readers import ReadError

    for file in files:
        if not file.is_file():
            fail(f"{file} is not a file")
    try:
        text = draft(files, instrument_id)
    except ReadError as exc:
        fail(str(exc))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {output}. Check the lines marked CHECK, then put it in your home's instruments/ folder.")
