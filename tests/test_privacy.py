"""Canary test: planted personal data must reach no artefact of a run.

A graduate with unmistakable made-up identity is planted in realistic exports (name, phone, birth date,
exact exit date, and free-text comments that repeat them). After a real `followup run` in a fresh process
(Prefect's own temporary server, its database inside the home), every table and column of the warehouse,
the warehouse file's bytes, Prefect's database and files, the reports and the printed output are searched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

SURNAME, FIRST, PATRONYMIC = "Канареечкина", "Эсмеральда", "Феоктистовна"
PHONE = "+7 (999) 765-43-21"
BIRTH = "17.03.1991"
EXIT = "13.05.2025"
CANARIES = [
    SURNAME,
    FIRST,
    PATRONYMIC,
    SURNAME.lower(),
    FIRST.lower(),
    SURNAME.upper(),
    "9997654321",
    "999) 765-43-21",
    "765-43-21",
    "7654321",
    BIRTH,
    "1991-03-17",
    EXIT,
    "2025-05-13",
    "Шлагбаумова",
]


def plant(inbox: Path) -> None:
    from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv

    baseline = {h: "" for h in BASELINE_HEADERS} | {
        "№": 1,
        "Дата завершения случая": EXIT,
        "ФИО выпускницы": f"{SURNAME} {FIRST} {PATRONYMIC}",
        "Дата рождения": BIRTH,
        "Телефон": PHONE,
        "Программа": "Социальный приют",
        "Ребёнок проживает с мамой": "Да",
        "Жильё после выхода": "Съёмное жильё",
        "Комментарий специалиста": f"Созвонились с {FIRST}, тел. 8 999 765-43-21, соседка Шлагбаумова поможет",
    }
    other = baseline | {
        "№": 2,
        "ФИО выпускницы": "Другая Мария Ивановна",
        "Телефон": "89120000000",
        "Комментарий специалиста": "",
    }
    write_baseline_xlsx(inbox / "Завершение случая.xlsx", [baseline, other])
    answer = {h: "" for h in FOLLOWUP_HEADERS} | {
        "Отметка времени": "20.08.2025 9:15:02",
        "Ваши фамилия, имя и отчество": f"{FIRST.lower()} {SURNAME.lower()}  {PATRONYMIC}",
        "Номер телефона": "89997654321",
        "Ребёнок (дети) живут с вами?": "Да",
        "Где вы сейчас живёте?": "Снимаю жильё",
        "Что бы вы хотели рассказать нам?": f"Спасибо! Пишите {SURNAME} на 8-999-765-43-21, родилась {BIRTH}",
    }
    bad = answer | {"Отметка времени": "не помню", "Где вы сейчас живёте?": f"у {SURNAME}"}
    write_followup_csv(inbox / "Катамнез (Ответы).csv", [answer, bad])
    # The same woman in a KoboToolbox JSON export, with her child's name in a repeat group and her name
    # and phone in a comment (read with the test definition tests/definitions/formats_followup.yaml).
    kobo = [
        {
            "_uuid": "0c1d2e3f-canary",
            "_submission_time": "2025-11-20T10:00:00",
            "group_identity/full_name": f"{FIRST} {PATRONYMIC} {SURNAME}",
            "group_identity/phone": PHONE,
            "group_housing/current_housing": "rent",
            "group_help/help_received": "food",
            "group_wellbeing/satisfaction": "4",
            "group_help/comment": f"Звонить {FIRST} по {PHONE}, e-mail esmeralda.canary@example.org",
            "group_children": [{"group_children/child_name": "Шлагбаумова Аделаида"}],
        }
    ]
    (inbox / "kobo-api.json").write_text(json.dumps(kobo, ensure_ascii=False), encoding="utf-8")


def found_in(text: str) -> list[str]:
    low = text.lower()
    return [c for c in CANARIES if c.lower() in low]


def warehouse_values(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            cols = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
                ).fetchall()
            ]
            for col in cols:
                values = con.execute(f'SELECT DISTINCT CAST("{col}" AS VARCHAR) FROM "{table}"').fetchall()
                parts += [f"{table}.{col}={v}" for (v,) in values]
        return "\n".join(parts)
    finally:
        con.close()


def sqlite_values(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def test_no_planted_personal_data_reaches_any_artefact(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli("init", str(home)).returncode == 0
    shutil.copy(ROOT / "tests" / "definitions" / "formats_followup.yaml", home / "instruments")
    plant(home / "inbox")
    first = run_cli("run", "--home", str(home), "--as-of", dt.date(2026, 11, 1).isoformat())
    assert first.returncode == 0, first.stderr
    # The run did load the planted graduate (so the scan below looks at real data) and quarantined the bad row.
    assert "loaded 4 + quarantined 1" in first.stdout
    results = run_cli("results", "--home", str(home), "--format", "csv")
    status = run_cli("status", "--home", str(home))
    listed = run_cli("quarantine", "--home", str(home), "--format", "csv")
    printed = "\n".join(p.stdout + p.stderr for p in (first, results, status, listed))
    assert "Катамнез (Ответы).csv,,3,Отметка времени,timestamp_format" in listed.stdout
    assert "Ребёнок живёт с мамой" in results.stdout
    assert "timestamp_format on 'Отметка времени' in Катамнез (Ответы).csv: 1 of 2 rows" in status.stdout

    leaks: dict[str, list[str]] = {}
    leaks["printed output"] = found_in(printed)
    leaks["warehouse tables"] = found_in(warehouse_values(home / "warehouse.duckdb"))
    prefect_db = home / ".prefect" / "prefect.db"
    assert prefect_db.exists()
    prefect_dump = sqlite_values(prefect_db)
    assert "followup-nightly" in prefect_dump and "rows read" in prefect_dump  # the run and its logs are there
    leaks["prefect database"] = found_in(prefect_dump)
    for path in sorted(home.rglob("*")):
        if path.is_file() and "inbox" not in path.relative_to(home).parts:
            data = path.read_bytes()
            leaks[str(path.relative_to(home))] = found_in(data.decode("utf-8", "ignore"))
            if path.suffix == ".xlsx":  # compressed: look inside
                import zipfile

                with zipfile.ZipFile(path) as z:
                    inner = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
                leaks[str(path.relative_to(home)) + " (unzipped)"] = found_in(inner)
    assert {where: what for where, what in leaks.items() if what} == {}


def test_the_scan_would_find_a_leak() -> None:
    """The detector itself: a canary in any of its spellings is found."""
    assert found_in(f"x {SURNAME.lower()} y") == [SURNAME, SURNAME.lower(), SURNAME.upper()]
    assert "9997654321" in found_in("+79997654321")
    assert found_in("graduate 3f2a, exit 2025-05-01") == []


def test_great_expectations_results_carry_row_numbers_never_values() -> None:
    """The planted values fail GX's checks, and GX's whole validation result (what Data Docs would show)
    names the failing lines only by number."""
    import pandas as pd

    from followup.expectations import Expectation, Prepared, validate_distinct

    cells = {
        "answer": [f"{SURNAME} {FIRST}", "yes", "8 999 765-43-21"],  # a name and a phone typed in as answers
        "date text": [f"unread: {BIRTH}", "2026-01-05", f"unread: {EXIT}"],
        "number": [9997654321.0, 3.0, 1991.0],
    }
    columns = {name: Prepared.of(pd.Series(values, dtype=object)) for name, values in cells.items()}
    expectations = [
        Expectation("ExpectColumnValuesToBeInSet", "answer", (("value_set", ["yes", "no"]),), "h", "c", "r"),
        Expectation("ExpectColumnValuesToMatchRegex", "date text", (("regex", r"^\d{4}-"),), "h", "c", "r"),
        Expectation("ExpectColumnValuesToBeBetween", "number", (("max_value", 10),), "h", "c", "r"),
    ]
    result = validate_distinct(columns, expectations, "canary")
    assert not result.success
    assert all(r.result["unexpected_count"] == 2 for r in result.results)  # the planted values were seen
    text = json.dumps(result.to_json_dict(), ensure_ascii=False, default=str)
    found = [c for c in [*CANARIES, "9997654321.0", "8 999 765"] if c in text]
    assert found == []
