"""Discovery recognises exports by content, and only loaded content counts as seen: a rejected export never
keeps good content out. The demo's first organisation (its case-closure workbook and its two Google Forms
follow-up CSVs) through real runs on a real warehouse; the nightly stages as flows/nightly.py calls them."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from conftest import AS_OF, run_cli

from followup.home import Home
from followup.run import Run, Summary, load_order
from followup.warehouse import Warehouse

CLOSURE = "Завершение_случая_2022-2026.xlsx"
FOLLOWUPS = [f"Катамнез выпускниц (Ответы) - Ответы на форму ({n}).csv" for n in (1, 2)]
SAVED_AS_CSV = "Завершение_случая_2022-2026.csv"  # the same workbook, saved under a .csv name


def nightly_stages(home: Home, retry_quarantine: bool = False, as_of: dt.date = AS_OF) -> Summary:
    """The nightly flow's stages in order, as flows/nightly.py calls them (results and publish left out)."""
    with Run.open(home.root, as_of=as_of) as run:
        checked = []
        for export in run.discover(retry_quarantine):
            tables = run.read(export)
            tables_checked = run.validate(export, tables) if tables is not None else None
            if tables_checked is not None:
                checked.append((export, tables_checked, False))
        if retry_quarantine:
            for retry in run.retries():
                tables = run.reread(retry)
                tables_checked = run.validate(retry.export, tables, retry=True) if tables else None
                if tables_checked is not None:
                    checked.append((retry.export, tables_checked, True))
        for export, tables_checked, retried in load_order(checked):
            run.load(run.anonymise(export, tables_checked, retried))
        return run.finish()


@pytest.fixture
def exports(demo_corpus) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    found = {p.name: p.read_bytes() for p in demo_corpus.inbox_files}
    return {name: found[name] for name in [CLOSURE, *FOLLOWUPS]}


def drop(home: Home, exports: dict[str, bytes], *names: str, saved_as: dict[str, str] | None = None) -> None:
    for name in names:
        (home.inbox / (saved_as or {}).get(name, name)).write_bytes(exports[name])


def books(home: Home) -> dict[str, object]:
    with Warehouse(home.warehouse, read_only=True) as wh:
        q = wh.con.execute
        return {
            "files": q("SELECT file_name, status FROM files ORDER BY file_name").fetchall(),
            "file_runs": q("SELECT run_id, file_name, action FROM file_runs ORDER BY run_id, file_name").fetchall(),
            "graduates": q("SELECT count(*) FROM graduates").fetchone()[0],  # type: ignore[index]
            "followups": q("SELECT count(*) FROM responses WHERE kind <> 'baseline'").fetchone()[0],  # type: ignore[index]
            "waiting": q(
                "SELECT check_name, count(*) FROM quarantine WHERE retried_in_run IS NULL GROUP BY ALL"
            ).fetchall(),
            "runs": q("SELECT status, files_seen, files_loaded, files_rejected, files_skipped FROM runs").fetchall(),
        }


def left_in(inbox: Path) -> list[str]:
    return sorted(p.name for p in inbox.iterdir() if p.is_file())


def test_a_workbook_saved_as_csv_is_rejected_and_its_correctly_named_copy_loads_on_the_next_drop(home, exports):
    # Night 1: the case-closure workbook arrives saved as .csv, beside the follow-ups.
    drop(home, exports, CLOSURE, *FOLLOWUPS, saved_as={CLOSURE: SAVED_AS_CSV})
    first = nightly_stages(home)
    assert [name for name, _ in first.rejected] == [SAVED_AS_CSV]
    assert "Excel workbook" in first.rejected[0][1] and "proper extension" in first.rejected[0][1]
    assert (first.files_loaded, first.rows_loaded, first.rows_quarantined) == (2, 0, first.followup_rows_read)
    night1 = books(home)
    assert night1["graduates"] == night1["followups"] == 0
    assert night1["waiting"] == [("graduate_known", first.followup_rows_read)]
    # every follow-up is quarantined as graduate_known: the run completes, and says so first
    assert len(first.warnings) == 1
    warning = first.warnings[0]
    assert f"all {first.followup_rows_read} follow-up rows" in warning and "graduate_known" in warning
    assert "case-closure export" in warning and "`followup status`" in warning
    assert "--retry-quarantine" in warning
    assert night1["runs"] == [("completed", 3, 2, 1, 0)]

    # Night 2: the M&E officer drops the workbook again under its proper name: the same bytes, read again.
    drop(home, exports, CLOSURE)
    second = nightly_stages(home)
    assert (second.files_seen, second.files_skipped, second.files_loaded, second.rejected) == (1, 0, 1, [])
    night2 = books(home)
    assert night2["graduates"] == second.rows_loaded > 20
    assert dict(night2["files"])[CLOSURE] == "loaded"  # type: ignore[call-overload]
    assert second.warnings == []  # no follow-up was read tonight
    assert left_in(home.inbox) == []

    # Night 3: the retry the warning asked for. The rejected .csv comes back, is recognised as the workbook
    # loaded in night 2 and only filed away; the follow-ups are linked to the graduates.
    third = nightly_stages(home, retry_quarantine=True)
    assert (third.files_seen, third.files_skipped, third.files_loaded, third.files_rejected) == (1, 1, 0, 0)
    assert third.rows_retried == first.followup_rows_read
    night3 = books(home)
    assert (third.rows_quarantined, third.rows_loaded + third.rows_duplicate) == (0, third.rows_retried)
    assert night3["waiting"] == [] and night3["followups"] == third.rows_loaded > 100
    assert third.warnings == []
    assert left_in(home.inbox) == [] and left_in(home.inbox / "rejected") == []
    assert len(list((home.inbox / "processed").iterdir())) == 4  # the follow-ups, the workbook and its .csv copy


def test_both_copies_in_one_inbox_the_rejected_one_does_not_keep_the_other_out(home, exports):
    """What --retry-quarantine made of the case above until now: the .csv back in the inbox beside the
    correctly named workbook, the .csv read first and rejected, the workbook skipped as "already loaded"."""
    drop(home, exports, CLOSURE, *FOLLOWUPS)
    drop(home, exports, CLOSURE, saved_as={CLOSURE: SAVED_AS_CSV})
    s = nightly_stages(home)
    assert [name for name, _ in s.rejected] == [SAVED_AS_CSV]
    assert (s.files_seen, s.files_loaded, s.files_rejected, s.files_skipped) == (4, 3, 1, 0)
    assert s.warnings == [] and s.rows_quarantined == 0
    b = books(home)
    assert s.followup_rows_read == s.followup_rows_kept > 100  # linked the same night (some are duplicates)
    assert b["followups"] > 100
    assert b["waiting"] == []
    # each copy's outcome is recorded; the content's state is that it was loaded, under its proper name
    outcomes = [(1, name, "loaded") for name in [CLOSURE, *FOLLOWUPS]] + [(1, SAVED_AS_CSV, "rejected")]
    assert b["file_runs"] == sorted(outcomes)
    assert (CLOSURE, "loaded") in b["files"] and SAVED_AS_CSV not in dict(b["files"])  # type: ignore[arg-type]
    assert left_in(home.inbox) == []
    assert left_in(home.inbox / "rejected") == [SAVED_AS_CSV, SAVED_AS_CSV + ".why.txt"]


def test_a_second_copy_of_content_loaded_tonight_is_filed_with_it_not_left_for_the_next_night(home, exports):
    drop(home, exports, CLOSURE)
    drop(home, exports, CLOSURE, saved_as={CLOSURE: "копия " + CLOSURE})
    s = nightly_stages(home)
    assert (s.files_seen, s.files_loaded, s.files_skipped, s.files_rejected) == (2, 1, 1, 0)
    assert s.files_seen == s.files_loaded + s.files_rejected + s.files_skipped
    assert left_in(home.inbox) == []  # every file ends loaded, rejected or filed as a copy of loaded content
    assert sorted(p.name.split(".")[0] for p in (home.inbox / "processed").iterdir()) == [
        "Завершение_случая_2022-2026",
        "копия Завершение_случая_2022-2026",
    ]
    b = books(home)
    assert b["runs"] == [("completed", 2, 1, 0, 1)] and b["graduates"] == s.rows_loaded > 20


def test_rejected_content_dropped_again_after_a_definition_was_added_is_read_again(home) -> None:
    form = "Дата,ФИО,Дата выхода,Где вы живёте?\n15.04.2026,Иванова Алёна,10.01.2026,Снимаю жильё\n"
    (home.inbox / "опрос.csv").write_text(form, encoding="utf-8")
    first = nightly_stages(home)
    assert first.files_rejected == 1 and "match no instrument" in first.rejected[0][1]

    (home.instruments / "opros.yaml").write_text(DEFINITION, encoding="utf-8")
    (home.inbox / "опрос.csv").write_text(form, encoding="utf-8")  # the same bytes, the same name
    second = nightly_stages(home)
    assert (second.files_seen, second.files_skipped, second.files_loaded, second.rows_loaded) == (1, 0, 1, 1)
    assert books(home)["file_runs"] == [(1, "опрос.csv", "rejected"), (2, "опрос.csv", "loaded")]
    assert books(home)["files"] == [("опрос.csv", "loaded")]


DEFINITION = """
instrument: opros
title: Опрос выпускниц
kind: followup
items:
  - code: housing
    text: Где вы живёте?
    type: select_one
    options:
      rent: [Снимаю жильё]
versions:
  - version: 1
    columns:
      Дата: {role: timestamp, format: "%d.%m.%Y"}
      ФИО: {role: full_name}
      Дата выхода: {role: exit_date, format: "%d.%m.%Y"}
      Где вы живёте?: housing
"""


def test_a_run_that_links_some_follow_ups_gives_no_warning(home, exports):
    drop(home, exports, CLOSURE, FOLLOWUPS[0])
    s = nightly_stages(home)
    assert s.warnings == [] and s.followup_rows_kept > 0
    drop(home, exports, FOLLOWUPS[1])  # her forms link to the graduates loaded the night before
    assert nightly_stages(home).warnings == []


# -- the warning, as the user and the scheduler see it ------------------------------------------------------


def _night_without_the_case_closure(inbox: Path, exports: dict[str, bytes]) -> None:
    for name in FOLLOWUPS:
        (inbox / name).write_bytes(exports[name])
    (inbox / SAVED_AS_CSV).write_bytes(exports[CLOSURE])


@pytest.mark.slow
def test_the_run_command_prints_the_warning_before_its_summary(tmp_path: Path, exports) -> None:
    home = tmp_path / "h"
    run_cli("init", str(home))
    _night_without_the_case_closure(home / "inbox", exports)
    done = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("WARNING: no follow-up form was linked to a graduate")
    first = " ".join(done.stdout.split("Run 1:")[0].split())  # (rich wraps long lines)
    assert "quarantined as graduate_known" in first and "Load the case-closure export" in first
    assert "`followup status`" in first and "`followup run --retry-quarantine`" in first
    assert f"rejected {SAVED_AS_CSV}:" in done.stdout
    status = run_cli("status", "--home", str(home))
    assert f"rejected in the last run {SAVED_AS_CSV}:" in status.stdout  # where the warning sends her


@pytest.mark.slow
def test_the_flow_puts_the_warning_at_the_top_of_its_artifact_and_log(prefect_harness, home, exports) -> None:
    import anyio
    from prefect.client.orchestration import get_client

    from flows.nightly import nightly

    _night_without_the_case_closure(home.inbox, exports)
    state = nightly(home=str(home.root), as_of=AS_OF, return_state=True)
    assert state.is_completed()
    summary = state.result()
    assert len(summary.warnings) == 1

    async def what_prefect_stored() -> tuple[str, list[str]]:
        run_id = str(state.state_details.flow_run_id)
        async with get_client() as client:  # (asked directly, as tests/test_flow.py does)
            found = await client.request(
                "POST",
                "/artifacts/filter",
                json={"artifacts": {"key": {"any_": ["followup-run-summary"]}}, "limit": 10, "offset": 0},
            )
            logs = await client.request(
                "POST", "/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}, "level": {"ge_": 30}}}
            )
        artifact = next(a["data"] for a in found.json() if a["flow_run_id"] == run_id)
        return str(artifact), [str(log["message"]) for log in logs.json()]

    for _ in range(30):  # (log lines reach the server in batches, every few seconds)
        artifact, warnings = anyio.run(what_prefect_stored)
        if warnings:
            break
        time.sleep(0.5)
    lines = artifact.splitlines()
    assert lines[0] == f"# followup run {summary.run_id}"
    assert lines[1] == f"> **Warning:** {summary.warnings[0]}"
    assert lines[2] == "" and lines[3].startswith("| files seen |")  # a blank line ends the quote
    assert warnings == summary.warnings  # logged at level WARNING, once
