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
