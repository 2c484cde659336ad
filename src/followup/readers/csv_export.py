"""CSV exports (Google Forms and others): encoding and delimiter are detected, not configured."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from followup.readers.table import ROW, RawTable, ReadError

ENCODINGS = ("utf-8-sig", "cp1251")
DELIMITERS = ",;\t"


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReadError(path, "this is not a text file (binary content); export the form again as CSV")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(path, "the text is neither UTF-8 nor Windows-1251; save it again as CSV UTF-8")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(DELIMITERS, key=first.count)


def read_csv_export(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "the file is empty; export the form again")
    text = _decode(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ReadError(path, f"the CSV is malformed ({exc}); export the form again") from None
    header = [h.strip() for h in records[0]]
    if len([h for h in header if h]) < 2:
        raise ReadError(path, "the first line is not a header of column names; export with headers")
    width = len(header)
    rows, numbers = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != width:
            raise ReadError(
                path,
                f"row {number} has {len(record)} cells but the header has {width}; the file may be cut "
                "short or edited by hand. Export it again.",
            )
        rows.append(record)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=header, dtype="string").fillna("")
    frame[ROW] = numbers
    return RawTable(path=path, sheet=None, headers=header, rows=frame)
