"""XLSX exports and hand-kept sheets (openpyxl): the first sheet that has a header row."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from followup.readers.table import ROW, RawTable, ReadError


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx_export(path: Path) -> RawTable:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            path,
            f"this is not a readable XLSX workbook ({type(exc).__name__}); open it in Excel and save again",
        ) from None
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header_row = next(rows, None)
            if header_row is None:
                continue
            header = [_text(h) for h in header_row]
            while header and not header[-1]:
                header.pop()
            if len([h for h in header if h]) < 2:
                continue
            width = len(header)
            records, numbers = [], []
            for number, values in enumerate(rows, start=2):
                cells = [_text(v) for v in values[:width]] + [""] * (width - len(values[:width]))
                if any(cells):
                    records.append(cells)
                    numbers.append(number)
            frame = pd.DataFrame(records, columns=header, dtype="string").fillna("")
            frame[ROW] = numbers
            return RawTable(path=path, sheet=sheet.title, headers=header, rows=frame)
    finally:
        book.close()
    raise ReadError(path, "no sheet has a header row; put the column names in the first row")
