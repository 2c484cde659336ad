"""Readers: one module per export format, each returning a plain table of strings with provenance.

Every reader returns a `RawTable`: the header as it appears in the file and the rows as text, each with
its row number in the file (the header is row 1, as a spreadsheet shows it), so every later message can
name the file, row and column.
"""

from __future__ import annotations

from pathlib import Path

from followup.readers.table import RawTable, ReadError

SUPPORTED = {".csv": "csv", ".xlsx": "xlsx"}


def read_export(path: Path) -> RawTable:
    """Read one export; raises ReadError saying what is wrong with the file and how to fix it."""
    kind = SUPPORTED.get(path.suffix.lower())
    if kind == "csv":
        from followup.readers.csv_export import read_csv_export

        return read_csv_export(path)
    if kind == "xlsx":
        from followup.readers.xlsx_export import read_xlsx_export

        return read_xlsx_export(path)
    raise ReadError(
        path,
        f"files of type '{path.suffix or '(none)'}' are not read; export the form as {' or '.join(sorted(SUPPORTED))}",
    )


__all__ = ["SUPPORTED", "RawTable", "ReadError", "read_export"]
