"""Builders of realistic small exports, one per format the shelters send, written into a folder.

Each builder writes the file the way the tool that makes it does (Google's UTF-8 CSV, Excel's Windows-1251
CSV with a title line, Kobo's quoted `;` CSV, Yandex's XLSX with the form's name merged above the header, ...)
and returns its path. The people and answers are made up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd

NAMES = ["Иванова Алёна Сергеевна", "Петрова Мария Ивановна", "Сидорова Ольга"]
PHONES = ["+7 916 123-45-67", "8 (903) 555-12-34", "89261112233"]
HOUSING = "Где вы сейчас живёте?"
HELP = "Какую помощь вы получили?"
HELP_OPTIONS = ["Продукты", "Одежда", "Юридическая консультация"]
SATISFACTION = "Насколько вы довольны своей жизнью сейчас? (1 – совсем нет, 5 – полностью)"


def _delimited(rows: list[list[str]], delimiter: str, *, quote_all: bool = False) -> str:
    buffer = io.StringIO()
    if quote_all:  # as KoboToolbox writes
        csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    else:
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def google_forms_csv(folder: Path) -> Path:
    """Google Forms: UTF-8, ',', ru timestamps, checkbox answers joined by ", ", a comment with a line break."""
    rows = [
        ["Отметка времени", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION, "Комментарий"],
        ["20.04.2025 9:03:11", NAMES[0], PHONES[0], "Снимаю комнату", "Продукты, Одежда", "4", "Всё хорошо"],
        [
            "21.04.2025 19:44:02",
            NAMES[1],
            PHONES[1],
            "У родственников",
            "Юридическая консультация",
            "5",
            "Спасибо!\nДо встречи",
        ],
        ["3.05.2025 0:15:00", NAMES[2], PHONES[2], "В общежитии", "", "2", ""],
    ]
    path = folder / "Анкета выпускниц (Ответы) - Ответы на форму (1).csv"
    path.write_text(_delimited(rows, ","), encoding="utf-8")
    return path


def yandex_forms_csv(folder: Path) -> Path:
    """Yandex Forms: UTF-8 with a BOM, ';'-separated; several answers joined by ", " (so commas abound)."""
    rows = [
        ["ID", "Время создания", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION],
        ["1187341", "2025-05-03 10:15:42", NAMES[0], PHONES[0], "Снимаю квартиру", "Продукты, Одежда", "4"],
        ["1187342", "2025-05-04 08:01:09", NAMES[1], PHONES[1], "У родственников", "Одежда", "3"],
    ]
    path = folder / "yandex-forms-otvety.csv"
    path.write_text(_delimited(rows, ";"), encoding="utf-8-sig")
    return path


def yandex_forms_xlsx(folder: Path, *, dated_title: bool = False) -> Path:
    """Yandex Forms XLSX: the form's name merged across the table in row 1, the header in row 2; with
    `dated_title` the title leaves the last column free for the date of the export (a row of two cells)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ответы"
    sheet.append(["Анкета выпускниц: 6 месяцев после выхода", *([None] * 5), "Выгружено 05.05.2025"])
    sheet.merge_cells("A1:F1" if dated_title else "A1:G1")
    sheet.append(["ID", "Время создания", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION])
    sheet.append([1187341, dt.datetime(2025, 5, 3, 10, 15, 42), NAMES[0], PHONES[0], "Снимаю квартиру", "Продукты", 4])
    sheet.append([1187342, dt.datetime(2025, 5, 4), NAMES[1], PHONES[1], "У родственников", "Одежда, Продукты", 5])
    path = folder / "yandex-forms-otvety.xlsx"
    book.save(path)
    return path


KOBO_HEADER = [
    "start",
    "end",
    "group_identity/full_name",
    "group_identity/phone",
    "group_housing/current_housing",
    "group_help/help_received",
    "group_help/help_received/food",
    "group_help/help_received/clothes",
    "group_help/help_received/legal",
    "group_wellbeing/satisfaction",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "__version__",
    "_index",
]


def kobo_csv(folder: Path) -> Path:
    """KoboToolbox CSV (XML values and headers): ';', every cell quoted, select_multiple also as 0/1 columns."""
    # fmt: off
    rows = [
        KOBO_HEADER,
        ["2025-05-03T10:01:00.000+03:00", "2025-05-03T10:09:30.000+03:00", NAMES[0], PHONES[0], "rent",
         "food clothes", "1", "1", "0", "4", "101", "5d0e8c1a-3b5e-4c7a-9f1e-2a7b9c4d1e01",
         "2025-05-03T07:09:41", "", "vGk3pZ8bQ2", "1"],
        ["2025-05-04T12:00:00.000+03:00", "2025-05-04T12:20:05.000+03:00", NAMES[1], PHONES[1], "relatives",
         "legal", "0", "0", "1", "5", "102", "7a1f0d2e-9c44-4b0a-8e6d-3c2b1a0f9e02",
         "2025-05-04T09:20:11", "", "vGk3pZ8bQ2", "2"],
    ]
    # fmt: on
    path = folder / "aJx7Vb2_-_latest_version_-_False_-_2025-05-05-10-00-00.csv"
    path.write_text(_delimited(rows, ";", quote_all=True), encoding="utf-8")
    return path


def kobo_xlsx(folder: Path) -> Path:
    """KoboToolbox XLSX (labels as headers): numbers are stored as numbers, so 0/1 columns hold 1.0 and 0.0."""
    header = ["start", "ФИО", "Телефон", HOUSING, HELP, *(f"{HELP}/{o}" for o in HELP_OPTIONS), SATISFACTION]
    header += ["_id", "_uuid", "_submission_time", "__version__", "_index"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Анкета выпускниц"
    sheet.append(header)
    # fmt: off
    rows: list[list[object]] = [
        ["2025-05-03T10:01:00.000+03:00", NAMES[0], PHONES[0], "Снимаю квартиру", "Продукты Одежда", 1.0, 1.0, 0.0,
         4.0, 101.0, "5d0e8c1a-3b5e-4c7a-9f1e-2a7b9c4d1e01", "2025-05-03T07:09:41", "vGk3pZ8bQ2", 1.0],
        ["2025-05-04T12:00:00.000+03:00", NAMES[1], PHONES[1], "У родственников", "Юридическая консультация", 0.0,
         0.0, 1.0, 5.0, 102.0, "7a1f0d2e-9c44-4b0a-8e6d-3c2b1a0f9e02", "2025-05-04T09:20:11", "vGk3pZ8bQ2", 2.0],
    ]
    # fmt: on
    for row in rows:
        sheet.append(row)
    path = folder / "Анкета_выпускниц_-_all_versions_-_labels_-_2025-05-05.xlsx"
    book.save(path)
    return path


def kobo_submissions() -> list[dict[str, object]]:
    """Two submissions as KoboToolbox's API gives them: flat "group/question" keys, Kobo's own meta keys, a
    repeat group (a list of objects), and, in the second, a group nested as an object and a key the first lacks."""
    return [
        {
            "_id": 101,
            "formhub/uuid": "c1f2e3d4a5b6",
            "start": "2025-05-03T10:01:00.000+03:00",
            "group_identity/full_name": NAMES[0],
            "group_identity/phone": PHONES[0],
            "group_housing/current_housing": "rent",
            "group_help/help_received": "food clothes",
            "group_wellbeing/satisfaction": "4",
            "group_children": [{"group_children/child_name": "Миша", "group_children/child_age": "3"}],
            "__version__": "vGk3pZ8bQ2",
            "_uuid": "5d0e8c1a-3b5e-4c7a-9f1e-2a7b9c4d1e01",
            "_attachments": [],
            "_geolocation": [None, None],
            "_submission_time": "2025-05-03T07:09:41",
            "_tags": [],
            "_validation_status": {},
        },
        {
            "_id": 102,
            "formhub/uuid": "c1f2e3d4a5b6",
            "start": "2025-05-04T12:00:00.000+03:00",
            "group_identity": {"full_name": NAMES[1], "phone": PHONES[1]},
            "group_housing/current_housing": "relatives",
            "group_help/help_received": "legal",
            "group_wellbeing/satisfaction": "5",
            "__version__": "vGk3pZ8bQ2",
            "_uuid": "7a1f0d2e-9c44-4b0a-8e6d-3c2b1a0f9e02",
            "_attachments": [{"filename": "photo.jpg", "mimetype": "image/jpeg"}],
            "_geolocation": [55.75, 37.62],
            "_submission_time": "2025-05-04T09:20:11",
            "_tags": ["проверено", "звонок"],
            "_validation_status": {"uid": "validation_status_approved", "label": "Approved"},
            "group_help/comment": "Нужна помощь юриста",
        },
    ]


def kobo_json(folder: Path, *, api_page: bool = False) -> Path:
    """KoboToolbox JSON: a list of submissions, or (api_page) the API v2 page with count/next/results."""
    document: object = kobo_submissions()
    if api_page:
        document = {"count": 2, "next": None, "previous": None, "results": document}
    path = folder / ("data-api.json" if api_page else "aJx7Vb2.json")
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def excel_csv(folder: Path) -> Path:
    """Excel's "CSV (разделители — запятые)" on Russian Windows: Windows-1251, ';', a title line padded with
    ';' above the header, decimal commas, and dates as Excel shows them."""
    rows = [
        ["Опрос выпускниц, май 2025", "", "", "", "", ""],
        ["№", "ФИО", "Телефон", "Дата выхода из приюта", "Доход, тыс. руб.", HOUSING],
        ["1", NAMES[0], PHONES[0], "15.01.2025", "12,5", "Снимаю комнату"],
        ["2", NAMES[1], PHONES[1], "03.02.2025", "30", "У родственников; с ребёнком"],
        ["", "", "", "", "", ""],
        ["3", NAMES[2], PHONES[2], "20.02.2025", "", "Общежитие"],
    ]
    path = folder / "опрос_май.csv"
    path.write_bytes(_delimited(rows, ";").encode("cp1251"))
    return path


def excel_unicode_text(folder: Path) -> Path:
    """Excel's "Текст Юникод" (Unicode text): UTF-16 with a BOM, tab-separated, saved as .txt."""
    rows = [
        ["ФИО", "Телефон", HOUSING, HELP],
        [NAMES[0], PHONES[0], "Снимаю комнату", "Продукты, Одежда"],
        [NAMES[1], PHONES[1], "У родственников", "Юридическая консультация"],
    ]
    path = folder / "опрос.txt"
    path.write_bytes(_delimited(rows, "\t").encode("utf-16"))
    return path


def coding_workbook(folder: Path) -> Path:
    """An interview coding workbook: an "Инструкция" sheet, one sheet per interviewer or camp session with a
    two-row header (groups merged over their sub-columns, single columns merged down), an empty sheet and a
    hidden sheet of drop-down lists."""
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "Инструкция"
    guide["A1"] = "Заполняйте по одной строке на интервью. Коды помощи: 1 — получала, 0 — нет. Дату пишите как дату."
    for title, start in [("Смирнова", 0), ("Смена июль 2025", 1)]:
        sheet = book.create_sheet(title)
        sheet.append(["№", "ФИО", "Жильё", None, "Помощь", None, None, "Дата интервью", "Интервьюер"])
        sheet.append([None, None, "Где живёт", "С кем живёт", *HELP_OPTIONS, None, None])
        for cells in ["A1:A2", "B1:B2", "C1:D1", "E1:G1", "H1:H2", "I1:I2"]:
            sheet.merge_cells(cells)
        for offset in range(2):
            person = (start + offset) % len(NAMES)
            interviewer = "Смирнова Е." if offset == 0 else None  # merged down below
            day = dt.date(2025, 7, 10 + offset)
            sheet.append([offset + 1, NAMES[person], "Съёмная комната", "С ребёнком", 1, 0, offset, day, interviewer])
        sheet.merge_cells("I3:I4")  # one interviewer for the whole block
    book.create_sheet("Лист4")
    lists = book.create_sheet("Списки")  # the drop-down lists, hidden
    for row in [["Жильё", "Помощь"], ["Съёмная комната", "Продукты"], ["Общежитие", "Одежда"]]:
        lists.append(row)
    lists.sheet_state = "hidden"
    path = folder / "кодировка_интервью.xlsx"
    book.save(path)
    return path


def spss_sav(folder: Path) -> Path:
    """An SPSS file from a researcher: coded answers with value labels, Russian variable labels except on
    `case_id`, a date variable, a value without a label (3 on the Likert scale) and a missing answer."""
    import pyreadstat

    frame = pd.DataFrame(
        {
            "case_id": [1.0, 2.0, 3.0],
            "fio": NAMES,
            "housing": [1.0, 2.0, float("nan")],
            "help_food": [1.0, 0.0, 1.0],
            "satisf": [5.0, 3.0, 1.0],
            "int_date": [dt.date(2025, 5, 3), dt.date(2025, 6, 1), None],
        }
    )
    pyreadstat.write_sav(
        frame,
        folder / "выпускницы_волна1.sav",
        column_labels={
            "fio": "ФИО",
            "housing": HOUSING,
            "help_food": f"{HELP} Продукты",
            "satisf": SATISFACTION,
            "int_date": "Дата интервью",
        },
        variable_value_labels={
            "housing": {1: "Снимаю комнату", 2: "У родственников", 3: "В собственном жилье"},
            "help_food": {0: "Нет", 1: "Да"},
            "satisf": {1: "Совсем не довольна", 5: "Полностью довольна"},
        },
    )
    return folder / "выпускницы_волна1.sav"
