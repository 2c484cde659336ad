"""Readers on real files: encodings, delimiters, Excel date cells, and files that cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from followup.readers import ReadError, read_export

HEADER = ["Отметка времени", "Ваши фамилия, имя и отчество", "Где вы сейчас живёте?"]
ROWS = [
    ["20.04.2025 9:03:11", "Иванова Алёна", "Съёмное жильё; с ребёнком"],
    ["", "", ""],
    ["21.08.2025 19:03:11", "Петрова Мария", "Общежитие"],
]


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ","), ("cp1251", ";"), ("utf-8", "\t")]
)
def test_csv_encoding_and_delimiter_are_detected(tmp_path: Path, encoding: str, delimiter: str) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows([HEADER, *ROWS])
    [table] = read_export(write(tmp_path / "export.csv", buf.getvalue(), encoding))
    assert table.headers == HEADER
    assert table.rows["Ваши фамилия, имя и отчество"].tolist() == ["Иванова Алёна", "Петрова Мария"]
    assert table.rows["_row"].tolist() == [2, 4]  # the blank line is skipped, numbers stay the file's


def test_a_cell_with_a_line_break_keeps_its_row(tmp_path: Path) -> None:
    text = 'А,Б\n"строка\nвторая",1\nx,2\n'
    [table] = read_export(write(tmp_path / "multi.csv", text, "utf-8"))
    assert table.rows["Б"].tolist() == ["1", "2"]


def test_a_truncated_csv_names_the_row(tmp_path: Path) -> None:
    text = "А,Б,В\n1,2,3\n4,5\n"
    with pytest.raises(ReadError, match="row 3 has 2 cells but the header has 3"):
        read_export(write(tmp_path / "cut.csv", text, "utf-8"))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary\x00", "binary")],
)
def test_unreadable_csv_files_say_why(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message) as err:
        read_export(path)
    assert err.value.path == path


def test_utf16_text_is_read_not_refused_as_binary(tmp_path: Path) -> None:
    [table] = read_export(write(tmp_path / "unicode.txt", "Имя\tТелефон\nАлёна\t1\n", "utf-16"))
    assert table.headers == ["Имя", "Телефон"]
    assert table.rows["Телефон"].tolist() == ["1"]


def test_xlsx_date_cells_and_typed_dates_both_arrive_as_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    sheet.append(["№", "Дата завершения случая", "ФИО"])
    sheet.append([1, dt.datetime(2025, 1, 15), "Иванова Алёна"])
    sheet.append([2, "20.02.2025", "Петрова Мария"])
    sheet.append([None, None, None])
    book.save(tmp_path / "b.xlsx")
    [table] = read_export(tmp_path / "b.xlsx")
    assert table.sheet == "Лист1"
    assert table.rows["Дата завершения случая"].tolist() == ["2025-01-15", "20.02.2025"]
    assert table.rows["№"].tolist() == ["1", "2"]


def test_a_broken_workbook_and_an_unknown_type_are_refused(tmp_path: Path) -> None:
    (tmp_path / "b.xlsx").write_bytes(b"PK\x03\x04junk")
    with pytest.raises(ReadError, match="not a readable XLSX"):
        read_export(tmp_path / "b.xlsx")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError, match=r"not read: .*followup reads CSV .*\(\.xlsx\)"):
        read_export(tmp_path / "scan.pdf")
