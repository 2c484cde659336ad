"""The researcher export, whole: read the warehouse, make it k-anonymous, write the files.

`export_research` writes into one folder:
* `graduate_waves.<ext>`: one row per graduate and wave she answered in, every coded item a column;
* `answers.<ext>`: one row per coded answer (the long file);
* `codebook.csv`: every variable's name, label, source item or indicator and value labels;
* `README.txt`: what the files are, and how k-anonymity was reached (see `kanonymity`).

"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from followup.export.frames import long_table, wide_table
from followup.export.kanonymity import Generalised, generalise
from followup.export.writers import CODEBOOK_FILE, NOTES_FILE, ExportFormat, write_codebook, write_table
from followup.home import Home
from followup.run import definitions
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("export.sql")
WIDE_FILE = "graduate_waves"
LONG_FILE = "answers"


class ExportError(Exception):
    """The export cannot be written as asked; the message says what to do."""


@dataclass(frozen=True)
class Exported:
    files: list[Path]
    anonymity: Generalised
    rows: dict[str, int]  # rows of each data file


def export_research(
    home: Home,
    output: Path,
    fmt: ExportFormat = ExportFormat.sav,
    k: int = 5,
    quasi_identifiers: list[str] | None = None,
    max_suppressed: float = 0.05,
) -> Exported:
    """Write the export of the home's warehouse into `output` (made if missing). `quasi_identifiers`: baseline
    grouping items (of the case-closure instrument) counted as quasi-identifiers besides organisation, exit
    and age. Raises ExportError for an unknown grouping item or a k below 2."""
    instruments, indicators = definitions(home)
    grouping = {code for inst in instruments if inst.kind == "baseline" for code in inst.grouping}
    extra = list(quasi_identifiers or [])
    unknown = [c for c in extra if c not in grouping]
    if unknown:
        raise ExportError(
            f"--quasi-identifier {', '.join(unknown)}: not a grouping item of the case-closure form; "
            f"choose from: {', '.join(sorted(grouping)) or 'none is defined'}."
        )
    if k < 2:
        raise ExportError(f"k = {k} protects no one: give --k 2 or more (5 is the usual minimum).")
    ext = fmt.value
    with Warehouse(home.warehouse, read_only=True) as wh:
        graduates = wh.frame(SQL, "graduates")
        if graduates.empty:
            raise ExportError(
                "the warehouse holds no graduate yet: drop the case-closure exports into the inbox and run "
                "`followup run` first."
            )
        output.mkdir(parents=True, exist_ok=True)
        if extra:
            at_exit = wh.frame(SQL, "grouping_at_exit", items=extra)
            wide_exit = at_exit.pivot(index="graduate_id", columns="item", values="value")
            graduates = graduates.join(wide_exit.reindex(columns=extra), on="graduate_id")
        people = generalise(graduates, k=k, extra=extra, max_suppressed=max_suppressed)
        # Labels come from the definitions of the forms loaded (an item code shared with an unused
        # definition, e.g. a shipped one, keeps the labels of the form that was filled in).
        used = set(wh.frame(SQL, "instruments_used")["instrument"])
        instruments = [inst for inst in instruments if inst.instrument in used]
        wide, wide_vars = wide_table(
            people,
            wh.frame(SQL, "waves"),
            wh.frame(SQL, "latest_answers"),
            wh.frame(SQL, "indicator_values"),
            instruments,
            indicators,
        )
        long, long_vars = long_table(people, wh.frame(SQL, "answers"), instruments)

        def parquet(table: pd.DataFrame, path: Path) -> None:
            with wh.staged(staged_export=table):
                wh.frame(SQL, "write_parquet", path=str(path))

        made = f"followup export {dt.date.today():%Y-%m-%d}"
        files = [
            write_table(wide, wide_vars, output / f"{WIDE_FILE}.{ext}", fmt, f"{made}: graduate x wave", parquet),
            write_table(long, long_vars, output / f"{LONG_FILE}.{ext}", fmt, f"{made}: answers", parquet),
        ]
    files.append(write_codebook(output / CODEBOOK_FILE, {WIDE_FILE: wide_vars, LONG_FILE: long_vars}))
    files.append(_write_notes(output / NOTES_FILE, people, len(wide), len(long), ext))
    return Exported(files, people, {WIDE_FILE: len(wide), LONG_FILE: len(long)})


def _write_notes(path: Path, people: Generalised, wide_rows: int, long_rows: int, ext: str) -> Path:
    path.write_text(
        f"""Researcher export of a followup warehouse ({dt.date.today():%Y-%m-%d}).

{WIDE_FILE}.{ext}: {wide_rows} rows, one per graduate and wave she answered in (wave = months since exit:
  0 = the case-closure form). Items are coded as numbers: yes/no 1/0, a single choice 1..n, a multiple
  choice one 0/1 variable per option, Likert and numbers as answered; ind_* are the indicators (1 = has the
  result), score_* the scores of scale indicators. When a wave has several forms, each item is taken from
  the latest form of the wave that answered it.
{LONG_FILE}.{ext}: {long_rows} rows, one per coded answer of every form (forms outside any wave included).
{CODEBOOK_FILE}: every variable: its label (the item or indicator code first), source and value labels.

{people.describe()}
Quasi-identifiers: {", ".join(people.quasi_identifiers)}. Names, phones, e-mails, addresses, dates,
comments and open answers are not in the export; graduate_id is the warehouse's keyed pseudonym.
""",
        encoding="utf-8",
    )
    return path
