"""Great Expectations (GX Core 1.x) suites generated from instrument definitions, run on pandas frames.

No suite is written by hand: `validate.py` prepares one frame per export table with a column per thing to
check (a date as parsed, an answer as coded) and the list of `Expectation`s that frame must meet; this
module runs them with an ephemeral GX context (no files, no network, no progress bars) and turns GX's
results into quarantine rows and a validation summary. Results are asked for in a format that carries the
failing rows' numbers and never the values themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

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


def run(frame: pd.DataFrame, expectations: list[Expectation], suite_name: str) -> Outcome:
    """Validate the prepared frame; every unexpected row becomes a quarantine row."""
    import great_expectations as gx

    batch_definition = _batch_definition()  # first: the suite needs the active context
    suite = gx.ExpectationSuite(name=suite_name)
    for e in expectations:
        suite.add_expectation(getattr(gx.expectations, e.kind)(column=e.column, **dict(e.kwargs)))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format=RESULT_FORMAT)
    problems: list[dict[str, object]] = []
    summary: list[dict[str, object]] = []
    by_key = {(e.kind, e.column): e for e in expectations}
    for r in result.results:
        config = r.expectation_config
        e = by_key[(_class_name(config.type), config.kwargs["column"])]
        rows = [int(n) for entry in r.result.get("unexpected_index_list") or [] for n in _rows(entry)]
        problems += [{ROW: n, "column": e.header, "check": e.check, "reason": e.reason} for n in rows]
        summary.append(
            {
                "check": e.check,
                "column": e.header,
                "expectation": config.type,
                "element_count": int(r.result.get("element_count", len(frame))),
                "unexpected_count": int(r.result.get("unexpected_count", len(rows)) or 0),
                "success": bool(r.success),
            }
        )
    return Outcome(
        quarantine=pd.DataFrame(problems, columns=[ROW, "column", "check", "reason"]),
        summary=pd.DataFrame(
            summary, columns=["check", "column", "expectation", "element_count", "unexpected_count", "success"]
        ),
    )


def _rows(entry: Any) -> list[Any]:
    value = entry.get(ROW) if isinstance(entry, dict) else entry
    return list(value) if isinstance(value, list | tuple) else [value]


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))
