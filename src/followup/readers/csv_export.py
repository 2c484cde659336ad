"""Delimited text exports: Google Forms, Yandex Forms, KoboToolbox, Excel's CSV and Excel's "Unicode text".

The encoding (see `text.py`) and the delimiter are detected, not configured. Excel puts a title line above
the header now and then, so lines that name fewer than two columns are skipped until the header. Row numbers
count records as a spreadsheet shows them: a cell with a line break does not start a new row.
"""

from __future__ import annotations

import csv
import io
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from followup.readers.table import RawTable, ReadError, build_table, column_name, is_header
from followup.readers.text import decode

DELIMITERS = ",;\t|"
TITLE_LINES = 10  # the header must be among the first lines
SAMPLE_ROWS = 50  # rows used to judge a delimiter
HEAD_CHARS = 1 << 20  # ... taken from the start of the text
_FIELD_LIMIT = threading.Lock()  # csv's cell size limit is one setting for the whole process


def read_csv_export(path: Path, data: bytes) -> RawTable:
    """The one table in a delimited text file."""
    text = decode(path, data)
    # Any cell is parsed, however long, so that build_table can name the row and column of one too long.
    with _cells_up_to(len(text) + 1):
        delimiter = _best_delimiter(text)
        records = _split(text, delimiter)
        _check_complete(path, text, delimiter)
    top = _header_index(records)
    if "\x00" in text:
        _check_no_zero_bytes(path, records, top)
    if top is None:
        raise ReadError(
            path,
            f"none of the first {TITLE_LINES} lines names at least two columns; export the form with its header "
            "row (the column names) and, for a hand-made file, put the column names in the first line",
        )
    # A row must fill every named column, and may fill unnamed ones too (build_table refuses those).
    header = [cell.strip() for cell in records[top]]
    width, span = len(_trim(header)), len(header)
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
        if any(cell.strip() for cell in record[span:]):
            raise ReadError(
                path,
                f"row {number} has answers in more cells ({len(_trim(record))}) than the header has columns "
                f"({width}); a cell may hold an unquoted '{_name(delimiter)}' after editing by hand. Export it again.",
            )
        rows.append((record + [""] * span)[:span])
        numbers.append(number)
    return build_table(path, None, header, rows, numbers)


@contextmanager
def _cells_up_to(limit: int) -> Iterator[None]:
    with _FIELD_LIMIT:
        previous = csv.field_size_limit(max(limit, csv.field_size_limit()))
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _split(text: str, delimiter: str, records: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return list(itertools.islice(reader, records))


def _best_delimiter(text: str) -> str:
    """The delimiter under which the rows below the header fit it best; the wider header wins a tie."""
    head = {d: _split(text[:HEAD_CHARS], d, TITLE_LINES + SAMPLE_ROWS) for d in DELIMITERS}
    if len(text) > HEAD_CHARS:  # the last record may be cut where the head ends
        head = {d: records[:-1] for d, records in head.items()}
    return max(DELIMITERS, key=lambda d: _score(head[d]))


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


def _check_no_zero_bytes(path: Path, records: list[list[str]], top: int | None) -> None:
    """Zero bytes (NUL) are never typed: a run of them is what an interrupted copy or sync leaves behind."""
    header = records[top] if top is not None else []
    for index, record in enumerate(records):
        for column, cell in enumerate(record):
            if "\x00" in cell:
                what = f"column {column_name(column + 1)}"
                if top is not None and top < index and column < len(header) and header[column].strip():
                    what += f" ('{header[column].strip()[:80]}')"
                raise ReadError(
                    path,
                    f"row {index + 1}, {what} holds zero bytes (NUL characters), which no export contains: the file "
                    "was damaged, for example by an interrupted copy or sync; export it again",
                )


def _name(delimiter: str) -> str:
    return {"\t": "tab"}.get(delimiter, delimiter)
