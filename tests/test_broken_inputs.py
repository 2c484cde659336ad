"""Dozens of broken exports in one inbox beside valid ones, through one real nightly run (Prefect's test server).

Each broken file (tests/broken_inputs.py) must get its own clear message: a rejected file a reason saying
what is wrong and what to do, a quarantined row its file, row, column, check and reason; none of them may
quote a name or a phone. The valid files in the same inbox must load whole, and for every file the rows
read must equal the rows loaded, quarantined and counted as duplicates. Results are read from the
warehouse, not from the inbox (a run files its exports away).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from broken_inputs import BIG_CELL, CASES, PERSONAL, VALID, VALID_ROWS, Case, Held, Loaded, Rejected
from conftest import AS_OF, ROOT

from followup.run import Summary

pytestmark = pytest.mark.slow

RUN_SECONDS = 180  # a run that takes longer has hung on some file


@dataclass(frozen=True)
class Outcome:
    names: dict[str, str]  # case or valid builder -> the file's name in the inbox
    summary: Summary
    files: pd.DataFrame  # the warehouse's `files`, indexed by file_name
    quarantine: pd.DataFrame  # the warehouse's `quarantine`
    run_status: str
    warehouse_bytes: int
    seconds: float
    inbox: Path


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, instead of waiting forever, when the block takes longer than `seconds`."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"the run took more than {seconds} s: a reader hangs on some file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def outcome(prefect_harness, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """One home, its inbox holding every broken file and the valid ones, and one nightly run over it."""
    from flows.nightly import nightly
    from followup.home import init_home
    from followup.warehouse import Warehouse

    home, _ = init_home(tmp_path_factory.mktemp("broken") / "home")
    for definition in (ROOT / "tests" / "definitions").glob("*.yaml"):
        shutil.copy(definition, home.instruments)
    names = {}
    for key, build in [*VALID.items(), *((c.id, c.build) for c in CASES)]:
        name, data = build()
        assert not (home.inbox / name).exists(), f"two cases write {name}"
        (home.inbox / name).write_bytes(data)
        names[key] = name
    started = time.monotonic()
    with deadline(RUN_SECONDS):
        summary = nightly(home=str(home.root), as_of=AS_OF)
    seconds = time.monotonic() - started
    with Warehouse(home.warehouse, read_only=True) as wh:
        files = wh.con.execute(
            "SELECT file_name, status, reason, rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM files"
        ).df()
        quarantine = wh.con.execute(
            "SELECT file_name, source_row, column_name, check_name, reason FROM quarantine"
        ).df()
        (run_status,) = wh.con.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchone() or ("",)
    return Outcome(
        names=names,
        summary=summary,
        files=files.set_index("file_name", verify_integrity=True),
        quarantine=quarantine,
        run_status=run_status,
        warehouse_bytes=Path(home.warehouse).stat().st_size,
        seconds=seconds,
        inbox=home.inbox,
    )


def counts_add_up(row: pd.Series) -> bool:
    return bool(row["rows_read"] == row["rows_loaded"] + row["rows_quarantined"] + row["rows_duplicate"])


def test_the_run_completes_and_accounts_for_every_file_and_row(outcome: Outcome) -> None:
    assert len(CASES) >= 30
    assert outcome.run_status == "completed"
    assert sorted(outcome.files.index) == sorted(outcome.names.values())  # every file recorded, once
    s = outcome.summary
    assert s.files_loaded + s.files_rejected == len(outcome.names)
    assert s.rows_read == s.rows_loaded + s.rows_quarantined + s.rows_duplicate > 0
    assert [name for name, row in outcome.files.iterrows() if not counts_add_up(row)] == []


@pytest.mark.parametrize("builder", sorted(VALID))
def test_the_valid_files_beside_them_load_whole(outcome: Outcome, builder: str) -> None:
    row = outcome.files.loc[outcome.names[builder]]
    assert row["status"] == "loaded"
    assert (row["rows_read"], row["rows_loaded"], row["rows_quarantined"], row["rows_duplicate"]) == (
        VALID_ROWS[builder],
        VALID_ROWS[builder],
        0,
        0,
    )


def _params() -> list[object]:
    return [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_each_broken_input_gets_its_own_clear_message(outcome: Outcome, case: Case) -> None:
    name = outcome.names[case.id]
    row = outcome.files.loc[name]
    held = outcome.quarantine[outcome.quarantine["file_name"] == name]
    assert counts_add_up(row)
    expect = case.expect
    if isinstance(expect, Rejected):
        assert row["status"] == "rejected"
        assert [phrase for phrase in expect.says if phrase not in row["reason"]] == [], row["reason"]
        assert (row["rows_loaded"], len(held)) == (0, 0)
        messages = [row["reason"]]
    else:
        assert isinstance(expect, Loaded)
        assert row["status"] == "loaded", row["reason"]
        assert (row["rows_loaded"], row["rows_quarantined"], row["rows_duplicate"]) == (
            expect.loaded,
            len(expect.held),
            expect.duplicate,
        )
        found = [Held(int(r.source_row), r.column_name, r.check_name, r.reason) for r in held.itertuples(index=False)]
        found.sort(key=lambda h: (h.row, h.column, h.check))
        assert [(h.row, h.column, h.check) for h in found] == sorted((h.row, h.column, h.check) for h in expect.held)
        assert all(want.says in got.says for want, got in zip(sorted(expect.held), found, strict=True)), found
        messages = [h.says for h in found]
    assert [value for value in PERSONAL for message in messages if value.lower() in message.lower()] == []


def test_every_export_leaves_the_inbox_rejected_ones_with_their_reason(outcome: Outcome) -> None:
    inbox = outcome.inbox
    assert sorted(p.name for p in inbox.iterdir()) == ["processed", "rejected"]
    rejected = outcome.files[outcome.files["status"] == "rejected"]
    for name, row in rejected.iterrows():
        why = (inbox / "rejected" / f"{name}.why.txt").read_text(encoding="utf-8")
        assert (inbox / "rejected" / str(name)).is_file() and row["reason"] in why
    loaded = outcome.files[outcome.files["status"] == "loaded"]
    assert len(list((inbox / "processed").iterdir())) == len(loaded)
    assert len(list((inbox / "rejected").iterdir())) == 2 * len(rejected)


def test_no_message_of_the_run_quotes_a_personal_value(outcome: Outcome) -> None:
    messages = [*outcome.files["reason"].dropna(), *outcome.quarantine["reason"]]
    messages += [reason for _, reason in outcome.summary.rejected]
    assert len(messages) > len(CASES)
    text = "\n".join(messages).lower()
    assert [value for value in PERSONAL if value.lower() in text] == []


def test_the_huge_cell_is_refused_quickly_and_never_stored(outcome: Outcome) -> None:
    assert outcome.files.loc[outcome.names["one_huge_cell"], "status"] == "rejected"
    assert outcome.warehouse_bytes < BIG_CELL // 5
    assert outcome.seconds < RUN_SECONDS / 2
