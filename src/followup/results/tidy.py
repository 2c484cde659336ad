"""Tidy result tables for scripts: one CSV or Parquet file per table, with codes beside the labels.

A tidy table is a result table as disclosure control left it, one row per observation (indicator × wave,
× group for the tables by group), one column per figure, under the stable snake_case names of
`tables.COLUMNS` (documented in tables.py and, for users, in warehouse/README.md), except `group`, with:

* `type` as its code (state, event, scale), not its Russian word;
* each grouping's columns side by side: `group_by` (organisation, cohort or a grouping item's code),
  `group_title`, `group_code` (the tables' `group`, renamed: GROUP is a word of SQL, and here it is always
  a code) and `group_label` (its label). The code of a grouping item's group is the answer code
  (`shelter`), of a cohort the year, of an organisation the `code` of its `[[organisations]]` entry in
  followup.toml, matched as organisations.Network matches an organisation column's answer (its name, an
  alias or its code, in any case); empty when none matches, and `group_label` always holds its name. The
  graduates without an answer have an empty `group_code` and `group_label` «нет ответа». A table by two
  groupings has the same four columns for each (`group_by_2`, … `group_code_2`, …);
* `organisation_code` beside a column `organisation` (the cost table), by the same match;
* hidden cells empty, `suppressed` (true when any cell of the row is hidden) and `suppressed_columns` (the
  names of the hidden columns, `;` between);
* typed columns: counts and months are integers, the other figures numbers, codes and labels text.

Any table of the registry gets this treatment by the names of its columns, so a table added to
`tables.COLUMNS` is written the same way without a change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Literal

import pandas as pd

from followup.organisations import Network
from followup.results.disclosure import Suppressed
from followup.results.wave_table import NO_ANSWER
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("tidy.sql")

Kind = Literal["text", "integer", "number", "boolean"]
# Parquet's type of each kind (as DuckDB writes it); in CSV integers are written without a decimal point.
PARQUET_TYPES: dict[Kind, str] = {"text": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}

INTEGERS = {
    "wave", "months", "cohort", "eligible", "reached", "answered", "with_outcome", "pairs", "improved", "worsened",
    "at_risk", "events", "residents", "graduates_due", "with_result",
}  # fmt: skip
NUMBERS = {
    "response_rate", "share", "ci_low", "ci_high", "mean", "sd", "median", "q1", "q3", "baseline", "at_wave",
    "statistic", "p_value", "survival", "programme_cost", "cost_per_resident", "cost_per_result",
}  # fmt: skip
TEXTS = {"indicator", "title", "type", "organisation", "organisation_code", "period", "test", "suppressed_columns"}
GROUPING = re.compile(r"^group_by(?P<suffix>.*)$")
GROUP_PARTS = ("group_by", "group_title", "group", "group_label")  # in this order, side by side
CODE = "group_code"  # the tidy name of `group`
FLAGS = ["suppressed", "suppressed_columns"]


def kind_of(column: str, values: pd.Series | None = None) -> Kind:
    """The kind of a tidy column, by its name (a grouping's four columns are text); a column no table had
    when this was written is a number when its `values` are numeric, else text."""
    if column == "suppressed":
        return "boolean"
    if column in TEXTS or any(re.fullmatch(rf"{part}(_\w+)?", column) for part in GROUP_PARTS):
        return "text"
    if column in INTEGERS:
        return "integer"
    if column in NUMBERS or (values is not None and pd.api.types.is_numeric_dtype(values)):
        return "number"
    return "text"


def suffixes(columns: Iterable[str]) -> list[str]:
    """The suffixes of a table's groupings: [""] for group_by, ["", "_2"] for group_by and group_by_2."""
    return [m["suffix"] for c in columns if (m := GROUPING.match(c))]


def tidy_columns(columns: Sequence[str]) -> list[str]:
    """The tidy file's columns for a table with these columns: each grouping's four side by side where its
    group_by is, organisation_code before organisation, then the flags."""
    out: list[str] = []
    together = {f"{part}{s}": [f"{p}{s}" for p in GROUP_PARTS] for s in suffixes(columns) for part in GROUP_PARTS}
    renamed = {f"group{s}": f"{CODE}{s}" for s in suffixes(columns)}
    for c in columns:
        if renamed.get(c, c) in out:
            continue
        if c in together:
            out += [renamed.get(p, p) for p in together[c] if p in columns and renamed.get(p, p) not in out]
        elif c == "organisation":
            out += ["organisation_code", c]
        else:
            out.append(c)
    return out + FLAGS


def _code(organisation: object, network: Network | None) -> object:
    """The organisation's code in the network (matched by its name, an alias or its code); NA without one."""
    if network is None or not isinstance(organisation, str):
        return pd.NA
    return network.code(organisation) or pd.NA


def tidy(shown: Suppressed, name: str, network: Network | None = None) -> pd.DataFrame:
    """The table `name` of `shown` as a tidy frame (see the module's docstring), typed as it is written;
    organisation codes from `network` (none without)."""
    table, hidden = getattr(shown.tables, name), shown.hidden[name]
    out = table.copy()
    for s in suffixes(table.columns):
        by, group = out[f"group_by{s}"], out[f"group{s}"]
        organisation = by == "organisation"
        out[f"{CODE}{s}"] = [
            _code(g, network) if org else (pd.NA if g == NO_ANSWER or pd.isna(g) else str(g))
            for g, org in zip(group, organisation, strict=True)
        ]
    if "organisation" in out:
        out["organisation_code"] = [_code(o, network) for o in out["organisation"]]
    out["suppressed"] = hidden.any(axis=1).to_numpy()
    out["suppressed_columns"] = [";".join(c for c in hidden.columns if hidden.loc[i, c]) or pd.NA for i in hidden.index]
    out = out[tidy_columns(list(table.columns))]
    return out.astype({c: _dtype(kind_of(c, out[c])) for c in out.columns}).reset_index(drop=True)


def _dtype(kind: Kind) -> str:
    return {"text": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}[kind]


def write_csv(frame: pd.DataFrame, target: Path | IO[str]) -> None:
    """A tidy frame as CSV: UTF-8, comma separated, a point for decimals, empty cells for missing and hidden
    values. A file starts with a byte-order mark, so that Excel reads the Cyrillic (pandas, readr and DuckDB
    skip it); a stream (stdout) has none."""
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(target, index=False, encoding="utf-8-sig")
    else:
        frame.to_csv(target, index=False)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """A tidy frame as Parquet, written by DuckDB (in memory: no database file is opened)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Warehouse(Path(":memory:")) as wh, wh.staged(tidy_table=frame):
        wh.frame(SQL, "write_parquet", path=str(path))


Format = Literal["csv", "parquet"]


def write_table(shown: Suppressed, name: str, path: Path, fmt: Format = "csv", network: Network | None = None) -> Path:
    frame = tidy(shown, name, network)
    if fmt == "parquet":
        write_parquet(frame, path)
    else:
        write_csv(frame, path)
    return path


def write_tables(shown: Suppressed, folder: Path, fmt: Format = "csv", network: Network | None = None) -> list[Path]:
    """Every table as `folder/<table>.csv` (or `.parquet`)."""
    return [write_table(shown, name, folder / f"{name}.{fmt}", fmt, network) for name, _ in shown.tables.items()]
