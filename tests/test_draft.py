"""`followup instrument draft`: a definition drafted from an export, saved unedited, loads that export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import exports
import pytest
from conftest import AS_OF, run_cli

from followup.draft import draft
from followup.instruments import load_instrument, match_header
from followup.readers import read_export
from followup.validate import check

BUILDERS = [
    exports.google_forms_csv,
    exports.yandex_forms_csv,
    exports.yandex_forms_xlsx,
    exports.kobo_csv,
    exports.kobo_xlsx,
    exports.kobo_json,
    exports.excel_csv,
    exports.coding_workbook,
    exports.spss_sav,
]


def assert_draft_loads(export: Path, folder: Path) -> str:
    text = draft(export)
    saved = folder / "drafted.yaml"
    saved.write_text(text, encoding="utf-8")
    instrument = load_instrument(saved)  # loads unedited
    for table in read_export(export):
        match = match_header(table.headers, [instrument], export.name)
        assert match is not None, table.sheet
        checked = check(table, match, today=AS_OF + dt.timedelta(days=3650))
        # Only cells left empty in the export may stop a row (a form must be dated); never a guessed answer.
        assert set(checked.quarantine["check"]) <= {"timestamp_present", "exit_date_present"}, checked.quarantine
        assert len(checked.records) + checked.quarantine["_row"].nunique() == len(table.rows)
    return text


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_a_draft_of_each_format_loads_its_own_file(tmp_path: Path, builder) -> None:  # type: ignore[no-untyped-def]
    export = builder(tmp_path)
    text = assert_draft_loads(export, tmp_path)
    # No personal value of the export is written into the draft.
    for value in [*exports.NAMES, *exports.PHONES]:
        for part in value.split():
            if len(part) > 4:
                assert part not in text, part


def test_the_draft_guesses_roles_and_types(tmp_path: Path) -> None:
    text = draft(exports.google_forms_csv(tmp_path))
    assert '{role: timestamp, format: "%d.%m.%Y %H:%M:%S"}' in text
    assert "{role: full_name}" in text and "{role: phone}" in text
    assert "type: select_multiple" in text and "type: likert" in text


def test_drafts_of_the_demo_exports_load_them(tmp_path: Path, demo_corpus) -> None:
    for export in demo_corpus.inbox_files:
        text = assert_draft_loads(export, tmp_path)
        assert "kind: baseline" in text if "Завершение" in export.name else "kind: followup" in text


def test_a_file_with_no_date_gets_a_draft_that_says_what_to_add(tmp_path: Path) -> None:
    text = draft(exports.excel_unicode_text(tmp_path))
    assert "CHECK: no date column was recognised" in text


def test_the_draft_command_writes_a_file(tmp_path: Path) -> None:
    export = exports.kobo_csv(tmp_path)
    out = tmp_path / "kobo.yaml"
    done = run_cli("instrument", "draft", str(export), "--output", str(out), "--id", "kobo_followup")
    assert done.returncode == 0, done.stderr
    assert "instrument: kobo_followup" in out.read_text(encoding="utf-8")
    missing = run_cli("instrument", "draft", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr
