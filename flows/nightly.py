"""The nightly run: discover → read → validate → anonymise (with linkage) → load → results → publish.

Each task calls one stage of the library. Tasks pass data in memory only: result persistence and
caching are off, parameters are paths and dates, and log lines carry file names and counts, never rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from followup.discover import Export
from followup.readers import RawTable
from followup.run import Prepared, Retry, Run, load_order
from followup.summary import Summary
from followup.validate import Checked

stage = task(cache_policy=NO_CACHE, persist_result=False)


@stage
def discover(run: Run, retry_rejected: bool) -> list[Export]:
    exports = run.discover(retry_rejected)
    get_run_logger().info("%d new file(s); %d already loaded", len(exports), run.summary.files_skipped)
    return exports


@stage
def retries(run: Run) -> list[Retry]:
    found = run.retries()
    get_run_logger().info("%d file(s) with quarantined rows to validate again", len(found))
    return found


@stage
def reread(run: Run, retry: Retry) -> list[RawTable] | None:
    return run.reread(retry)


@stage
def read(run: Run, export: Export) -> list[RawTable] | None:
    return run.read(export)


@stage
def validate(run: Run, export: Export, tables: list[RawTable], retry: bool = False) -> list[Checked] | None:
    return run.validate(export, tables, retry)


@stage
def anonymise(run: Run, export: Export, checked: list[Checked], retry: bool = False) -> Prepared:
    return run.anonymise(export, checked, retry)


@stage
def load(run: Run, prepared: Prepared) -> None:
    run.load(prepared)
    get_run_logger().info("%s: %d rows read", prepared.export.name, sum(c.rows_read for c, _ in prepared.parts))


@stage
def results(run: Run) -> None:
    run.results()


@stage
def publish(run: Run) -> None:
    where = run.publish()
    get_run_logger().info("snapshot for researchers published: %s", where.name)


def _report(summary: Summary) -> str:
    lines = [
        f"# followup run {summary.run_id}",
        *(f"> **Warning:** {warning}\n" for warning in summary.warnings),  # first: the figures are wrong
        "| files seen | loaded | rejected | already loaded | rows read | loaded | quarantined | duplicates |",
        "|---|---|---|---|---|---|---|---|",
        f"| {summary.files_seen} | {summary.files_loaded} | {summary.files_rejected} | {summary.files_skipped} "
        f"| {summary.rows_read} | {summary.rows_loaded} | {summary.rows_quarantined} | {summary.rows_duplicate} |",
    ]
    if summary.rows_retried:
        lines.append(f"Quarantined rows of earlier runs validated again: {summary.rows_retried} (counted above).")
    lines += [f"- rejected `{name}`: {reason}" for name, reason in summary.rejected]
    lines += [f"- note on `{name}`: {note}" for name, note in summary.notes]
    if summary.results_summary:  # already suppressed: no count of fewer than [results] min_cell graduates
        lines += ["", summary.results_summary]
    if summary.reports:
        lines += ["", "Reports: " + ", ".join(f"`{Path(p).name}`" for p in summary.reports)]
    return "\n".join(lines)


@flow(name="followup-nightly", persist_result=False, log_prints=False)
def nightly(home: str | None = None, as_of: dt.date | None = None, retry_quarantine: bool = False) -> Summary:
    """Load every new export in the home's inbox into the warehouse and refresh the result tables.

    With `retry_quarantine` (after an instrument definition was fixed), rejected exports are read again and
    the rows earlier runs quarantined are validated again, after tonight's new files are loaded.
    """
    with Run.open(home, as_of=as_of, flow_run_id=flow_run.get_id()) as run:
        checked = []
        for export in discover(run, retry_quarantine):
            tables = read(run, export)
            tables_checked = validate(run, export, tables) if tables is not None else None
            if tables_checked is not None:
                checked.append((export, tables_checked, False))
        if retry_quarantine:
            for retry in retries(run):
                tables = reread(run, retry)
                tables_checked = validate(run, retry.export, tables, retry=True) if tables else None
                if tables_checked is not None:
                    checked.append((retry.export, tables_checked, True))
        for export, tables_checked, retried in load_order(checked):
            load(run, anonymise(run, export, tables_checked, retried))
        results(run)
        summary = run.finish()
        for warning in summary.warnings:
            get_run_logger().warning("%s", warning)
        publish(run)
    create_markdown_artifact(key="followup-run-summary", markdown=_report(summary), description="What the run did")
    return summary
