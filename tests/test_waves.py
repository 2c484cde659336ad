"""Placing forms in waves: months since exit at day precision, declared waves, and no silent replacement.

The rule itself (followup.waves) is checked on plain frames; then a real home loads a case-closure export and
three follow-up exports — dated only, wave in the file name, wave in a column — and the warehouse is read."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import run_cli
from test_pipeline import run_stages

from followup.warehouse import Warehouse
from followup.waves import months_since, place, tolerance

AS_OF = dt.date(2026, 11, 1)


def _forms(months: list[float], declared: list[int | None] | None = None, graduate: str = "g") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "graduate_id": graduate,
            "instrument": "survey",
            "kind": "followup",
            "months": months,
            "declared": pd.array(declared or [None] * len(months), dtype="Int64"),
        }
    )


def test_months_since_exit_count_days_not_calendar_months() -> None:
    exits = pd.Series(pd.to_datetime(["2026-01-31", "2026-02-01", "2026-03-15"]))
    answers = pd.Series(pd.to_datetime(["2026-04-02 23:10", "2026-04-04 08:00", "2026-05-16 00:00"]))
    # 61, 62 and 62 days: about 2 months each, though the calendar says 3, 2 and 2
    assert months_since(exits, answers).round(3).tolist() == [2.004, 2.037, 2.037]


def test_the_window_grows_with_the_wave_and_is_at_least_a_month() -> None:
    assert [tolerance(w, 0.25) for w in (1, 2, 3, 6, 10, 12, 24, 36)] == [1, 1, 1, 2, 3, 3, 6, 9]


def test_a_form_goes_to_the_nearest_wave_within_its_window() -> None:
    months = [1.1, 2.04, 3.1, 5.0, 14.0]  # one form each of five graduates
    forms = pd.concat([_forms([m], graduate=str(i)) for i, m in enumerate(months)], ignore_index=True)
    placed = place(forms, [2, 4, 6, 8], 0.25)
    assert placed.astype("object").where(placed.notna(), None).tolist() == [2, 2, 4, 4, None]


def test_a_second_form_in_a_wave_moves_to_a_free_wave_within_reach_and_the_nearer_stays() -> None:
    # monthly waves: 1.9 and 2.3 months both nearest 2; 1.9 is nearer and stays, 2.3 goes to the free wave 3
    assert place(_forms([2.3, 1.9]), [1, 2, 3, 4], 0.25).tolist() == [3, 2]
    # two-monthly waves: 3.1 months is nearest 4, where 4.2 is nearer; 2 is out of its reach (1.1 > 1): shared
    assert place(_forms([3.1, 4.2, 2.04]), [2, 4, 6, 8], 0.25).tolist() == [4, 4, 2]


def test_a_declared_wave_holds_its_wave_and_dated_forms_are_placed_around_it() -> None:
    # the form declared 2 keeps wave 2 though its date says 2.6; the dated form at 2.1 moves to 3
    assert place(_forms([2.6, 2.1], [2, None]), [1, 2, 3, 4], 0.25).tolist() == [2, 3]


BASELINE = """
instrument: exit_form
title: Завершение случая
kind: baseline
items:
  - code: housing
    text: Где будет жить?
    type: select_one
    options: {rent: [Снимает], own: [Своё жильё]}
versions:
  - version: 1
    columns:
      ФИО: {role: full_name}
      Дата выезда: {role: exit_date, format: "%d.%m.%Y"}
      Где будет жить?: housing
"""
CALLS = """
instrument: monthly_call
title: Ежемесячный звонок
kind: followup
items:
  - code: housing
    text: Где вы живёте?
    type: select_one
    options: {rent: [Снимаю], own: [Своё жильё]}
versions:
  - version: 1
    columns:
      Отметка времени: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Где вы живёте?: housing
  - version: 2
    file_name: "*звонок через {wave} мес*"
    columns:
      Дата звонка: {role: timestamp, format: "%d.%m.%Y"}
      ФИО выпускницы: {role: full_name}
      Где живёт сейчас?: housing
  - version: 3
    columns:
      Дата: {role: timestamp, format: "%d.%m.%Y"}
      Выпускница: {role: full_name}
      Месяц после выхода: {role: wave, waves: {Первый звонок: 1}}
      Жильё: housing
"""
EXITS = [
    "ФИО,Дата выезда,Где будет жить?",
    "Иванова Алёна Петровна,31.01.2026,Снимает",
    "Петрова Мария Ивановна,01.02.2026,Снимает",
    "Сидорова Ольга Сергеевна,15.03.2026,Своё жильё",
    "Кузнецова Анна Олеговна,28.02.2026,Снимает",
    "Смирнова Дарья Андреевна,10.01.2026,Снимает",
]
DATED = [  # Google Forms: dated only
    "Отметка времени,ФИО,Где вы живёте?",
    "02.03.2026 21:15:00,Иванова Алёна Петровна,Снимаю",  # 30 days after 31 Jan: 1 month (the calendar says 2)
    "31.03.2026 09:00:00,Петрова Мария Ивановна,Снимаю",  # 58 days: 2 months
    "16.05.2026 12:00:00,Сидорова Ольга Сергеевна,Своё жильё",  # 62 days: 2 (calendar 2)
    "27.04.2026 10:00:00,Кузнецова Анна Олеговна,Снимаю",  # 58 days: 1.9 months, nearest 2
    "10.05.2026 10:00:00,Кузнецова Анна Олеговна,Своё жильё",  # 71 days: 2.3, nearest 2 too: moves to 3
    "08.02.2026 10:00:00,Смирнова Дарья Андреевна,Снимаю",  # 29 days: 0.95 months
    "10.02.2026 10:00:00,Смирнова Дарья Андреевна,Снимаю",  # 31 days: 1.02, keeps wave 1
]
BY_NAME = [  # the wave in the file name: "через 4 мес"
    "Дата звонка,ФИО выпускницы,Где живёт сейчас?",
    "20.05.2026,Иванова Алёна Петровна,Своё жильё",  # 3.6 months, declared 4
    "20.10.2026,Петрова Мария Ивановна,Снимаю",  # 8.6 months: far from 4, quarantined
]
BY_COLUMN = [  # KoboToolbox: the wave in a column, as months or as a label
    "Дата;Выпускница;Месяц после выхода;Жильё",
    "05.06.2026;Сидорова Ольга Сергеевна;3;Своё жильё",  # 2.7 months, declared 3
    "01.03.2026;Смирнова Дарья Андреевна;Первый звонок;Снимаю",  # 1.6 months, declared 1 by its label
    "01.06.2026;Кузнецова Анна Олеговна;пятый;Снимаю",  # no wave in it: quarantined
    "01.07.2026;Петрова Мария Ивановна;7;Снимаю",  # wave 7 is not one of the home's waves
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    from followup.home import init_home

    h, _ = init_home(tmp_path_factory.mktemp("waves") / "home")
    (h.root / "followup.toml").write_text("[waves]\nmonths = [1, 2, 3, 4]\n", encoding="utf-8")
    (h.instruments / "exit_form.yaml").write_text(BASELINE, encoding="utf-8")
    (h.instruments / "monthly_call.yaml").write_text(CALLS, encoding="utf-8")
    (h.inbox / "Завершение случая.csv").write_text("\n".join(EXITS), encoding="utf-8")
    (h.inbox / "Ежемесячный звонок (Ответы).csv").write_text("\n".join(DATED), encoding="utf-8")
    (h.inbox / "Звонок через 4 мес.csv").write_text("\n".join(BY_NAME), encoding="utf-8")
    (h.inbox / "monitoring_kobo.csv").write_text("\n".join(BY_COLUMN), encoding="utf-8")
    from followup.home import open_home

    home = open_home(h.root)
    summary, _ = run_stages(home, as_of=AS_OF)
    with Warehouse(home.warehouse, read_only=True) as wh:
        forms = wh.con.execute(
            "SELECT f.file_name, r.source_row, r.wave, r.months_since_exit, r.wave_declared "
            "FROM responses r JOIN files f USING (file_id) WHERE r.kind = 'followup' ORDER BY 1, 2"
        ).df()
        quarantine = wh.quarantined(None)
        shared = wh.shared_waves()
    return home, summary, forms, quarantine, shared


def _waves(forms: pd.DataFrame, file_name: str) -> dict[int, tuple[int, int]]:
    mine = forms[forms["file_name"] == file_name]
    return {int(r.source_row): (int(r.wave), int(r.months_since_exit)) for r in mine.itertuples()}


def test_dated_forms_are_placed_by_days_since_exit(loaded) -> None:
    _, summary, forms, _, _ = loaded
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate
    assert _waves(forms, "Ежемесячный звонок (Ответы).csv") == {
        2: (1, 1),  # 30 days after 31 January: wave 1, whatever the calendar says
        3: (2, 2),
        4: (2, 2),
        5: (2, 2),  # her nearer form keeps wave 2 ...
        6: (3, 2),  # ... and her later one goes to the free wave 3
        # her KoboToolbox call declares wave 1 and holds it: 1.02 months goes to the free wave 2, and 0.95
        # months, with no free wave in reach (2 is 1.05 away), shares wave 1
        7: (1, 1),
        8: (2, 1),
    }


def test_a_declared_wave_wins_over_dates_and_a_far_one_is_quarantined_with_both_figures(loaded) -> None:
    _, _, forms, quarantine, _ = loaded
    assert _waves(forms, "Звонок через 4 мес.csv") == {2: (4, 4)}
    assert _waves(forms, "monitoring_kobo.csv") == {2: (3, 3), 3: (1, 2)}
    assert forms[forms["file_name"] != "Ежемесячный звонок (Ответы).csv"]["wave_declared"].all()
    why = {(r["file_name"], r["row"]): (r["check"], r["column"], r["reason"]) for r in quarantine.to_dict("records")}
    check, column, reason = why[("Звонок через 4 мес.csv", 3)]
    assert (check, column) == ("wave_date_mismatch", "Дата звонка")
    assert "4-month wave" in reason and "8.6 months after exit" in reason
    assert why[("monitoring_kobo.csv", 4)][:2] == ("wave_format", "Месяц после выхода")
    check, column, reason = why[("monitoring_kobo.csv", 5)]
    assert (check, column) == ("wave_unknown", "Месяц после выхода") and "(1, 2, 3, 4)" in reason


def test_forms_still_sharing_a_wave_are_listed_by_file_and_row(loaded) -> None:
    home, _, _, _, shared = loaded
    assert shared[["file_name", "row", "wave", "used"]].values.tolist() == [
        ["monitoring_kobo.csv", 3, 1, True],  # the latest (March) is the one the tables use
        ["Ежемесячный звонок (Ответы).csv", 7, 1, False],
    ]
    out = run_cli("quarantine", "--home", str(home.root)).stdout
    assert "sharing a wave" in out and "Ежемесячный звонок (Ответы).csv" in out
    status = run_cli("status", "--home", str(home.root)).stdout
    assert "2 loaded forms share their graduate, instrument and wave" in status
    for secret in ("Смирнова", "Дарья", "Снимаю"):
        assert secret not in out and secret not in status
