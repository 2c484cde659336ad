"""The plain data every reader returns, and the rules every reader shares for cells and headers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROW = "_row"  # the column holding each row's number in its file
# No answer is this long (Excel's cells end at 32 767 characters, Google Sheets' at 50 000): a longer cell is
# a damaged file or something pasted into it, and is not read, let alone carried into the warehouse.
MAX_CELL = 100_000


class ReadError(Exception):
    """A file cannot be read; `reason` says why and what to do, without quoting its contents."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class RawTable:
    path: Path
    sheet: str | None
    headers: list[str]
    rows: pd.DataFrame  # one column per header (text, "" when blank) plus ROW

    @property
    def label(self) -> str:
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name


def cell_text(value: object) -> str:
    """A typed cell (workbook, JSON, SPSS) as the text a spreadsheet shows: 1.0 -> "1", dates in ISO."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_header(cells: Sequence[str]) -> bool:
    """A header names at least two columns; a title line or a paragraph of instructions names one at most."""
    return sum(1 for cell in cells if cell.strip()) >= 2


def column_name(number: int) -> str:
    """1 -> "A", 28 -> "AB": how a spreadsheet names a column."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _count(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def build_table(
    path: Path, sheet: str | None, header: list[str], records: list[list[str]], numbers: list[int]
) -> RawTable:
    """The RawTable for a header and its rows (each as wide as the header), after checking the header.

    A column with no name is dropped when it is empty and refused when it holds answers, since nothing
    downstream could say what they mean. Repeated names are refused: the answers would be indistinguishable.
    A cell longer than MAX_CELL is refused, naming its row and column.
    """
    where = f" on sheet '{sheet}'" if sheet else ""
    keep = []
    for index, name in enumerate(header):
        if name:
            keep.append(index)
        elif any(record[index] for record in records):
            raise ReadError(
                path,
                f"column {column_name(index + 1)} (number {index + 1}){where} holds answers but has no name in "
                "the header row; type a column name into its header cell and save the file again",
            )
    header = [header[i] for i in keep]
    seen: dict[str, int] = {}
    for index, name in zip(keep, header, strict=True):
        if name in seen:
            raise ReadError(
                path,
                f"the header{where} has the column name '{name[:80]}' twice (columns "
                f"{column_name(seen[name] + 1)} and {column_name(index + 1)}); rename one of them so that every "
                "column has its own name, and save the file again",
            )
        seen[name] = index
    if ROW in seen:
        raise ReadError(path, f"a column{where} is named '{ROW}', a name followup keeps for row numbers; rename it")
    frame = pd.DataFrame([[r[i] for i in keep] for r in records], columns=header, dtype="string").fillna("")
    for index, name in zip(keep, header, strict=True):
        too_long = frame[name].str.len() > MAX_CELL
        if too_long.any():
            at = int(too_long.to_numpy().argmax())
            raise ReadError(
                path,
                f"row {numbers[at]}, column {column_name(index + 1)} ('{name[:80]}'){where} holds "
                f"{_count(len(frame[name].iloc[at]))} characters, more than any answer (followup reads cells of up "
                f"to {_count(MAX_CELL)}): the file is damaged, or a picture or document was pasted into the cell. "
                "Clear or shorten that cell and save the file again, or export it again; until then nothing of "
                "this file is loaded",
            )
    frame[ROW] = pd.Series(numbers, index=frame.index, dtype="int64")
    return RawTable(path=path, sheet=sheet, headers=header, rows=frame)
