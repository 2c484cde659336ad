from __future__ import annotations

import stat
from pathlib import Path

import pytest

from followup import keys
from followup.home import HomeError, init_home, open_home
from followup.warehouse import Warehouse, WarehouseError


def test_init_makes_every_part_of_a_home(tmp_path: Path) -> None:
    h, made = init_home(tmp_path / "h")
    assert set(made) == {
        "followup.toml",
        "inbox/",
        "instruments/",
        "reports/",
        "secret.key",
        "warehouse.duckdb",
    }
    for path in (h.inbox, h.instruments, h.reports, h.warehouse, h.root / "followup.toml"):
        assert path.exists(), path
    assert stat.S_IMODE(h.secret_key.stat().st_mode) == 0o600
    assert len(keys.load_key(h.secret_key)) == keys.KEY_BYTES


def test_init_twice_changes_nothing_and_keeps_the_key(tmp_path: Path) -> None:
    h, _ = init_home(tmp_path / "h")
    key = h.secret_key.read_bytes()
    _, made = init_home(tmp_path / "h")
    assert made == []
    assert h.secret_key.read_bytes() == key


def test_a_missing_home_points_to_followup_init(tmp_path: Path) -> None:
    with pytest.raises(HomeError, match="followup init"):
        open_home(tmp_path / "nowhere")


def test_a_missing_key_is_not_silently_replaced(tmp_path: Path) -> None:
    h, _ = init_home(tmp_path / "h")
    h.secret_key.unlink()
    with pytest.raises(HomeError, match="backup"):
        open_home(h.root)


def test_a_different_key_is_refused_by_the_warehouse(tmp_path: Path) -> None:
    h, _ = init_home(tmp_path / "h")
    other = keys.fingerprint(b"\x01" * keys.KEY_BYTES)
    with Warehouse(h.warehouse) as wh, pytest.raises(WarehouseError, match="does not match"):
        wh.check_key(other)


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    h, _ = init_home(tmp_path / "h")
    with Warehouse(h.warehouse) as wh:
        assert wh.migrate() == []
        versions = wh.con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    assert versions[:2] == [(1, "001_core"), (2, "002_sheets_multiselect_scores")]


def test_extensions_load_from_the_wheels_without_downloading(tmp_path: Path) -> None:
    h, _ = init_home(tmp_path / "h")
    with Warehouse(h.warehouse) as wh:
        path = wh.load_extension("excel")
        assert "duckdb_ext" in str(path) and path.exists()
        assert wh.con.execute("SELECT excel_text(1234.5, '#,##0.00')").fetchone() == ("1,234.50",)
        loaded = dict(wh.con.execute("SELECT extension_name, loaded FROM duckdb_extensions()").fetchall())
        assert loaded["excel"] is True
        with pytest.raises(WarehouseError, match="not installed"):
            wh.load_extension("spatial")
