"""Row checks driven by the instrument definition: good rows are coded, failing rows are quarantined.

A quarantine entry names the file's row, the column and the check, and says what to do; it never holds
the value itself (a mistyped cell may hold a name or a phone number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from followup.instruments import NO_LABELS, YES_LABELS, Item, Match, normalise_label
from followup.readers.table import ROW, RawTable

ROLE_COLUMNS = ("full_name", "phone", "email", "birth_date", "timestamp", "exit_date", "organisation", "submission_id")


@dataclass(frozen=True)
class Checked:
    instrument: str
    version: int
    kind: str
    sheet: str | None
    rows_read: int
    records: pd.DataFrame  # ROW + ROLE_COLUMNS (dates parsed) for the rows that passed
    answers: pd.DataFrame  # ROW, item, value, value_num: coded answers of the rows that passed
    quarantine: pd.DataFrame  # ROW, column, check, reason


def human_format(fmt: str) -> str:
    """'%d.%m.%Y %H:%M:%S' -> 'dd.mm.yyyy HH:MM:SS', as users write it."""
    for code, text in (
        ("%d", "dd"),
        ("%m", "mm"),
        ("%Y", "yyyy"),
        ("%y", "yy"),
        ("%H", "HH"),
        ("%M", "MM"),
        ("%S", "SS"),
    ):
        fmt = fmt.replace(code, text)
    return fmt


def _parse_dates(values: pd.Series, fmt: str | None) -> pd.Series:
    """The column's declared format first, then ISO (how XLSX date cells are read)."""
    parsed = (
        pd.to_datetime(values, format=fmt, errors="coerce")
        if fmt
        else pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    )
    iso = pd.to_datetime(values.where(parsed.isna()), format="ISO8601", errors="coerce")
    return parsed.fillna(iso)


_EMPTY_ANSWERS = pd.DataFrame(
    {
        ROW: pd.Series(dtype="int64"),
        "item": pd.Series(dtype="string"),
        "value": pd.Series(dtype="string"),
        "value_num": pd.Series(dtype="Float64"),
    }
)


def _code_column(
    values: pd.Series,
    item: Item,
    option: str | None,
    header: str,
    instrument: str,
    row_numbers: pd.Series,
    fail: Callable[[pd.Series, str, str, str], None],
) -> pd.DataFrame:
    """Coded answers of one column, one row per answer (several for a select_multiple cell)."""
    norm = values.map(normalise_label)
    labels = norm[values != ""].unique()
    if option is None:
        coded = {label: item.code_answer(label) for label in labels}
    else:  # a 0/1 column standing for one option of a select_multiple item
        coded = {
            label: [(option, 1.0)] if label in YES_LABELS else [] if label in NO_LABELS else None for label in labels
        }
    unknown = (values != "") & ~norm.isin([label for label, code in coded.items() if code is not None])
    fail(
        unknown,
        header,
        "answer_in_options",
        f"the answer is not one of the defined answers of item '{item.code}'; add it to the "
        f"instrument '{instrument}' (see schemas/README.md) or correct the cell",
    )
    ok = (values != "") & ~unknown
    pairs = pd.DataFrame({ROW: row_numbers[ok], "code": norm[ok].map(coded)}).explode("code").dropna()
    return pd.DataFrame(
        {
            ROW: pairs[ROW].astype("int64"),
            "item": item.code,
            "value": pairs["code"].map(lambda p: p[0]).astype("string"),
            "value_num": pairs["code"].map(lambda p: p[1]).astype("Float64"),
        }
    )


def check(table: RawTable, match: Match, today: dt.date | None = None) -> Checked:
    today = today or dt.date.today()
    rows = table.rows
    problems: list[dict[str, object]] = []

    def fail(mask: pd.Series, column: str, check_name: str, reason: str) -> None:
        for r in rows.loc[mask, ROW]:
            problems.append({ROW: int(r), "column": column, "check": check_name, "reason": reason})

    records = pd.DataFrame({ROW: rows[ROW]})
    for role in ROLE_COLUMNS:
        records[role] = pd.Series("", index=rows.index, dtype="string")
    answers = []
    horizon = pd.Timestamp(today) + pd.Timedelta(days=1)
    for header, col in match.columns.items():
        values = rows[header].astype("string").fillna("").str.strip()
        if col.role in ("timestamp", "exit_date", "birth_date"):
            parsed = _parse_dates(values, col.format)
            blank = values == ""
            bad = ~blank & parsed.isna()
            fmt = human_format(col.format) if col.format else "yyyy-mm-dd"
            fail(bad, header, f"{col.role}_format", f"not a date in the format {fmt}; correct the cell")
            if col.role != "birth_date":
                fail(blank, header, f"{col.role}_present", "the date is empty; fill it in and export again")
            fail(parsed >= horizon, header, f"{col.role}_not_future", "the date is in the future; correct it")
            records[col.role] = parsed
        elif col.role == "full_name":  # surname, first name and patronymic may be separate columns
            records[col.role] = (records[col.role] + " " + values).str.strip()
        elif col.role in ROLE_COLUMNS:
            records[col.role] = values
        elif col.item:
            item = match.instrument.item(col.item)
            answers.append(_code_column(values, item, col.option, header, match.instrument.instrument, rows[ROW], fail))
    no_identity = (records["full_name"].astype("string") == "") & (records["phone"].astype("string") == "")
    fail(
        no_identity,
        "identity",
        "identity_present",
        "neither a name nor a phone is filled in; the answer cannot be linked to a graduate",
    )

    quarantine = pd.DataFrame(problems, columns=[ROW, "column", "check", "reason"])
    bad_rows = set(quarantine[ROW])
    good = ~records[ROW].isin(bad_rows)
    all_answers = pd.concat([_EMPTY_ANSWERS, *answers], ignore_index=True).drop_duplicates([ROW, "item", "value"])
    return Checked(
        instrument=match.instrument.instrument,
        version=match.version.version,
        kind=match.instrument.kind,
        sheet=table.sheet,
        rows_read=len(rows),
        records=records[good].reset_index(drop=True),
        answers=all_answers[~all_answers[ROW].isin(bad_rows)].reset_index(drop=True),
        quarantine=quarantine,
    )
