"""Delimited text exports: Google Forms, Yandex Forms, KoboToolbox, Excel's CSV and Excel's "Unicode text".

The encoding (see `text.py`) and the delimiter are detected, not configured. Excel puts a title line above
the header now and then, so lines that name fewer than two columns are skipped until the header. Row numbers
count records as a spreadsheet shows them: a cell with a line break does not start a new row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from followup.readers.table import RawTable, ReadError, build_table, is_header
from followup.readers.text import decode

DELIMITERS = ",;\t"
TITLE_LINES = 10  # the header must be among the first lines
SAMPLE_ROWS = 50  # rows used to judge a delimiter


def read_csv_export(path: Path, data: bytes) -> RawTable:
    """The one table in a delimited text file."""
    text = decode(path, data)
    delimiter, records = _best_split(text)
    top = _header_index(records)
    if top is None:
        raise ReadError(
            path,
            f"none of the first {TITLE_LINES} lines names at least two columns; export the form with its header "
            "row (the column names) and, for a hand-made file, put the column names in the first line",
        )
    _check_complete(path, text, delimiter)
    header = _trim([cell.strip() for cell in records[top]])
    width = len(header)
    rows, numbers = [], []
    for number, record in enumerate(records[top + 1 :], start=top + 2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < width:
            raise ReadError(
                path,
                f"row {number} has {len(record)} cells but the header has {width}; the file may be cut short or "
                "edited by hand. Export it again.",
            )
        if not _fits(record, width):
            raise ReadError(
                path,
                f"row {number} has answers in more cells ({len(_trim(record))}) than the header has columns "
                f"({width}); a cell may hold an unquoted '{_name(delimiter)}' after editing by hand. Export it again.",
            )
        rows.append(record[:width])
        numbers.append(number)
    return build_table(path, None, header, rows, numbers)


def _split(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _best_split(text: str) -> tuple[str, list[list[str]]]:
    """The delimiter under which the rows below the header fit it best; the wider header wins a tie."""
    splits = {delimiter: _split(text, delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: _score(splits[d]))
    return best, splits[best]


def _score(records: list[list[str]]) -> tuple[float, int]:
    top = _header_index(records)
    if top is None:
        return (0.0, 0)
    width = len(_trim(records[top]))
    body = [r for r in records[top + 1 : top + 1 + SAMPLE_ROWS] if any(cell.strip() for cell in r)]
    fitting = sum(1 for r in body if _fits(r, width))
    return (fitting / len(body) if body else 1.0, width)


def _header_index(records: list[list[str]]) -> int | None:
    return next((i for i, record in enumerate(records[:TITLE_LINES]) if is_header(record)), None)


def _fits(record: list[str], width: int) -> bool:
    """As wide as the header, or wider only by empty cells (Excel pads rows with trailing delimiters)."""
    return len(record) >= width and not any(cell.strip() for cell in record[width:])


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _check_complete(path: Path, text: str, delimiter: str) -> None:
    """A quoted cell still open at the end of the file means the file was cut off in the middle of a row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    count = 0
    try:
        for _ in reader:
            count += 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ReadError(
                path,
                f"row {count + 1} is cut short inside a quoted cell, so the file is incomplete; export it again",
            ) from None


def _name(delimiter: str) -> str:
    return {"\t": "tab"}.get(delimiter, delimiter)
