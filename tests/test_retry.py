"""After a run: exports are filed (processed/, rejected/ with a .why.txt), and once a definition is fixed,
`--retry-quarantine` reads the rejected exports and the quarantined rows again, through the real flow."""

from __future__ import annotations

import pytest
from conftest import AS_OF

from followup.warehouse import Warehouse

pytestmark = pytest.mark.slow

DEFINITION = """
instrument: shelter_survey
title: Анкета выпускницы
kind: followup
items:
  - code: housing
    text: Где вы живёте?
    type: select_one
    options:
      rent: [Снимаю жильё]
      own: [Своё жильё]
versions:
  - version: 1
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Дата выезда: {role: exit_date, format: "%d.%m.%Y"}
      Где вы живёте?: housing
"""
SURVEY = [
    "Отметка времени,ФИО,Дата выезда,Где вы живёте?",
    "15.04.2026 10:00:00,Иванова Алёна,10.01.2026,Снимаю жильё",
    "16.04.2026 10:00:00,Петрова Мария,12.01.2026,У родственников",  # not a defined answer yet
    "17.04.2026 10:00:00,Сидорова Ольга,15.01.2026,У родственников",
    "18.04.2026 10:00:00,Кузнецова Анна,20.01.2026,Во дворце",  # stays wrong
]
OTHER = ["Дата,Имя,Вопрос", "15.04.2026,Анна,Да"]  # a form no definition describes yet


def _books(home):  # type: ignore[no-untyped-def]
    with Warehouse(home.warehouse, read_only=True) as wh:
        files = {
            r[0]: r[1:]
            for r in wh.con.execute(
                "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined, rows_duplicate, stored_as "
                "FROM files"
            ).fetchall()
        }
        waiting = wh.quarantined(None, waiting=True)
        log = wh.con.execute(
            "SELECT run_id, file_name, action, rows_read, rows_loaded, rows_quarantined, rows_duplicate "
            "FROM run_log ORDER BY run_id, file_name"
        ).fetchall()
    return files, waiting, log


def test_files_are_filed_and_a_fixed_definition_lets_the_retry_load_what_waited(prefect_harness, home) -> None:
    from flows.nightly import nightly

    (home.instruments / "survey.yaml").write_text(DEFINITION, encoding="utf-8")
    (home.inbox / "survey.csv").write_text("\n".join(SURVEY) + "\n", encoding="utf-8")
    (home.inbox / "другая анкета.csv").write_text("\n".join(OTHER) + "\n", encoding="utf-8")

    first = nightly(home=str(home.root), as_of=AS_OF)
    assert (first.rows_loaded, first.rows_quarantined, first.files_rejected) == (1, 3, 1)
    rejected = home.inbox / "rejected"
    assert sorted(p.name for p in rejected.iterdir()) == ["другая анкета.csv", "другая анкета.csv.why.txt"]
    why = (rejected / "другая анкета.csv.why.txt").read_text(encoding="utf-8")
    assert "match no instrument" in why and "--retry-quarantine" in why and "Анна" not in why
    files, waiting, _ = _books(home)
    assert files["survey.csv"][:5] == ("loaded", 4, 1, 3, 0)
    assert (home.inbox / files["survey.csv"][5]).is_file() and not (home.inbox / "survey.csv").exists()
    assert sorted(set(waiting["row"])) == [3, 4, 5]

    # The M&E officer adds the missing answer and a definition for the other form, then retries.
    own = "      own: [Своё жильё]\n"
    fixed = DEFINITION.replace(own, own + "      family: [У родственников]\n")
    (home.instruments / "survey.yaml").write_text(fixed, encoding="utf-8")
    other = """
instrument: short_form
title: Короткая анкета
kind: followup
items:
  - {code: ok, text: Вопрос, type: yes_no}
versions:
  - version: 1
    columns:
      Дата: {role: timestamp, format: "%d.%m.%Y"}
      Имя: {role: full_name}
      Вопрос: ok
"""
    (home.instruments / "short.yaml").write_text(other, encoding="utf-8")
    second = nightly(home=str(home.root), as_of=AS_OF, retry_quarantine=True)

    assert second.rows_retried == 3
    assert not any(rejected.iterdir())  # the rejected export was read again (its row waits: unknown woman)
    files, waiting, log = _books(home)
    assert files["survey.csv"][:5] == ("loaded", 4, 3, 1, 0)  # the running totals still add up
    assert files["другая анкета.csv"][0] == "loaded"
    assert sorted(set(zip(waiting["file_name"], waiting["row"], strict=True))) == [
        ("survey.csv", 5),
        ("другая анкета.csv", 2),
    ]
    # What each run did with each file; every line adds up.
    assert (2, "survey.csv", "retried", 3, 2, 1, 0) in log
    assert (1, "другая анкета.csv", "rejected", 0, 0, 0, 0) in log
    assert all(read == loaded + quarantined + dup for *_, read, loaded, quarantined, dup in log)

    third = nightly(home=str(home.root), as_of=AS_OF, retry_quarantine=True)  # nothing changed: nothing moves
    assert (third.rows_retried, third.rows_loaded) == (2, 0)
    assert _books(home)[0]["survey.csv"][:5] == ("loaded", 4, 3, 1, 0)
