"""One run of the pipeline: what every stage needs (home, definitions, key, warehouse) and what it did.

The stages are functions of plain data; `Run` carries the shared context and keeps the books: every
file ends loaded or rejected, and every row read ends loaded, quarantined or counted as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

import pandas as pd

from followup import filing, keys, progress, run_definitions
from followup.anonymise import file_names
from followup.anonymise.graduates import link_identities, with_exit_dates
from followup.anonymise.pseudonym import Anonymised, anonymise, identities
from followup.config import Organisation
from followup.discover import Export, inbox_folders, new_exports
from followup.home import Home, open_home
from followup.instruments import closest_version, match_header
from followup.load import TableLoad, load_file
from followup.lock import home_lock
from followup.organisations import Network
from followup.readers import RawTable, ReadError, read_export
from followup.readers.table import ROW
from followup.results.cost import COSTS_FILE, CostsError, home_costs
from followup.results.render import About
from followup.results.report import markdown_summary, write_reports
from followup.results.tables import compute_tables
from followup.retries import Retry, filed_retries
from followup.run_definitions import definitions
from followup.snapshot import snapshot_path
from followup.summary import Summary
from followup.validate import Checked, check
from followup.warehouse import Warehouse

_QUOTED_SHEET = re.compile(r"sheet '([^']*)'")


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
        wh.attach_vault(h.vault, keys.vault_key(key))
    return h


@dataclass(frozen=True)
class Prepared:
    """A file ready to load: each of its tables (sheets), checked and anonymised."""

    export: Export
    parts: list[tuple[Checked, Anonymised]]
    retry: bool = False
    contacts: pd.DataFrame | None = None  # who wrote each form: for the contact vault only


CheckedFile = tuple[Export, list[Checked], bool]  # an export, its checked tables, whether it is a retry


def load_order(files: list[CheckedFile]) -> list[CheckedFile]:
    """Case-closure forms first (follow-ups are linked to the graduates known then and placed in waves by
    their exit month), and new files before the rows of earlier runs that are retried."""
    return sorted(files, key=lambda f: (not any(c.kind == "baseline" for c in f[1]), f[2]))


class Run:
    """Open with `with Run.open(home) as run:`; the warehouse stays locked for the run's duration."""

    def __init__(self, home: Home, as_of: dt.date, flow_run_id: str | None) -> None:
        self.home = home
        self.settings = home.settings
        self.as_of = as_of
        self.flow_run_id = flow_run_id
        self.instruments, self.indicators = definitions(home)
        self.network = Network.of(self.settings)
        self._org_words = self.network.words()  # never taken for a woman's name
        self._key = keys.load_key(home.secret_key)
        self.wh = Warehouse(home.warehouse)
        self.summary = Summary(run_id=0)
        self._known_words: set[str] | None = None
        self._taken: set[str] = set()  # content (file_id) of the exports validated tonight, to be loaded
        self._copies: dict[str, list[Export]] = {}  # other copies of that content in the inbox

    @classmethod
    def open(cls, home: str | Path | None, as_of: dt.date | None = None, flow_run_id: str | None = None) -> Run:
        return cls(open_home(home), as_of or dt.date.today(), flow_run_id)

    def __enter__(self) -> Run:
        with ExitStack() as opened:
            opened.enter_context(home_lock(self.home.root, "this flow run"))  # (`followup run` holds it already)
            opened.enter_context(self.wh)
            self.wh.migrate()
            self.wh.check_key(keys.fingerprint(self._key))
            self.wh.attach_vault(self.home.vault, keys.vault_key(self._key))
            self.summary.run_id = self.wh.start_run(self.as_of, self.flow_run_id)
            used = run_definitions.current(self.indicators, self.settings.waves.months, self.instruments)
            self.wh.record_definitions(self.summary.run_id, used.digest(), used.body(), used.grouping)
            self._opened = opened.pop_all()
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
            self._opened.close()  # the warehouse, then the home's lock

    # -- stages -----------------------------------------------------------------------------------------

    def discover(self, retry_rejected: bool = False) -> list[Export]:
        """The inbox's exports whose content was never loaded (a rejected export's content is read again).
        Exports loaded by an earlier run and dropped again are filed away unread. Copies of one new content
        are all listed; `read` sets a copy aside once another copy of it was validated.
        With `retry_rejected`, rejected exports are first brought back into the inbox."""
        inbox = self.home.inbox
        if retry_rejected:
            filing.restore_rejected(inbox_folders(inbox, self.network.codes))
        exports, skipped = self._recorded(*new_exports(inbox, self.wh.loaded_file_ids(), self.network.codes))
        for export in skipped:
            self._file(export, lambda e: filing.file_processed(inbox, e.path, e.file_id, e.name))
        self.summary.files_seen = len(exports) + len(skipped)
        self.summary.files_skipped = len(skipped)
        progress.emit("discover", total=len(exports))
        return exports

    def _recorded(self, exports: list[Export], skipped: list[Export]) -> tuple[list[Export], list[Export]]:
        """The exports with the names they are recorded under (a woman's name in a file name replaced)."""
        files = [e.path.name for e in exports + skipped]
        names = file_names.recorded_names(files, self._name_words(), keep=self._org_words)
        recorded = [replace(e, recorded_name=n) for e, n in zip(exports + skipped, names, strict=True)]
        return recorded[: len(exports)], recorded[len(exports) :]

    def _name_words(self) -> set[str]:
        if self._known_words is None:
            self._known_words = file_names.name_words(list(self.wh.known_identities()["name_key"]))
        return self._known_words

    def _recorded_sheets(self, tables: list[RawTable]) -> list[RawTable]:
        """The tables with the sheet names they are recorded under (a sheet named after a woman replaced)."""
        sheets = [t.sheet for t in tables if t.sheet is not None]
        if not sheets:
            return tables
        recorded = file_names.recorded_names(sheets, self._name_words(), False, self._org_words)
        names = iter(file_names.unique(recorded))
        return [t if t.sheet is None else replace(t, sheet=next(names)) for t in tables]

    def _recorded_reason(self, reason: str) -> str:
        """A reader's reason with the sheet names it quotes replaced as the sheets are recorded."""

        def sheet(m: re.Match[str]) -> str:
            return f"sheet '{file_names.recorded_names([m.group(1)], self._name_words(), False, self._org_words)[0]}'"

        return _QUOTED_SHEET.sub(sheet, reason)

    def _file(self, export: Export, move: Callable[[Export], str]) -> None:
        try:
            self.wh.record_stored(export.file_id, move(export))
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            self.summary.notes.append((export.name, f"it could not be moved out of the inbox ({why}); it is done"))

    def reject(self, export: Export, reason: str) -> None:
        """The whole file is set aside: recorded, then moved to inbox/rejected/ with a .why.txt beside it."""
        self.wh.record_rejected(self.summary.run_id, export.file_id, export.name, reason)
        self.summary.files_rejected += 1
        progress.emit("rejected", export.name)
        self.summary.rejected.append((export.name, reason))
        run_id, inbox = self.summary.run_id, self.home.inbox
        self._file(export, lambda e: filing.file_rejected(inbox, e.path, e.file_id, reason, run_id, e.name))

    def read(self, export: Export) -> list[RawTable] | None:
        """The export's tables; None if it is rejected, or set aside as a copy of content validated tonight
        (it is filed with that content when it loads, and counted as already loaded)."""
        if export.file_id in self._taken:
            self._copies.setdefault(export.file_id, []).append(export)
            self.summary.files_skipped += 1
            return None
        progress.emit("read", export.name)
        try:
            return self._recorded_sheets(read_export(export.path))
        except ReadError as err:
            self.reject(export, self._recorded_reason(err.reason))
            return None

    def validate(self, export: Export, tables: list[RawTable], retry: bool = False) -> list[Checked] | None:
        """Match every table (sheet) of the file to an instrument and check its rows; None if one matches none."""
        if not retry and all(len(t.rows) == 0 for t in tables):
            self.reject(
                export,
                "the export has a header but no answers, so there is nothing to load; export it again once the "
                "form has answers (a form with no answers yet needs no export)",
            )
            return None
        checked = []
        for table in tables:
            match = match_header(table.headers, self.instruments, export.path.name)
            if match is None and retry:
                self.summary.notes.append(
                    (export.name, "its quarantined rows were not retried: the file matches no instrument now")
                )
                return None
            if match is None:
                near = closest_version(table.headers, self.instruments)
                hint = f"; {near}" if near else ""
                where = f"sheet '{table.sheet}': its" if table.sheet and len(tables) > 1 else "its"
                self.reject(
                    export,
                    f"{where} columns match no instrument{hint}. Add or edit an instrument definition in "
                    f"{self.home.instruments} (see schemas/README.md, or start one with `followup instrument "
                    "draft`), then run `followup run --retry-quarantine`",
                )
                return None
            checked.append(check(table, match, today=self.as_of))
        answered = all((c.records["organisation"] != "").any() for c in checked)
        if not retry and not answered and self.network.configured and self.organisation_of(export) is None:
            self.reject(export, self.network.unknown_reason(self.home.inbox))
            return None
        if not retry:
            self._taken.add(export.file_id)
        return checked

    def organisation_of(self, export: Export) -> Organisation | None:
        """The organisation of the network an export belongs to, by its folder or file name."""
        return self.network.of_file(self.home.inbox, export.path, export.original_name)

    def anonymise(self, export: Export, checked: list[Checked], retry: bool = False) -> Prepared:
        """Link each form to its graduate and replace identity by pseudonyms. Call it after the case-closure
        forms of the night are loaded: follow-ups are linked to the graduates known then."""
        region, org = self.settings.identity.phone_region, self.organisation_of(export)
        organisation = org.name if org else self.settings.organisation
        parts, contacts = [], []
        for c in checked:
            who = identities(c, self._key, region, organisation, self.network, stated=org is not None)
            who = link_identities(self.wh, c.kind, who)
            if c.kind != "baseline":  # her exact exit date, from the vault, unless the form gives it
                who = with_exit_dates(self.wh, who)
            parts.append((c, anonymise(c, who, self.settings.identity.keep_comments, self._org_words)))
            contacts.append(who)
        return Prepared(export, parts, retry, pd.concat(contacts, ignore_index=True) if contacts else None)

    def load(self, prepared: Prepared) -> None:
        """Load every table of a file and record it, in one transaction; then file the export away."""
        progress.emit("load", prepared.export.name)
        export, waves = prepared.export, self.settings.waves
        tables = [
            TableLoad(
                sheet=c.sheet,
                kind=c.kind,
                instrument=c.instrument,
                version=c.version,
                rows_read=c.rows_read,
                responses=a.responses,
                answers=a.answers,
                quarantine=c.quarantine,
                validation=c.validation,
                waves=waves.months,
                window=waves.window,
                dated_by=c.dated_by,
                wave_column=c.wave_column,
                comments=a.comments,
            )
            for c, a in prepared.parts
        ]
        total = load_file(
            self.wh,
            run_id=self.summary.run_id,
            file_id=export.file_id,
            file_name=export.name,
            tables=tables,
            retry=prepared.retry,
        )
        if prepared.contacts is not None:
            months = pd.concat([a.responses[["response_id", "months_exact"]] for _, a in prepared.parts])
            self.wh.store_contacts(prepared.contacts, months.rename(columns={"months_exact": "months"}))
        rows_read = sum(t.rows_read for t in tables)
        s = self.summary
        if all(t.kind != "baseline" for t in tables):  # (a case-closure table links its file's other tables)
            s.followup_rows_read += rows_read
            s.followup_rows_kept += total.rows_loaded + total.rows_duplicate
        if prepared.retry:
            s.rows_retried += rows_read
        else:
            s.files_loaded += 1
            inbox = self.home.inbox
            for copy in self._copies.pop(export.file_id, []):
                self._file(copy, lambda e: filing.file_processed(inbox, e.path, e.file_id, e.name))
            self._file(export, lambda e: filing.file_processed(inbox, e.path, e.file_id, e.name))
        s.rows_read += rows_read
        s.rows_loaded += total.rows_loaded
        s.rows_quarantined += total.rows_quarantined
        s.rows_duplicate += total.rows_duplicate

    # -- retrying quarantined rows ------------------------------------------------------------------------

    def retries(self) -> list[Retry]:
        """Files whose rows earlier runs quarantined, to validate those rows again with tonight's definitions.
        A file that was not filed (or has since been deleted from processed/) is skipped with a note."""
        found, notes = filed_retries(self.wh.waiting_in_quarantine(self.summary.run_id), self.home.inbox)
        self.summary.notes += notes
        return found

    def reread(self, retry: Retry) -> list[RawTable] | None:
        """The quarantined rows of a filed export, as tables holding only those rows."""
        progress.emit("retry", retry.export.name)
        try:
            tables = self._recorded_sheets(read_export(retry.export.path))
        except ReadError as err:
            reason = self._recorded_reason(err.reason)
            self.summary.notes.append((retry.export.name, f"its quarantined rows cannot be retried: {reason}"))
            return None
        kept = []
        for t in tables:
            rows = retry.rows.get(t.sheet)
            if rows:
                kept.append(replace(t, rows=t.rows[t.rows[ROW].isin(rows)].reset_index(drop=True)))
        return kept

    def results(self) -> pd.DataFrame:
        """Compute every result table, suppress what would disclose a few graduates, and write the reports
        (results.xlsx, one CSV per table, report.html, indicator_by_wave.csv/.xlsx); returns by_wave as
        computed, before suppression (for the run's own checks; it is written nowhere)."""
        progress.emit("results")
        self.wh.score_indicators([i.model_dump() for i in self.indicators])
        try:
            costs = home_costs(self.home)
        except CostsError as err:  # a wrong costs file must not stop the night's results
            self.summary.notes.append((COSTS_FILE, f"the cost table was left empty: {err}"))
            costs = None
        computed = compute_tables(
            self.wh, self.indicators, self.settings.waves.months, self.as_of, costs, instruments=self.instruments
        )
        about = About(self.settings.organisation, self.as_of, self.summary.run_id)
        shown, paths = write_reports(computed, self.home.reports, about, self.settings.results.min_cell, self.network)
        self.summary.reports = [str(p) for p in paths]
        self.summary.results_summary = markdown_summary(shown)
        return computed.by_wave

    def finish(self) -> Summary:
        """Record the run as completed, with warnings first in its summary when its figures cannot be right."""
        s = self.summary
        linked_none = s.followup_rows_read and not s.followup_rows_kept
        unlinked = s.unlinked_warning(self.wh.quarantined(s.run_id)) if linked_none else None
        if unlinked:
            s.warnings.insert(0, unlinked)
        self.wh.finish_run(s.run_id, "completed", s.files_seen, s.files_skipped)
        return s

    def publish(self) -> Path:
        """After `finish`: replace the researchers' snapshot with the warehouse as this run left it (never the
        contact vault); returns where it is."""
        progress.emit("publish")
        return self.wh.publish(snapshot_path(self.home))
