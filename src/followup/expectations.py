"""Great Expectations (GX Core 1.x) suites generated from instrument definitions, run on pandas frames.

No suite is written by hand: `validate.py` prepares, per export table, a column per thing to check (a date as
parsed, an answer as coded) and the list of `Expectation`s those columns must meet; this module runs them
with an ephemeral GX context (no files, no network, no progress bars) and turns GX's results into quarantine
rows and a validation summary. Results are asked for in a format that carries the failing rows' numbers and
never the values themselves.

Exports repeat the same few answers thousands of times, so GX is shown each column's distinct values, not
its rows: whether a value meets an expectation does not depend on how often it occurs. The values GX finds
unexpected are mapped back to every row that holds them, and the counts are those of the rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from followup.readers.table import ROW

# GX's usage statistics stay off; this must be set before great_expectations is imported.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [ROW],
    "exclude_unexpected_values": True,
    "partial_unexpected_count": 0,
}


@dataclass(frozen=True)
class Expectation:
    """One generated expectation: which GX expectation on which prepared column, and what a failure means."""

    kind: str  # a GX expectation class name, e.g. "ExpectColumnValuesToBeInSet"
    column: str  # the prepared frame's column
    kwargs: tuple[tuple[str, Any], ...]
    header: str  # the export's column the check is about (or "identity")
    check: str  # our short name, stored in quarantine and validation history
    reason: str  # what is wrong and what to do, without the value


@dataclass(frozen=True)
class Prepared:
    """A prepared column as its distinct values and, for every row, which of them the row holds."""

    values: pd.Series  # distinct values (a null among them when some row has none)
    codes: np.ndarray  # per row: the position of its value in `values`

    @classmethod
    def of(cls, cells: pd.Series) -> Prepared:
        codes, uniques = pd.factorize(cells)  # a null is coded -1
        values = pd.Series(uniques, dtype=cells.dtype)
        if (codes < 0).any():
            values = pd.concat([values, pd.Series([None], dtype=cells.dtype)], ignore_index=True)
            codes = np.where(codes < 0, len(values) - 1, codes)
        return cls(values, codes)

    def compact(self) -> Prepared:
        """The same column with repeated values merged (after a mapping made two distinct values one)."""
        merged = Prepared.of(self.values)
        return Prepared(merged.values, merged.codes[self.codes])


@dataclass(frozen=True)
class Outcome:
    quarantine: pd.DataFrame  # ROW, column, check, reason
    summary: pd.DataFrame  # check, column, expectation, element_count, unexpected_count, success


@cache
def _batch_definition() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("followup")
    return source.add_dataframe_asset("export_table").add_batch_definition_whole_dataframe("whole_table")


def distinct_frame(columns: dict[str, Prepared]) -> pd.DataFrame:
    """One frame holding every column's distinct values, as long as the longest list; a shorter column is
    padded with its own last value (a repeat changes no verdict), and ROW numbers the frame's lines."""
    length = max((len(p.values) for p in columns.values()), default=0)
    frame: dict[str, Any] = {ROW: np.arange(length, dtype="int64")}
    for name, p in columns.items():
        line = np.minimum(np.arange(length), len(p.values) - 1)
        frame[name] = p.values.take(line).reset_index(drop=True)
    return pd.DataFrame(frame)


def validate_distinct(columns: dict[str, Prepared], expectations: list[Expectation], suite_name: str) -> Any:
    """GX's own validation result for the suite on the columns' distinct values. It names failing lines by
    number only: RESULT_FORMAT leaves every value out (tests/test_privacy.py plants values to prove it)."""
    import great_expectations as gx

    batch_definition = _batch_definition()  # first: the suite needs the active context
    suite = gx.ExpectationSuite(name=suite_name)
    for e in expectations:
        suite.add_expectation(getattr(gx.expectations, e.kind)(column=e.column, **dict(e.kwargs)))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": distinct_frame(columns)})
    return batch.validate(suite, result_format=RESULT_FORMAT)


def run(
    columns: dict[str, Prepared], row_numbers: np.ndarray, expectations: list[Expectation], suite_name: str
) -> Outcome:
    """Validate the prepared columns of a table whose rows are numbered `row_numbers`; every row holding a
    value GX finds unexpected becomes a quarantine row."""
    result = validate_distinct(columns, expectations, suite_name)
    problems: list[pd.DataFrame] = []
    summary: list[dict[str, object]] = []
    by_key = {(e.kind, e.column): e for e in expectations}
    for r in result.results:
        config = r.expectation_config
        e = by_key[(_class_name(config.type), config.kwargs["column"])]
        prepared = columns[e.column]
        lines = [int(n) for entry in r.result.get("unexpected_index_list") or [] for n in _rows(entry)]
        unexpected = np.zeros(len(prepared.values), dtype=bool)
        unexpected[np.minimum(np.asarray(lines, dtype="int64"), len(prepared.values) - 1)] = True
        rows = row_numbers[unexpected[prepared.codes]]
        if len(rows):
            problems.append(pd.DataFrame({ROW: rows, "column": e.header, "check": e.check, "reason": e.reason}))
        summary.append(
            {
                "check": e.check,
                "column": e.header,
                "expectation": config.type,
                # as GX counts on the whole table: every row is an element, nulls included
                "element_count": len(row_numbers),
                "unexpected_count": len(rows),
                "success": bool(r.success),
            }
        )
    return Outcome(
        quarantine=(
            pd.concat(problems, ignore_index=True)
            if problems
            else pd.DataFrame(columns=[ROW, "column", "check", "reason"])
        ),
        summary=pd.DataFrame(
            summary, columns=["check", "column", "expectation", "element_count", "unexpected_count", "success"]
        ),
    )


def _rows(entry: Any) -> list[Any]:
    value = entry.get(ROW) if isinstance(entry, dict) else entry
    return list(value) if isinstance(value, list | tuple) else [value]


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))
