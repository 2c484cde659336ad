"""An old warehouse is upgraded in place, keeping its data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from followup.resources import warehouse_dir
from followup.warehouse import Warehouse


def test_a_warehouse_made_by_the_first_migration_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    con.execute((warehouse_dir() / "001_core.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO schema_version VALUES (1, '001_core', now()::TIMESTAMP)")
    con.execute("INSERT INTO answers VALUES ('r1', 'housing', 'rent', NULL), ('r1', 'income', 'yes', 1)")
    con.close()

    with Warehouse(path) as wh:
        applied = wh.migrate()
        assert applied[0] == "002_sheets_multiselect_scores"
        assert wh.con.execute("SELECT count(*) FROM answers").fetchone() == (2,)
        # select-multiple: several values of one item in one response are now allowed
        wh.con.execute("INSERT INTO answers VALUES ('r1', 'housing', 'own', NULL)")
        with pytest.raises(duckdb.ConstraintException):
            wh.con.execute("INSERT INTO answers VALUES ('r1', 'housing', 'own', NULL)")
        columns = {
            c
            for (c,) in wh.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'responses'"
            ).fetchall()
        }
        assert "source_sheet" in columns
        versions = [v for (v,) in wh.con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        assert versions == sorted(int(p.name[:3]) for p in warehouse_dir().glob("[0-9][0-9][0-9]_*.sql"))
        # the researchers' views are back after the upgrade
        assert wh.con.execute("SELECT count(*) FROM answers_by_wave").fetchone() == (0,)


def _first_migration_with_a_row_in_every_table(path: Path) -> None:
    """A warehouse as the first release made it, after one run that loaded one form of one graduate."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    con.execute((warehouse_dir() / "001_core.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO schema_version VALUES (1, '001_core', now()::TIMESTAMP)")
    con.execute("INSERT INTO meta VALUES ('key_fingerprint', 'abc')")
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status, as_of, files_seen, files_loaded, rows_read, "
        "rows_loaded, rows_quarantined) VALUES (1, TIMESTAMP '2025-08-01 02:00', TIMESTAMP '2025-08-01 02:01', "
        "'completed', DATE '2025-08-01', 1, 1, 2, 1, 1)"
    )
    con.execute(
        "INSERT INTO files VALUES ('f1', 1, 'Катамнез.csv', NULL, 'followup_survey', 1, 'loaded', NULL, 2, 1, 1, 0, "
        "TIMESTAMP '2025-08-01 02:01')"
    )
    con.execute("INSERT INTO graduates VALUES ('g1', 'Приют', DATE '2025-01-01', 1995, 1, 'f0')")
    con.execute(
        "INSERT INTO responses VALUES ('r1', 'g1', 'followup_survey', 1, 'followup', DATE '2025-04-01', 3, 3, 1, "
        "'f1', 2)"
    )
    con.execute("INSERT INTO answers VALUES ('r1', 'housing', 'rent', NULL), ('r1', 'income', 'yes', 1)")
    con.execute("INSERT INTO indicator_values VALUES ('g1', 'income', 3, 3, 1, 'r1')")
    con.execute(
        "INSERT INTO quarantine VALUES (1, 'f1', 'Катамнез.csv', 3, 'Отметка времени', 'timestamp_format', 'why')"
    )
    con.close()


def test_every_later_migration_keeps_the_rows_of_every_table(tmp_path: Path) -> None:
    path = tmp_path / "first.duckdb"
    _first_migration_with_a_row_in_every_table(path)
    with Warehouse(path) as wh:
        applied = wh.migrate()
        assert applied == sorted(p.stem for p in warehouse_dir().glob("[0-9][0-9][0-9]_*.sql"))[1:]
        count = {t: wh.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FIRST_TABLES}  # type: ignore[index]
        assert count == dict.fromkeys(FIRST_TABLES, 1) | {"answers": 2}
        # 004: each file's run is in file_runs; 007: each row is valid from the run that loaded it
        assert wh.con.execute("SELECT run_id, action, rows_read FROM file_runs").fetchall() == [(1, "loaded", 2)]
        assert wh.con.execute(
            "SELECT valid_from_run, answers_from_run, answers_digest = md5('housing=rent|income=yes') FROM responses"
        ).fetchall() == [(1, 1, True)]
        for history in ("graduates_history", "responses_history", "answers_history"):
            assert wh.con.execute(f"SELECT count(*) FROM {history}").fetchone() == (0,)
        # the old rows are what the warehouse looked like after run 1
        with wh.as_of_run(1, []):
            assert wh.con.execute("SELECT response_id, wave FROM responses").fetchall() == [("r1", 3)]
            assert wh.con.execute("SELECT count(*) FROM answers").fetchone() == (2,)
        assert wh.con.execute(
            "SELECT graduate_id, organisation, wave, item, value FROM answers_by_wave ORDER BY item"
        ).fetchall() == [("g1", "Приют", 3, "housing", "rent"), ("g1", "Приют", 3, "income", "yes")]
        assert wh.migrate() == []  # and once is enough


FIRST_TABLES = ("meta", "runs", "files", "graduates", "responses", "answers", "indicator_values", "quarantine")


def test_a_warehouse_of_the_previous_release_is_upgraded_by_the_next_run(home, demo_corpus) -> None:
    """Made by every migration but the last, with a run of its own; `followup run`'s stages upgrade it in place."""
    from test_pipeline import run_stages

    from followup import keys

    migrations = sorted(warehouse_dir().glob("[0-9][0-9][0-9]_*.sql"))
    home.warehouse.unlink()
    _first_migration_with_a_row_in_every_table(home.warehouse)
    con = duckdb.connect(str(home.warehouse))
    for path in migrations[1:-1]:
        con.execute(path.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)", [int(path.name[:3]), path.stem])
    con.execute(
        "UPDATE meta SET value = ? WHERE key = 'key_fingerprint'", [keys.fingerprint(keys.load_key(home.secret_key))]
    )
    con.close()
    for path in demo_corpus.inbox_files:
        (home.inbox / path.name).write_bytes(path.read_bytes())

    summary, _ = run_stages(home)
    assert summary.run_id == 2 and summary.rows_loaded > 300
    with Warehouse(home.warehouse, read_only=True) as wh:
        versions = [v for (v,) in wh.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
        assert versions == [int(p.name[:3]) for p in migrations]
        assert wh.con.execute("SELECT count(*) FROM graduates").fetchone() == (121,)  # hers and the demo's 120
        assert wh.con.execute("SELECT valid_from_run, wave FROM responses WHERE response_id = 'r1'").fetchall() == [
            (1, 3)
        ]
        assert wh.con.execute(
            "SELECT value FROM indicator_values WHERE response_id = 'r1' AND indicator = 'income'"
        ).fetchall() == [(1.0,)]
