"""Canary test: planted personal data must reach no artefact of a run.

A graduate with unmistakable made-up identity is planted in realistic exports (name, phone, birth date,
exact exit date, and free-text comments that repeat them). After a real `followup run` in a fresh process
(Prefect's own temporary server, its database inside the home), `followup.pii_scan` searches every table
and column of the warehouse, the bytes of every file of the home (the warehouse and its .wal, Prefect's
database and a dump of it, the reports and the members of their workbooks), and the printed output. The
same scanner is `followup check-pii`; it is shown here to find a value planted in each kind of artefact.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_cli

from followup.home import Home, open_home
from followup.pii_scan import _CHUNK, Matcher, Needle, forms, scan
from followup.warehouse import Warehouse

SURNAME, FIRST, PATRONYMIC = "Канареечкина", "Эсмеральда", "Феоктистовна"
PHONE = "+7 (999) 765-43-21"
BIRTH = "17.03.1991"
EXIT = "13.05.2025"
EMAIL = "esmeralda.canary@example.org"
# Each is also searched in its other spellings: names in any case and normalised, the phone as digits, as
# 9997654321 and as 765-43-21, the dates as ISO (see `forms`).
NEEDLES = [
    Needle(SURNAME, "name"),
    Needle(FIRST, "name"),
    Needle(PATRONYMIC, "name"),
    Needle(PHONE, "phone"),
    Needle("999) 765-43-21", "phone"),
    Needle("7654321", "phone"),
    Needle(BIRTH, "date"),
    Needle(EXIT, "date"),
    Needle("Шлагбаумова", "name"),  # the neighbour named in a comment, and the child's surname
    Needle("Аделаида", "name"),  # the child's first name, in a KoboToolbox repeat group
    Needle(EMAIL, "email"),
]
NUMBER = {needle.text: i for i, needle in enumerate(NEEDLES)}


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
    # Interviewers name sheets and files after the woman: those names must not be recorded either.
    book = openpyxl.load_workbook(inbox / "Завершение случая.xlsx")
    book.active.title = f"{SURNAME} {FIRST[0]}."
    book.save(inbox / "Завершение случая.xlsx")
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
    (inbox / f"kobo {SURNAME.lower()}_{FIRST}.json").write_text(json.dumps(kobo, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, subprocess.CompletedProcess[str]]]:
    """A home after a real `followup run` of exports holding the planted woman, and what the commands printed."""
    home = tmp_path_factory.mktemp("privacy") / "home"
    assert run_cli("init", str(home)).returncode == 0
    shutil.copy(ROOT / "tests" / "definitions" / "formats_followup.yaml", home / "instruments")
    plant(home / "inbox")
    printed = {"run": run_cli("run", "--home", str(home), "--as-of", dt.date(2026, 11, 1).isoformat())}
    printed["results"] = run_cli("results", "--home", str(home), "--format", "csv")
    printed["status"] = run_cli("status", "--home", str(home))
    printed["quarantine"] = run_cli("quarantine", "--home", str(home), "--format", "csv")
    return home, printed


@pytest.mark.slow
def test_no_planted_personal_data_reaches_any_artefact(planted_run) -> None:
    home, printed = planted_run
    assert printed["run"].returncode == 0, printed["run"].stderr
    assert "Traceback" not in printed["run"].stderr  # (a dependency's warning traceback alarmed users)
    # The run did load the planted graduate (so the scan below looks at real data) and quarantined the bad row.
    assert "loaded 4 + quarantined 1" in printed["run"].stdout
    assert "Катамнез (Ответы).csv,,3,Отметка времени,timestamp_format" in printed["quarantine"].stdout
    assert "Ребёнок живёт с мамой" in printed["results"].stdout
    # The file and sheet named after her are recorded, and filed, with the name replaced.
    with Warehouse(home / "warehouse.duckdb", read_only=True) as wh:
        recorded = wh.con.execute("SELECT file_name, sheet, stored_as FROM files ORDER BY file_name").fetchall()
    kobo = [r for r in recorded if r[0].startswith("kobo")]
    assert [r[:2] for r in kobo] == [("kobo [ИМЯ].json", None)] and kobo[0][2].startswith("processed/kobo [ИМЯ].")
    assert ("Завершение случая.xlsx", "[ИМЯ]") in [r[:2] for r in recorded]
    assert "timestamp_format on 'Отметка времени' in Катамнез (Ответы).csv: 1 of 2 rows" in printed["status"].stdout
    assert Matcher(NEEDLES).in_text("\n".join(p.stdout + p.stderr for p in printed.values())) == {}

    result = scan(open_home(home), NEEDLES)
    assert [str(finding) for finding in result.findings] == []
    assert result.unreadable == []
    # What was searched: the warehouse's tables and views, every file but the inbox, Prefect's database
    # also as a dump, and the members of the report workbook.
    tables = set(result.searched["tables and views of warehouse.duckdb"])
    assert {"responses", "answers", "quarantine", "validation_results", "files", "answers_by_wave"} <= tables
    files = set(result.searched["files"])
    assert {"warehouse.duckdb", ".prefect/prefect.db", "reports/results.xlsx", "reports/by_wave.csv"} <= files
    assert not [name for name in files if name.startswith("inbox/")]
    assert result.searched["SQLite dumps"] == [".prefect/prefect.db"]
    assert "xl/sharedStrings.xml" in result.searched["members of reports/results.xlsx"]
    # The same scan finds what the run did write: the flow and its logs in Prefect's database, file names
    # in the warehouse.
    control = [Needle("followup-nightly", "name"), Needle("rows read", "name"), Needle("Катамнез (Ответы).csv", "name")]
    places = {(f.artefact, f.where, f.needle) for f in scan(open_home(home), control).findings}
    assert {
        (".prefect/prefect.db", "SQL dump, table flow", 0),
        (".prefect/prefect.db", "SQL dump, table log", 1),
        ("warehouse.duckdb", "files.file_name", 2),
    } <= places


@pytest.mark.slow
def test_check_pii_command_names_where_never_what(planted_run, tmp_path: Path) -> None:
    home, _ = planted_run
    values = tmp_path / "canaries.txt"
    lines = ["# planted in the exports of this test", *(f"{n.kind}: {n.text}" for n in NEEDLES), ""]
    values.write_text("\n".join(lines), encoding="utf-8")
    clean = run_cli("check-pii", "--home", str(home), "--values-file", str(values))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert f"No planted value ({len(NEEDLES)} given) found in" in clean.stdout
    assert (
        "tables and views of warehouse.duckdb: " in clean.stdout and "SQLite dumps: .prefect/prefect.db" in clean.stdout
    )

    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    (copy / "reports" / "planted.txt").write_text(f"Позвонить {FIRST.upper()}: {PHONE}", encoding="utf-8")
    leaked = run_cli("check-pii", "--home", str(copy), "--value", SURNAME, "--value", FIRST, "--value", PHONE)
    assert leaked.returncode == 1, leaked.stdout + leaked.stderr
    rows = [line for line in leaked.stdout.splitlines() if "reports/planted.txt" in line]
    assert len(rows) == 2 and "value #2 (name)" in rows[0] and "value #3 (phone)" in rows[1]
    assert "value #1" not in leaked.stdout  # the surname was not planted
    assert Matcher(NEEDLES).in_text(leaked.stdout + leaked.stderr) == {}

    with Warehouse(copy / "warehouse.duckdb"):  # as while a run writes: the warehouse cannot be opened
        busy = run_cli("check-pii", "--home", str(copy), "--value", SURNAME)
    assert busy.returncode == 2
    assert "could not search warehouse.duckdb" in busy.stdout and "in use" in busy.stdout


def plant_in_every_artefact(home: Home) -> None:
    """One planted value in each kind of artefact of a home, and two where they belong (inbox, vault)."""
    from openpyxl import Workbook

    with Warehouse(home.warehouse) as wh:
        wh.con.execute("PRAGMA disable_checkpoint_on_shutdown")  # the rows stay in the .wal, as after a crash
        wh.con.execute(
            "CREATE TABLE planted_copy AS SELECT ? AS note, ? AS phone", [f"звонила {FIRST}", "+79997654321"]
        )
    home.prefect_home.mkdir(exist_ok=True)
    con = sqlite3.connect(home.prefect_home / "prefect.db")
    # A long log line spills over SQLite's overflow pages; the dump has it whole.
    con.execute("CREATE TABLE log (message TEXT)")
    con.execute("INSERT INTO log VALUES (?)", ["x" * 6000 + " родилась 1991-03-17 " + "y" * 6000])
    con.commit()
    con.close()
    book = Workbook()
    book.active["A1"] = SURNAME.upper()  # type: ignore[index]
    book.save(home.reports / "planted.xlsx")
    (home.root / "logs").mkdir()
    (home.root / "logs" / "run.log").write_text("тел. 8-999-765-43-21", encoding="utf-8")
    (home.reports / "excel.csv").write_bytes("Соседка;ШЛАГБАУМОВА\n".encode("cp1251"))
    (home.reports / "unicode.txt").write_bytes(f"{PATRONYMIC}\t1".encode("utf-16"))
    # A page may write letters as character references (an apostrophe always is): the scan reads its text.
    (home.reports / "report.html").write_text(f"<td>&#x{ord(SURNAME[0]):X};{SURNAME[1:]}</td>", encoding="utf-8")
    (home.root / "gx" / "validations").mkdir(parents=True)
    (home.root / "gx" / "validations" / "result.json").write_text(json.dumps({"unexpected": [EMAIL]}))
    (home.inbox / "processed").mkdir()
    (home.inbox / "processed" / "export.csv").write_text(SURNAME, encoding="utf-8")
    (home.root / "vault.duckdb").write_text(SURNAME, encoding="utf-8")


def test_the_scan_finds_a_planted_value_in_every_kind_of_artefact(home: Home) -> None:
    plant_in_every_artefact(home)
    result = scan(home, NEEDLES)
    found = {(f.artefact, f.where, f.needle, f.form) for f in result.findings}
    assert {
        ("warehouse.duckdb", "planted_copy.note", NUMBER[FIRST], "as written"),
        ("warehouse.duckdb", "planted_copy.phone", NUMBER[PHONE], "digits"),
        ("warehouse.duckdb.wal", "bytes", NUMBER[FIRST], "as written"),
        (".prefect/prefect.db", "SQL dump, table log", NUMBER[BIRTH], "ISO date"),
        ("reports/planted.xlsx", "member xl/worksheets/sheet1.xml", NUMBER[SURNAME], "as written"),
        ("logs/run.log", "bytes", NUMBER[PHONE], "local number"),
        ("reports/excel.csv", "bytes", NUMBER["Шлагбаумова"], "as written, Windows-1251"),
        ("reports/unicode.txt", "bytes", NUMBER[PATRONYMIC], "as written, UTF-16"),
        ("gx/validations/result.json", "bytes", NUMBER[EMAIL], "as written"),
        ("reports/report.html", "text", NUMBER[SURNAME], "as written"),
    } <= found
    assert not [f for f in result.findings if f.artefact.startswith(("inbox/", "vault"))]
    assert result.unreadable == []
    # A finding says where and which value, never the value.
    report = "\n".join(str(f) for f in result.findings)
    assert "value #2 (name)" in report and "value #4 (phone, local number)" in report
    assert Matcher(NEEDLES).in_text(report) == {}


def test_spellings_searched_for_a_value() -> None:
    assert forms(Needle(PHONE, "phone")) == {
        "as written": "+7 (999) 765-43-21",
        "digits": "79997654321",
        "national number": "9997654321",
        "local number": "765-43-21",
    }
    assert forms(Needle("8 999 765 43 21", "phone"))["national number"] == "9997654321"
    assert forms(Needle(BIRTH, "date")) == {"as written": "17.03.1991", "ISO date": "1991-03-17"}
    assert forms(Needle("2025-05-13", "date")) == {"as written": "2025-05-13", "dd.mm.yyyy": "13.05.2025"}
    assert forms(Needle("Шлагбаумова  Алёна", "name")) == {
        "as written": "шлагбаумова алёна",
        "ё as е": "шлагбаумова алена",
        "normalised": "алена шлагбаумова",  # as the pipeline normalises names: words sorted
    }
    assert forms(Needle("Ия", "name")) == {}  # too short: it would be found everywhere
    assert [Needle.parse(t).kind for t in (PHONE, BIRTH, "2025-05-13", EMAIL, SURNAME, "8 Марта")] == [
        "phone",
        "date",
        "date",
        "email",
        "name",
        "name",
    ]
    assert Needle.parse(" phone: 765-43-21 ") == Needle("765-43-21", "phone")
    with pytest.raises(ValueError, match=r"value #2 .* too short"):
        Matcher([Needle(SURNAME, "name"), Needle("Ия", "name")])


def test_the_matcher_finds_overlapping_values_in_any_case_and_across_chunks() -> None:
    matcher = Matcher([Needle("Иванова", "name"), Needle("Иванова Мария", "name"), *NEEDLES])
    assert set(matcher.in_text("Звонила ИВАНОВА МАРИЯ, +79997654321")) == {
        0,
        1,
        2 + NUMBER[PHONE],
        2 + NUMBER["999) 765-43-21"],
        2 + NUMBER["7654321"],
    }
    assert matcher.in_text("graduate 3f2a, exit 2025-05-01, Иван") == {}
    # A value split by the boundary of two read chunks is still found.
    data = b"x" * (_CHUNK - 5) + SURNAME.encode() + b"x" * 10
    assert matcher.in_stream(io.BytesIO(data)) == {2 + NUMBER[SURNAME]: "as written"}


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
    assert Matcher([*NEEDLES, Needle("9997654321.0", "phone"), Needle("8 999 765", "phone")]).in_text(text) == {}
