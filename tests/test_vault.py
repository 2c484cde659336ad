"""The contact vault: encrypted with a key derived from the home's secret.key, holding names and phones
that the warehouse never does; refused when it is missing or does not open with the home's key."""

from __future__ import annotations

import pytest
from conftest import AS_OF
from test_pipeline import run_stages

from followup import keys
from followup.run import Run
from followup.warehouse import Warehouse, WarehouseError


def test_the_vault_holds_the_names_encrypted_and_the_warehouse_none(demo_home, demo_corpus) -> None:
    run_stages(demo_home)
    vault = demo_home.vault
    assert vault.stat().st_mode & 0o777 == 0o600
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        wh.attach_vault(vault, keys.vault_key(keys.load_key(demo_home.secret_key)))
        names = [n for (n,) in wh.con.execute("SELECT full_name FROM vault.contacts WHERE recorded").fetchall()]
        phones = [p for (p,) in wh.con.execute("SELECT phone FROM vault.contacts WHERE phone <> ''").fetchall()]
    assert len(names) == 120 and len(phones) > 100
    data = vault.read_bytes()
    assert not [n for n in names[:30] if n.split()[0].encode() in data]  # no surname in the file's bytes
    assert not [p for p in phones[:30] if p.encode() in data]


def test_a_run_refuses_a_missing_vault_or_one_another_key_made(demo_home) -> None:
    run_stages(demo_home)
    vault = demo_home.vault
    moved = vault.with_name("vault-backup.duckdb")
    vault.rename(moved)
    with pytest.raises(WarehouseError, match=r"contact vault .* is missing"), Run.open(demo_home.root, as_of=AS_OF):
        pass
    moved.rename(vault)
    with Warehouse(demo_home.warehouse) as wh, pytest.raises(WarehouseError, match="does not open with this home"):
        wh.attach_vault(vault, keys.vault_key(b"\x01" * 32))


def test_a_new_nights_data_never_renames_a_graduate(demo_home, demo_corpus, tmp_path) -> None:
    run_stages(demo_home)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        before = dict(wh.con.execute("SELECT response_id, graduate_id FROM responses").fetchall())
    # The next night: the same women answer again in a new export (the cumulative Google Form, re-sent).
    for path in demo_corpus.inbox_files:
        if "(2)" in path.name:
            (demo_home.inbox / f"next night {path.name}").write_bytes(path.read_bytes() + b"\n")
    run_stages(demo_home)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        after = dict(wh.con.execute("SELECT response_id, graduate_id FROM responses").fetchall())
    assert {r: after[r] for r in before} == before


def test_no_name_phone_or_email_the_vault_holds_is_found_anywhere_else(demo_home) -> None:
    import re

    from conftest import run_cli

    run_stages(demo_home)
    done = run_cli("check-pii", "--from-vault", "--home", str(demo_home.root))
    assert done.returncode == 0, done.stdout + done.stderr
    given = re.search(r"No planted value \((\d+) given\)", done.stdout)
    assert given is not None and int(given[1]) > 300  # 120 names, their surnames, phones and e-mails
    # The scan does find one when it is there: a graduate's phone written into a report.
    from followup import keys
    from followup.warehouse import Warehouse

    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        wh.attach_vault(demo_home.vault, keys.vault_key(keys.load_key(demo_home.secret_key)))
        (phone,) = wh.con.execute("SELECT phone FROM vault.contacts WHERE phone <> '' LIMIT 1").fetchone() or ("",)
    (demo_home.reports / "note.txt").write_text(f"перезвонить {phone}", encoding="utf-8")
    found = run_cli("check-pii", "--from-vault", "--home", str(demo_home.root))
    assert found.returncode == 1 and phone not in found.stdout
