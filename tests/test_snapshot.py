"""The researchers' snapshot: published after each run, readable while a run writes the warehouse."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
from test_pipeline import run_stages

from followup.snapshot import publish_snapshot, snapshot_path

DUCKDB_SHELL = Path(sys.executable).with_name("duckdb")


def every_table(path: Path) -> dict[str, pd.DataFrame]:
    """Each table of a DuckDB file, sorted by all its columns (row order is not part of a table)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        frames = {}
        for name in names:
            frame = con.execute(f'SELECT * FROM "{name}"').df()
            frames[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame) else frame
        return frames
    finally:
        con.close()


def shell(path: Path, sql: str) -> subprocess.CompletedProcess[str]:
    """The duckdb shell as a researcher runs it: read-only, CSV out."""
    return subprocess.run(
        [str(DUCKDB_SHELL), "-readonly", "-csv", "-noheader", str(path), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_snapshot_equals_the_warehouse_after_the_run_and_holds_no_vault(demo_home) -> None:
    summary, _ = run_stages(demo_home)
    snapshot = snapshot_path(demo_home)
    assert snapshot == demo_home.root / "snapshot" / "warehouse.duckdb"
    assert sorted(p.name for p in snapshot.parent.iterdir()) == ["warehouse.duckdb"]  # no temp file, no vault
    assert snapshot.stat().st_mode & 0o222 == 0  # read-only
    mine, theirs = every_table(demo_home.warehouse), every_table(snapshot)
    assert list(theirs) == list(mine) and "graduates" in theirs and "contacts" not in theirs
    for name, frame in mine.items():
        pd.testing.assert_frame_equal(theirs[name], frame, obj=name)
    assert len(theirs["graduates"]) == 120 and theirs["runs"]["status"].tolist() == ["completed"]
    assert (theirs["runs"]["run_id"] == summary.run_id).all()
    views = shell(snapshot, "SELECT count(*) FROM answers_by_wave; SELECT count(*) FROM run_log;")
    assert views.returncode == 0, views.stderr
    assert [int(n) for n in views.stdout.split()] == [len(theirs["answers"]), 8]


HOLD = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])  # a writer: nobody else can open the file now
    con.execute("CREATE OR REPLACE TABLE main.scratch AS SELECT 1 AS x")
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


def test_a_researcher_reads_the_snapshot_while_another_process_writes_the_warehouse(demo_home) -> None:
    run_stages(demo_home)
    snapshot = snapshot_path(demo_home)
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(demo_home.warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        blocked = shell(demo_home.warehouse, "SELECT count(*) FROM graduates")
        assert blocked.returncode != 0 and "lock" in blocked.stderr.lower()  # why the snapshot is needed
        read = shell(snapshot, "SELECT count(*) FROM graduates")
        assert read.returncode == 0, read.stderr
        assert read.stdout.strip() == "120"
    finally:
        writer.communicate("done\n", timeout=60)


READ = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM runs").fetchone()[0], flush=True)
    """
)


def test_a_new_snapshot_replaces_the_old_one_while_a_researcher_has_it_open(demo_home) -> None:
    run_stages(demo_home)
    snapshot = snapshot_path(demo_home)
    reader = subprocess.Popen(
        [sys.executable, "-c", READ, str(snapshot)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "1"
        run_stages(demo_home)  # the next night: published over the open copy
        out, _ = reader.communicate("again\n", timeout=60)
    finally:
        reader.kill()
    assert out.strip() == "1"  # she keeps reading the copy she opened, whole
    assert shell(snapshot, "SELECT count(*) FROM runs").stdout.strip() == "2"  # a new session reads the new one


def test_publish_snapshot_copies_the_warehouse_as_it_is_now(demo_home) -> None:
    """What `followup forget` calls after it rewrote the warehouse: the snapshot must not keep her."""
    run_stages(demo_home)
    with duckdb.connect(str(demo_home.warehouse)) as con:  # (as forget does, through its own statements)
        gone = con.execute("SELECT graduate_id FROM graduates ORDER BY graduate_id LIMIT 1").fetchone()[0]  # type: ignore[index]
        con.execute("DELETE FROM indicator_values WHERE graduate_id = ?", [gone])
        con.execute("DELETE FROM graduates WHERE graduate_id = ?", [gone])
    assert publish_snapshot(demo_home) == snapshot_path(demo_home)
    theirs = every_table(snapshot_path(demo_home))
    assert len(theirs["graduates"]) == 119 and gone not in set(theirs["graduates"]["graduate_id"])
    assert gone not in set(theirs["indicator_values"]["graduate_id"])


def _readme_blocks(language: str) -> list[str]:
    import re

    from conftest import ROOT

    text = (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_data_dictionary_examples_run_on_the_snapshot(demo_home) -> None:
    """Its SQL in the duckdb shell, its Python in a fresh interpreter, as a researcher would paste them."""
    run_stages(demo_home)
    snapshot = snapshot_path(demo_home)
    sql = _readme_blocks("sql")
    assert len(sql) >= 2
    for block in sql:
        for statement in filter(str.strip, block.split(";")):
            done = shell(snapshot, statement)
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip(), statement  # every example finds rows on the demo warehouse
    [python] = [b for b in _readme_blocks("python") if 'connect("followup-home/snapshot/warehouse.duckdb"' in b]
    assert "followup-home/snapshot/warehouse.duckdb" in python
    code = python.replace("followup-home/snapshot/warehouse.duckdb", str(snapshot))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    answers, cells = done.stdout.split(" answers; ")
    assert int(answers) > 100 and int(cells.split()[0]) > 50
    [r] = [b for b in _readme_blocks("r") if "snapshot/warehouse.duckdb" in b]  # (R is not installed here: at
    # least it names the snapshot, read-only)
    assert "followup-home/snapshot/warehouse.duckdb" in r and "read_only = TRUE" in r
