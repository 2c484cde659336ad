"""Nothing lost, provably: a file whose rows do not add up (read = loaded + quarantined + duplicates) is
not kept at all, the run fails loudly and the export stays in the inbox for the next run."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import AS_OF

from followup.load import CountMismatch
from followup.run import Run
from followup.warehouse import Warehouse


def test_a_file_whose_counts_do_not_add_up_fails_the_run_and_leaves_no_trace(demo_home) -> None:
    with pytest.raises(CountMismatch, match=r"read \d+ rows but loaded"), Run.open(demo_home.root, as_of=AS_OF) as run:
        exports = run.discover()
        export = next(e for e in exports if e.name.startswith("Завершение_случая"))
        tables = run.read(export)
        assert tables is not None
        checked = run.validate(export, tables)
        assert checked is not None
        # As if a stage had lost a row: the table claims one more row than it carries.
        lossy = [replace(checked[0], rows_read=checked[0].rows_read + 1), *checked[1:]]
        run.load(run.anonymise(export, lossy))
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        counts = [wh.con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("graduates", "responses", "files")]
        status, message = wh.con.execute("SELECT status, message FROM runs").fetchone() or ("", "")
    assert counts == [(0,), (0,), (0,)]
    assert status == "failed" and "CountMismatch" in message
    assert (demo_home.inbox / export.path.name).is_file()  # not filed: the next run reads it again
