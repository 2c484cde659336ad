"""File and sheet names named after a woman are recorded, logged and filed with the name replaced."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import AS_OF
from test_pipeline import run_stages

from followup.anonymise.file_names import name_words, recorded_names, unique
from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv
from followup.warehouse import Warehouse

NAMED = [
    ("Иванова Мария - анкета 2026-03.xlsx", "[ИМЯ] - анкета 2026-03.xlsx"),
    ("катамнез_6_мес_Петрова_А.В..csv", "катамнез_6_мес_[ИМЯ].csv"),
    ("Смирнова Ольга 89123456789.csv", "[ИМЯ] [ТЕЛЕФОН].csv"),
    ("Кузнецова.xlsx", "[ИМЯ].xlsx"),
    ("ivanova_maria.csv", "[ИМЯ].csv"),
    ("Интервью_Ахметова Гульнара.xlsx", "Интервью_[ИМЯ].xlsx"),
    ("masha.ivanova@mail.ru.csv", "[EMAIL].csv"),
    ("Коваленко.xlsx", "[ИМЯ].xlsx"),
    ("Мамедова Айгюль.csv", "[ИМЯ].csv"),
    ("Интервью с Олей.xlsx", "Интервью с [ИМЯ].xlsx"),
    ("Катамнез Мартыновой.csv", "Катамнез [ИМЯ].csv"),  # not the month «март»
    ("Анкета Формина Ольга.xlsx", "Анкета [ИМЯ].xlsx"),  # not «форма»
]
KEPT = [
    "Анкета выпускницы (ответы).xlsx",
    "Kobo export 2026_11_01.json",
    "выгрузка_яндекс_формы.csv",
    "Катамнез 12 мес.xlsx",
    "Ответы на форму (1).csv",
    "followup_survey_google.csv",
    "coding_sheet_wave6.xlsx",
    "kobo_followup_2026-11-01.json",
    "Выпускницы 2024 - катамнез.xlsx",
    "Кризисный центр Китеж - итоги.xlsx",
    "Интервью_с_выпускницами_-_latest_version_-_labels_-_2026-08-02-10-12-44.csv",
    "kobo_вложенность.json",
    "разделитель_черта.csv",
]


@pytest.mark.parametrize(("name", "recorded"), NAMED)
def test_a_womans_name_phone_or_email_in_a_file_name_is_replaced(name: str, recorded: str) -> None:
    assert recorded_names([name]) == [recorded]


def test_file_names_of_exports_and_programmes_stay_as_they_are() -> None:
    assert recorded_names(KEPT) == KEPT


def test_a_name_the_vault_knows_is_replaced_even_where_the_tagger_misses_it() -> None:
    known = name_words(["бхатт радж", "кузнецова ольга"])
    assert recorded_names(["катамнез бхатт.csv"]) == ["катамнез бхатт.csv"]
    assert recorded_names(["катамнез бхатт.csv"], known) == ["катамнез [ИМЯ].csv"]


def test_sheet_names_keep_their_dots_and_stay_distinct() -> None:
    sheets = recorded_names(["Лист1", "Петрова А.", "Сидорова", "Итоги v1.2"], extension=False)
    assert sheets == ["Лист1", "[ИМЯ]", "[ИМЯ]", "Итоги v1.2"]
    assert unique(sheets) == ["Лист1", "[ИМЯ]", "[ИМЯ] (2)", "Итоги v1.2"]


def test_a_run_records_files_and_sheets_named_after_women_under_their_replaced_names(home) -> None:
    closure = {h: "" for h in BASELINE_HEADERS} | {
        "№": 1,
        "Дата завершения случая": "10.01.2026",
        "ФИО выпускницы": "Бхатт Радж Мария",
        "Телефон": "89123456789",
        "Ребёнок проживает с мамой": "Да",
    }
    path = write_baseline_xlsx(home.inbox / "Завершение Кузнецова.xlsx", [closure])
    book = openpyxl.load_workbook(path)
    book.active.title = "Петрова А."
    book.save(path)
    answer = {h: "" for h in FOLLOWUP_HEADERS} | {
        "Отметка времени": "20.08.2026 9:15:02",
        "Ваши фамилия, имя и отчество": "Бхатт Радж Мария",
        "Номер телефона": "89123456789",
        "Ребёнок (дети) живут с вами?": "Да",
    }
    write_followup_csv(home.inbox / "Катамнез Смирновой.csv", [answer])
    first, _ = run_stages(home, as_of=AS_OF)
    # The next night, a file named by a surname only the contact vault knows (from her case-closure form).
    write_followup_csv(home.inbox / "катамнез бхатт.csv", [answer | {"Отметка времени": "20.10.2026 9:15:02"}])
    second, _ = run_stages(home, as_of=AS_OF)

    assert (first.rows_loaded, second.rows_loaded) == (2, 1)
    with Warehouse(home.warehouse, read_only=True) as wh:
        files = sorted(wh.con.execute("SELECT file_name, stored_as FROM files").fetchall())
        sheets = {s for (s,) in wh.con.execute("SELECT DISTINCT source_sheet FROM responses").fetchall()}
    assert [f for f, _ in files] == ["Завершение [ИМЯ].xlsx", "Катамнез [ИМЯ].csv", "катамнез [ИМЯ].csv"]
    assert [s.split(".")[0] for _, s in files] == ["processed/Завершение [ИМЯ]", "processed/Катамнез [ИМЯ]",
                                                   "processed/катамнез [ИМЯ]"]  # fmt: skip
    assert sorted(p.name.split(".")[0] for p in (home.inbox / "processed").iterdir()) == [
        "Завершение [ИМЯ]",
        "Катамнез [ИМЯ]",
        "катамнез [ИМЯ]",
    ]
    assert sheets == {None, "[ИМЯ]"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nadezhda_monitoring_2026-11-02.csv", "nadezhda_monitoring_2026-11-02.csv"),
        ("КЦ Надежда катамнез.xlsx", "КЦ Надежда катамнез.xlsx"),
        ("kc_nadezhda_followup.csv", "kc_nadezhda_followup.csv"),
        ("Надежда_Петрова_интервью.xlsx", "[ИМЯ]_интервью.xlsx"),
        ("nadezhda_petrova.csv", "nadezhda_[ИМЯ].csv"),
    ],
)
def test_an_organisation_named_like_a_woman_keeps_its_name(name: str, expected: str) -> None:
    """Issue 14: with «КЦ Надежда» one of the home's organisations, its name (and Latin spelling) stays in file
    names even though the vault knows a woman named Надежда Петрова; her name beside it is still replaced."""
    known = name_words(["надежда петрова"])
    assert recorded_names([name], known, keep={"надежда", "nadezhda"}) == [expected]
    assert recorded_names(["nadezhda_monitoring_2026-11-02.csv"], known) == ["[ИМЯ]_monitoring_2026-11-02.csv"]
