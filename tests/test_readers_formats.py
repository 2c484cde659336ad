"""Every export format the shelters send, read from realistic files (tests/exports.py), and the files that
cannot be read: each refused with a reason that says what to do and never quotes a cell."""

from __future__ import annotations

import csv
import logging
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from broken_inputs import CASES, PERSONAL, Case, Rejected
from exports import (
    HELP,
    HELP_OPTIONS,
    HOUSING,
    KOBO_HEADER,
    NAMES,
    PHONES,
    SATISFACTION,
    coding_workbook,
    excel_csv,
    excel_unicode_text,
    google_forms_csv,
    kobo_csv,
    kobo_json,
    kobo_xlsx,
    spss_sav,
    yandex_forms_csv,
    yandex_forms_xlsx,
)

from followup.readers import RawTable, ReadError, read_export
from followup.readers.table import MAX_CELL


def only(path: Path) -> RawTable:
    tables = read_export(path)
    assert len(tables) == 1
    return tables[0]


def cells(table: RawTable, column: str) -> list[str]:
    return table.rows[column].tolist()


def refused(path: Path, *needles: str) -> str:
    """The reason a file is refused, checked to contain each needle and no personal value from the exports."""
    with pytest.raises(ReadError) as err:
        read_export(path)
    reason = err.value.reason
    assert err.value.path == path
    for needle in needles:
        assert needle in reason
    for personal in [*NAMES, *PHONES, *(name.split()[0] for name in NAMES)]:
        assert personal not in reason
    return reason


# -- one test per format -------------------------------------------------------------------------------------


def test_google_forms_csv(tmp_path: Path) -> None:
    table = only(google_forms_csv(tmp_path))
    assert table.sheet is None
    assert table.headers == ["Отметка времени", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION, "Комментарий"]
    assert cells(table, "Отметка времени") == ["20.04.2025 9:03:11", "21.04.2025 19:44:02", "3.05.2025 0:15:00"]
    assert cells(table, HELP) == ["Продукты, Одежда", "Юридическая консультация", ""]
    assert cells(table, "Комментарий")[1] == "Спасибо!\nДо встречи"
    assert cells(table, "_row") == [2, 3, 4]  # the line break inside a cell does not add a row


def test_yandex_forms_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    table = only(yandex_forms_csv(tmp_path))
    assert table.headers == ["ID", "Время создания", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION]
    assert cells(table, HELP) == ["Продукты, Одежда", "Одежда"]
    assert cells(table, "ID") == ["1187341", "1187342"]
    assert cells(table, "_row") == [2, 3]


@pytest.mark.parametrize("dated_title", [False, True])
def test_yandex_forms_xlsx_with_the_title_merged_above_the_header(tmp_path: Path, dated_title: bool) -> None:
    table = only(yandex_forms_xlsx(tmp_path, dated_title=dated_title))
    assert table.sheet == "Ответы"
    assert table.headers == ["ID", "Время создания", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION]
    assert cells(table, "Время создания") == ["2025-05-03 10:15:42", "2025-05-04"]
    assert cells(table, SATISFACTION) == ["4", "5"]
    assert cells(table, "ID") == ["1187341", "1187342"]
    assert cells(table, "_row") == [3, 4]


def test_kobo_csv_passes_every_column_through(tmp_path: Path) -> None:
    table = only(kobo_csv(tmp_path))
    assert table.headers == KOBO_HEADER
    assert cells(table, "group_help/help_received") == ["food clothes", "legal"]
    assert cells(table, "group_help/help_received/legal") == ["0", "1"]
    assert cells(table, "_submission_time") == ["2025-05-03T07:09:41", "2025-05-04T09:20:11"]
    assert cells(table, "_validation_status") == ["", ""]
    assert cells(table, "_row") == [2, 3]


def test_kobo_xlsx_numbers_arrive_without_a_decimal_point(tmp_path: Path) -> None:
    table = only(kobo_xlsx(tmp_path))
    assert table.sheet == "Анкета выпускниц"
    assert table.headers[:6] == ["start", "ФИО", "Телефон", HOUSING, HELP, f"{HELP}/Продукты"]
    assert table.headers[-5:] == ["_id", "_uuid", "_submission_time", "__version__", "_index"]
    assert cells(table, f"{HELP}/Продукты") == ["1", "0"]
    assert cells(table, SATISFACTION) == ["4", "5"]
    assert cells(table, "_id") == ["101", "102"]
    assert cells(table, "_row") == [2, 3]


@pytest.mark.parametrize("api_page", [False, True])
def test_kobo_json(tmp_path: Path, api_page: bool, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        table = only(kobo_json(tmp_path, api_page=api_page))
    assert table.headers == [
        "_id",
        "formhub/uuid",
        "start",
        "group_identity/full_name",
        "group_identity/phone",
        "group_housing/current_housing",
        "group_help/help_received",
        "group_wellbeing/satisfaction",
        "__version__",
        "_uuid",
        "_geolocation",
        "_submission_time",
        "_tags",
        "_validation_status/uid",
        "_validation_status/label",
        "group_help/comment",
    ]
    assert cells(table, "group_identity/full_name") == NAMES[:2]  # flat key in one, nested object in the other
    assert cells(table, "_id") == ["101", "102"]
    assert cells(table, "_tags") == ["", "проверено, звонок"]
    assert cells(table, "_geolocation") == ["", "55.75, 37.62"]
    assert cells(table, "group_help/comment") == ["", "Нужна помощь юриста"]
    assert cells(table, "_row") == [2, 3]
    assert "group_children" in caplog.text  # the repeat group is dropped, and said so
    assert "_attachments" not in caplog.text


def test_excel_csv_in_windows_1251_with_a_title_line(tmp_path: Path) -> None:
    table = only(excel_csv(tmp_path))
    assert table.headers == ["№", "ФИО", "Телефон", "Дата выхода из приюта", "Доход, тыс. руб.", HOUSING]
    assert cells(table, "Доход, тыс. руб.") == ["12,5", "30", ""]  # decimal commas stay text
    assert cells(table, HOUSING)[1] == "У родственников; с ребёнком"
    assert cells(table, "ФИО") == NAMES
    assert cells(table, "_row") == [3, 4, 6]  # title line is row 1, the blank row 5 is skipped


def test_excel_unicode_text_in_utf16(tmp_path: Path) -> None:
    table = only(excel_unicode_text(tmp_path))
    assert table.headers == ["ФИО", "Телефон", HOUSING, HELP]
    assert cells(table, HELP) == ["Продукты, Одежда", "Юридическая консультация"]
    assert cells(table, "_row") == [2, 3]


def test_coding_workbook_gives_a_table_per_sheet_with_flattened_two_row_headers(tmp_path: Path) -> None:
    tables = read_export(coding_workbook(tmp_path))
    assert [t.sheet for t in tables] == [
        "Смирнова",
        "Смена июль 2025",
    ]  # no "Инструкция", empty "Лист4", hidden "Списки"
    header = ["№", "ФИО", "Жильё / Где живёт", "Жильё / С кем живёт"]
    header += [f"Помощь / {option}" for option in HELP_OPTIONS] + ["Дата интервью", "Интервьюер"]
    for table in tables:
        assert table.headers == header
        assert cells(table, "_row") == [3, 4]
        assert cells(table, "Помощь / Юридическая консультация") == ["0", "1"]
        assert cells(table, "Интервьюер") == ["Смирнова Е.", "Смирнова Е."]  # merged down over both rows
    assert cells(tables[0], "ФИО") == NAMES[:2]
    assert cells(tables[1], "Дата интервью") == ["2025-07-10", "2025-07-11"]
    assert tables[1].label == "кодировка_интервью.xlsx [Смена июль 2025]"


def test_spss_gives_value_labels_under_variable_labels(tmp_path: Path) -> None:
    table = only(spss_sav(tmp_path))
    assert table.headers == ["case_id", "ФИО", HOUSING, f"{HELP} Продукты", SATISFACTION, "Дата интервью"]
    assert cells(table, HOUSING) == ["Снимаю комнату", "У родственников", ""]
    assert cells(table, f"{HELP} Продукты") == ["Да", "Нет", "Да"]
    assert cells(table, SATISFACTION) == ["Полностью довольна", "3", "Совсем не довольна"]  # 3 has no label
    assert cells(table, "Дата интервью") == ["2025-05-03", "2025-06-01", ""]
    assert cells(table, "case_id") == ["1", "2", "3"]
    assert cells(table, "_row") == [2, 3, 4]


@pytest.mark.parametrize("name", ["scan.pdf", "отчёт.docx", "exports.zip", "data.dat", "README"])
def test_other_types_are_refused_naming_the_formats_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 something")
    refused(path, "are not read", "followup reads CSV", ".xlsx", ".json", ".sav")


def test_an_old_xls_file_is_told_to_become_xlsx(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    refused(tmp_path / "old.xls", "save it as .xlsx")


# -- robustness ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.csv", "a.txt", "a.xlsx", "a.json", "a.sav"])
def test_an_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"" if name != "a.csv" else b"\r\n  \r\n")
    refused(tmp_path / name, "empty")


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    junk = random.Random(7).randbytes(3000)
    (tmp_path / "a.csv").write_bytes(junk)
    refused(tmp_path / "a.csv", "binary")
    without_nul = bytes(b for b in junk if b not in (0, 0x98))  # decodes as Windows-1251, full of control codes
    (tmp_path / "b.csv").write_bytes(without_nul)
    refused(tmp_path / "b.csv", "binary")
    (tmp_path / "c.json").write_bytes(junk)
    refused(tmp_path / "c.json", "not valid JSON")
    (tmp_path / "d.sav").write_bytes(junk)
    refused(tmp_path / "d.sav", "not an SPSS data file")


def test_a_csv_cut_mid_row_names_the_row(tmp_path: Path) -> None:
    path = excel_csv(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b";", 0, len(data) - 20)])  # the last row loses its last cells
    refused(path, "row 6 has", "cells but the header has 6", "Export it again")


def test_a_csv_cut_inside_a_quoted_cell_names_the_row(tmp_path: Path) -> None:
    path = kobo_csv(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"legal") + 2])
    refused(path, "row 3 is cut short inside a quoted cell")


@pytest.mark.parametrize("builder", [yandex_forms_xlsx, kobo_json, spss_sav])
def test_other_formats_cut_short_are_refused(tmp_path: Path, builder) -> None:
    path = builder(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    refused(path, "again")


def test_a_duplicated_column_name_is_named_with_a_suggestion_to_rename(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("ФИО,Телефон,Где вы сейчас живёте?,Телефон\nИванова,8 903,Общежитие,8 916\n", encoding="utf-8")
    refused(path, "'Телефон' twice (columns B and D)", "rename one of them")


def test_a_duplicated_column_in_a_workbook_names_the_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Волна 1"
    book.active.append(["ФИО", HOUSING, HOUSING])
    book.active.append([NAMES[0], "Общежитие", "Общежитие"])
    book.save(tmp_path / "dup.xlsx")
    refused(tmp_path / "dup.xlsx", "on sheet 'Волна 1'", f"'{HOUSING}' twice", "rename")


def test_spss_variables_sharing_a_label_are_refused(tmp_path: Path) -> None:
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"q1": [1.0], "q2": [2.0]})
    pyreadstat.write_sav(frame, tmp_path / "dup.sav", column_labels={"q1": HELP, "q2": HELP})
    refused(tmp_path / "dup.sav", "q1 and q2 have the same label", "Variable View")


def test_a_column_without_a_name_is_dropped_when_empty_and_refused_when_not(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("ФИО;;Телефон;;\nИванова;;8 903;;\n", encoding="utf-8")
    assert only(path).headers == ["ФИО", "Телефон"]
    path.write_text("ФИО;;Телефон\nИванова;Общежитие;8 903\n", encoding="utf-8")
    refused(path, "column B (number 2) holds answers but has no name")


def test_a_renamed_file_is_told_to_be_saved_as_xlsx(tmp_path: Path) -> None:
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    refused(xls, "old Excel 97–2003 (.xls)", "save it as .xlsx")
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(excel_csv(tmp_path).read_bytes())
    refused(renamed, "text (CSV) file renamed", "rename it to .csv", "save it as .xlsx")


def test_a_workbook_renamed_to_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(yandex_forms_xlsx(tmp_path).read_bytes())
    refused(path, "an Excel workbook", "proper extension")


def test_a_workbook_without_a_header_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Инструкция: заполните анкету"
    book.save(tmp_path / "empty.xlsx")
    refused(tmp_path / "empty.xlsx", "no sheet has a header row")
    assert zipfile.is_zipfile(tmp_path / "empty.xlsx")


def test_semicolons_win_over_commas_in_header_names_and_decimal_numbers(tmp_path: Path) -> None:
    """Split at commas this header is wider, but then no row fits it: the delimiter is judged by the rows."""
    path = tmp_path / "доход.csv"
    text = "Доход, тыс. руб.;Возраст ребёнка, лет;Пособие, руб.\r\n12,5;3;8500\r\n30;1,5;\r\n"
    path.write_bytes(text.encode("cp1251"))
    table = only(path)
    assert table.headers == ["Доход, тыс. руб.", "Возраст ребёнка, лет", "Пособие, руб."]
    assert cells(table, "Возраст ребёнка, лет") == ["3", "1,5"]
    assert cells(table, "_row") == [2, 3]


# -- the broken inputs of tests/broken_inputs.py that the reader itself refuses --------------------------------

READER_CASES = [c for c in CASES if isinstance(c.expect, Rejected) and c.expect.stage == "read"]


@pytest.mark.parametrize(
    "case", [c for c in READER_CASES if c.id != "one_huge_cell"], ids=lambda c: c.id
)  # the 50 MB cell is read in test_broken_inputs.py; a small one below
def test_a_broken_input_is_refused_by_the_reader_with_its_reason(tmp_path: Path, case: Case) -> None:
    assert isinstance(case.expect, Rejected)
    name, data = case.build()
    (tmp_path / name).write_bytes(data)
    reason = refused(tmp_path / name, *case.expect.says)
    for personal in PERSONAL:
        assert personal not in reason


# -- encodings -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("koi8_r", "KOI8-R"), ("mac_cyrillic", "Mac Cyrillic"), ("cp866", "DOS (CP866)"), ("iso8859_5", "ISO-8859-5")],
)
def test_a_csv_in_another_cyrillic_encoding_is_named_instead_of_read_as_nonsense(
    tmp_path: Path, encoding: str, named: str
) -> None:
    path = tmp_path / "a.csv"
    text = excel_csv(tmp_path).read_bytes().decode("cp1251")
    path.write_bytes(text.encode(encoding, errors="replace"))  # not all of them have "№"
    refused(path, f"the {named} encoding", "save it as CSV in UTF-8")


def test_windows_1251_in_capitals_is_still_read_as_windows_1251(tmp_path: Path) -> None:
    """Capitals are scrambled letters in KOI8-R's eyes too: the letters' frequencies, not their case, decide."""
    path = tmp_path / "caps.csv"
    rows = ["ФИО;ТЕЛЕФОН", *(f"{name.upper()};{phone}" for name, phone in zip(NAMES, PHONES, strict=True))]
    path.write_bytes("\r\n".join(rows).encode("cp1251"))
    assert cells(only(path), "ФИО") == [name.upper() for name in NAMES]


# -- zero bytes and huge cells ---------------------------------------------------------------------------------


def test_zero_bytes_in_a_text_file_name_the_row_and_column(tmp_path: Path) -> None:
    path = google_forms_csv(tmp_path)
    data = path.read_bytes()
    at = data.index("В общежитии".encode())  # row 4, column D
    path.write_bytes(data[:at] + bytes(8) + data[at:])
    refused(path, f"row 4, column D ('{HOUSING}') holds zero bytes", "damaged", "export it again")


@pytest.mark.parametrize("builder", [google_forms_csv, kobo_json])
def test_a_cell_longer_than_any_answer_names_its_row_and_column(tmp_path: Path, builder) -> None:
    """(A workbook cannot hold one: Excel and openpyxl stop a cell at 32 767 characters.)"""
    long = "слово" + " слово" * (MAX_CELL // 6)
    path = builder(tmp_path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        path.write_text(text.replace("Всё хорошо", long), encoding="utf-8")
        where = "row 2, column G ('Комментарий')"
    else:
        path.write_text(text.replace("Нужна помощь юриста", long), encoding="utf-8")
        where = "row 3, column P ('group_help/comment')"
    refused(path, where, f"holds {len(long):,} characters".replace(",", " "), "Clear or shorten that cell")


def test_reading_a_huge_cell_leaves_the_csv_modules_limit_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("ФИО,Комментарий\nИванова," + "x" * (csv.field_size_limit() + 10) + "\n", encoding="utf-8")
    before = csv.field_size_limit()
    refused(path, "row 2, column B ('Комментарий')")
    assert csv.field_size_limit() == before


# -- delimiters and unnamed columns ----------------------------------------------------------------------------


def test_a_pipe_delimited_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe.csv"
    path.write_text(f"ФИО|Телефон|{HOUSING}\n{NAMES[0]}|{PHONES[0]}|Снимаю комнату, с ребёнком\n", encoding="utf-8")
    table = only(path)
    assert table.headers == ["ФИО", "Телефон", HOUSING]
    assert cells(table, HOUSING) == ["Снимаю комнату, с ребёнком"]


def test_an_unnamed_column_at_the_end_is_dropped_when_empty_and_refused_when_not(tmp_path: Path) -> None:
    path = tmp_path / "end.csv"
    path.write_text("ФИО;Телефон;;\nИванова;8 903;;\nПетрова;8 916\n", encoding="utf-8")  # Excel's padding
    assert only(path).headers == ["ФИО", "Телефон"]
    path.write_text("ФИО;Телефон;\nИванова;8 903;заметка\n", encoding="utf-8")
    refused(path, "column C (number 3) holds answers but has no name")
