"""Results as of an earlier run (`followup results --as-of-run RUN`): every result table as that run saw the
warehouse, also after later runs loaded corrected re-exports (their superseded versions are kept, migration
007) or new forms. The gateway's `Warehouse.as_of_run` does the work; this is what the CLI calls."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from followup.home import Home
from followup.results.tables import ResultTables, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse


def tables_as_of_run(
    home: Home, run_id: int, as_of: dt.date | None = None, costs: pd.DataFrame | None = None
) -> tuple[ResultTables, dt.date]:
    """Every result table computed from the warehouse as it was after run `run_id` (with today's indicator
    definitions), and the due date used: `as_of`, else the date that run computed its results for
    (runs.as_of). Raises WarehouseError, saying what to do, if the run is unknown or did not complete."""
    instruments, indicators = definitions(home)
    menu = [i.model_dump() for i in indicators]
    with Warehouse(home.warehouse, read_only=True) as wh, wh.as_of_run(run_id, menu) as run_day:
        day = as_of or run_day
        tables = compute_tables(wh, indicators, home.settings.waves.months, day, costs, instruments=instruments)
    return tables, day
