"""Only your own definitions: `[definitions]` in followup.toml chooses the shipped instruments and indicators,
and the result tables show what the home's loaded forms ask, labelled as her own definitions word it.

The home below is a shelter with its own case-closure form (`priyut_closure`, not the shipped `case_closure`)
and its own monthly call (`priyut_call`), with its own item codes and one shared with a shipped item:
`programme`, with other answers («Дневное пребывание», «Круглосуточное проживание») than the shipped form's.
Its menu (`indicators.yaml` in the home) has four indicators of its own, one of them (`housing_settled`) on a
question her call asks but no export of hers has answered yet. Its grouping item `referral` is in no export
(the column is optional and the shelter never filled it in).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import AS_OF, run_cli
from results_homes import demo as demo
from results_homes import tables_of
from rich.console import Console
from test_pipeline import run_stages

from followup.definition_files import DefinitionError
from followup.demo import write_baseline_xlsx, write_followup_csv
from followup.history import tables_as_of_run
from followup.home import Home, init_home
from followup.indicators import read_menu
from followup.instruments import load_instruments
from followup.resources import schemas_dir
from followup.results import labels, render
from followup.results.breakdowns import groupings
from followup.results.disclosure import suppress
from followup.results.render import About
from followup.run import definitions

CLOSURE = """\
instrument: priyut_closure
title: Карта завершения проживания (Приют «Берег»)
kind: baseline
grouping: [programme, referral]
items:
  - code: programme
    text: Форма пребывания в приюте
    type: select_one
    options:
      day: [Дневное пребывание]
      residential: [Круглосуточное проживание]
  - code: referral
    text: Кто направил в приют
    type: select_one
    options:
      police: [Участковый]
      self: [Обратилась сама]
  - code: kept_child
    text: Ребёнок остаётся с матерью
    type: yes_no
  - code: earns
    text: Есть свой заработок
    type: yes_no
  - code: calm
    text: Насколько спокойно вы себя чувствуете
    type: likert
    scale: {min: 1, max: 5}
versions:
  - version: 1
    columns:
      Дата выхода из приюта: {role: exit_date, format: "%d.%m.%Y"}
      ФИО: {role: full_name}
      Телефон мамы: {role: phone}
      Форма пребывания: programme
      Кто направил: {item: referral, optional: true}
      Ребёнок с мамой: kept_child
      Свой заработок: earns
      Спокойствие (1–5): calm
"""
CALL = """\
instrument: priyut_call
title: Звонок выпускнице приюта «Берег»
kind: followup
items:
  - code: kept_child
    text: Ребёнок остаётся с матерью
    type: yes_no
  - code: earns
    text: Есть свой заработок
    type: yes_no
  - code: calm
    text: Насколько спокойно вы себя чувствуете
    type: likert
    scale: {min: 1, max: 5}
  - code: settled
    text: Жильё своё или снято надолго
    type: yes_no
versions:
  - version: 1
    columns:
      Дата звонка: {role: timestamp, format: "%d.%m.%Y %H:%M:%S"}
      ФИО: {role: full_name}
      Телефон мамы: {role: phone}
      Ребёнок с мамой: kept_child
      Свой заработок: earns
      Спокойствие (1–5): calm
      Жильё своё или снято надолго: {item: settled, optional: true}
"""
MENU = """\
indicators:
  - id: child_stays
    title: Ребёнок остаётся в семье
    type: state
    item: kept_child
    positive: [yes]
  - id: own_earnings
    title: Собственный заработок
    type: state
    item: earns
    positive: [yes]
  - id: calm_mind
    title: Душевное равновесие
    type: scale
    items: [calm]
    threshold: 3.5
  - id: housing_settled
    title: Жильё устроено
    type: state
    item: settled
    positive: [yes]
"""
OWN_TITLES = ["Ребёнок остаётся в семье", "Собственный заработок", "Душевное равновесие", "Жильё устроено"]
OWN_IDS = ["child_stays", "own_earnings", "calm_mind", "housing_settled"]
OWN_LABELS = ["Дневное пребывание", "Круглосуточное проживание", "Форма пребывания в приюте"]

BASELINE = ["Дата выхода из приюта", "ФИО", "Телефон мамы", "Форма пребывания", "Ребёнок с мамой", "Свой заработок",
            "Спокойствие (1–5)"]  # fmt: skip
CALL_HEADERS = ["Дата звонка", "ФИО", "Телефон мамы", "Ребёнок с мамой", "Свой заработок", "Спокойствие (1–5)"]
NAMES = [
    "Васильева Ольга Игоревна", "Тимофеева Светлана Петровна", "Орлова Марина Викторовна",
    "Соколова Анастасия Ильинична", "Лебедева Ирина Романовна", "Козлова Татьяна Сергеевна",
    "Новикова Юлия Андреевна", "Морозова Екатерина Олеговна", "Павлова Наталья Денисовна",
    "Семёнова Алина Маратовна", "Фёдорова Кристина Павловна", "Михайлова Дарья Глебовна",
]  # fmt: skip
PROGRAMME = {"day": "Дневное пребывание", "residential": "Круглосуточное проживание"}
YES_NO = {True: "Да", False: "Нет"}


def _write_home(home: Home, instruments: str, indicators: str) -> None:
    (home.root / "followup.toml").write_text(
        f'organisation = "Приют «Берег»"\n\n[definitions]\ninstruments = {instruments}\nindicators = {indicators}\n',
        encoding="utf-8",
    )
    (home.instruments / "priyut_closure.yaml").write_text(CLOSURE, encoding="utf-8")
    (home.instruments / "priyut_call.yaml").write_text(CALL, encoding="utf-8")
    (home.root / "indicators.yaml").write_text(MENU, encoding="utf-8")
    closures, calls = [], []
    for n, name in enumerate(NAMES):
        left = dt.date(2025, 1 + n % 6, 3 + n)
        phone = f"+7 913 400-22-{n:02d}"
        closures.append(
            {
                "Дата выхода из приюта": left,
                "ФИО": name,
                "Телефон мамы": phone,
                "Форма пребывания": PROGRAMME["day" if n % 2 else "residential"],
                "Ребёнок с мамой": YES_NO[n % 5 != 0],
                "Свой заработок": YES_NO[n % 3 == 0],
                "Спокойствие (1–5)": 2 + n % 3,
            }
        )
        for months, answers in ((3, n < 10), (6, n < 8)):
            if answers:
                when = left + dt.timedelta(days=round(months * 30.4375) + n % 4)
                calls.append(
                    {
                        "Дата звонка": f"{when:%d.%m.%Y} 11:15:00",
                        "ФИО": name,
                        "Телефон мамы": phone,
                        "Ребёнок с мамой": YES_NO[n % 7 != 0],
                        "Свой заработок": YES_NO[(n + months) % 2 == 0],
                        "Спокойствие (1–5)": str(3 + (n + months) % 3),
                    }
                )
    write_baseline_xlsx(home.inbox / "Берег завершение 2025.xlsx", closures, headers=BASELINE)
    write_followup_csv(home.inbox / "Берег звонки (Ответы).csv", calls, headers=CALL_HEADERS)


def _shipped_words() -> set[str]:
    """Every title, question and answer label of the shipped definitions that a home's tables could show."""
    shipped = load_instruments(schemas_dir() / "instruments")
    words = {i.title for i in read_menu(schemas_dir() / "indicators.yaml")} | {i.title for i in shipped}
    for inst in shipped:
        for item in inst.items:
            words.add(item.text)
            if item.type in ("select_one", "select_multiple"):
                words |= {label for labels in item.options.values() for label in labels if len(label) > 8}
    return words - set(labels.COLUMNS_RU.values())  # («При выходе» is a column of ours and an answer of theirs)


@pytest.fixture(scope="module", params=[("none", "none"), ("all", "all")], ids=["none", "all"])
def own_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The shelter's home, loaded and its reports written by a real run: with `[definitions]` "none" (only her
    own definitions are read) and with the default "all" (the shipped ones are read, but none of her forms is
    theirs)."""
    instruments, indicators = (f'"{v}"' for v in request.param)
    home, _ = init_home(tmp_path_factory.mktemp("own") / "home")
    _write_home(home, instruments, indicators)
    home, _ = init_home(home.root)  # (the settings as written)
    summary, _ = run_stages(home)
    assert summary.files_loaded == 2 and summary.rows_quarantined == 0, summary
    return home


def _all_text(home: Home) -> str:
    """Everything a user reads: every CSV, every cell of every workbook, the HTML report, the terminal."""
    reports = home.reports
    parts = [p.read_text(encoding="utf-8-sig") for p in sorted(reports.glob("*.csv"))]
    parts.append((reports / "report.html").read_text(encoding="utf-8"))
    for book in sorted(reports.glob("*.xlsx")):
        wb = openpyxl.load_workbook(book, read_only=True)
        parts += [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    return "\n".join(parts)


def test_her_tables_show_only_her_indicators_groupings_and_labels(own_home: Home) -> None:
    tables, _, _ = tables_of(own_home)
    assert list(dict.fromkeys(tables.by_wave["title"])) == OWN_TITLES
    assert set(tables.change["indicator"]) == set(OWN_IDS)
    settled = tables.by_wave[tables.by_wave["indicator"] == "housing_settled"]  # (asked, not yet answered)
    assert settled["answered"].tolist() == [0] * 6 and settled["eligible"].iloc[0] == 12
    assert tables.events.empty  # (none of her indicators is an event)
    # groupings: organisation, year of exit and her programme; not `referral`, which no export of hers has
    for name in ("breakdowns", "change_by_group", "events_by_group"):
        by = getattr(tables, name)
        assert set(by["group_by"]) <= {"organisation", "cohort", "programme"}, name
    breakdowns = tables.breakdowns
    assert set(breakdowns["group_by"]) == {"organisation", "cohort", "programme"}
    programme = breakdowns[breakdowns["group_by"] == "programme"]
    assert set(programme["group_title"]) == {"Форма пребывания в приюте"}
    assert set(programme["group_label"]) == {"Дневное пребывание", "Круглосуточное проживание"}
    day = programme[(programme["indicator"] == "child_stays") & (programme["wave"] == 0)].iloc[0]
    assert (day["eligible"], day["answered"]) == (12 // 2, 12 // 2)

    text = _all_text(own_home)
    leaked = sorted(w for w in _shipped_words() if w in text)
    assert not leaked, leaked
    for own in OWN_TITLES + OWN_LABELS:
        assert own in text, own
    assert "нет ответа" not in set(breakdowns["group_label"])  # (every form of hers answers `programme`)


def test_the_terminal_shows_her_indicators_and_her_groups(own_home: Home) -> None:
    done = run_cli("results", "--home", str(own_home.root), "--as-of", AS_OF.isoformat(), "--by", "programme")
    assert done.returncode == 0, done.stderr
    for own in [*OWN_TITLES, "Дневное пребывание", "Форма пребывания в приюте"]:
        assert own in done.stdout, own
    assert "Пока нечего показать для показателей: Жильё устроено." in done.stdout  # (asked, none answered yet)
    leaked = sorted(w for w in _shipped_words() if w in done.stdout)
    assert not leaked, leaked
    refused = run_cli("results", "--home", str(own_home.root), "--by", "material_help")
    assert refused.returncode != 0 and "organisation, cohort, programme" in refused.stderr


def test_as_of_her_first_run_the_tables_are_hers_too(own_home: Home) -> None:
    then, _ = tables_as_of_run(own_home, 1, AS_OF)
    now, _, _ = tables_of(own_home)
    pd.testing.assert_frame_equal(then.by_wave, now.by_wave)  # (with housing_settled: run 1 kept what is asked)
    assert list(dict.fromkeys(then.by_wave["indicator"])) == OWN_IDS
    assert set(then.breakdowns["group_by"]) == {"organisation", "cohort", "programme"}


def test_no_indicator_to_show_is_said_once_with_what_to_do(tmp_path: Path) -> None:
    home, _ = init_home(tmp_path / "home")
    _write_home(home, '"none"', '"none"')
    (home.root / "indicators.yaml").unlink()  # her forms load, but no indicator asks about them
    home, _ = init_home(home.root)
    run_stages(home)
    tables, _, _ = tables_of(home)
    assert tables.by_wave.empty and tables.breakdowns.empty and not tables.attrition.empty
    shown = suppress(tables, 5)
    console = Console(record=True, width=200)
    console.print(render.all_rich(shown, About("Приют «Берег»", AS_OF, 1)))
    out = console.export_text()
    assert out.count("Пока нечего показать") == 1 and "indicators.yaml" in out
    assert "Нет данных для этой таблицы" not in out
    assert labels.TITLES["attrition"] in out  # (who was reached does not depend on indicators)


def test_the_demo_with_every_shipped_definition_shows_every_indicator_its_forms_ask(demo: Home) -> None:
    tables, indicators, _ = tables_of(demo)
    shipped = [i.id for i in read_menu(schemas_dir() / "indicators.yaml")]
    assert [i.id for i in indicators] == shipped
    # its forms: case closures, the follow-up survey and interviews (the specialists' sheets are not in this corpus)
    asked = [
        "child_with_mother", "no_child_placement", "stable_housing", "income", "documents_and_benefits",
        "benefits_received", "no_repeat_crisis", "support_network", "safety", "parenting_competence", "independence",
    ]  # fmt: skip
    assert list(dict.fromkeys(tables.by_wave["indicator"])) == asked
    assert tables.by_wave.groupby("indicator")["answered"].sum().gt(0).all()
    assert {"programme", "material_help"} <= set(tables.breakdowns["group_by"])


# -- choosing the shipped definitions (no data needed) ----------------------------------------------------


def _settings(home: Home, text: str) -> Home:
    (home.root / "followup.toml").write_text(text, encoding="utf-8")
    return init_home(home.root)[0]


def test_init_writes_the_definitions_section_with_every_shipped_definition_on(home: Home) -> None:
    written = (home.root / "followup.toml").read_text(encoding="utf-8")
    assert '[definitions]\ninstruments = "all"\nindicators = "all"' in re.sub(r"\n#[^\n]*", "", written)
    instruments, indicators = definitions(home)
    assert len(instruments) == 9 and len(indicators) == 18


def test_a_list_chooses_shipped_instruments_and_leaves_out_what_they_cannot_score(home: Home) -> None:
    home = _settings(home, '[definitions]\ninstruments = ["case_closure", "followup_survey"]\n')
    instruments, indicators = definitions(home)
    assert [i.instrument for i in instruments] == ["case_closure", "followup_survey"]
    ids = [i.id for i in indicators]
    assert "stable_housing" in ids and "child_with_mother" in ids
    assert "child_parent_interaction" not in ids  # (scored from the specialist's protocol, switched off)
    everything = [i.id for i in read_menu(schemas_dir() / "indicators.yaml")]
    assert ids == [i for i in everything if i in ids] and len(ids) < len(everything)


def test_her_own_definitions_come_first_and_replace_shipped_ones(home: Home) -> None:
    (home.instruments / "priyut_closure.yaml").write_text(CLOSURE, encoding="utf-8")
    (home.instruments / "priyut_call.yaml").write_text(CALL, encoding="utf-8")
    (home.root / "indicators.yaml").write_text(MENU, encoding="utf-8")
    instruments, indicators = definitions(home)
    assert [i.instrument for i in instruments[:2]] == ["priyut_call", "priyut_closure"] and len(instruments) == 11
    assert [i.id for i in indicators][-4:] == OWN_IDS
    # both case-closure forms group by `programme`: titled and labelled as hers words it
    programme = next(g for g in groupings(instruments) if g.by == "programme")
    assert programme.title == "Форма пребывания в приюте"
    assert programme.labels == {"day": "Дневное пребывание", "residential": "Круглосуточное проживание"}
    home = _settings(home, '[definitions]\ninstruments = "none"\nindicators = "none"\n')
    instruments, indicators = definitions(home)
    assert [i.instrument for i in instruments] == ["priyut_call", "priyut_closure"]
    assert [i.id for i in indicators] == OWN_IDS


def test_an_unknown_id_is_an_error_naming_the_shipped_ones(home: Home) -> None:
    home = _settings(home, '[definitions]\ninstruments = ["case_closure", "katamnez"]\n')
    with pytest.raises(DefinitionError, match=r"'katamnez' is not a shipped id .*case_closure, child_parent_inter"):
        definitions(home)
    home = _settings(home, '[definitions]\nindicators = ["stable_housing", "housing"]\n')
    with pytest.raises(DefinitionError, match=r"'housing' is not a shipped id .*stable_housing"):
        definitions(home)


def test_a_listed_indicator_no_instrument_asks_about_names_the_one_to_switch_on(home: Home) -> None:
    home = _settings(
        home, '[definitions]\ninstruments = ["case_closure"]\nindicators = ["stable_housing", "no_repeat_crisis"]\n'
    )
    with pytest.raises(DefinitionError, match=r"no_repeat_crisis.*Add 'followup_interview' or 'followup_survey'"):
        definitions(home)
    done = run_cli("results", "--home", str(home.root))
    assert done.returncode != 0 and "[definitions] instruments" in done.stderr
