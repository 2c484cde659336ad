"""Placing forms in waves: months since exit at day precision, and the wave each form belongs to.

A wave is a number of months since exit (0 = exit). Months since exit are counted from the exact exit date to
the day the form was filled in, in months of 30.4375 days (a year / 12), so a form sent "at 2 months" and
filled in 62 days after exit is at 2.04 months whatever the days of the month. Exact dates never leave the
pipeline: the warehouse keeps the whole months (rounded) and the wave.

A form belongs to the wave it declares (its version's `wave`, a column with role wave, or the number in its
file name), else to the nearest configured wave within that wave's window,
|months − wave| ≤ max(1, round(wave × window)). Two forms of one graduate and instrument do not silently share
a wave while another wave in reach is free: the nearer form keeps the wave and the other goes to the nearest
free wave within its window (nearest pairs first). Forms that still share a wave are kept, and listed by
`followup status` and `followup quarantine`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 30.4375  # 365.25 / 12


def months_since(exit_dates: pd.Series, dates: pd.Series) -> pd.Series:
    """Months from each exit date to each date, at day precision (NaN where either is missing)."""
    days = (pd.to_datetime(dates).dt.normalize() - pd.to_datetime(exit_dates).dt.normalize()).dt.days
    return (days / DAYS_PER_MONTH).astype("float64")


def tolerance(wave: int, window: float) -> int:
    """How far (in months) a form may lie from a wave and still belong to it: max(1, round(wave × window)),
    halves rounded up as DuckDB's round() does."""
    return max(1, math.floor(wave * window + 0.5))


def candidates(kind: str, waves: list[int]) -> list[int]:
    """The waves a form of this kind may fall in: an assessment also in wave 0 (the exit month)."""
    return sorted({0, *waves}) if kind == "assessment" else sorted(waves)


def place(forms: pd.DataFrame, waves: list[int], window: float) -> pd.Series:
    """The wave of each form (Int64, NA when it falls in none).

    `forms`: graduate_id, instrument, kind, months (since exit), declared (Int64: the declared wave or NA).
    Declared forms keep their wave and hold it; dated forms are placed around them, nearest first.
    """
    result = forms["declared"].astype("Int64")
    dated = forms[forms["declared"].isna() & forms["kind"].ne("baseline")]
    for kind, group in dated.groupby("kind", sort=False):
        result.loc[group.index] = _nearest(
            group["months"].to_numpy(dtype="float64"), candidates(str(kind), waves), window
        )
    # most graduates have one form per wave: only the instruments of a graduate with two forms in one wave
    # are placed again, pair by pair
    key = ["graduate_id", "instrument"]
    placed = forms[key].assign(wave=result)
    shared = placed[placed["wave"].notna()].duplicated([*key, "wave"], keep=False)
    crowded = placed.loc[shared[shared].index, key].drop_duplicates()
    if len(crowded):
        involved = forms.reset_index().merge(crowded, on=key).set_index("index")
        for _, group in involved.groupby(key, sort=False):
            result.loc[group.index] = pd.Series(_one_graduate(group, waves, window), index=group.index, dtype="Int64")
    return result


def _nearest(months: np.ndarray, waves: list[int], window: float) -> pd.api.extensions.ExtensionArray:
    """The nearest wave within its window for each number of months (ties to the earlier wave), else NA."""
    if not waves:
        return pd.array([pd.NA] * len(months), dtype="Int64")
    w = np.array(waves, dtype="float64")
    distance = np.abs(months[:, None] - w[None, :])
    reach = np.array([tolerance(int(x), window) for x in waves], dtype="float64")
    distance[~(distance <= reach[None, :])] = np.inf  # NaN months reach no wave
    best = distance.argmin(axis=1)
    found = np.isfinite(distance[np.arange(len(months)), best])
    return pd.array(np.where(found, w[best], np.nan), dtype="Int64")


def _one_graduate(group: pd.DataFrame, waves: list[int], window: float) -> list[object]:
    """One graduate's forms of one instrument: declared forms hold their waves; each dated form, nearest
    pairs (form, wave) first, takes a free wave within reach; a form left without one goes to its nearest
    wave (and shares it)."""
    taken = {int(w) for w in group["declared"].dropna()}
    chosen: dict[object, object] = {i: int(w) for i, w in group["declared"].dropna().items()}
    pairs = []
    for i, row in group[group["declared"].isna()].iterrows():
        for w in candidates(str(row["kind"]), waves):
            distance = abs(float(row["months"]) - w)
            if distance <= tolerance(w, window):
                pairs.append((distance, w, float(row["months"]), str(i), i))
    for _, w, _, _, i in sorted(pairs):
        if i not in chosen and w not in taken:
            chosen[i] = w
            taken.add(w)
    for _, w, _, _, i in sorted(pairs):
        chosen.setdefault(i, w)  # no free wave in reach: her nearest, shared
    return [chosen.get(i, pd.NA) for i in group.index]
