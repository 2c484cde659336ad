"""Homes the result-table tests compute from, each built once per session through the real pipeline.

* `demo`: the demo corpus (120 graduates, seed 7) loaded as it is, with its ground truth beside it.
* `small`: nine graduates whose every answer is written below, so a test can state by hand what each table
  must hold: a wave nobody answered (6), a wave with one pair only (12), a scale asked at exit (the home's
  own case-closure form adds «Уверенность в себе как мама»), events reported and censored.
* `late`: the same nine graduates, whose forms are answered late (a 3-month form in month 4, ...), so that
  a test can tell counting by wave from counting by months since exit.

A test module takes them as fixtures (`demo`, `small`, and their tables `demo_tables`, `small_tables`),
imported as themselves (`from results_homes import demo as demo`) so that pytest finds them and ruff keeps
the import. `demo_loaded` makes a fresh demo home of a test's own, to change.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import AS_OF
from test_pipeline import run_stages

from followup.demo import FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv
from followup.home import Home, init_home
from followup.indicators import Indicator
from followup.instruments import Instrument
from followup.results.tables import ResultTables, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse

_BUILT: dict[str, Home] = {}

CONFIDENCE = "Уверенность в себе как мама (1–5)"
BASELINE = [
    "Дата завершения случая", "ФИО выпускницы", "Телефон", "Программа", "Материальная помощь при выходе",
    "Ребёнок проживает с мамой", "Жильё после выхода", "Работа или доход", CONFIDENCE,
]  # fmt: skip
# The home's own case-closure form: the shipped one's grouping items and states, plus a Likert item that the
# follow-up survey asks too, so that a scale has a value at exit.
CASE_CLOSURE = f"""
instrument: case_closure
title: Анкета завершения случая (с самооценкой)
kind: baseline
grouping: [programme, material_help]
items:
  - code: programme
    text: Программа, по которой проживала
    type: select_one
    options:
      shelter: [Социальный приют]
      crisis: [Кризисное отделение]
      halfway: [Социальная квартира]
  - code: material_help
    text: Получена материальная помощь при выходе
    type: yes_no
  - code: child_with_mother
    text: Ребёнок проживает с мамой
    type: yes_no
  - code: housing
    text: Жильё после выхода
    type: select_one
    options:
      own: [Собственное жильё]
      rent: [Съёмное жильё]
      relatives: [У родственников]
      dormitory: [Общежитие]
      shelter: [Приют или кризисный центр]
      none: [Нет жилья]
  - code: income
    text: Есть работа или постоянный доход
    type: yes_no
  - code: parenting_confidence
    text: Насколько уверена в себе как мама
    type: likert
    scale: {{min: 1, max: 5}}
versions:
  - version: 1
    columns:
      Дата завершения случая: {{role: exit_date, format: "%d.%m.%Y"}}
      ФИО выпускницы: {{role: full_name}}
      Телефон: {{role: phone}}
      Программа: programme
      Материальная помощь при выходе: material_help
      Ребёнок проживает с мамой: child_with_mother
      Жильё после выхода: housing
      Работа или доход: income
      "{CONFIDENCE}": parenting_confidence
"""

PROGRAMME = {"shelter": "Социальный приют", "crisis": "Кризисное отделение", "halfway": "Социальная квартира", "": ""}
HOUSING_AT_EXIT = {
    "rent": "Съёмное жильё", "none": "Нет жилья", "dormitory": "Общежитие", "own": "Собственное жильё",
    "relatives": "У родственников", "shelter": "Приют или кризисный центр",
}  # fmt: skip
HOUSING_LATER = {
    "rent": "Снимаю жильё", "none": "Нет постоянного жилья", "dormitory": "Общежитие", "own": "Собственное жильё",
    "relatives": "У родственников", "shelter": "В приюте или кризисном центре",
}  # fmt: skip
YES_NO = {"yes": "Да", "no": "Нет", "": ""}

# name, exit date, (programme, material help, child with mother, housing, income, confidence) at exit
GRADUATES = [
    ("Абрамова Анна Петровна", dt.date(2025, 1, 15), ("shelter", "yes", "yes", "rent", "no", 2)),
    ("Белова Вера Ивановна", dt.date(2025, 1, 20), ("shelter", "no", "yes", "none", "no", 3)),
    ("Волкова Галина Олеговна", dt.date(2025, 1, 9), ("crisis", "yes", "no", "dormitory", "yes", 4)),
    ("Громова Дарья Сергеевна", dt.date(2025, 1, 28), ("crisis", "yes", "yes", "own", "no", 3)),
    ("Демина Елена Андреевна", dt.date(2025, 1, 3), ("", "no", "yes", "relatives", "no", 2)),
    ("Ершова Жанна Викторовна", dt.date(2025, 1, 11), ("shelter", "yes", "yes", "none", "yes", 5)),
    ("Жукова Зоя Павловна", dt.date(2024, 3, 10), ("halfway", "no", "yes", "rent", "no", 3)),
    ("Зайцева Инна Юрьевна", dt.date(2024, 3, 22), ("shelter", "yes", "no", "shelter", "no", 1)),
    ("Исаева Клара Денисовна", dt.date(2026, 10, 5), ("crisis", "yes", "yes", "rent", "yes", 4)),
]
# graduate (index), wave, answer date, (child with mother, housing, income, repeat crisis, support, confidence)
FOLLOW_UPS = [
    (0, 3, dt.date(2025, 4, 20), ("yes", "rent", "yes", "no", "yes", 4)),
    (1, 3, dt.date(2025, 4, 21), ("yes", "rent", "yes", "yes", "no", 3)),
    (2, 3, dt.date(2025, 4, 22), ("yes", "dormitory", "yes", "no", "yes", 5)),
    (3, 3, dt.date(2025, 4, 23), ("yes", "own", "yes", "no", "yes", 2)),
    (4, 3, dt.date(2025, 4, 24), ("yes", "relatives", "yes", "no", "no", 4)),
    (5, 3, dt.date(2025, 4, 25), ("yes", "rent", "no", "no", "yes", 4)),
    (6, 3, dt.date(2024, 6, 11), ("yes", "rent", "yes", "no", "yes", 5)),
    (7, 3, dt.date(2024, 6, 12), ("no", "none", "no", "no", "no", 3)),
    # nobody answers at 6 months; one graduate at 12, one at 24
    (0, 12, dt.date(2026, 1, 18), ("yes", "own", "yes", "no", "yes", 5)),
    (6, 24, dt.date(2026, 3, 14), ("yes", "own", "yes", "yes", "yes", 4)),
]
SMALL_WAVES = [3, 6, 12, 24, 36]
# The same graduates, whose forms come late (each placed in the wave written first, by the window rule):
# repeat crises reported in a 3-month form answered in month 4 (Belova), a 6-month one in month 7 (Gromova),
# a 12-month one in month 13 (Abramova) and a 24-month one in month 25 (Zhukova); Volkova's on time.
LATE_FOLLOW_UPS = [
    (0, 3, dt.date(2025, 5, 10), ("yes", "rent", "yes", "no", "yes", 4)),
    (0, 12, dt.date(2026, 2, 10), ("yes", "own", "yes", "yes", "yes", 5)),
    (1, 3, dt.date(2025, 5, 25), ("yes", "rent", "yes", "yes", "no", 3)),
    (2, 3, dt.date(2025, 4, 22), ("yes", "dormitory", "yes", "yes", "yes", 5)),
    (3, 3, dt.date(2025, 5, 2), ("yes", "own", "yes", "no", "yes", 2)),
    (3, 6, dt.date(2025, 8, 15), ("yes", "own", "yes", "yes", "yes", 3)),
    (4, 3, dt.date(2025, 4, 24), ("yes", "relatives", "yes", "no", "no", 4)),
    (5, 3, dt.date(2025, 5, 25), ("yes", "rent", "no", "no", "yes", 4)),
    (5, 6, dt.date(2025, 7, 20), ("yes", "rent", "yes", "no", "yes", 4)),
    (5, 12, dt.date(2026, 2, 10), ("yes", "rent", "yes", "no", "yes", 4)),
    (6, 3, dt.date(2024, 7, 11), ("yes", "rent", "yes", "no", "yes", 5)),
    (6, 24, dt.date(2026, 4, 14), ("yes", "own", "yes", "yes", "yes", 4)),
    (7, 3, dt.date(2024, 6, 12), ("no", "none", "no", "no", "no", 3)),
]


def _phone(n: int) -> str:
    return f"+7 912 000-11-{n:02d}"


def _write_small_exports(home: Home, follow_ups: list[tuple] = FOLLOW_UPS) -> None:  # type: ignore[type-arg]
    (home.instruments / "case_closure.yaml").write_text(CASE_CLOSURE, encoding="utf-8")
    baseline = []
    for n, (name, left, (programme, helped, child, housing, income, confidence)) in enumerate(GRADUATES):
        baseline.append(
            {
                "Дата завершения случая": left,
                "ФИО выпускницы": name,
                "Телефон": _phone(n),
                "Программа": PROGRAMME[programme] or None,
                "Материальная помощь при выходе": YES_NO[helped],
                "Ребёнок проживает с мамой": YES_NO[child],
                "Жильё после выхода": HOUSING_AT_EXIT[housing],
                "Работа или доход": YES_NO[income],
                CONFIDENCE: confidence,
            }
        )
    write_baseline_xlsx(home.inbox / "завершение случая.xlsx", baseline, headers=BASELINE)
    h = FOLLOWUP_HEADERS
    rows: list[dict[str, object]] = []
    for n, _, when, (child, housing, income, crisis, support, confidence) in follow_ups:
        rows.append(
            {
                h[0]: f"{when:%d.%m.%Y} 19:30:00",
                h[1]: GRADUATES[n][0],
                h[2]: _phone(n),
                h[3]: YES_NO[child],
                h[4]: HOUSING_LATER[housing],
                h[5]: YES_NO[income],
                h[6]: YES_NO[crisis],
                h[7]: YES_NO[support],
                h[8]: str(confidence),
            }
        )
    write_followup_csv(home.inbox / "Анкета выпускниц (Ответы).csv", rows)


def load_and_score(home: Home, as_of: dt.date = AS_OF) -> None:
    """The nightly flow's stages on the home's inbox, as tests/test_pipeline.py runs them."""
    run_stages(home, as_of=as_of)


def _copy_demo_exports(home: Home, inbox_files: list[Path]) -> None:
    for path in inbox_files:
        shutil.copyfile(path, home.inbox / path.name)


def demo_loaded(base: Path, inbox_files: list[Path]) -> Home:
    """A new home under `base` with copies of the demo exports, loaded and scored (a test's own, to change)."""
    home, _ = init_home(base / "home")
    _copy_demo_exports(home, inbox_files)
    load_and_score(home)
    return home


def _build(name: str, factory: pytest.TempPathFactory, fill: Callable[[Home], None]) -> Home:
    if name not in _BUILT:
        home, _ = init_home(factory.mktemp(f"results-{name}") / "home")
        fill(home)
        summary, _ = run_stages(home, as_of=AS_OF)
        assert summary.files_loaded >= 2 and summary.rows_quarantined == 0, summary
        _BUILT[name] = home
    return _BUILT[name]


def demo_home(factory: pytest.TempPathFactory, corpus) -> Home:  # type: ignore[no-untyped-def]
    """The demo corpus's home, loaded once per session (read it, do not change it)."""
    return _build("demo", factory, lambda home: _copy_demo_exports(home, corpus.inbox_files))


def small_home(factory: pytest.TempPathFactory) -> Home:
    """The nine graduates above, loaded once per session (read it, do not change it)."""
    return _build("small", factory, _write_small_exports)


def late_home(factory: pytest.TempPathFactory) -> Home:
    """The nine graduates with LATE_FOLLOW_UPS, loaded once per session (read it, do not change it)."""
    return _build("late", factory, lambda home: _write_small_exports(home, LATE_FOLLOW_UPS))


def tables_of(home: Home, waves: list[int] | None = None) -> tuple[ResultTables, list[Indicator], list[Instrument]]:
    """compute_tables on the home's warehouse as of AS_OF, with its own definitions."""
    instruments, indicators = definitions(home)
    with Warehouse(home.warehouse, read_only=True) as wh:
        tables = compute_tables(wh, indicators, waves or home.settings.waves.months, AS_OF, instruments=instruments)
    return tables, indicators, instruments


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_corpus) -> Home:  # type: ignore[no-untyped-def]
    """The demo corpus's home (`demo_home`): read it, do not change it."""
    return demo_home(tmp_path_factory, demo_corpus)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The nine graduates' home (`small_home`): read it, do not change it."""
    return small_home(tmp_path_factory)


@pytest.fixture(scope="module")
def late(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The nine graduates' home with late forms (`late_home`): read it, do not change it."""
    return late_home(tmp_path_factory)


@pytest.fixture(scope="module")
def demo_tables(tmp_path_factory: pytest.TempPathFactory, demo_corpus) -> ResultTables:  # type: ignore[no-untyped-def]
    """Every result table of the demo home with its settings' waves, computed once for the module (read them)."""
    return tables_of(demo_home(tmp_path_factory, demo_corpus))[0]


@pytest.fixture(scope="module")
def small_tables(tmp_path_factory: pytest.TempPathFactory) -> ResultTables:
    """Every result table of the nine graduates' home, computed once for the module (read them)."""
    return tables_of(small_home(tmp_path_factory))[0]


def months_between(since: dt.date, until: dt.date) -> int:
    """Calendar months from one month to another (the warehouse's months since exit)."""
    return (until.year - since.year) * 12 + until.month - since.month


def truth_follow_time(truth: pd.DataFrame, item: str, codes: set[str]) -> pd.DataFrame:
    """person, wave, observed from the ground truth: the wave of her first form answering the item with one of
    `codes`, else of her last form answering it; 0 when she never answered it after exit. The wave is the
    form's own (the one it was sent as), however late it was answered."""
    answered = truth[(truth["answered"] == "1") & (truth[item] != "") & (truth["wave"] > 0)].copy()
    answered["hit"] = answered[item].isin(codes)
    first = answered[answered["hit"]].groupby("person")["wave"].min()
    last = answered.groupby("person")["wave"].max()
    people = pd.Index(truth["person"].unique(), name="person")
    waves = first.reindex(people).fillna(last.reindex(people)).fillna(0).astype(int)
    return pd.DataFrame({"wave": waves, "observed": first.reindex(people).notna()}).reset_index()
