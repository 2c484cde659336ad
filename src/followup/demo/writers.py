"""Writers for the case-closure workbook and the Google Forms CSV, shaped as the organisations' own files are.

They take arbitrary rows keyed by header text, so tests can plant any value (canary personal data, bad
dates, formulas) in an otherwise realistic export.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

BASELINE_HEADERS: list[str] = [
    "№",
    "Дата завершения случая",
    "ФИО выпускницы",
    "Дата рождения",
    "Телефон",
    "Программа",
    "Материальная помощь при выходе",
    "Ребёнок проживает с мамой",
    "Жильё после выхода",
    "Работа или доход",
    "Документы и пособия",
    "Комментарий специалиста",
]
"""Columns of the case-closure sheet (schemas/instruments/case_closure.yaml, version 1, without the optional
«Организация»), in order. The demo corpus itself takes its columns from the definitions (forms.py)."""

FOLLOWUP_HEADERS: list[str] = [
    "Отметка времени",
    "Ваши фамилия, имя и отчество",
    "Номер телефона",
    "Ребёнок (дети) живут с вами?",
    "Где вы сейчас живёте?",
    "Есть ли у вас работа или постоянный доход?",
    "Обращались ли вы снова в кризисный центр или приют?",
    "Есть ли люди, к которым вы можете обратиться за помощью?",
    "Насколько вы уверены в себе как мама? (1 — совсем не уверена, 5 — полностью уверена)",
    "Что бы вы хотели рассказать нам?",
]
"""Columns of the Google Forms export (schemas/instruments/followup_survey.yaml, version 1), in order."""

SHEET_NAME = "Лист1"


def check_keys(rows: Sequence[dict[str, object]], headers: Sequence[str]) -> None:
    known = set(headers)
    for number, row in enumerate(rows, start=1):
        unknown = [key for key in row if key not in known]
        if unknown:
            raise ValueError(f"row {number} has columns not in the headers: {unknown}; pass headers=[...]")


def fill_rows(sheet: Any, headers: Sequence[str], rows: Sequence[dict[str, object]], first_row: int) -> None:
    """Write rows under a header as typed cells: a date as a real date cell (dd.mm.yyyy), a number as a number,
    anything else as literal text (so "=..." never becomes a formula); None or a missing header stays empty."""
    for row_number, row in enumerate(rows, start=first_row):
        for column_number, header in enumerate(headers, start=1):
            value = row.get(header)
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, datetime):
                cell.value = value
                cell.number_format = "DD.MM.YYYY HH:MM:SS"
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(value, bool | int | float):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"


def write_baseline_xlsx(
    path: Path,
    rows: list[dict[str, object]],
    *,
    headers: Sequence[str] = BASELINE_HEADERS,
    stamp: datetime | None = None,
) -> Path:
    """Write a case-closure workbook: one sheet "Лист1", a header row, then one row per dict.

    Values are written as typed: a date becomes a real Excel date cell shown dd.mm.yyyy, a string stays
    text (even one starting with "="), None leaves the cell empty; a header missing from a row is empty.
    With `stamp`, the file's internal timestamps are fixed to it, so equal rows give byte-identical files.
    """
    check_keys(rows, headers)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = SHEET_NAME
    sheet.append(list(headers))
    fill_rows(sheet, headers, rows, first_row=2)
    for column_number, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=column_number).column_letter
        sheet.column_dimensions[letter].width = min(45, max(6, len(header) + 2))
    return save(workbook, path, stamp)


def save(workbook: Workbook, path: Path, stamp: datetime | None) -> Path:
    """Write the workbook to `path`; with `stamp`, byte-identical for equal contents (see `reproducible`)."""
    if stamp is not None:
        workbook.properties.created = stamp
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(reproducible(buffer.getvalue(), stamp) if stamp is not None else buffer.getvalue())
    return path


def reproducible(xlsx: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with fixed entry times and a fixed modified time in docProps/core.xml."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + iso, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    return out.getvalue()


def write_followup_csv(path: Path, rows: list[dict[str, object]], *, headers: Sequence[str] = FOLLOWUP_HEADERS) -> Path:
    """Write a Google Forms "download responses" CSV: UTF-8 without BOM, comma-delimited, quoted as the
    csv module does, a header row, then one row per dict (missing headers and None are empty).
    """
    check_keys(rows, headers)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(header) is None else row.get(header) for header in headers])
    return path
