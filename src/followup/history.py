"""Results as of an earlier run (`followup results --as-of-run RUN`): every result table as that run saw the
warehouse, also after later runs loaded corrected re-exports (their superseded versions are kept, migration
007) or new forms, and computed with the definitions that run used (its indicator menu, waves and grouping
items, kept by migration 008). The gateway's `Warehouse.as_of_run` does the work; this is what the CLI calls."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from followup import run_definitions
from followup.home import Home
from followup.results.tables import ResultTables, compute_tables
from followup.run import definitions
from followup.run_definitions import RunDefinitions
from followup.warehouse import Warehouse


def tables_as_of_run(
    home: Home, run_id: int, as_of: dt.date | None = None, costs: pd.DataFrame | None = None
) -> tuple[ResultTables, dt.date]:
    """Every result table computed from the warehouse as it was after run `run_id`, with the definitions that
    run used, and the due date used: `as_of`, else the date that run computed its results for (runs.as_of).
    A run older than migration 008 kept no definitions: today's are used. Raises WarehouseError, saying what to
    do, if the run is unknown or did not complete."""
    with Warehouse(home.warehouse, read_only=True) as wh:
        used = definitions_of_run(home, wh, run_id)
        with wh.as_of_run(run_id, [i.model_dump() for i in used.indicators]) as run_day:
            day = as_of or run_day
            tables = compute_tables(
                wh, used.indicators, used.waves, day, costs, instruments=used.instruments, asked=used.asked or None
            )
    return tables, day


def definitions_of_run(home: Home, wh: Warehouse, run_id: int) -> RunDefinitions:
    """The definitions run `run_id` computed with; today's if it kept none (before migration 008) or if they no
    longer read as definitions (a later release changed their format)."""
    stored = wh.definitions_of_run(run_id)
    if stored is not None:
        try:
            return run_definitions.parse(stored)
        except ValueError:
            pass
    instruments, indicators = definitions(home)
    return run_definitions.current(indicators, home.settings.waves.months, instruments)
