"""k-anonymity of the researcher export on its quasi-identifiers, by generalisation and then suppression.

Quasi-identifiers are what someone who knows a graduate could know about her without the export: the
organisation she left, when she left (exit month), and her age (birth year). Answers are not: they are what
the export is for. A home may add baseline grouping items (e.g. `programme`) with `extra`.

k is counted over graduates, one record each: every row of one graduate carries the same quasi-identifiers,
so counting rows would count her once per wave.

Generalisation levels: exit month → quarter → year; birth year → 5-year age band at exit → 10-year band.
The least generalised combination (fewest steps; at a tie, age before exit period) at which at most
`max_suppressed` of the graduates (5 %) fall in classes smaller than k is taken, and those graduates are
left out. When even exit year and 10-year band leave out more, the age is not given at all (exit year
only), and every graduate still in a class smaller than k is left out, however many. The organisation is
never generalised (results are read by it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

EXIT_LEVELS = ("month", "quarter", "year")
AGE_LEVELS = ("birth_year", "age_band_5", "age_band_10")
UNKNOWN = "неизвестно"
HIDDEN = "не указан"  # the age at the last level: not given to anyone
LAST_RESORT = ("year", "none")
QUASI_IDENTIFIERS = ["organisation", "exit_period", "age_group"]


@dataclass(frozen=True)
class Generalised:
    """The graduates kept (graduate_id, organisation, cohort, exit_period, age_group and the extra
    quasi-identifiers, all but cohort as text), at which levels, and how many were left out."""

    people: pd.DataFrame
    quasi_identifiers: list[str]
    k: int  # the k reached (pycanon), 0 when no graduate could be kept
    required: int
    exit_level: str
    age_level: str
    graduates: int
    suppressed: int

    def describe(self) -> str:
        what = {
            "month": "exit month",
            "quarter": "exit quarter",
            "year": "exit year",
            "birth_year": "birth year",
            "age_band_5": "5-year age band at exit",
            "age_band_10": "10-year age band at exit",
            "none": "not given",
        }
        text = (
            f"k-anonymity: each combination of {', '.join(self.quasi_identifiers)} is shared by at least "
            f"{self.k} graduates (required {self.required}); exit given as {what[self.exit_level]}, age as "
            f"{what[self.age_level]}."
        )
        if self.suppressed:
            text += (
                f" {self.suppressed} of {self.graduates} graduates were left out: even so generalised, fewer "
                f"than {self.required} graduates shared their combination."
            )
        return text


def exit_period(exit_month: pd.Series, level: str) -> pd.Series:
    """2024-03, 2024-Q1 or 2024."""
    months = pd.to_datetime(exit_month)
    if level == "month":
        return months.dt.strftime("%Y-%m")
    if level == "quarter":
        return months.dt.year.astype(str) + "-Q" + months.dt.quarter.astype(str)
    return months.dt.year.astype(str)


def age_group(birth_year: pd.Series, exit_month: pd.Series, level: str) -> pd.Series:
    """The birth year, or the age at exit (exit year − birth year) in a 5-year band (20–24) or a 10-year
    band (15–24, 25–34: each holds two 5-year bands), or `не указан` for everyone (level `none`);
    `неизвестно` when the birth year is not known."""
    years = pd.to_numeric(birth_year, errors="coerce")
    if level == "none":
        return years.map(lambda _: HIDDEN)
    if level == "birth_year":
        return years.map(lambda y: UNKNOWN if pd.isna(y) else str(int(y)))
    age = pd.to_datetime(exit_month).dt.year - years
    width, start = (5, 0) if level == "age_band_5" else (10, 5)

    def band(a: float) -> str:
        if pd.isna(a):
            return UNKNOWN
        low = int((a - start) // width) * width + start
        return f"{low}–{low + width - 1}"

    return age.map(band)


def levels() -> list[tuple[str, str]]:
    """Every combination, least generalised first (at a tie the age is generalised before the exit), then
    the last resort: exit year and no age."""
    pairs = [(e, a) for e in range(len(EXIT_LEVELS)) for a in range(len(AGE_LEVELS))]
    ordered = sorted(pairs, key=lambda p: (p[0] + p[1], -p[1]))
    return [*((EXIT_LEVELS[e], AGE_LEVELS[a]) for e, a in ordered), LAST_RESORT]


def generalise(
    graduates: pd.DataFrame, k: int = 5, extra: list[str] | None = None, max_suppressed: float = 0.05
) -> Generalised:
    """`graduates`: graduate_id, organisation, exit_month, birth_year and the `extra` columns. Returns the
    first level (see `levels`) that keeps k-anonymity with at most `max_suppressed` (a share) left out."""
    extra = extra or []
    qi = [*QUASI_IDENTIFIERS, *extra]
    budget = math.floor(max_suppressed * len(graduates))
    candidates = levels()
    for n, (exit_level, age_level) in enumerate(candidates):
        people = pd.DataFrame(
            {
                "graduate_id": graduates["graduate_id"],
                "organisation": graduates["organisation"].astype(str),
                "cohort": pd.to_datetime(graduates["exit_month"]).dt.year.astype(int),
                "exit_period": exit_period(graduates["exit_month"], exit_level),
                "age_group": age_group(graduates["birth_year"], graduates["exit_month"], age_level),
                **{c: graduates[c].fillna(UNKNOWN).astype(str) for c in extra},
            }
        )
        sizes = people.groupby(qi)["graduate_id"].transform("size")
        small = sizes < k
        if small.sum() <= budget or n == len(candidates) - 1:
            kept = people[~small].reset_index(drop=True)
            return Generalised(
                people=kept,
                quasi_identifiers=qi,
                k=measured_k(kept, qi),
                required=k,
                exit_level=exit_level,
                age_level=age_level,
                graduates=len(people),
                suppressed=int(small.sum()),
            )
    raise AssertionError("unreachable: the coarsest level always returns")


def measured_k(people: pd.DataFrame, qi: list[str]) -> int:
    """k as pycanon measures it on one record per graduate; 0 for no graduates."""
    if people.empty:
        return 0
    from pycanon.anonymity import k_anonymity

    return int(k_anonymity(people.drop_duplicates("graduate_id"), qi))
