"""`followup due` and `followup forget`: who is due for a call this month and how to reach her, and the
erasure of one graduate from the contact vault and the warehouse, down to the bytes of the files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import AS_OF, run_cli
from test_pipeline import run_stages

from followup import keys
from followup.anonymise import contacts
from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv
from followup.home import Home, open_home
from followup.pii_scan import scan
from followup.results.wave_table import indicator_by_wave
from followup.run import definitions
from followup.warehouse import Warehouse

MONTH = dt.date(2026, 9, 1)  # the month of the calls
# name, exit date, phone at exit; her follow-ups: (date, phone written, comment)
GRADUATES = [
    ("Иванова Анна Петровна", dt.date(2026, 6, 10), "+7 912 000-00-01", [(dt.date(2026, 9, 5), "", "")]),
    (
        "Петрова Мария Сергеевна",
        dt.date(2026, 3, 15),
        "+7 912 000-00-02",
        [(dt.date(2026, 6, 20), "8 912 000 00 99", "Спасибо, у нас всё хорошо")],
    ),
    ("Сидорова Елена Олеговна", dt.date(2025, 9, 1), "+7 912 000-00-03", []),
    ("Кузнецова Ольга Игоревна", dt.date(2026, 5, 20), "+7 912 000-00-04", [(dt.date(2026, 8, 14), "", "")]),
    ("Смирнова Наталья Викторовна", dt.date(2024, 9, 3), "+7 912 000-00-05", []),
    ("Морозова Ирина Андреевна", dt.date(2026, 7, 12), "+7 912 000-00-06", []),
]
PETROVA = GRADUATES[1]
PETROVA_PHONES = ["+79120000099", "+79120000002"]  # the later one first
UNSURE = "Петрова Мира Сергеевна"  # a follow-up that may be Petrova's


def _months(since: dt.date, until: dt.date) -> int:
    return (until.year - since.year) * 12 + until.month - since.month


def _expected_due(waves: list[int]) -> dict[str, int]:
    """Name → wave, from the exit dates written: exit month + wave = MONTH."""
    return {name: _months(left, MONTH) for name, left, _, _ in GRADUATES if _months(left, MONTH) in waves}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with six graduates and their follow-ups, loaded once; tests work on copies of it."""
    from followup.home import init_home

    home, _ = init_home(tmp_path_factory.mktemp("contacts") / "home")
    base = {h: "" for h in BASELINE_HEADERS} | {"Программа": "Социальный приют", "Ребёнок проживает с мамой": "Да"}
    write_baseline_xlsx(
        home.inbox / "закрытие.xlsx",
        [
            base | {"№": i, "Дата завершения случая": left, "ФИО выпускницы": name, "Телефон": phone}
            for i, (name, left, phone, _) in enumerate(GRADUATES, start=1)
        ],
    )
    answer = {h: "" for h in FOLLOWUP_HEADERS} | {
        "Где вы сейчас живёте?": "Снимаю жильё",
        "Ребёнок (дети) живут с вами?": "Да",
    }
    write_followup_csv(
        home.inbox / "анкета.csv",
        [
            answer
            | {
                "Отметка времени": f"{when:%d.%m.%Y} 10:00:00",
                "Ваши фамилия, имя и отчество": name,
                "Номер телефона": phone,
                "Что бы вы хотели рассказать нам?": comment,
            }
            for name, _, _, follow_ups in GRADUATES
            for when, phone, comment in follow_ups
        ]
        # Another patronymic: she may be Petrova, or not; the form waits for review, its name in the vault.
        + [answer | {"Отметка времени": "10.09.2026 12:00:00", "Ваши фамилия, имя и отчество": UNSURE}],
    )
    summary, _ = run_stages(home)
    assert (summary.rows_loaded, summary.rows_quarantined) == (9, 1)
    with Warehouse(home.warehouse, read_only=True) as wh:
        assert wh.run("linkage.sql", "waiting_reviews").df()["forms"].tolist() == [1]
    return home.root


@pytest.fixture
def home(built: Path, tmp_path: Path) -> Home:
    shutil.copytree(built, tmp_path / "home")
    return open_home(tmp_path / "home")


def _vault_key(home: Home) -> str:
    return keys.vault_key(keys.load_key(home.secret_key))


def _due(home: Home, month: dt.date = MONTH) -> pd.DataFrame:
    with Warehouse(home.warehouse, read_only=True) as wh:
        wh.attach_vault(home.vault, _vault_key(home))
        return contacts.due(wh, month, home.settings.waves.months)


def _graduate_id(home: Home, name: str) -> str:
    with Warehouse(home.warehouse, read_only=True) as wh:
        wh.attach_vault(home.vault, _vault_key(home))
        return contacts.find(wh, name).graduate_id


def _cells(home: Home, catalog: str) -> dict[str, str]:
    """Every table of a database (`main`: the warehouse; `vault`), all its cells as one text, by table."""
    with Warehouse(home.warehouse, read_only=True) as wh:
        wh.attach_vault(home.vault, _vault_key(home))
        database = str(wh.con.execute("SELECT current_database()").fetchone()[0]) if catalog == "main" else catalog  # type: ignore[index]
        tables = wh.con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?", [database]
        ).fetchall()
        assert len(tables) >= 2
        return {
            t: wh.con.execute(f'SELECT * FROM "{database}"."{s}"."{t}"').df().astype(str).to_csv(index=False)
            for s, t in tables
        }


def test_due_lists_the_graduates_whose_wave_falls_in_the_month_with_names_and_phones(home) -> None:
    waves = home.settings.waves.months
    expected = _expected_due(waves)
    assert len(expected) >= 3 and len(expected) < len(GRADUATES)  # some are due, some are not
    due = _due(home)
    assert dict(zip(due["full_name"], due["wave"], strict=True)) == expected
    rows = due.set_index("full_name")
    assert list(rows.loc["Петрова Мария Сергеевна", "phones"]) == PETROVA_PHONES
    assert list(rows.loc["Сидорова Елена Олеговна", "phones"]) == ["+79120000003"]
    assert rows["answered_wave"].to_dict() == {
        "Иванова Анна Петровна": True,  # answered at 3 months: wave 3
        "Петрова Мария Сергеевна": False,  # answered wave 3, not yet wave 6
        "Сидорова Елена Олеговна": False,
        "Смирнова Наталья Викторовна": False,
    }
    assert rows.loc["Петрова Мария Сергеевна", "last_answered"] == pd.Timestamp("2026-06-01")
    assert pd.isna(rows.loc["Сидорова Елена Олеговна", "last_answered"])
    assert _due(home, dt.date(2026, 10, 1))["full_name"].tolist() == ["Морозова Ирина Андреевна"]  # wave 3


def test_due_on_the_terminal_and_as_an_xlsx_only_its_owner_can_read(home, tmp_path) -> None:
    shown = run_cli("due", "--month", "2026-09", "--home", str(home.root), env={"COLUMNS": "400"})
    assert shown.returncode == 0, shown.stderr
    for name in _expected_due(home.settings.waves.months):
        assert name in shown.stdout
    assert "+7 912 000-00-99, +7 912 000-00-02" in shown.stdout
    assert "Кузнецова" not in shown.stdout and "Морозова" not in shown.stdout

    path = tmp_path / "calls" / "обзвон.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"an older file, readable by all")
    path.chmod(0o644)
    written = run_cli("due", "--month", "2026-09", "-f", "xlsx", "-o", str(path), "--home", str(home.root))
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    warning = " ".join(written.stderr.split())
    assert "names, phones and e-mails" in warning and "synced folder" in warning
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [[str(c or "") for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(contacts.COLUMNS_RU.values())
    by_name = {r[4]: r for r in rows[1:]}
    assert set(by_name) == set(_expected_due(home.settings.waves.months))
    petrova = by_name["Петрова Мария Сергеевна"]
    assert petrova[5] == "+7 912 000-00-99, +7 912 000-00-02" and petrova[3] == "6" and petrova[7] == "нет"
    assert petrova[0] == _graduate_id(home, PETROVA[0])[: contacts.SHORT_ID]


def test_forget_erases_her_from_the_vault_the_warehouse_their_files_and_the_results(home) -> None:
    name, _, phone, follow_ups = PETROVA
    graduate_id = _graduate_id(home, name)
    needles = [graduate_id, name, phone, follow_ups[0][1]]
    with Warehouse(home.warehouse, read_only=True) as wh:
        responses = [
            r
            for (r,) in wh.con.execute(
                "SELECT response_id FROM responses WHERE graduate_id = ?", [graduate_id]
            ).fetchall()
        ]
        indicators = definitions(home)[1]
        before = indicator_by_wave(wh, indicators, home.settings.waves.months, AS_OF)
    assert len(responses) == 2
    # Before: the warehouse's tables and file bytes hold her pseudonym, the vault her name and phones.
    assert {f.needle for f in scan(home, needles).findings} == {0}
    assert graduate_id.encode() in home.warehouse.read_bytes()
    vault = _cells(home, "vault").values()
    assert any("Петрова" in text and "+79120000099" in text for text in vault)
    assert any(UNSURE in text for text in vault)  # the form waiting for review, Petrova its candidate

    vault_file = home.vault.stat().st_ino
    done = run_cli("forget", graduate_id[:10], "--yes", "--home", str(home.root))
    assert done.returncode == 0, done.stderr
    assert f"Erased graduate {graduate_id[:12]}" in done.stdout and "Петрова" not in done.stdout
    assert "закрытие" in done.stdout and "анкета" in done.stdout  # the exports that still hold her

    # Nothing of her in any table of either database, nor in the warehouse's bytes, WAL or the reports.
    for table, text in _cells(home, "main").items():
        assert graduate_id not in text, table
        assert not any(r in text for r in responses), table
    for table, text in _cells(home, "vault").items():
        assert "Петрова" not in text and "0000099" not in text and "0000002" not in text, table
        assert graduate_id not in text, table
    assert scan(home, needles).findings == []
    snapshot = home.warehouse.parent / "snapshot" / home.warehouse.name  # the researchers' copy, published again
    assert snapshot.exists() and graduate_id.encode() not in snapshot.read_bytes()
    for path in (home.warehouse, home.warehouse.with_name(home.warehouse.name + ".wal")):
        assert not path.exists() or graduate_id.encode() not in path.read_bytes(), path
    # The vault is encrypted, so its bytes say nothing; but it is a new file, without the freed blocks that
    # kept her rows (readable with the key).
    assert home.vault.stat().st_ino != vault_file and stat.S_IMODE(home.vault.stat().st_mode) == 0o600
    assert not list(home.root.glob("*.rewriting*"))

    # The others are still there, and results no longer count her.
    assert "Петрова Мария Сергеевна" not in set(_due(home)["full_name"])
    assert len(_due(home)) == len(_expected_due(home.settings.waves.months)) - 1
    with Warehouse(home.warehouse, read_only=True) as wh:
        after = indicator_by_wave(wh, indicators, home.settings.waves.months, AS_OF)
        assert wh.con.execute("SELECT count(*) FROM graduates").fetchone() == (len(GRADUATES) - 1,)
    counts = ["indicator", "wave", "eligible", "reached", "answered"]
    dropped = before[counts].set_index(["indicator", "wave"]) - after[counts].set_index(["indicator", "wave"])
    per_wave = dropped.groupby("wave")[["eligible", "reached"]].max().to_dict("index")
    # She left in March 2026: due by November at waves 0, 3 and 6, answered at 0 (closure) and 3.
    assert per_wave == {
        0: {"eligible": 1, "reached": 1},
        3: {"eligible": 1, "reached": 1},
        6: {"eligible": 1, "reached": 0},
        12: {"eligible": 0, "reached": 0},
        24: {"eligible": 0, "reached": 0},
        36: {"eligible": 0, "reached": 0},
    }
    assert dropped["answered"].sum() > 0  # her indicator values are gone too


def test_forget_by_name_asks_first_and_a_no_keeps_her(home) -> None:
    kept = _cli_answering("n", "forget", "мария петрова сергеевна", "--home", str(home.root))
    assert kept.returncode == 1 and "Петрова Мария Сергеевна" in kept.stdout and "2 forms" in kept.stdout
    assert "Петрова Мария Сергеевна" in set(_due(home)["full_name"])
    erased = _cli_answering("y", "forget", "Петрова Мария Сергеевна", "--home", str(home.root))
    assert erased.returncode == 0, erased.stderr
    assert "Петрова Мария Сергеевна" not in set(_due(home)["full_name"])


def _cli_answering(answer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`run_cli` with a person's answer to the confirmation prompt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "FOLLOWUP_"))}
    env.update({"COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"})
    exe = Path(sys.executable).with_name("followup")
    return subprocess.run(
        [str(exe), *args], input=answer + "\n", capture_output=True, text=True, env=env, timeout=600, check=False
    )


def test_an_unknown_short_or_ambiguous_id_is_refused_and_nothing_is_erased(home) -> None:
    ivanova = _graduate_id(home, "Иванова Анна Петровна")
    unknown = next(p for p in ("0" * 10, "f" * 10) if not ivanova.startswith(p))
    with Warehouse(home.warehouse) as wh:  # a namesake pseudonym sharing her first 10 characters
        wh.con.execute(
            "INSERT INTO graduates SELECT ? || 'ffffffffff', organisation, exit_month, birth_year, run_id, file_id "
            "FROM graduates WHERE graduate_id = ?",
            [ivanova[:10], ivanova],
        )
    vault_before = _cells(home, "vault")
    cases = {
        unknown: "No graduate's pseudonym starts with",
        ivanova[:4]: "at least 8 characters",
        ivanova[:10]: "2 graduates' pseudonym starts with",
        "Никитина Вера": "No graduate's name is the one given",
    }
    said = {}
    for who, message in cases.items():
        refused = run_cli("forget", who, "--yes", "--home", str(home.root))
        said[who] = " ".join(refused.stderr.split())
        assert refused.returncode == 2, (who, refused.stdout, refused.stderr)
        assert message in said[who] and "Traceback" not in said[who]
        assert "followup due" in said[who] or "more characters" in said[who]
    assert "Никитина" not in said["Никитина Вера"]  # a name given is never repeated
    assert ivanova[:12] in said[ivanova[:10]] and f"{ivanova[:10]}ff" in said[ivanova[:10]]
    assert len(_due(home)) == len(_expected_due(home.settings.waves.months)) + 1  # with the made-up one
    assert _cells(home, "vault") == vault_before


def test_a_table_forget_does_not_know_stops_it_before_anything_is_deleted(home) -> None:
    with Warehouse(home.warehouse) as wh:
        wh.con.execute("CREATE TABLE call_notes AS SELECT graduate_id, 'перезвонить' AS note FROM graduates")
    refused = run_cli("forget", PETROVA[0], "--yes", "--home", str(home.root))
    assert refused.returncode == 2 and "call_notes" in refused.stderr and "Nothing was erased" in refused.stderr
    assert "Петрова Мария Сергеевна" in set(_due(home)["full_name"])


def test_rewrite_keeps_each_file_whole_with_its_mode(home) -> None:
    warehouse, vault = _cells(home, "main"), _cells(home, "vault")
    home.warehouse.chmod(0o640)
    with Warehouse(home.warehouse) as wh:
        wh.attach_vault(home.vault, _vault_key(home))
        contacts.rewrite(wh, "vault", home.vault, _vault_key(home))
        contacts.rewrite(wh, wh.con.execute("SELECT current_database()").fetchone()[0], home.warehouse)
    assert _cells(home, "main") == warehouse and _cells(home, "vault") == vault  # the vault opens with the key
    assert stat.S_IMODE(home.vault.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.warehouse.stat().st_mode) == 0o640
    assert sorted(p.name for p in home.root.glob("*.duckdb*")) == ["vault.duckdb", "warehouse.duckdb"]
