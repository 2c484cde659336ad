"""One run of the pipeline: what every stage needs (home, definitions, key, warehouse) and what it did.

The stages are functions of plain data; `Run` carries the shared context and keeps the books: every
file ends loaded or rejected, and every row read ends loaded, quarantined or counted as a duplicate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pandas as pd

from followup import keys, progress
from followup.anonymise.pseudonym import Anonymised, anonymise
from followup.discover import Export, new_exports
from followup.home import Home, open_home
from followup.indicators import Indicator, load_indicators
from followup.instruments import Instrument, closest_version, load_instruments, match_header
from followup.readers import RawTable, ReadError, read_export
from followup.resources import schemas_dir
from followup.results import render
from followup.results.wave_table import indicator_by_wave
from followup.validate import Checked, check
from followup.warehouse import LoadCounts, Warehouse


def definitions(home: Home) -> tuple[list[Instrument], list[Indicator]]:
    """The shipped instruments plus the home's own, and the shipped indicator menu plus the home's
    `indicators.yaml` (same id: the home's wins), checked against the instruments' items."""
    instruments = load_instruments(schemas_dir() / "instruments", home.instruments)
    menus = [schemas_dir() / "indicators.yaml", home.root / "indicators.yaml"]
    return instruments, load_indicators(menus, instruments)


def preflight(home: str | Path | None) -> Home:
    """Check what a run needs (settings, definitions, key, warehouse) before Prefect starts.

    The flow checks the same things itself; doing it first lets the CLI answer a mistake in a second,
    with a plain message instead of a failed flow run.
    """
    h = open_home(home)
    definitions(h)
    key = keys.load_key(h.secret_key)
    with Warehouse(h.warehouse) as wh:
        wh.migrate()
        wh.check_key(keys.fingerprint(key))
    return h


@dataclass(frozen=True)
class Prepared:
    """A file ready to load: each of its tables (sheets), checked and anonymised."""

    export: Export
    parts: list[tuple[Checked, Anonymised]]

    @property
    def is_baseline(self) -> bool:
        return any(c.kind == "baseline" for c, _ in self.parts)


@dataclass
class Summary:
    run_id: int
    files_seen: int = 0
    files_skipped: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)


class Run:
    """Open with `with Run.open(home) as run:`; the warehouse stays locked for the run's duration."""

    def __init__(self, home: Home, as_of: dt.date, flow_run_id: str | None) -> None:
        self.home = home
        self.settings = home.settings
        self.as_of = as_of
        self.flow_run_id = flow_run_id
        self.instruments, self.indicators = definitions(home)
        self._key = keys.load_key(home.secret_key)
        self.wh = Warehouse(home.warehouse)
        self.summary = Summary(run_id=0)

    @classmethod
    def open(cls, home: str | Path | None, as_of: dt.date | None = None, flow_run_id: str | None = None) -> Run:
        return cls(open_home(home), as_of or dt.date.today(), flow_run_id)

    def __enter__(self) -> Run:
        self.wh.__enter__()
        try:
            self.wh.migrate()
            self.wh.check_key(keys.fingerprint(self._key))
            self.summary.run_id = self.wh.start_run(self.as_of, self.flow_run_id)
        except BaseException:
            self.wh.__exit__()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc is not None:
                self.wh.finish_run(
                    self.summary.run_id,
                    "failed",
                    self.summary.files_seen,
                    self.summary.files_skipped,
                    message=f"{type(exc).__name__}: {exc}"[:500],
                )
        finally:
            self.wh.__exit__()

    # -- stages -----------------------------------------------------------------------------------------

    def discover(self) -> list[Export]:
        exports, skipped = new_exports(self.home.inbox, self.wh.loaded_file_ids())
        self.summary.files_seen = len(exports) + skipped
        self.summary.files_skipped = skipped
        progress.emit("discover", total=len(exports))
        return exports

    def reject(self, export: Export, reason: str) -> None:
        """The whole file is set aside (it stays in the inbox and is tried again next run)."""
        self.wh.record_file(self.summary.run_id, export.file_id, export.name, "rejected", reason=reason)
        self.summary.files_rejected += 1
        progress.emit("rejected", export.name)
        self.summary.rejected.append((export.name, reason))

    def read(self, export: Export) -> list[RawTable] | None:
        progress.emit("read", export.name)
        try:
            return read_export(export.path)
        except ReadError as err:
            self.reject(export, err.reason)
            return None

    def validate(self, export: Export, tables: list[RawTable]) -> list[Checked] | None:
        """Match every table (sheet) of the file to an instrument and check its rows; None if one matches none."""
        checked = []
        for table in tables:
            match = match_header(table.headers, self.instruments, export.name)
            if match is None:
                near = closest_version(table.headers, self.instruments)
                hint = f"; {near}" if near else ""
                where = f"sheet '{table.sheet}': its" if table.sheet and len(tables) > 1 else "its"
                self.reject(
                    export,
                    f"{where} columns match no instrument{hint}. Add or edit an instrument definition in "
                    f"{self.home.instruments} (see schemas/README.md, or start one with `followup instrument "
                    "draft`); the file waits in the inbox and is read again on the next run",
                )
                return None
            checked.append(check(table, match, today=self.as_of))
        return checked

    def anonymise(self, export: Export, checked: list[Checked]) -> Prepared:
        region, organisation = self.settings.identity.phone_region, self.settings.organisation
        return Prepared(export, [(c, anonymise(c, self._key, region, organisation)) for c in checked])

    def load(self, prepared: Prepared) -> None:
        """Load every table of a file, then record the file with its counts."""
        progress.emit("load", prepared.export.name)
        export, total = prepared.export, LoadCounts(0, 0, 0)
        for c, a in prepared.parts:
            counts = self.wh.load(
                run_id=self.summary.run_id,
                file_id=export.file_id,
                file_name=export.name,
                sheet=c.sheet,
                kind=c.kind,
                instrument=c.instrument,
                version=c.version,
                rows_read=c.rows_read,
                responses=a.responses,
                answers=a.answers,
                quarantine=c.quarantine,
                validation=c.validation,
                waves=self.settings.waves.months,
                window=self.settings.waves.window,
            )
            total = total + counts
        rows_read = sum(c.rows_read for c, _ in prepared.parts)
        self.wh.record_file(
            self.summary.run_id,
            export.file_id,
            export.name,
            "loaded",
            sheet=", ".join(c.sheet for c, _ in prepared.parts if c.sheet) or None,
            instrument=", ".join(dict.fromkeys(c.instrument for c, _ in prepared.parts)),
            version=prepared.parts[0][0].version,
            rows_read=rows_read,
            rows_loaded=total.rows_loaded,
            rows_quarantined=total.rows_quarantined,
            rows_duplicate=total.rows_duplicate,
        )
        s = self.summary
        s.files_loaded += 1
        s.rows_read += rows_read
        s.rows_loaded += total.rows_loaded
        s.rows_quarantined += total.rows_quarantined
        s.rows_duplicate += total.rows_duplicate

    def results(self) -> pd.DataFrame:
        progress.emit("results")
        self.wh.score_indicators([i.model_dump() for i in self.indicators])
        table = indicator_by_wave(self.wh, self.indicators, self.settings.waves.months, self.as_of)
        reports = self.home.reports
        self.summary.reports = [
            str(render.write_csv(table, reports / "indicator_by_wave.csv")),
            str(render.write_xlsx(table, reports / "indicator_by_wave.xlsx", render.NOTES)),
        ]
        return table

    def finish(self) -> Summary:
        s = self.summary
        self.wh.finish_run(s.run_id, "completed", s.files_seen, s.files_skipped)
        return s
