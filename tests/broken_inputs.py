"""Broken exports, one small builder per case, each with what a run must do with it.

Every builder returns the file's name and bytes, made the way the mistake happens in a shelter: a CSV saved
in the wrong encoding, a download cut short, a question renamed in the form, a date typed by hand, a file
renamed to another extension, the same answers exported twice. `@case(...)` registers the builder with its
expectation: the file is `Rejected` with a reason saying what is wrong and what to do, or it is `Loaded`
with some rows `Held` in quarantine (row, column, check, reason) or counted as duplicates.

The answers are the follow-up questionnaire of `tests/definitions/formats_followup.yaml` as Google Forms
exports it, from the graduates of the valid case-closure list (`exports.excel_csv`, who left in January and
February 2025), each row with its own timestamp, so that no row of one case repeats a row of another. The
case-closure cases use the shipped `case_closure` definition and graduates of their own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from exports import (
    HELP,
    HOUSING,
    NAMES,
    PHONES,
    SATISFACTION,
    _delimited,
    excel_csv,
    google_forms_csv,
    kobo_json,
    spss_sav,
    yandex_forms_xlsx,
)

from followup.demo import BASELINE_HEADERS, write_baseline_xlsx

GOOGLE_HEADER = ["Отметка времени", "ФИО", "Телефон", HOUSING, HELP, SATISFACTION, "Комментарий"]
TIMESTAMP = "Отметка времени"
# Graduates who appear only in the broken case-closure lists, never in the valid one.
OTHERS = [
    "Кузнецова Дарья Павловна",
    "Смирнова Ксения Олеговна",
    "Фёдорова Инна Петровна",
    "Белова Яна Юрьевна",
    "Орлова Вера Игоревна",
    "Зайцева Лилия Маратовна",
    "Никитина Ольга Сергеевна",
]
OTHER_PHONES = [f"+7 905 {n}11-22-3{n}" for n in range(1, len(OTHERS) + 1)]
PERSONAL = [*NAMES, *PHONES, *OTHERS, *OTHER_PHONES, *(name.split()[0] for name in NAMES + OTHERS)]
BIG_CELL = 50 * 1024 * 1024  # bytes in the one huge cell


# -- what a run must do with a file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    """The whole file is set aside; its reason contains each phrase. `stage` is who refuses it: the reader
    ("read": the file cannot be read) or the run ("run": e.g. its columns match no instrument)."""

    says: tuple[str, ...]
    stage: str = "read"


@dataclass(frozen=True, order=True)
class Held:
    """One quarantined row: where it is, which check failed, and a phrase of the reason."""

    row: int
    column: str
    check: str
    says: str


@dataclass(frozen=True)
class Loaded:
    """The file is loaded: so many rows loaded, these rows held in quarantine, so many duplicates."""

    loaded: int
    held: tuple[Held, ...] = ()
    duplicate: int = 0


Expectation = Rejected | Loaded
Builder = Callable[[], tuple[str, bytes]]  # -> (the file's name, its bytes)


@dataclass(frozen=True)
class Case:
    id: str
    build: Builder
    expect: Expectation
    xfail: str | None = None  # why the run does not do this yet (a bug for that stage's owner)


CASES: list[Case] = []


def case(expect: Expectation, xfail: str | None = None) -> Callable[[Builder], Builder]:
    """Register the decorated builder as a case, under its function's name."""

    def register(build: Builder) -> Builder:
        CASES.append(Case(build.__name__, build, expect, xfail))
        return build

    return register


# -- the valid files that load beside them ---------------------------------------------------------------------


def built(builder: Callable[[Path], Path]) -> tuple[str, bytes]:
    """A tests/exports.py builder's file, as (name, bytes)."""
    with tempfile.TemporaryDirectory() as folder:
        path = builder(Path(folder))
        return path.name, path.read_bytes()


VALID: dict[str, Builder] = {
    "excel_csv": lambda: built(excel_csv),  # the case-closure list: three graduates
    "google_forms_csv": lambda: built(google_forms_csv),  # their follow-ups
    "kobo_json": lambda: built(kobo_json),  # more follow-ups, from KoboToolbox
}
VALID_ROWS = {"excel_csv": 3, "google_forms_csv": 3, "kobo_json": 2}  # every row of each loads


# -- helpers ---------------------------------------------------------------------------------------------------


def answer(when: str, person: int = 0, **changes: str) -> list[str]:
    """One follow-up row in the Google Forms export; `changes` by header key: timestamp, name, phone, housing,
    help, satisfaction, comment."""
    cells = {
        "timestamp": when,
        "name": NAMES[person],
        "phone": PHONES[person],
        "housing": "Снимаю комнату",
        "help": "Продукты, Одежда",
        "satisfaction": "4",
        "comment": "",
    } | changes
    return list(cells.values())


def google(*rows: list[str], header: list[str] = GOOGLE_HEADER, delimiter: str = ",") -> bytes:
    return _delimited([header, *rows], delimiter).encode("utf-8")


def graduate(number: int, exit_date: object, **changes: object) -> dict[str, object]:
    """A row of the shipped case-closure workbook for one of OTHERS."""
    return {
        "№": number,
        "Дата завершения случая": exit_date,
        "ФИО выпускницы": OTHERS[number - 1],
        "Дата рождения": dt.date(1995, 3, number),
        "Телефон": OTHER_PHONES[number - 1],
        "Программа": "Социальный приют",
        "Материальная помощь при выходе": "Да",
        "Ребёнок проживает с мамой": "Да",
        "Жильё после выхода": "Съёмное жильё",
        "Работа или доход": "Нет",
        "Документы и пособия": "Да",
    } | changes


def closure(name: str, rows: list[dict[str, object]], headers: list[str] = BASELINE_HEADERS) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_baseline_xlsx(Path(folder) / name, rows, headers=headers, stamp=dt.datetime(2026, 10, 1))
        return name, path.read_bytes()


def held(row: int, column: str, check: str, says: str) -> tuple[Held, ...]:
    return (Held(row, column, check, says),)


# -- encodings -------------------------------------------------------------------------------------------------


@case(Rejected(("KOI8-R", "save it as CSV in UTF-8")))
def koi8r_csv() -> tuple[str, bytes]:
    """Saved from an old Linux or mail client in KOI8-R: every byte decodes as Windows-1251, into nonsense."""
    text = _delimited([GOOGLE_HEADER, answer("02.06.2025 10:00:00"), answer("03.06.2025 10:00:00", 1)], ",")
    return "ответы_koi8.csv", text.encode("koi8_r", errors="replace")  # it has no "–"


@case(Rejected(("Mac", "save it as CSV in UTF-8")))
def mac_cyrillic_csv() -> tuple[str, bytes]:
    """Saved by an old Mac program in Mac Cyrillic: lower case reads as Windows-1251, capitals become symbols."""
    rows = [GOOGLE_HEADER, answer("04.06.2025 10:00:00"), answer("05.06.2025 10:00:00", 2)]
    return "ответы_mac.csv", _delimited(rows, ",").encode("mac_cyrillic")


@case(Rejected(("UTF-16", "save it as CSV in UTF-8")))
def utf16_without_bom_csv() -> tuple[str, bytes]:
    """UTF-16 without the byte-order mark that says so: half the bytes are 0x04 or zero."""
    return "ответы_utf16.csv", _delimited([GOOGLE_HEADER, answer("06.06.2025 10:00:00")], ",").encode("utf-16-le")


@case(Rejected(("UTF-32", "save it as CSV in UTF-8")))
def utf32_csv() -> tuple[str, bytes]:
    """UTF-32 with its mark, which starts like UTF-16's: every character followed by two zero bytes."""
    return "ответы_utf32.csv", _delimited([GOOGLE_HEADER, answer("07.06.2025 10:00:00")], ",").encode("utf-32")


@case(Rejected(("encoding", "save it as CSV in UTF-8")))
def unknown_encoding_csv() -> tuple[str, bytes]:
    """A Chinese-locale program's GB18030: Cyrillic as two-byte codes, read by Windows-1251 as symbol salad."""
    rows = [GOOGLE_HEADER, answer("08.06.2025 10:00:00"), answer("09.06.2025 10:00:00", 1)]
    return "ответы_gb18030.csv", _delimited(rows, ",").encode("gb18030")


@case(Rejected(("middle of a character", "export it again")))
def unicode_text_cut_mid_character_txt() -> tuple[str, bytes]:
    """Excel's «Unicode text» (UTF-16 with its mark) cut after an odd number of bytes."""
    data = _delimited([GOOGLE_HEADER, answer("10.06.2025 10:00:00")], "\t").encode("utf-16")
    return "ответы_юникод.txt", data[:-3]


# -- files cut short -------------------------------------------------------------------------------------------


@case(Rejected(("row 3 has 4 cells but the header has 7", "Export it again")))
def csv_cut_mid_row() -> tuple[str, bytes]:
    """Cut in the fourth cell of the last row: "Сни" of "Снимаю комнату"."""
    data = google(answer("11.06.2025 10:00:00"), answer("12.06.2025 10:00:00", 1))
    return "обрыв_строки.csv", data[: data.rindex("Снимаю".encode()) + len("Сни".encode())]


@case(Rejected(("row 3 is cut short inside a quoted cell", "export it again")))
def csv_cut_mid_quote() -> tuple[str, bytes]:
    data = google(answer("13.06.2025 10:00:00"), answer("14.06.2025 10:00:00", 1, comment="Всё хорошо, спасибо"))
    return "обрыв_кавычки.csv", data[: data.rindex("хорошо".encode())]


@case(Rejected(("not a readable XLSX", "damaged or cut short", "export it again")))
def xlsx_cut_in_half() -> tuple[str, bytes]:
    _, data = built(yandex_forms_xlsx)
    return "выгрузка_обрыв.xlsx", data[: len(data) // 2]


@case(Rejected(("not valid JSON", "cut short", "again")))
def json_cut() -> tuple[str, bytes]:
    _, data = built(kobo_json)
    return "kobo_обрыв.json", data[: len(data) * 2 // 3]


@case(Rejected(("SPSS file cannot be read", "save it again as .sav")))
def spss_corrupt() -> tuple[str, bytes]:
    """An SPSS file whose header survives but whose data were overwritten."""
    _, data = built(spss_sav)
    return "волна_повреждена.sav", data[:200] + random.Random(5).randbytes(len(data) - 200)


@case(Rejected(("SPSS file cannot be read", "save it again as .sav")))
def spss_cut() -> tuple[str, bytes]:
    _, data = built(spss_sav)
    return "волна_обрыв.sav", data[: len(data) // 2]


# -- headers ---------------------------------------------------------------------------------------------------


@case(Rejected(("match no instrument", "lacks 'Где вы сейчас живёте?'", "'Где вы проживаете?'"), stage="run"))
def renamed_question() -> tuple[str, bytes]:
    """The housing question was reworded in the form and no definition names the new wording yet."""
    header = [h if h != HOUSING else "Где вы проживаете?" for h in GOOGLE_HEADER]
    return "переименован_вопрос.csv", google(answer("15.06.2025 10:00:00"), header=header)


@case(Loaded(2))
def extra_columns() -> tuple[str, bytes]:
    """Two questions added to the form that no definition names: they are not read, the rest loads."""
    header = [*GOOGLE_HEADER, "Сколько лет ребёнку?", "Адрес электронной почты"]
    rows = [[*answer("16.06.2025 10:00:00"), "3", "a@example.org"], [*answer("17.06.2025 10:00:00", 1), "5", ""]]
    return "лишние_столбцы.csv", google(*rows, header=header)


@case(Rejected(("match no instrument", "lacks 'Отметка времени'"), stage="run"))
def missing_required_columns() -> tuple[str, bytes]:
    """The timestamp was deleted by hand before the file was sent."""
    rows = [answer("18.06.2025 10:00:00")[1:]]
    return "без_даты.csv", google(*rows, header=GOOGLE_HEADER[1:])


@case(Rejected(("'Телефон' twice", "columns C and H", "rename one of them")))
def duplicate_header_names() -> tuple[str, bytes]:
    header = [*GOOGLE_HEADER, "Телефон"]
    return "два_телефона.csv", google([*answer("19.06.2025 10:00:00"), "8 900 000-00-00"], header=header)


@case(Rejected(("column H (number 8)", "has no name", "type a column name")))
def unnamed_column_with_answers() -> tuple[str, bytes]:
    header = [*GOOGLE_HEADER, ""]
    return "столбец_без_имени.csv", google([*answer("20.06.2025 10:00:00"), "заметка"], header=header)


# -- dates -----------------------------------------------------------------------------------------------------

DATE_REASON = "not a date in the format dd.mm.yyyy HH:MM:SS"


@case(Loaded(1, held(3, TIMESTAMP, "timestamp_format", DATE_REASON)))
def date_month_first() -> tuple[str, bytes]:
    """An American-style mm/dd/yyyy date where the form writes dd.mm.yyyy."""
    return "дата_мм_дд.csv", google(answer("21.06.2025 10:00:00"), answer("06/22/2025 10:00:00", 1))


@case(Loaded(1, held(2, TIMESTAMP, "timestamp_format", DATE_REASON)))
def date_in_words() -> tuple[str, bytes]:
    return "дата_словами.csv", google(answer("5 мая 2025 10:00"), answer("23.06.2025 10:00:00", 1))


@case(Loaded(1, held(3, TIMESTAMP, "timestamp_format", DATE_REASON)))
def date_two_digit_year() -> tuple[str, bytes]:
    return "дата_год_2_цифры.csv", google(answer("24.06.2025 10:00:00"), answer("25.06.25 10:00:00", 2))


@case(Loaded(1, held(2, TIMESTAMP, "timestamp_format", DATE_REASON)))
def date_excel_serial() -> tuple[str, bytes]:
    """Excel's serial day number (45834 is 26.06.2025) pasted where the date was."""
    return "дата_число_excel.csv", google(answer("45834"), answer("26.06.2025 10:00:00", 1))


@case(Loaded(1, held(3, "Дата завершения случая", "exit_date_format", "not a date in the format dd.mm.yyyy")))
def exit_date_as_serial_number() -> tuple[str, bytes]:
    """A case-closure workbook whose exit date column was formatted as a number: 45692 instead of 04.02.2025."""
    return closure("завершение_дата_числом.xlsx", [graduate(1, dt.date(2025, 3, 3)), graduate(2, 45692)])


@case(Loaded(1, held(3, TIMESTAMP, "timestamp_present", "the date is empty")))
def timestamp_empty() -> tuple[str, bytes]:
    return "дата_пустая.csv", google(answer("27.06.2025 10:00:00"), answer("", 1))


# -- answers out of range --------------------------------------------------------------------------------------

OPTIONS_REASON = "not one of the defined answers"


@case(Loaded(1, held(2, SATISFACTION, "answer_in_options", OPTIONS_REASON)))
def likert_out_of_scale() -> tuple[str, bytes]:
    """7 on the 1–5 scale (the form was briefly 1–7)."""
    return "шкала_7.csv", google(answer("28.06.2025 10:00:00", satisfaction="7"), answer("29.06.2025 10:00:00", 1))


@case(Loaded(1, held(3, HOUSING, "answer_in_options", OPTIONS_REASON)))
def unknown_option() -> tuple[str, bytes]:
    """An option added to the form but not to the definition."""
    rows = [answer("30.06.2025 10:00:00"), answer("01.07.2025 10:00:00", 1, housing="Социальная квартира")]
    return "новый_вариант.csv", google(*rows)


@case(Loaded(1, held(2, "Количество детей", "answer_in_range", "outside the range 0–15")))
def negative_number() -> tuple[str, bytes]:
    """Version 2 of the case-closure form with -2 children (a minus typed by mistake)."""
    headers = [*BASELINE_HEADERS, "Количество детей", "Возраст младшего ребёнка", "Срок проживания, мес."]
    family = {"Возраст младшего ребёнка": "1–3 года", "Срок проживания, мес.": 6}
    rows = [
        graduate(3, dt.date(2025, 3, 10), **family, **{"Количество детей": -2}),
        graduate(4, dt.date(2025, 3, 11), **family, **{"Количество детей": 1}),
    ]
    return closure("завершение_v2_минус.xlsx", rows, headers)


# -- dates that cannot be true ---------------------------------------------------------------------------------


@case(Loaded(1, held(3, TIMESTAMP, "timestamp_not_future", "the date is in the future")))
def future_timestamp() -> tuple[str, bytes]:
    return "дата_в_будущем.csv", google(answer("02.07.2025 10:00:00"), answer("01.01.2099 10:00:00", 1))


# (checks are named for what must hold: answered_after_exit, like timestamp_not_future)
@case(Loaded(1, held(3, TIMESTAMP, "answered_after_exit", "dated before the graduate's exit month")))
def timestamp_before_exit() -> tuple[str, bytes]:
    """Petrova left in February 2025; an answer dated January 2025 cannot be a follow-up."""
    return "раньше_выхода.csv", google(answer("03.07.2025 10:00:00"), answer("10.01.2025 10:00:00", 1))


@case(Loaded(1, held(3, "Дата завершения случая", "exit_date_not_future", "the date is in the future")))
def exit_date_in_future() -> tuple[str, bytes]:
    rows = [graduate(5, dt.date(2025, 4, 1)), graduate(6, dt.date(2027, 4, 1))]
    return closure("завершение_в_будущем.xlsx", rows)


# -- empty files -----------------------------------------------------------------------------------------------


@case(Rejected(("the file is empty", "export the form again")))
def empty_file() -> tuple[str, bytes]:
    return "пустой.csv", b""


@case(Rejected(("the file is empty", "export the form again")))
def whitespace_only() -> tuple[str, bytes]:
    return "пробелы.csv", b"  \r\n\t\r\n   \n"


@case(Rejected(("no answers", "export it again"), stage="run"))
def header_only() -> tuple[str, bytes]:
    return "только_заголовок.csv", google()


# -- not an export of the kind its name says -------------------------------------------------------------------


@case(Rejected(("not a text file", "binary")))
def binary_junk_csv() -> tuple[str, bytes]:
    return "мусор.csv", random.Random(11).randbytes(4000)


@case(Rejected(("'.xls' are not read", "save it as .xlsx")))
def old_excel_xls() -> tuple[str, bytes]:
    return "ответы.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(12).randbytes(3000)


@case(Rejected(("'.ods' are not read", "LibreOffice", ".xlsx")))
def libreoffice_ods() -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return "ответы.ods", buffer.getvalue()


@case(Rejected(("'.zip' are not read", "unpack the archive")))
def zip_archive() -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ответы.csv", google(answer("04.07.2025 10:00:00")))
    return "выгрузки.zip", buffer.getvalue()


@case(Rejected(("'.pdf' are not read", "export the answers from the form service")))
def pdf_document() -> tuple[str, bytes]:
    return "отчёт.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@case(Rejected(("'(none)' are not read", "followup reads CSV")))
def no_extension() -> tuple[str, bytes]:
    return "ответы", google(answer("05.07.2025 10:00:00"))


@case(Rejected(("an Excel workbook", "although its name ends in '.csv'", "proper extension")))
def workbook_renamed_to_csv() -> tuple[str, bytes]:
    return "книга_как_csv.csv", built(yandex_forms_xlsx)[1]


@case(Rejected(("text (CSV) file renamed", "rename it to .csv")))
def csv_renamed_to_xlsx() -> tuple[str, bytes]:
    return "текст_как_книга.xlsx", google(answer("06.07.2025 10:00:00"))


@case(Rejected(("password", "remove the password", "save it again")))
def password_protected_xlsx() -> tuple[str, bytes]:
    """Excel's "Encrypt with password" writes an OLE compound file holding EncryptionInfo and EncryptedPackage."""
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") for name in ("EncryptionInfo", "EncryptedPackage"))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return "с_паролем.xlsx", header + names + random.Random(13).randbytes(2000)


@case(Rejected(("no sheet has a header row", "put the column names in the first row")))
def workbook_without_data() -> tuple[str, bytes]:
    """Two sheets: an empty one and one with a single title cell."""
    book = openpyxl.Workbook()
    book.create_sheet("Лист2")["A1"] = "Ответы будут здесь"
    buffer = io.BytesIO()
    book.save(buffer)
    return "пустая_книга.xlsx", buffer.getvalue()


def rezipped(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """A workbook (a ZIP of XML parts) with each part changed by `change(name, part)`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return buffer.getvalue()


@case(Rejected(("not a readable XLSX", "damaged or cut short", "export it again")))
def xlsx_sheet_cut_mid_xml() -> tuple[str, bytes]:
    """A workbook whose sheet part ends in the middle of its XML (a tool that crashed while saving)."""
    _, data = built(yandex_forms_xlsx)
    return "лист_оборван.xlsx", rezipped(data, lambda name, part: part[: len(part) // 2] if "sheet1" in name else part)


@case(Rejected(("not a readable XLSX", "damaged or cut short", "export it again")))
def xlsx_with_damaged_bytes() -> tuple[str, bytes]:
    """A workbook with a run of zero bytes over its compressed sheet (a bad sector, a broken sync)."""
    _, data = built(yandex_forms_xlsx)
    at = data.index(b"xl/worksheets/sheet1.xml") + 40
    return "книга_повреждена.xlsx", data[:at] + bytes(300) + data[at + 300 :]


@case(Rejected(("not a readable XLSX", "save it again as .xlsx")))
def zip_renamed_to_xlsx() -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return "архив_как_книга.xlsx", buffer.getvalue()


# -- JSON that is not a KoboToolbox download -------------------------------------------------------------------


@case(Rejected(("neither a list of submissions nor a 'results' list", "KoboToolbox")))
def json_form_definition() -> tuple[str, bytes]:
    """The form's definition downloaded instead of its data."""
    document = {"name": "Анкета выпускниц", "survey": [{"type": "text", "name": "full_name"}], "version": "3"}
    return "kobo_форма.json", json.dumps(document, ensure_ascii=False).encode()


@case(Rejected(("row 2 (submission 1) is not a submission object",)))
def json_list_of_texts() -> tuple[str, bytes]:
    return "kobo_строки.json", json.dumps(["Иванова", "Петрова"], ensure_ascii=False).encode()


@case(Rejected(("nested hundreds of levels deep", "KoboToolbox")))
def json_nested_too_deep() -> tuple[str, bytes]:
    return "kobo_вложенность.json", b'{"a": ' * 100_000 + b"1" + b"}" * 100_000


@case(Rejected(("holds no submissions", "once the form has answers")))
def json_without_submissions() -> tuple[str, bytes]:
    return "kobo_пусто.json", json.dumps({"count": 0, "next": None, "previous": None, "results": []}).encode()


# -- identity --------------------------------------------------------------------------------------------------


@case(Loaded(1, held(3, "identity", "identity_present", "neither a name nor a phone")))
def missing_identity() -> tuple[str, bytes]:
    rows = [answer("07.07.2025 10:00:00"), answer("08.07.2025 10:00:00", name="", phone="")]
    return "без_имени.csv", google(*rows)


@case(Loaded(1, held(2, "identity", "graduate_known", "no case-closure record matches this graduate")))
def unknown_graduate() -> tuple[str, bytes]:
    rows = [answer("09.07.2025 10:00:00", name="Неизвестная Анна", phone=""), answer("10.07.2025 10:00:00", 2)]
    return "неизвестная.csv", google(*rows)


@case(Loaded(1, held(3, "identity", "baseline_unique", "already has a case-closure record")))
def second_exit_of_one_graduate() -> tuple[str, bytes]:
    """The same woman's case closed twice in one list."""
    rows = [graduate(7, dt.date(2025, 5, 5), **{"№": 1}), graduate(7, dt.date(2025, 9, 9), **{"№": 2})]
    return closure("завершение_дважды.xlsx", rows)


# -- the text's structure --------------------------------------------------------------------------------------


@case(Rejected(("row 3, column G ('Комментарий') holds zero bytes (NUL", "damaged", "export it again")))
def nul_bytes_inside() -> tuple[str, bytes]:
    """A block of zero bytes in the middle of a row, as an interrupted copy or sync leaves."""
    data = google(answer("11.07.2025 10:00:00"), answer("12.07.2025 10:00:00", 1, comment="Всё хорошо"))
    at = data.rindex("хорошо".encode())
    return "нулевые_байты.csv", data[:at] + bytes(512) + data[at:]


@case(Rejected(("row 3, column G ('Комментарий') holds", "characters", "Clear or shorten that cell", "export it")))
def one_huge_cell() -> tuple[str, bytes]:
    """A 50 MB comment (a photo pasted as text): the file is rejected, naming the row and column."""
    phrase = "Очень длинный комментарий, вставленный много раз. "
    filler = phrase * (BIG_CELL // len(phrase.encode()))
    rows = [answer("13.07.2025 10:00:00"), answer("14.07.2025 10:00:00", 1, comment=filler)]
    return "огромная_ячейка.csv", google(*rows)


@case(Loaded(1))
def pipe_delimited() -> tuple[str, bytes]:
    """A hand-made or database export with '|' between cells; the delimiter is detected."""
    return "разделитель_черта.csv", google(answer("15.07.2025 10:00:00"), delimiter="|")


@case(Loaded(2))
def semicolons_instead_of_commas() -> tuple[str, bytes]:
    """Opened and saved again in Russian Excel: ';' between cells; the delimiter is detected."""
    rows = [answer("16.07.2025 10:00:00"), answer("17.07.2025 10:00:00", 2)]
    return "точка_с_запятой.csv", google(*rows, delimiter=";")


@case(Loaded(3))
def mixed_line_endings() -> tuple[str, bytes]:
    """Rows added by hand on another system: CRLF, LF and a lone CR."""
    lines = google(answer("18.07.2025 10:00:00"), answer("19.07.2025 10:00:00", 1), answer("20.07.2025 10:00:00", 2))
    header, first, second, third = lines.split(b"\r\n")[:4]
    return "концы_строк.csv", header + b"\r\n" + first + b"\n" + second + b"\r" + third + b"\n"


@case(Rejected(("row 3 has answers in more cells (8) than the header has columns (7)", "unquoted ','")))
def more_fields_than_header() -> tuple[str, bytes]:
    """A comment with a comma typed by hand into the CSV, without quotes."""
    data = google(answer("21.07.2025 10:00:00"), answer("22.07.2025 10:00:00", 1, comment="@@"))
    return "лишняя_ячейка.csv", data.replace(b"@@", "хорошо, спасибо".encode())


# -- the same answers twice ------------------------------------------------------------------------------------


@case(Loaded(1, duplicate=1))
def same_row_twice() -> tuple[str, bytes]:
    row = answer("23.07.2025 10:00:00", 1)
    return "строка_дважды.csv", google(row, row)


@case(Loaded(1, duplicate=3))
def cumulative_re_export() -> tuple[str, bytes]:
    """The Google form exported again a month later: its three earlier rows and one new answer."""
    name, data = built(google_forms_csv)
    return name.replace("(1)", "(2)"), data + _delimited([answer("24.07.2025 10:00:00", 2)], ",").encode()
