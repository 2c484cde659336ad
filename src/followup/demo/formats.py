"""Writers for the other export formats, each shaped as the tool that makes it writes its files.

Excel's CSV on Russian Windows (Windows-1251, `;`, a title line, decimal commas), Yandex Forms' XLSX (the
form's title merged above the header), KoboToolbox's CSV (`;`, every cell quoted) and its JSON (a list of
submissions), and the workbooks staff keep by hand (specialists' assessment sheets). Rows are dicts keyed
by header; a missing key or None is an empty cell. Like writers.py, every writer gives byte-identical files
for equal rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from followup.demo.writers import check_keys, fill_rows, save

Row = dict[str, object]


def _excel_text(value: object) -> str:
    """A cell as Excel writes it to CSV on Russian Windows: dd.mm.yyyy dates, decimal commas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def write_excel_csv(path: Path, rows: list[Row], *, headers: Sequence[str], title: str) -> Path:
    """Excel's «CSV (разделители — запятые)» on Russian Windows: Windows-1251, `;`, CRLF, `title` in the
    first line padded with `;` to the table's width, then the header and the rows."""
    check_keys(rows, headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title, *[""] * (len(headers) - 1)])
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_excel_text(row.get(header)) for header in headers])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("cp1251"))
    return path


def write_yandex_xlsx(path: Path, rows: list[Row], *, headers: Sequence[str], title: str, stamp: datetime) -> Path:
    """Yandex Forms' XLSX: sheet «Ответы», the form's `title` merged across the table in row 1, the header
    in row 2, then one row per answer; dates as date cells, numbers as numbers, text as text."""
    check_keys(rows, headers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Ответы"
    sheet.cell(row=1, column=1, value=title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for column_number, header in enumerate(headers, start=1):
        sheet.cell(row=2, column=column_number, value=header)
    fill_rows(sheet, headers, rows, first_row=3)
    return save(book, path, stamp)


def write_kobo_csv(path: Path, rows: list[Row], *, headers: Sequence[str]) -> Path:
    """KoboToolbox's CSV export (labels): UTF-8, `;`, every cell quoted, CRLF."""
    check_keys(rows, headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(header) is None else str(row.get(header)) for header in headers])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def write_kobo_json(path: Path, submissions: list[Row]) -> Path:
    """KoboToolbox's API v2 data download: `{"count", "next", "previous", "results": [...]}`, UTF-8."""
    document = {"count": len(submissions), "next": None, "previous": None, "results": submissions}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_staff_xlsx(
    path: Path,
    rows: list[Row],
    *,
    headers: Sequence[str],
    sheet: str,
    stamp: datetime,
    title: str | None = None,
    lists: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """A workbook staff keep by hand: the sheet `sheet`, the `title` merged above the header when given, the
    header, then one row per assessment (dates as date cells or as typed text, numbers as numbers). `lists`
    adds the hidden sheet «Списки» the drop-down lists take their choices from (a column per list)."""
    check_keys(rows, headers)
    book = Workbook()
    table = book.active
    assert table is not None  # a new Workbook always has one sheet
    table.title = sheet
    top = 1
    if title is not None:
        table.cell(row=1, column=1, value=title)
        table.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        top = 2
    for column_number, header in enumerate(headers, start=1):
        table.cell(row=top, column=column_number, value=header)
        letter = table.cell(row=top, column=column_number).column_letter
        table.column_dimensions[letter].width = min(40, max(6, len(header) + 2))
    fill_rows(table, headers, rows, first_row=top + 1)
    if lists:
        hidden = book.create_sheet("Списки")
        hidden.sheet_state = "hidden"
        for column_number, (name, choices) in enumerate(lists.items(), start=1):
            for row_number, choice in enumerate([name, *choices], start=1):
                hidden.cell(row=row_number, column=column_number, value=choice)
    return save(book, path, stamp)
