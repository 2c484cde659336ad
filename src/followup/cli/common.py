"""What every `followup` command shares: the app, the --home option, output consoles and error handling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

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
# No markup: file and sheet names, reasons and answers are printed as they are ("Ответы [v2].csv" keeps its
# brackets); styled words are rich Text objects (`styled`).
console = Console(markup=False)
err = Console(stderr=True, markup=False)


def styled(text: str, style: str) -> Text:
    return Text(text, style=style)


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


def fail(message: str, code: int = 2) -> None:
    err.print(styled("error:", "bold red"), message, highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn followup's own errors (which say what to do) into a message and exit code 2, no traceback."""
    from followup.config import ConfigError
    from followup.definition_files import DefinitionError
    from followup.home import HomeError
    from followup.keys import KeyFileError
    from followup.lock import HomeBusy
    from followup.warehouse import WarehouseError

    try:
        yield
    except HomeBusy as exc:  # (exit code 3: try again later)
        fail(str(exc), code=3)
    except (ConfigError, DefinitionError, HomeError, KeyFileError, WarehouseError) as exc:
        fail(str(exc))


@contextmanager
def one_writer(home: Path | None, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the home's lock (followup.lock) for the block: another writer of the home makes this command
    wait up to `wait` seconds, then exit 3 saying who holds it. (No home yet: the command says so itself.)"""
    from followup.config import CONFIG_FILE, resolve_home
    from followup.lock import home_lock

    root = resolve_home(home)
    if not (root / CONFIG_FILE).exists():
        yield
        return
    with user_errors(), home_lock(root, what, wait):
        yield


WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        help="When another run of this home is in progress: wait up to this many seconds for it (else exit 3).",
    ),
]


def guarded(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with user_errors():
        return fn(*args, **kwargs)


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of must be a date as YYYY-MM-DD, e.g. 2026-03-31 (got '{text}')")
    return None
