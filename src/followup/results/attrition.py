"""Attrition: how many graduates of each cohort (year of exit) are still reached at each wave, so that an
organisation sees until when tracking is possible."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from followup.results.wave_table import all_waves
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("attrition.sql")


def attrition_by_cohort(wh: Warehouse, waves: Sequence[int], as_of: dt.date) -> pd.DataFrame:
    """cohort, wave (0, then `waves`), eligible, reached, response_rate: one row per cohort and wave, also
    where no graduate of the cohort was due yet (eligible 0, response_rate NaN)."""
    return wh.frame(SQL, "attrition", waves=all_waves(waves), as_of=as_of)
