"""Indicator × wave: eligible, reached, response rate, and the share with each social result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from followup.indicators import Indicator
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("indicator_by_wave.sql")

COLUMNS_RU = {
    "indicator": "Показатель",
    "wave": "Месяцев после выхода",
    "eligible": "Должны были ответить",
    "reached": "Ответили",
    "response_rate": "Доля ответивших",
    "answered": "Ответили на вопрос",
    "with_outcome": "С результатом",
    "share": "Доля с результатом",
}


def indicator_by_wave(wh: Warehouse, indicators: list[Indicator], waves: list[int], as_of: dt.date) -> pd.DataFrame:
    table = wh.frame(SQL, "indicator_by_wave", waves=[0, *waves], as_of=as_of, indicators=[i.id for i in indicators])
    titles = {i.id: i.title for i in indicators}
    table.insert(1, "title", table["indicator"].map(titles))
    return table
