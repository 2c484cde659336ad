"""Quarantined rows read again: which filed exports hold rows that earlier runs quarantined
(`followup run --retry-quarantine`, and every night after definitions change)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from followup import filing
from followup.discover import Export


@dataclass(frozen=True)
class Retry:
    """A loaded file with rows quarantined by earlier runs: read it again from where it was filed and
    validate those rows (by sheet) with tonight's definitions."""

    export: Export
    rows: dict[str | None, list[int]]  # sheet (None for a CSV) -> row numbers


def filed_retries(waiting: pd.DataFrame, inbox: Path) -> tuple[list[Retry], list[tuple[str, str]]]:
    """The retries of the quarantined rows `waiting` (file_id, file_name, stored_as, sheet, rows), and a note
    (file name, what happened) for each file that is no longer where it was filed."""
    found: dict[str, Retry] = {}
    notes = []
    for w in waiting.to_dict("records"):
        stored = inbox / str(w["stored_as"]) if w["stored_as"] else None
        if stored is None or not stored.is_file():
            where = inbox / filing.PROCESSED
            note = f"its quarantined rows cannot be retried: the file is no longer in {where}; put the export in the "
            note += "inbox again"
            notes.append((str(w["file_name"]), note))
            continue
        retry = found.setdefault(str(w["file_id"]), Retry(Export(stored, str(w["file_id"]), str(w["file_name"])), {}))
        sheet = None if pd.isna(w["sheet"]) else str(w["sheet"])
        retry.rows[sheet] = [int(n) for n in w["rows"]]
    return list(found.values()), notes
