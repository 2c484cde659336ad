"""Load: one file's anonymised tables into the warehouse, in one transaction, with the books kept.

Every row read ends loaded, quarantined or counted as a duplicate (load.sql decides each row's fate), and
the file's counts must add up before the transaction commits. A form loaded before that comes again with
changed answers (a corrected export) is loaded as its new version: the version it supersedes moves to the
history tables (migration 007). SQL runs through the warehouse gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from followup.warehouse import LoadCounts, Warehouse, WarehouseError
from followup.waves import candidates, place


class CountMismatch(WarehouseError):
    """Rows read did not equal rows loaded + quarantined + duplicate: the load was rolled back."""


NO_COMMENTS = pd.DataFrame(
    {
        "_row": pd.Series(dtype="int64"),
        "response_id": pd.Series(dtype="string"),
        "question": pd.Series(dtype="string"),
        "text": pd.Series(dtype="string"),
    }
)


@dataclass(frozen=True)
class TableLoad:
    """One table (sheet) of a file, anonymised and ready to load."""

    sheet: str | None
    kind: str
    instrument: str
    version: int
    rows_read: int
    responses: pd.DataFrame
    answers: pd.DataFrame
    quarantine: pd.DataFrame  # ROW, column, check, reason
    validation: pd.DataFrame
    waves: list[int]
    window: float
    dated_by: str = "timestamp"  # the header of the column that dates the form
    wave_column: str = "wave"  # the header of the column that declares the wave (or what declares it)
    comments: pd.DataFrame | None = None  # _row, response_id, question, text (redacted)


def load_file(
    wh: Warehouse, *, run_id: int, file_id: str, file_name: str, tables: list[TableLoad], retry: bool = False
) -> LoadCounts:
    """Load every table of one file and record what was done, in one transaction: a run killed midway
    leaves no trace of the file, which is then read again by the next run.

    Every row read is loaded, quarantined or counted as a duplicate; if the counts disagree nothing of
    the file is kept and CountMismatch is raised. With `retry`, the tables hold only the rows that an
    earlier run quarantined; those quarantine rows are marked as retried by this run.
    """
    total, rows_read = LoadCounts(0, 0, 0), sum(t.rows_read for t in tables)
    with wh.transaction():
        if retry:
            wh.run("runs.sql", "mark_retried", run_id=run_id, file_id=file_id)
        for t in tables:
            total = total + _load_table(wh, run_id, file_id, file_name, t)
        if total.rows_loaded + total.rows_quarantined + total.rows_duplicate != rows_read:
            raise CountMismatch(
                f"{file_name}: read {rows_read} rows but loaded {total.rows_loaded}, quarantined "
                f"{total.rows_quarantined} and counted {total.rows_duplicate} duplicates. Nothing of this "
                "file was kept; please report this as a bug."
            )
        wh.file_run(run_id, file_id, file_name, "retried" if retry else "loaded", total, rows_read, "")
        if retry:
            wh.run("runs.sql", "file_retried", file_id=file_id, rows_read=rows_read, **total.as_params())
        else:
            wh.run(
                "runs.sql",
                "file_state",
                run_id=run_id,
                file_id=file_id,
                file_name=file_name,
                sheet=", ".join(t.sheet for t in tables if t.sheet) or None,
                instrument=", ".join(dict.fromkeys(t.instrument for t in tables)),
                version=tables[0].version,
                status="loaded",
                reason=None,
                rows_read=rows_read,
                **total.as_params(),
            )
    return total


def _load_table(wh: Warehouse, run_id: int, file_id: str, file_name: str, t: TableLoad) -> LoadCounts:
    """One table (sheet) of a file, inside the file's transaction."""
    params = dict(
        run_id=run_id,
        file_id=file_id,
        file_name=file_name,
        sheet=t.sheet,
        kind=t.kind,
        instrument=t.instrument,
        version=t.version,
        window=t.window,
        declarable=candidates(t.kind, t.waves),
        dated_by=t.dated_by,
        wave_column=t.wave_column,
    )
    staged = wh.staged(
        staged_responses=t.responses,
        staged_answers=t.answers,
        staged_quarantine=t.quarantine.rename(columns={"column": "column_name", "check": "check_name"}),
        staged_validation=t.validation,
        staged_comments=t.comments if t.comments is not None else NO_COMMENTS,
    )
    with staged:
        loading = (
            "classify",
            "quarantine_rows",
            # a corrected form or case-closure: the current version moves to history, then the new one loads
            "superseded",
            "keep_graduates_history",
            "update_graduates",
            "keep_responses_history",
            "keep_answers_history",
            "keep_comments_history",
            "drop_superseded",
            "drop_superseded_comments",
            "drop_superseded_responses",
            "place_again",
            "insert_graduates",
            "insert_responses",
            "insert_answers",
        )
        for name in loading:
            wh.run("load.sql", name, **params)
        _place(wh, t, run_id)
        recording = (
            "validation_results",
            "one_answer_per_wave",
            "insert_aliases",
            "ask_reviews",
            "insert_comments",
        )
        for name in recording:
            wh.run("load.sql", name, **params)
        fates = dict(wh.run("load.sql", "fates").fetchall())
        counts = LoadCounts(
            rows_loaded=int(fates.pop("load", 0)) + int(fates.pop("supersede", 0)),  # a new version is loaded
            rows_duplicate=int(fates.pop("duplicate", 0)),
            rows_quarantined=int(t.quarantine["_row"].nunique()) + int(sum(fates.values())),
        )
        if counts.rows_loaded + counts.rows_quarantined + counts.rows_duplicate != t.rows_read:
            where = f"{file_name}{f' [{t.sheet}]' if t.sheet else ''}"
            raise CountMismatch(
                f"{where}: read {t.rows_read} rows but loaded {counts.rows_loaded}, quarantined "
                f"{counts.rows_quarantined} and counted {counts.rows_duplicate} duplicates. Nothing of this "
                "file was kept; please report this as a bug."
            )
    return counts


def _place(wh: Warehouse, t: TableLoad, run_id: int) -> None:
    """Place in waves every form of the graduates this table touched (followup.waves), and move those whose
    wave changed; a moved form's version before is kept in history."""
    forms = wh.run("load.sql", "to_place").df()
    if forms.empty:
        return
    forms["declared"] = forms["declared"].astype("Int64")
    placed = forms[["response_id"]].assign(wave=place(forms, t.waves, t.window))
    with wh.staged(placed=placed):
        wh.run("load.sql", "keep_moved_history", run_id=run_id)
        wh.run("load.sql", "move_placed", run_id=run_id)
