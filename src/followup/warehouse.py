"""The one DuckDB gateway: connection, migrations, statements and queries. No other module opens the database.

SQL lives in .sql files: migrations and views in the top-level `warehouse/` folder, the statements the
pipeline runs in `src/followup/sql/` (and result queries beside the results code), named by
`-- name: <statement>` lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from followup.resources import warehouse_dir

SQL_DIR = Path(__file__).parent / "sql"
_NAME = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)


class WarehouseError(Exception):
    """The warehouse cannot be used as asked; the message says what to do."""


@cache
def statements(path: Path) -> dict[str, str]:
    """The named statements of a .sql file."""
    text = path.read_text(encoding="utf-8")
    parts = _NAME.split(text)
    return {parts[i]: parts[i + 1].strip().rstrip(";") for i in range(1, len(parts), 2)}


def extension_file(name: str) -> Path:
    """The extension file shipped by the `duckdb-ext-<name>` wheel for this DuckDB version and platform."""
    import importlib.util

    spec = importlib.util.find_spec("duckdb_ext")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        found = sorted(Path(root).glob(f"extensions/v{duckdb.__version__}/*/{name}.duckdb_extension"))
        if found:
            return found[0]
    raise WarehouseError(
        f"The DuckDB extension '{name}' is not installed for DuckDB {duckdb.__version__}. "
        f"Install the pinned wheel: pip install duckdb-ext-{name} (see pyproject.toml)."
    )


@dataclass(frozen=True)
class LoadCounts:
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(
            self.rows_loaded + other.rows_loaded,
            self.rows_quarantined + other.rows_quarantined,
            self.rows_duplicate + other.rows_duplicate,
        )

    def as_params(self) -> dict[str, int]:
        return {
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_duplicate": self.rows_duplicate,
        }


class Warehouse:
    """A DuckDB warehouse file, opened for one unit of work (`with Warehouse(path) as wh:`)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Warehouse:
        if self.read_only and not self.path.exists():
            raise WarehouseError(f"There is no warehouse at {self.path} yet: run `followup run` first.")
        try:
            # Never download anything: extensions are LOADed from the wheels' files (load_extension).
            config: dict[str, str | bool | int | float | list[str]] = {
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            }
            self._con = duckdb.connect(str(self.path), read_only=self.read_only, config=config)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseError(
                    f"The warehouse {self.path} is in use by another process (a run or an open DuckDB "
                    "session). Wait for it to finish or close the session, then try again."
                ) from None
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise WarehouseError("the warehouse is not open: use it inside `with Warehouse(path) as wh:`")
        return self._con

    def load_extension(self, name: str) -> Path:
        """LOAD a DuckDB extension from the file its `duckdb-ext-*` wheel installed; nothing is downloaded."""
        path = extension_file(name)
        self.con.execute(f"LOAD '{path}'")
        return path

    def attach_vault(self, path: Path, key_hex: str) -> None:
        """Attach the encrypted contact vault as `vault` (made on first use, mode 0600).

        DuckDB writes encrypted files only with httpfs's crypto module, loaded from its wheel. A vault that
        this warehouse made before and that is now missing is refused: linkage would silently lose every
        name it knows.
        """
        made = self.run("schema.sql", "meta_value", key="vault").fetchone()
        if made is not None and not path.exists():
            raise WarehouseError(
                f"The contact vault {path} is missing, though this warehouse made it. Restore it from your "
                "backup (with secret.key): without it no follow-up can be linked by name."
            )
        if self.read_only and not path.exists():
            raise WarehouseError(f"There is no contact vault at {path} yet: run `followup run` first.")
        self.load_extension("httpfs")
        quoted = str(path).replace("'", "''")
        mode = ", READ_ONLY" if self.read_only else ""
        try:
            self.con.execute(f"ATTACH '{quoted}' AS vault (ENCRYPTION_KEY '{key_hex}'{mode})")
        except duckdb.IOException as exc:
            if "encryption key" in str(exc).lower():
                raise WarehouseError(
                    f"The contact vault {path.name} does not open with this home's secret.key. Restore the key "
                    "that made it from your backup."
                ) from None
            raise
        if self.read_only:
            return
        path.chmod(0o600)
        for table in ("create", "create_pending", "create_exits", "create_form_months"):
            self.run("vault.sql", table)
        if made is None:
            self.run("schema.sql", "set_meta", key="vault", value=path.name)

    def known_identities(self) -> pd.DataFrame:
        """graduate_id, name_key, phone, recorded, organisation: every identity a graduate is known by (from the
        vault)."""
        return self.run("vault.sql", "known").df()

    def aliases(self, decided_only: bool = False) -> dict[str, str | None]:
        """Identity pseudonyms already linked to a graduate (None: decided not to be its candidate); with
        `decided_only`, only those a person decided in `followup review`."""
        return dict(self.run("linkage.sql", "aliases", decided_only=decided_only).fetchall())

    def waiting_reviews(self, with_names: bool = False) -> pd.DataFrame:
        """Uncertain links waiting for a person: alias_id, candidate_id, similarity, forms, organisation,
        exit_month; with_names (the vault attached): also the name as written and the graduate's recorded name."""
        return self.run("linkage.sql", "waiting_reviews_named" if with_names else "waiting_reviews").df()

    def decide_review(self, prefix: str, decision: str) -> str:
        """Accept or split the waiting pair whose identity pseudonym starts with `prefix`; says what was done."""
        found = self.run("linkage.sql", "find_review", prefix=prefix).fetchall()
        if len(found) != 1:
            what = "no waiting identity" if not found else f"{len(found)} waiting identities"
            raise WarehouseError(f"'{prefix}' fits {what}; give more of its characters (see `followup review`).")
        alias_id, candidate_id, similarity = found[0]
        runs = self.recent_runs(1)
        run_id = int(runs["run_id"].iloc[0]) if len(runs) else 0
        with self.transaction():
            self.run("linkage.sql", "decide", alias_id=alias_id, candidate_id=candidate_id, decision=decision)
            self.run(
                "linkage.sql",
                "record_decision",
                alias_id=alias_id,
                graduate_id=candidate_id if decision == "accepted" else None,
                decision=decision,
                similarity=similarity,
                run_id=run_id,
            )
        if decision == "accepted":
            return f"{alias_id[:12]} is graduate {candidate_id[:12]}."
        return f"{alias_id[:12]} is not graduate {candidate_id[:12]}."

    def store_contacts(self, contacts: pd.DataFrame, form_months: pd.DataFrame) -> None:
        """Keep in the vault how to reach the graduates of the forms just loaded, their exact exit dates and
        each form's months since exit at day precision (`form_months`: response_id, months), after the load
        commits."""
        with self.staged(staged_contacts=contacts, staged_form_months=form_months), self.transaction():
            # (a corrected exit date moves her earlier forms' months before tonight's forms are added)
            for name in (
                "upsert",
                "upsert_pending",
                "shift_form_months",
                "upsert_form_months",
                "upsert_exits",
                "insert_exits",
            ):
                self.run("vault.sql", name)

    def exit_dates(self, graduate_ids: list[str]) -> dict[str, dt.date]:
        """The exact exit dates the vault knows for these graduates."""
        with self.staged(asked=pd.DataFrame({"graduate_id": pd.Series(graduate_ids, dtype="string")})):
            rows = self.run("vault.sql", "exit_dates").fetchall()
        return {str(g): d for g, d in rows}

    # -- statements -------------------------------------------------------------------------------------

    def run(self, file: str, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
        return self._execute(statements(SQL_DIR / file)[name], params)

    def frame(self, sql_path: Path, name: str, **params: Any) -> pd.DataFrame:
        return self._execute(statements(sql_path)[name], params).df()

    def _execute(self, sql: str, params: dict[str, Any]) -> duckdb.DuckDBPyConnection:
        """Run one named statement with the parameters it uses (DuckDB refuses unused ones)."""
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
        return self.con.execute(sql, used)

    # -- schema -----------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back when it raises."""
        self.con.execute("BEGIN")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Apply warehouse/NNN_*.sql not yet applied, in order, then (re)create the views."""
        self.run("schema.sql", "create_schema_version")
        done = {v for (v,) in self.run("schema.sql", "applied_versions").fetchall()}
        applied = []
        for path in sorted(warehouse_dir().glob("[0-9][0-9][0-9]_*.sql")):
            version = int(path.name[:3])
            if version in done:
                continue
            with self.transaction() as con:
                con.execute(path.read_text(encoding="utf-8"))
                self.run("schema.sql", "record_version", version=version, migration=path.stem)
            applied.append(path.stem)
        for view in sorted((warehouse_dir() / "views").glob("*.sql")):
            self.con.execute(view.read_text(encoding="utf-8"))
        self.make_groups_view(self._latest_grouping())
        return applied

    def check_key(self, fingerprint: str) -> None:
        """Remember the key's fingerprint; refuse a different key (it would split every graduate in two)."""
        row = self.run("schema.sql", "key_fingerprint").fetchone()
        if row is None:
            self.run("schema.sql", "set_key_fingerprint", fingerprint=fingerprint)
        elif row[0] != fingerprint:
            raise WarehouseError(
                f"The pseudonymisation key does not match the one that built {self.path.name} "
                f"(fingerprint {fingerprint}, expected {row[0]}). Every graduate would get a new id. "
                "Restore the home's original secret.key from your backup; do not make a new one."
            )

    # -- runs and files ---------------------------------------------------------------------------------

    def start_run(self, as_of: dt.date, flow_run_id: str | None) -> int:
        row = self.run("runs.sql", "start", as_of=as_of, flow_run_id=flow_run_id).fetchone()
        assert row is not None
        return int(row[0])

    def finish_run(
        self, run_id: int, status: str, files_seen: int, files_skipped: int, message: str | None = None
    ) -> None:
        self.run(
            "runs.sql",
            "finish",
            run_id=run_id,
            status=status,
            message=message,
            files_seen=files_seen,
            files_skipped=files_skipped,
        )

    def loaded_file_ids(self) -> set[str]:
        return {f for (f,) in self.run("schema.sql", "loaded_files").fetchall()}

    def record_rejected(self, run_id: int, file_id: str, file_name: str, reason: str) -> None:
        with self.transaction():
            self.file_run(run_id, file_id, file_name, "rejected", LoadCounts(0, 0, 0), 0, reason)
            self.run(
                "runs.sql",
                "file_state",
                run_id=run_id,
                file_id=file_id,
                file_name=file_name,
                sheet=None,
                instrument=None,
                version=None,
                status="rejected",
                reason=reason,
                rows_read=0,
                rows_loaded=0,
                rows_quarantined=0,
                rows_duplicate=0,
            )

    def record_stored(self, file_id: str, stored_as: str) -> None:
        """Where the file was put after its run (relative to the inbox), so a retry can read it again."""
        self.run("runs.sql", "file_stored", file_id=file_id, stored_as=stored_as)

    def file_run(
        self, run_id: int, file_id: str, file_name: str, action: str, counts: LoadCounts, rows_read: int, reason: str
    ) -> None:
        self.run(
            "runs.sql",
            "file_run",
            run_id=run_id,
            file_id=file_id,
            file_name=file_name,
            action=action,
            reason=reason,
            rows_read=rows_read,
            **counts.as_params(),
        )

    def waiting_in_quarantine(self, run_id: int) -> pd.DataFrame:
        """Files with rows quarantined by earlier runs and not retried since: file_id, file_name, stored_as,
        sheet, rows (the row numbers)."""
        return self.run("runs.sql", "waiting_in_quarantine", run_id=run_id).df()

    def recent_runs(self, limit: int = 10) -> pd.DataFrame:
        return self.run("runs.sql", "recent", limit=limit).df()

    def failed_checks(self, run_id: int) -> pd.DataFrame:
        return self.run("runs.sql", "failed_checks", run_id=run_id).df()

    def checks_count(self, run_id: int) -> tuple[int, int]:
        row = self.run("runs.sql", "checks_count", run_id=run_id).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def quarantined(self, run_id: int | None, waiting: bool = False) -> pd.DataFrame:
        """Quarantined rows (file, sheet, row, column, check, reason) of one run, or of all runs; with
        `waiting`, only those not validated again since."""
        return self.run("runs.sql", "quarantine_rows", run_id=run_id, waiting=waiting).df()

    def shared_waves(self) -> pd.DataFrame:
        """Forms sharing their graduate, instrument and wave with another: file_name, sheet, row, instrument,
        wave, months_since_exit, used (the one the result tables use), pair (numbers the groups)."""
        return self.run("runs.sql", "shared_waves").df()

    def rejected_files(self, run_id: int) -> list[tuple[str, str]]:
        return [(n, r) for n, r in self.run("runs.sql", "rejected_files", run_id=run_id).fetchall()]

    @contextmanager
    def staged(self, **frames: pd.DataFrame) -> Iterator[None]:
        """Frames visible to SQL under the given names for the block (staged_responses, ...)."""
        for name, frame in frames.items():
            self.con.register(name, frame)
        try:
            yield
        finally:
            for name in frames:
                self.con.unregister(name)

    def score_indicators(self, indicators: list[dict[str, Any]]) -> int:
        """Bring indicator values up to date with the answers; returns how many graduates were scored.

        Only the graduates whose forms changed since the last scoring (loaded, superseded, placed in another
        wave) are scored again, so the cost grows with new rows, not with history; everyone is scored when
        the indicator definitions changed since then (or on the first scoring).
        """
        digest = _digest(indicators)
        last = self.run("indicators.sql", "last_run").fetchone()
        last_run = int(last[0]) if last else 0
        scored = self.run("schema.sql", "meta_value", key="scored_through_run").fetchone()
        same = self.run("schema.sql", "meta_value", key="indicators_digest").fetchone()
        everyone = scored is None or same is None or same[0] != digest
        with self.transaction():
            n = self._score(indicators, everyone=everyone, since=0 if everyone else int(scored[0]))  # type: ignore[index]
            self.run("schema.sql", "set_meta", key="scored_through_run", value=str(last_run))
            self.run("schema.sql", "set_meta", key="indicators_digest", value=digest)
        return n

    def _score(self, indicators: list[dict[str, Any]], everyone: bool, since: int = 0) -> int:
        self.run("indicators.sql", "score_everyone" if everyone else "score_changed", since=since)
        row = self.run("indicators.sql", "to_score_count").fetchone()
        for ind in indicators:
            self.run("indicators.sql", "clear", indicator=ind["id"], everyone=everyone)
            self.run("indicators.sql", f"score_{ind['type']}", **{**ind, "indicator": ind["id"]})
        return int(row[0]) if row else 0

    # -- the definitions each run used (migration 008) ----------------------------------------------------

    def record_definitions(self, run_id: int, digest: str, body: str, grouping: list[str]) -> None:
        """Remember the definitions run `run_id` computes with (stored once per digest), and make the
        graduate_groups view with their grouping items."""
        with self.transaction():
            self.run("definitions.sql", "store", digest=digest, body=body)
            self.run("definitions.sql", "use", run_id=run_id, digest=digest)
        self.make_groups_view(grouping)

    def definitions_of_run(self, run_id: int) -> str | None:
        """The stored definitions (JSON) run `run_id` computed with; None for a run before migration 008."""
        try:
            row = self.run("definitions.sql", "of_run", run_id=run_id).fetchone()
        except duckdb.CatalogException:  # a read-only warehouse not yet upgraded to 008
            return None
        return str(row[0]) if row else None

    def make_groups_view(self, grouping: list[str]) -> None:
        """(Re)make graduate_groups: one row per graduate with a column per baseline grouping item."""
        taken = {"graduate_id", "organisation", "exit_month", "cohort", "birth_year"}
        columns = "".join(
            f",\n       string_agg(DISTINCT b.value, '; ' ORDER BY b.value) FILTER (WHERE b.item = {_literal(code)})"
            f" AS {_identifier(code)}"
            for code in dict.fromkeys(grouping)
            if code not in taken
        )
        self.con.execute(statements(SQL_DIR / "definitions.sql")["graduate_groups"].replace("{columns}", columns))

    def _latest_grouping(self) -> list[str]:
        row = self.run("definitions.sql", "latest").fetchone()
        if row is None:
            return []
        instruments = json.loads(row[0]).get("baseline_instruments", [])
        return list(dict.fromkeys(code for i in instruments for code in i.get("grouping", [])))

    # -- history ----------------------------------------------------------------------------------------

    @contextmanager
    def as_of_run(self, run_id: int, indicators: list[dict[str, Any]]) -> Iterator[dt.date]:
        """Inside the block the warehouse reads as it was after run `run_id`: graduates, responses and
        answers in the versions current then, and indicator values scored from them (with `indicators`).
        Yields the date that run computed its results for (its default due date). Works on a read-only
        warehouse too: TEMP tables of the same names shadow the main ones for this connection only.
        """
        row = self.run("history.sql", "run_as_of", run_id=run_id).fetchone()
        if row is None or row[1] != "completed":
            what = "there is no such run" if row is None else f"it is {row[1]}, not completed"
            raise WarehouseError(
                f"Results cannot be computed as of run {run_id}: {what}. See `followup status` for the runs "
                "that completed and give one of their numbers."
            )
        try:
            for table in SHADOWED:  # (a shadow left by an earlier block would be read as the main table)
                self.run("history.sql", f"unshadow_{table}")
            for table in SHADOWED:
                self.run("history.sql", f"shadow_{table}", run_id=run_id)
            with self.transaction():
                self._score(indicators, everyone=True)
            yield row[2]
        finally:
            for table in SHADOWED:
                self.run("history.sql", f"unshadow_{table}")

    def run_date(self, run_id: int) -> dt.date | None:
        """The date run `run_id` computed its results for (runs.as_of), if there is such a run."""
        row = self.run("history.sql", "run_as_of", run_id=run_id).fetchone()
        return row[2] if row else None

    # -- the researchers' snapshot ------------------------------------------------------------------------

    def publish(self, target: Path) -> Path:
        """Copy the warehouse (never the attached vault) to `target`, read-only, replacing the copy there at once.

        The copy is written under a temporary name beside `target` and then renamed over it: a researcher who
        opens `target` meanwhile gets the whole previous copy, and one who has it open keeps reading it.
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = target.with_name(f".{target.name}.{os.getpid()}.publishing")
        leftovers = (fresh, fresh.with_name(fresh.name + ".wal"))
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        row = self.con.execute("SELECT current_database()").fetchone()
        assert row is not None
        # File and catalog names cannot be parameters of ATTACH and COPY: quoted here.
        quoted, catalog = _literal(str(fresh)), _identifier(str(row[0]))
        try:
            self.con.execute(f"ATTACH {quoted} AS snapshot_copy (READ_WRITE)")
            try:
                self.con.execute(f"COPY FROM DATABASE {catalog} TO snapshot_copy")
            finally:
                self.con.execute("DETACH snapshot_copy")
            fresh.chmod(0o444)  # researchers read it; the next run replaces it whole
            os.replace(fresh, target)
        except OSError as exc:
            raise WarehouseError(
                f"The snapshot for researchers could not be written to {target.parent} ({exc.strerror}). The run's "
                "data is safe in the warehouse; free space or fix the folder's permissions, then run "
                "`followup run` again to publish it."
            ) from None
        finally:
            for leftover in leftovers:
                leftover.unlink(missing_ok=True)
        return target


# What `as_of_run` shows as it was, in the order the shadows are made: once a TEMP table exists, `main.<name>`
# names it too (the temp catalog has a schema `main`), so each shadow reads only its own table and history.
SHADOWED = ("answers", "responses", "graduates", "indicator_values")


def _digest(indicators: list[dict[str, Any]]) -> str:
    """Which indicator definitions the values were scored with."""
    return hashlib.sha256(json.dumps(indicators, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _literal(text: str) -> str:
    """A string as an SQL literal (for DDL, which takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    """A name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
