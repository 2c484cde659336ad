"""Dates as exports write them: the definition's format first, then ISO (how workbook date cells are read),
parsed fast for the timestamps to the second that online forms write on every row."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def human_format(fmt: str) -> str:
    """'%d.%m.%Y %H:%M:%S' -> 'dd.mm.yyyy HH:MM:SS', as users write it."""
    for code, text in (
        ("%d", "dd"),
        ("%m", "mm"),
        ("%Y", "yyyy"),
        ("%y", "yy"),
        ("%H", "HH"),
        ("%M", "MM"),
        ("%S", "SS"),
    ):
        fmt = fmt.replace(code, text)
    return fmt


def parse_dates(texts: np.ndarray, fmt: str | None) -> pd.Series:
    """The column's declared format first, then ISO (how XLSX date cells are read)."""
    values = pd.Series(texts, dtype=object)
    parsed = strptime(values, fmt) if fmt else pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    # An ISO time's offset ("…Z", "…+03:00", as KoboToolbox writes) is dropped: the time is kept as written,
    # and offsets that differ between rows would otherwise make pandas give up on the whole column.
    iso_texts = values.where(parsed.isna()).astype("string").str.replace(_ISO_OFFSET, r"\1", regex=True)
    iso = pd.to_datetime(iso_texts, format="ISO8601", errors="coerce")
    return parsed.where(parsed.notna(), iso)


_ISO_OFFSET = r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ?(?:Z|[+-]\d{2}(?::?\d{2})?)$"


_DAY_SPACE_TIME = re.compile(r"(?:%[dmYy]|[^% ])+ (?:%[HMS]|[^% ])+")


def strptime(texts: pd.Series, fmt: str) -> pd.Series:
    """`pd.to_datetime(texts, format=fmt, errors="coerce")`, faster for a day-space-time format such as
    Google's "%d.%m.%Y %H:%M:%S" (pandas reads those at ~6 s a million). Timestamps to the second are nearly
    all distinct, but their days and times of day are not: each distinct day and time is parsed once and
    the two added. A text that does not read so (no time, two spaces) is parsed whole. Formats that start
    with %Y pandas reads its own fast ISO way, with rules of its own: those are left to it."""
    if fmt.startswith("%Y") or not _DAY_SPACE_TIME.fullmatch(fmt):
        return pd.to_datetime(texts, format=fmt, errors="coerce")
    day_format, time_format = fmt.split(" ")
    split = [text.partition(" ") for text in texts]
    day = _parse_distinct(np.array([day for day, _, _ in split], dtype=object), day_format)
    clock = _parse_distinct(np.array([time for _, _, time in split], dtype=object), time_format)
    parsed = pd.Series(day + (clock - np.datetime64("1900-01-01")), index=texts.index)
    whole = parsed.isna()
    if whole.any():
        parsed[whole] = pd.to_datetime(texts[whole], format=fmt, errors="coerce")
    return parsed


def _parse_distinct(texts: np.ndarray, fmt: str) -> np.ndarray:
    """Every text parsed with the format (NaT if it does not read), each distinct text once."""
    codes, distinct = pd.factorize(texts)
    return pd.to_datetime(distinct, format=fmt, errors="coerce").to_numpy()[codes]
