"""The researchers' snapshot: a read-only copy of the warehouse, published after every successful run.

DuckDB lets one process write a file and then lets nobody else open it, not even to read; researchers open
the snapshot instead (`duckdb -readonly HOME/snapshot/warehouse.duckdb`, Python or R), at any time, also
while the next run writes the warehouse. It is a whole DuckDB file rather than Parquet files and views: one
file, the same tables, views and types as the warehouse, replaced atomically (renamed over the old one), so
a reader never sees half of a run. The contact vault is a separate file and is never copied.
"""

from __future__ import annotations

from pathlib import Path

from followup.home import Home
from followup.warehouse import Warehouse

FOLDER = "snapshot"


def snapshot_path(home: Home) -> Path:
    """Where researchers find the snapshot: the folder `snapshot/` beside the warehouse, same file name."""
    return home.warehouse.parent / FOLDER / home.warehouse.name


def publish_snapshot(home: Home) -> Path:
    """Publish the warehouse as it is now (e.g. after `followup forget` rewrote it, so that the snapshot no
    longer holds her). Needs the warehouse free: call it when no run is writing."""
    with Warehouse(home.warehouse, read_only=True) as wh:
        return wh.publish(snapshot_path(home))
