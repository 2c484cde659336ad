"""`followup demo`, what `make demo` runs: made-up exports of every kind, one real nightly run, the tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import run_cli


@pytest.mark.slow
def test_the_demo_loads_every_export_and_shows_every_indicator(tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    done = run_cli("demo", "--home", str(home), "--graduates", "200", "--seed", "11")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    exports = sorted(p.name for p in (home / "inbox" / "processed").iterdir())
    assert len(exports) >= 13  # closures, follow-ups, interviews and the specialists' sheets
    assert f"files seen {len(exports)} (loaded {len(exports)}, rejected 0" in done.stdout
    assert "+ quarantined 0 +" in done.stdout
    # every indicator of the menu has figures: none is left with nothing to show
    assert "Пока нечего показать" not in done.stdout.split("События по волнам")[0]
    for title in ("Показатели по волнам", "События по волнам", "Охват по когортам"):
        assert title in done.stdout
    snapshot = home / "snapshot" / "warehouse.duckdb"
    assert f"Warehouse for researchers: {snapshot}" in done.stdout
    with duckdb.connect(str(snapshot), read_only=True) as con:
        kinds = dict(con.execute("SELECT kind, count(*) FROM responses GROUP BY ALL").fetchall())
        assert set(kinds) == {"baseline", "followup", "assessment"}
        assert con.execute("SELECT count(*) FROM graduate_groups").fetchone() == (200,)
    for report in ("results.xlsx", "report.html", "by_wave.csv", "cost.csv"):
        assert f"Report: {home / 'reports' / report}" in done.stdout
