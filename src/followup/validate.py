"""Row checks driven by the instrument definition: good rows are coded, failing rows are quarantined.

A quarantine entry names the file's row, the column and the check, and says what to do; it never holds
the value itself (a mistyped cell may hold a name or a phone number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from followup.expectations import Expectation
from followup.expectations import run as expectation_run
from followup.instruments import NO_LABELS, YES_LABELS, Coded, Item, Match, normalise_label, parse_number
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
    validation: pd.DataFrame  # per expectation: check, column, expectation, counts, success


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
NUMBER = r"^-?\d+(?:\.\d+)?$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}"


def _per_distinct(values: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """fn applied once per distinct cell text (exports repeat the same few answers thousands of times)."""
    return values.map({raw: fn(raw) for raw in pd.unique(values)})


def _code_cells(values: pd.Series, item: Item, option: str | None) -> tuple[pd.Series, pd.Series]:
    """Per cell: the coded answers [(code, number), ...] (None when blank or not a defined answer), and what
    GX checks: the coded answer as text ("food+clothes", "4", "yes"), or the cell's own normalised text when
    it is not a defined answer, None when blank."""

    def code(raw: str) -> tuple[Coded | None, str | None]:
        if raw == "":
            return None, None
        label = normalise_label(raw)
        if option is None:
            codes = item.code_answer(label)
            text = None if codes is None else "+".join(c for c, _ in codes)
        else:  # a 0/1 column standing for one option of a select_multiple item
            codes = [(option, 1.0)] if label in YES_LABELS else [] if label in NO_LABELS else None
            text = None if codes is None else ("yes" if codes else "no")
        return codes, label if codes is None else text

    pairs = _per_distinct(values, code)
    return pairs.str[0], pairs.str[1]


def _item_expectations(header: str, item: Item, option: str | None, instrument: str) -> list[Expectation]:
    """What the coded answers of one column must meet, by the item's type."""
    answer, number = f"{header} ⟶ answer", f"{header} ⟶ number"
    reason = (
        f"the answer is not one of the defined answers of item '{item.code}'; add it to the instrument "
        f"'{instrument}' (see schemas/README.md) or correct the cell"
    )

    def expect(kind: str, column: str, **kwargs: object) -> Expectation:
        return Expectation(kind, column, tuple(kwargs.items()), header, "answer_in_options", reason)

    if option is not None or item.type == "yes_no":
        return [expect("ExpectColumnValuesToBeInSet", answer, value_set=["yes", "no"])]
    if item.type == "select_one":
        return [expect("ExpectColumnValuesToBeInSet", answer, value_set=sorted(item.options))]
    if item.type == "select_multiple":
        codes = "|".join(re.escape(c) for c in item.options)
        return [expect("ExpectColumnValuesToMatchRegex", answer, regex=f"^(?:{codes})(?:\\+(?:{codes}))*$")]
    if (
        item.type == "likert"
        and item.scale
        and float(item.scale.min).is_integer()
        and float(item.scale.max).is_integer()
    ):
        points = [f"{n:g}" for n in range(int(item.scale.min), int(item.scale.max) + 1)]
        return [expect("ExpectColumnValuesToBeInSet", answer, value_set=points)]
    checks = [expect("ExpectColumnValuesToMatchRegex", answer, regex=NUMBER)]
    if item.scale:
        checks.append(
            expect("ExpectColumnValuesToBeBetween", number, min_value=item.scale.min, max_value=item.scale.max)
        )
    return checks


def _numeric_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """For number and likert items: each cell as a number (NaN if not one) and as the text GX checks; a
    number out of range is still a number here, the range being its own check."""

    def read(raw: str) -> tuple[float, str | None]:
        if raw == "":
            return float("nan"), None
        number = parse_number(raw)
        return (float("nan"), normalise_label(raw)) if number is None else (number, f"{number:g}")

    pairs = _per_distinct(values, read)
    return pairs.str[0].astype("float64"), pairs.str[1]


def _date_expectations(
    header: str, role: str, fmt: str | None, horizon: pd.Timestamp, required: bool
) -> list[Expectation]:
    shown = human_format(fmt) if fmt else "yyyy-mm-dd"
    checks = [
        Expectation(
            "ExpectColumnValuesToMatchRegex",
            f"{header} ⟶ date text",
            (("regex", ISO_DATE),),
            header,
            f"{role}_format",
            f"not a date in the format {shown}; correct the cell",
        ),
        Expectation(
            "ExpectColumnValuesToBeBetween",
            f"{header} ⟶ date",
            (("max_value", horizon),),
            header,
            f"{role}_not_future",
            "the date is in the future; correct it",
        ),
    ]
    if required:
        checks.append(
            Expectation(
                "ExpectColumnValuesToNotBeNull",
                f"{header} ⟶ given",
                (),
                header,
                f"{role}_present",
                "the date is empty; fill it in and export again",
            )
        )
    return checks


def check(table: RawTable, match: Match, today: dt.date | None = None) -> Checked:
    """Prepare the table's cells (dates parsed, answers coded), validate them with a GX suite generated from
    the definition, and keep the rows that pass; the others go to quarantine."""
    today = today or dt.date.today()
    rows = table.rows
    horizon = pd.Timestamp(today) + pd.Timedelta(days=1)
    frame = pd.DataFrame({ROW: rows[ROW].astype("int64")})
    records = pd.DataFrame({ROW: rows[ROW]})
    for role in ROLE_COLUMNS:
        records[role] = pd.Series("", index=rows.index, dtype="string")
    expectations: list[Expectation] = []
    coded_columns: list[tuple[Item, pd.Series]] = []
    for header, col in match.columns.items():
        values = rows[header].astype("string").fillna("").str.strip()
        if col.role in ("timestamp", "exit_date", "birth_date"):
            parsed = _parse_dates(values, col.format)
            frame[f"{header} ⟶ given"] = values.where(values != "", None).astype("object")
            frame[f"{header} ⟶ date"] = parsed
            # the date as read: ISO when it parsed, else the cell marked as unread (so no pattern can match it)
            text = parsed.dt.strftime("%Y-%m-%d").astype("object").where(parsed.notna(), "unread: " + values)
            frame[f"{header} ⟶ date text"] = text.where(values != "", None)
            # a form must be dated; a baseline must give the exit date (a follow-up may, for new graduates)
            required = col.role == "timestamp" or (col.role == "exit_date" and match.instrument.kind == "baseline")
            expectations += _date_expectations(header, col.role, col.format, horizon, required)
            records[col.role] = parsed
        elif col.role == "full_name":  # surname, first name and patronymic may be separate columns
            records[col.role] = (records[col.role] + " " + values).str.strip()
        elif col.role in ROLE_COLUMNS:
            records[col.role] = values
        elif col.item:
            item = match.instrument.item(col.item)
            coded, text = _code_cells(values, item, col.option)
            if item.type in ("number", "likert") and not item.options:
                frame[f"{header} ⟶ number"], text = _numeric_cells(values)
            frame[f"{header} ⟶ answer"] = text
            expectations += _item_expectations(header, item, col.option, match.instrument.instrument)
            coded_columns.append((item, coded.rename(header)))
    identified = (records["full_name"].astype("string") != "") | (records["phone"].astype("string") != "")
    frame["identity ⟶ given"] = identified.map(lambda given: "yes" if given else None).astype("object")
    expectations.append(
        Expectation(
            "ExpectColumnValuesToNotBeNull",
            "identity ⟶ given",
            (),
            "identity",
            "identity_present",
            "neither a name nor a phone is filled in; the answer cannot be linked to a graduate",
        )
    )
    outcome = expectation_run(frame, expectations, f"{match.instrument.instrument}_v{match.version.version}")
    bad_rows = set(outcome.quarantine[ROW])
    good = ~records[ROW].isin(bad_rows)
    answers = _long_answers(rows[ROW], coded_columns)
    return Checked(
        instrument=match.instrument.instrument,
        version=match.version.version,
        kind=match.instrument.kind,
        sheet=table.sheet,
        rows_read=len(rows),
        records=records[good].reset_index(drop=True),
        answers=answers[~answers[ROW].isin(bad_rows)].reset_index(drop=True),
        quarantine=outcome.quarantine,
        validation=outcome.summary,
    )


def _long_answers(row_numbers: pd.Series, coded_columns: list[tuple[Item, pd.Series]]) -> pd.DataFrame:
    """One row per coded answer (several for a select_multiple cell)."""
    parts = [_EMPTY_ANSWERS]
    for item, coded in coded_columns:
        pairs = pd.DataFrame({ROW: row_numbers, "code": coded}).dropna().explode("code").dropna()
        parts.append(
            pd.DataFrame(
                {
                    ROW: pairs[ROW].astype("int64"),
                    "item": item.code,
                    "value": pairs["code"].map(lambda p: p[0]).astype("string"),
                    "value_num": pairs["code"].map(lambda p: p[1]).astype("Float64"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).drop_duplicates([ROW, "item", "value"])
