"""XLSX workbooks (openpyxl): Yandex Forms and KoboToolbox exports, and hand-kept interview coding sheets.

Every visible sheet with a header gives one table; a sheet without one (empty, or an "Инструкция" with a
paragraph in A1) is skipped, and so is a hidden sheet (drop-down lists). The header is the first of the top
rows that names at least two columns and is not a title merged across the table (Yandex sometimes puts the
form's name above the header). When cells of the header row are merged (a group such as "Жильё" over "Где
живёт" and "С кем живёт", or "ФИО" merged down over two rows), the row below holds the sub-columns, and the
two are flattened to "Жильё / Где живёт".
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from followup.readers.table import RawTable, ReadError, build_table, cell_text, is_header

HEADER_ROWS = 10  # the header must be among the first rows of a sheet
WIDTH_ROWS = 30  # rows used to measure how wide the table is
GROUP = " / "  # between a group and its sub-column in a flattened two-row header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based, as openpyxl)


def read_xlsx_export(path: Path) -> list[RawTable]:
    """One table per sheet that has a header, in the workbook's order."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged cells are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(path, data_only=True)
    # What a damaged workbook raises: a cut or broken ZIP (BadZipFile, EOFError), a broken compressed part
    # (zlib.error), a part cut mid-XML (ParseError, a SyntaxError), a part missing or not what it should be.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        SyntaxError,
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        OSError,
    ) as exc:
        raise ReadError(
            path,
            f"this is not a readable XLSX workbook ({_kind(exc)}): it is damaged or cut short, as an "
            "interrupted download or copy leaves it; export it again, or open it in Excel and save it again as .xlsx",
        ) from None
    try:
        # Hidden sheets hold drop-down lists and lookups, not answers; staff never see them.
        visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
        tables = [table for sheet in visible if (table := _read_sheet(path, sheet)) is not None]
    finally:
        book.close()
    if not tables:
        raise ReadError(
            path,
            f"no sheet has a header row (a row naming at least two columns among the first {HEADER_ROWS}); "
            "put the column names in the first row of the sheet",
        )
    return tables


def _kind(exc: BaseException) -> str:
    return "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__


def _read_sheet(path: Path, sheet: Worksheet) -> RawTable | None:
    rows = sheet.iter_rows(min_row=1, min_col=1, max_col=sheet.max_column, values_only=True)
    grid = [[cell_text(value) for value in row] for row in rows]
    merges: list[Merge] = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    top = _header_row(grid, merges)
    if top is None:
        return None
    header, first = _flatten(grid, merges, top)
    _fill_down(grid, merges, first)
    while header and not header[-1]:
        header.pop()
    width = len(header)
    records, numbers = [], []
    for index in range(first, len(grid)):
        cells = (grid[index] + [""] * width)[:width]
        if any(cells):
            records.append(cells)
            numbers.append(index + 1)
    return build_table(path, sheet.title, header, records, numbers)


def _header_row(grid: list[list[str]], merges: list[Merge]) -> int | None:
    """Index of the header row: names two columns or more and is not a title merged across most of the table."""
    width = max((_used(row) for row in grid[:WIDTH_ROWS]), default=0)

    def title(number: int) -> bool:
        return any(r0 <= number <= r1 and (c1 - c0 + 1) * 4 > width * 3 for r0, c0, r1, c1 in merges)

    return next((i for i, row in enumerate(grid[:HEADER_ROWS]) if is_header(row) and not title(i + 1)), None)


def _flatten(grid: list[list[str]], merges: list[Merge], top: int) -> tuple[list[str], int]:
    """The header's names and the index of the first data row (one row further for a two-row header)."""
    number = top + 1
    spans = [(c0, c1) for r0, c0, r1, c1 in merges if r0 == number and (c1 > c0 or r1 > r0)]
    if not spans or top + 1 >= len(grid):
        return list(grid[top]), top + 1
    groups = list(grid[top])
    for c0, c1 in spans:
        for column in range(c0, c1 + 1):
            groups[column - 1] = grid[top][c0 - 1]
    subs = grid[top + 1] + [""] * (len(groups) - len(grid[top + 1]))
    return [_join(group, sub) for group, sub in zip(groups, subs, strict=False)], top + 2


def _fill_down(grid: list[list[str]], merges: list[Merge], first: int) -> None:
    """A cell merged down over several data rows (one interviewer for a block of interviews) holds for each."""
    for r0, c0, r1, c1 in merges:
        if r0 > first and c0 == c1:
            for index in range(r0, r1):
                grid[index][c0 - 1] = grid[r0 - 1][c0 - 1]


def _join(group: str, sub: str) -> str:
    if group and sub and group != sub:
        return f"{group}{GROUP}{sub}"
    return group or sub


def _used(row: list[str]) -> int:
    return max((i + 1 for i, cell in enumerate(row) if cell), default=0)
