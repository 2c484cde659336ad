"""Row checks driven by the instrument definition: good rows are coded, failing rows are quarantined.

A quarantine entry names the file's row, the column and the check, and says what to do; it never holds
the value itself (a mistyped cell may hold a name or a phone number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from followup.dates import human_format, parse_dates
from followup.expectations import Expectation, Prepared
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
    records: pd.DataFrame  # ROW + ROLE_COLUMNS (dates parsed) + wave (declared, else NA) for the rows that passed
    answers: pd.DataFrame  # ROW, item, value, value_num: coded answers of the rows that passed
    quarantine: pd.DataFrame  # ROW, column, check, reason
    validation: pd.DataFrame  # per expectation: check, column, expectation, counts, success
    dated_by: str = "timestamp"  # the header of the column that dates the form (for checks made at load)
    wave_column: str = "wave"  # the header of the column that declares the wave, or "file name" / "version"
    comments: pd.DataFrame | None = None  # ROW, question, text: free-text answers of the rows that passed (raw)


NUMBER = r"^-?\d+(?:\.\d+)?$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class Cells:
    """A column's cells as its distinct texts (spaces around them removed, "" when blank) and, per row,
    which text the row holds: exports repeat the same few answers thousands of times, so every text is
    coded, parsed or checked once, however many rows hold it."""

    texts: np.ndarray  # distinct texts (object)
    codes: np.ndarray  # per row: the position of its text in `texts`

    @classmethod
    def of(cls, column: pd.Series) -> Cells:
        codes, raw = pd.factorize(column.to_numpy(dtype=object, na_value=""))
        texts = np.array([str(text).strip() for text in raw], dtype=object)
        if (texts != raw).any():  # two texts that differ only in spaces are one
            merged, texts = pd.factorize(texts)
            codes = merged[codes]
        return cls(texts, codes)

    def prepared(self, per_text: pd.Series | np.ndarray) -> Prepared:
        """A column GX checks, given its value for every distinct text."""
        return Prepared(pd.Series(per_text).reset_index(drop=True), self.codes).compact()

    def rows(self, per_text: pd.Series) -> pd.Series:
        """A value for every row, given one per distinct text."""
        return pd.Series(per_text.array.take(self.codes))


def _code_cells(cells: Cells, item: Item, option: str | None) -> tuple[list[Coded | None], pd.Series]:
    """Per distinct text: the coded answers [(code, number), ...] (None when blank or not a defined answer),
    and what GX checks: the coded answer as text ("food+clothes", "4", "yes"), or the cell's own normalised
    text when it is not a defined answer, None when blank."""

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

    pairs = [code(text) for text in cells.texts]
    return [coded for coded, _ in pairs], pd.Series([text for _, text in pairs], dtype=object)


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
    not_number = f"the answer is not a number (item '{item.code}'); correct the cell, e.g. 3 or 12 500,50"
    checks = [
        Expectation(
            "ExpectColumnValuesToMatchRegex", answer, (("regex", NUMBER),), header, "answer_is_number", not_number
        )
    ]
    if item.scale:
        low, high = f"{item.scale.min:g}", f"{item.scale.max:g}"
        checks.append(
            Expectation(
                "ExpectColumnValuesToBeBetween",
                number,
                (("min_value", item.scale.min), ("max_value", item.scale.max)),
                header,
                "answer_in_range",
                f"the number is outside the range {low}–{high} of item '{item.code}'; correct the cell (or the "
                f"scale in the instrument '{instrument}')",
            )
        )
    return checks


def _numeric_cells(cells: Cells) -> tuple[pd.Series, pd.Series]:
    """For number and likert items, per distinct text: the number (NaN if not one) and the text GX checks;
    a number out of range is still a number here, the range being its own check."""

    def read(raw: str) -> tuple[float, str | None]:
        if raw == "":
            return float("nan"), None
        number = parse_number(raw)
        return (float("nan"), normalise_label(raw)) if number is None else (number, f"{number:g}")

    pairs = [read(text) for text in cells.texts]
    return (
        pd.Series([number for number, _ in pairs], dtype="float64"),
        pd.Series([text for _, text in pairs], dtype=object),
    )


def _date_columns(cells: Cells, parsed: pd.Series, header: str) -> dict[str, Prepared]:
    """What GX checks of a date column: whether it is given, the date as read, and the date itself."""
    given = cells.texts != ""
    # the date as read: ISO when it parsed (formatted once per day), the cell marked as unread when it did
    # not (so that no pattern can match it), None when blank
    day_codes, days = pd.factorize(parsed.dt.normalize())  # an unparsed date is coded -1: the None appended
    text = np.concatenate([days.strftime("%Y-%m-%d").to_numpy(dtype=object), [None]])[day_codes]
    unread = np.flatnonzero(given & (day_codes < 0))
    text[unread] = ["unread: " + cell for cell in cells.texts[unread]]
    return {
        f"{header} ⟶ given": cells.prepared(_yes_or_null(given)),
        f"{header} ⟶ date text": cells.prepared(text),
        # the horizon is a midnight, so a date is after it exactly when the midnight closing its day is;
        # GX then sees a few thousand days instead of a timestamp per row
        f"{header} ⟶ date": cells.prepared(parsed.dt.ceil("D")),
    }


def _yes_or_null(flags: np.ndarray) -> np.ndarray:
    """The text "yes" where the flag is set, None (what ExpectColumnValuesToNotBeNull catches) where not."""
    return np.array([None, "yes"], dtype=object)[flags.astype("int64")]


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
    horizon = pd.Timestamp(today) + pd.Timedelta(days=1)  # a midnight, which _date_columns relies on
    row_numbers = rows[ROW].to_numpy(dtype="int64")
    prepared: dict[str, Prepared] = {}
    person: dict[str, pd.Series] = {}  # role -> every row's text or date
    expectations: list[Expectation] = []
    coded_columns: list[tuple[Item, Cells, list[Coded | None]]] = []
    by_item: dict[str, list[tuple[str, Cells, list[Coded | None]]]] = {}  # item -> its single-answer columns
    free_text: dict[str, pd.Series] = {}  # header -> every row's text
    declared = pd.Series(pd.array([match.wave] * len(rows), dtype="Int64"))  # the wave each row declares
    for header, col in match.columns.items():
        if col.role in ("timestamp", "exit_date", "birth_date"):
            cells = Cells.of(rows[header])
            parsed = parse_dates(cells.texts, col.format)
            prepared |= _date_columns(cells, parsed, header)
            # a form must be dated; a baseline must give the exit date (a follow-up may, for new graduates)
            required = col.role == "timestamp" or (col.role == "exit_date" and match.instrument.kind == "baseline")
            expectations += _date_expectations(header, col.role, col.format, horizon, required)
            person[col.role] = cells.rows(parsed)
        elif col.role == "full_name" and "full_name" in person:  # surname, name, patronymic in separate columns
            person[col.role] = (person[col.role] + " " + _texts(rows[header])).str.strip()
        elif col.role in ROLE_COLUMNS:
            person[str(col.role)] = _texts(rows[header])
        elif col.role == "free_text":
            free_text[header] = _texts(rows[header])
        elif col.role == "wave":
            cells = Cells.of(rows[header])
            waves = pd.Series(pd.array([None if t == "" else col.wave_of(t) for t in cells.texts], dtype="Int64"))
            prepared[f"{header} ⟶ wave"] = cells.prepared(
                np.array(
                    [
                        None if t == "" else "unread" if pd.isna(w) else str(w)
                        for t, w in zip(cells.texts, waves, strict=True)
                    ],
                    dtype=object,
                )
            )
            expectations.append(
                Expectation(
                    "ExpectColumnValuesToMatchRegex",
                    f"{header} ⟶ wave",
                    (("regex", r"^\d+$"),),
                    header,
                    "wave_format",
                    "not a wave: write the number of months since exit (e.g. 6), or map this label to its months "
                    f"under `waves:` of the column in the instrument '{match.instrument.instrument}'",
                )
            )
            declared = cells.rows(waves)
        elif col.item:
            cells = Cells.of(rows[header])
            item = match.instrument.item(col.item)
            coded, text = _code_cells(cells, item, col.option)
            if item.type in ("number", "likert") and not item.options:
                number, text = _numeric_cells(cells)
                prepared[f"{header} ⟶ number"] = cells.prepared(number)
            prepared[f"{header} ⟶ answer"] = cells.prepared(text)
            expectations += _item_expectations(header, item, col.option, match.instrument.instrument)
            coded_columns.append((item, cells, coded))
            if col.option is None:
                by_item.setdefault(item.code, []).append((header, cells, coded))
    for extra in match.instrument.expectations:
        for header, cells, coded in by_item.get(extra.item, []):
            column, values = _extra_column(
                header, extra.check, match.instrument.item(extra.item), extra.expect, prepared
            )
            prepared[column] = values if values is not None else _numbers_of(cells, coded)
            expectations.append(
                Expectation(
                    _class_name(extra.expect),
                    column,
                    tuple(extra.kwargs.items()),
                    header,
                    extra.check,
                    extra.reason
                    or f"the answer fails the check {extra.expect} of item '{extra.item}' listed in the instrument "
                    f"'{match.instrument.instrument}'; correct the cell or the definition",
                )
            )
    identified = np.zeros(len(rows), dtype=bool)
    for role in ("full_name", "phone"):
        if role in person:
            identified |= person[role].to_numpy(dtype=object) != ""
    prepared["identity ⟶ given"] = Prepared.of(pd.Series(_yes_or_null(identified)))
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
    suite = f"{match.instrument.instrument}_v{match.version.version}"
    outcome = expectation_run(prepared, row_numbers, expectations, suite)
    good = ~np.isin(row_numbers, outcome.quarantine[ROW].to_numpy(dtype="int64"))
    kept = int(good.sum())
    records = {
        role: person[role].array[good] if role in person else pd.array([""] * kept, dtype="string")
        for role in ROLE_COLUMNS
    }
    dated_by = next(
        (
            h
            for h, c in match.columns.items()
            if c.role == ("exit_date" if match.instrument.kind == "baseline" else "timestamp")
        ),
        "timestamp",
    )
    wave_column = next(
        (h for h, c in match.columns.items() if c.role == "wave"),
        "version" if match.version.wave is not None else "file name",
    )
    comments = pd.concat(
        [_EMPTY_COMMENTS]
        + [pd.DataFrame({ROW: row_numbers, "question": h, "text": t.to_numpy()})[good] for h, t in free_text.items()],
        ignore_index=True,
    )
    return Checked(
        comments=comments[comments["text"] != ""].reset_index(drop=True),
        dated_by=dated_by,
        wave_column=wave_column,
        instrument=match.instrument.instrument,
        version=match.version.version,
        kind=match.instrument.kind,
        sheet=table.sheet,
        rows_read=len(rows),
        records=pd.DataFrame({ROW: rows[ROW].to_numpy()[good], **records, "wave": declared.array[good]}, copy=False),
        answers=_long_answers(
            row_numbers[good], [(item, cells.codes[good], coded) for item, cells, coded in coded_columns]
        ),
        quarantine=outcome.quarantine,
        validation=outcome.summary,
    )


def _extra_column(
    header: str, check: str, item: Item, expect: str, prepared: dict[str, Prepared]
) -> tuple[str, Prepared | None]:
    """The prepared column an extra expectation of the definition runs on, under a name of its own (so that
    it never meets a generated expectation of the same kind on the same column): the answer as a number for
    a range on a number or likert item (None: to be made from the coded answers), else the coded answer."""
    column = f"{header} ⟶ {check}"
    numeric = item.type in ("number", "likert") and expect == "expect_column_values_to_be_between"
    if numeric:
        return column, prepared.get(f"{header} ⟶ number")
    return column, prepared[f"{header} ⟶ answer"]


def _numbers_of(cells: Cells, coded: list[Coded | None]) -> Prepared:
    """A likert item with labelled points, as the number of each answer."""
    numbers = [float("nan") if not c or c[0][1] is None else float(c[0][1]) for c in coded]
    return cells.prepared(pd.Series(numbers, dtype="float64"))


def _class_name(snake: str) -> str:
    """expect_column_values_to_be_between -> ExpectColumnValuesToBeBetween"""
    return "".join(part.capitalize() for part in snake.split("_"))


_EMPTY_COMMENTS = pd.DataFrame(
    {ROW: pd.Series(dtype="int64"), "question": pd.Series(dtype=object), "text": pd.Series(dtype=object)}
)


def _texts(column: pd.Series) -> pd.Series:
    """Every cell's text, spaces around it removed ("" when blank)."""
    return pd.Series([str(text).strip() for text in column.to_numpy(dtype=object, na_value="")], dtype="string")


def _long_answers(
    row_numbers: np.ndarray, coded_columns: list[tuple[Item, np.ndarray, list[Coded | None]]]
) -> pd.DataFrame:
    """One row per coded answer (several for a select_multiple cell), column by column in row order.

    Each column comes as its rows' `codes` into its distinct texts and what each text codes to (`coded`):
    a row's answers are its text's, laid out with array arithmetic straight into the result's arrays."""
    layout = []
    for item, codes, coded in coded_columns:
        per_text = np.array([len(c) if c else 0 for c in coded], dtype="int64")
        layout.append((item, codes, coded, per_text, per_text[codes]))
    size = sum(int(per_row.sum()) for *_, per_row in layout)
    numbers, items = np.empty(size, dtype="int64"), np.empty(size, dtype=object)
    values, scores = np.empty(size, dtype=object), np.empty(size, dtype="float64")
    end = 0
    for item, codes, coded, per_text, per_row in layout:
        owner = np.repeat(np.arange(len(codes)), per_row)  # the row of each answer
        nth = np.arange(len(owner)) - np.repeat(np.cumsum(per_row) - per_row, per_row)  # its place in the cell
        pair = (np.cumsum(per_text) - per_text)[codes[owner]] + nth  # its place among all the texts' answers
        answers = [answer for c in coded if c for answer in c]
        start, end = end, end + len(owner)
        numbers[start:end] = row_numbers[owner]
        items[start:end] = item.code
        values[start:end] = np.array([code for code, _ in answers], dtype=object)[pair]
        scores[start:end] = np.array([np.nan if n is None else n for _, n in answers], dtype="float64")[pair]
    unscored = np.isnan(scores)
    long = pd.DataFrame(
        {
            ROW: numbers,
            "item": items,
            "value": pd.arrays.StringArray(values),
            "value_num": pd.arrays.FloatingArray(np.nan_to_num(scores, copy=False), unscored),
        },
        copy=False,
    )
    # one cell never codes an answer twice, but an item with several columns (a select_multiple item and its
    # 0/1 option columns) can
    shared = [code for code, n in Counter(item.code for item, *_ in layout).items() if n > 1]
    if shared:
        repeated = long[long["item"].isin(shared)].duplicated([ROW, "item", "value"])
        long = long.drop(index=repeated.index[repeated]).reset_index(drop=True)
    return long
