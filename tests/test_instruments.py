from __future__ import annotations

from pathlib import Path

import pytest

from followup.definition_files import DefinitionError
from followup.indicators import load_indicators
from followup.instruments import closest_version, load_instrument, load_instruments, match_header
from followup.resources import schemas_dir

SHIPPED = schemas_dir() / "instruments"


def test_every_shipped_definition_loads_and_the_menu_matches_its_items() -> None:
    instruments = load_instruments(SHIPPED)
    assert {i.instrument for i in instruments} >= {"case_closure", "followup_survey"}
    indicators = load_indicators([schemas_dir() / "indicators.yaml"], instruments)
    assert len(indicators) >= 5
    assert all(ind.item_codes() for ind in indicators)


def test_yes_and_no_in_yaml_stay_words() -> None:
    instruments = load_instruments(SHIPPED)
    indicators = {i.id: i for i in load_indicators([schemas_dir() / "indicators.yaml"], instruments)}
    assert indicators["child_with_mother"].positive == ["yes"]
    assert indicators["no_repeat_crisis"].event == ["yes"]


def test_an_option_with_one_label_may_omit_the_brackets() -> None:
    from followup.instruments import Item

    item = Item(code="housing", text="Где?", type="select_one", options={"own": "Своё жильё", "rent": ["Снимаю"]})
    assert item.options == {"own": ["Своё жильё"], "rent": ["Снимаю"]}
    assert item.code_answer("Своё  жильё") == [("own", None)]


def test_a_header_matches_regardless_of_case_spacing_and_yo() -> None:
    instruments = load_instruments(SHIPPED)
    survey = next(i for i in instruments if i.instrument == "followup_survey")
    headers = [h.upper().replace("Ё", "Е") + "  " for h in survey.versions[0].columns]
    match = match_header(headers, instruments)
    assert match is not None and match.instrument.instrument == "followup_survey"


def test_an_unknown_header_matches_nothing() -> None:
    assert match_header(["Вопрос 1", "Вопрос 2"], load_instruments(SHIPPED)) is None


def test_answer_labels_are_coded() -> None:
    survey = load_instrument(SHIPPED / "followup_survey.yaml")
    assert survey.item("housing").code_answer("  снимаю   ЖИЛЬЕ ") == [("rent", None)]
    assert survey.item("income").code_answer("Да") == [("yes", 1.0)]
    assert survey.item("parenting_confidence").code_answer("4") == [("4", 4.0)]
    assert survey.item("parenting_confidence").code_answer("7") is None
    assert survey.item("housing").code_answer("дворец") is None


def test_a_wrong_definition_names_the_file_and_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "instrument: x\ntitle: X\nkind: followup\nitems:\n  - {code: a, text: A, type: yes_no}\n"
        "versions:\n  - version: 1\n    columns:\n      Отметка: {role: timestamp}\n      ФИО: {role: full_name}\n"
        "      Вопрос: b\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as err:
        load_instrument(bad)
    assert "bad.yaml" in str(err.value)
    assert "unknown item 'b'" in str(err.value)


def test_an_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (SHIPPED / "followup_survey.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if "type: likert" in line)
    lines[n] = lines[n].replace("likert", "stars")
    bad.write_text("\n".join(lines), encoding="utf-8")
    index = sum(1 for line in lines[:n] if line.startswith("  - code:")) - 1
    with pytest.raises(DefinitionError, match=rf"line {n + 1}: items\.{index}\.type"):
        load_instrument(bad)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("instrument: x\nitems:\n  - code: a\n   text: b\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"bad.yaml, line 4: not valid YAML"):
        load_instrument(bad)


def test_a_home_definition_replaces_the_shipped_one(tmp_path: Path) -> None:
    text = (
        (SHIPPED / "followup_survey.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Онлайн-анкета выпускницы (катамнез)", "title: Наша анкета")
    )
    (tmp_path / "followup_survey.yaml").write_text(text, encoding="utf-8")
    instruments = {i.instrument: i for i in load_instruments(SHIPPED, tmp_path)}
    assert instruments["followup_survey"].title == "Наша анкета"


def test_an_unmatched_header_is_told_its_closest_instrument_and_the_difference() -> None:
    instruments = load_instruments(SHIPPED)
    survey = next(i for i in instruments if i.instrument == "followup_survey")
    headers = [h for h in survey.versions[0].columns if h != "Номер телефона"] + ["Ваш город"]
    hint = closest_version(headers, instruments)
    assert hint == (
        "closest is followup_survey v1: it lacks 'Номер телефона'; "
        "it has 'Ваш город', which the definition does not name"
    )


def test_answers_of_every_version_land_in_the_same_items() -> None:
    import datetime as dt

    import pandas as pd

    from followup.readers.table import ROW, RawTable
    from followup.validate import check

    instruments = load_instruments(SHIPPED)
    survey = next(i for i in instruments if i.instrument == "followup_survey")
    coded = {}
    for version in survey.versions:
        headers = list(version.columns)
        housing = next(h for h, c in version.columns.items() if c.item == "housing")
        stamp, stamp_column = next((h, c) for h, c in version.columns.items() if c.role == "timestamp")
        row = {h: "" for h in headers} | {
            stamp: dt.datetime(2026, 6, 1, 10).strftime(stamp_column.format or "%Y-%m-%d %H:%M:%S"),
            next(h for h, c in version.columns.items() if c.role == "full_name"): "Иванова Алёна",
            housing: "Снимаю жильё",
        }
        frame = pd.DataFrame([row], dtype="string")
        frame[ROW] = [2]
        match = match_header(headers, instruments)
        assert match is not None and (match.instrument.instrument, match.version.version) == (
            "followup_survey",
            version.version,
        )
        checked = check(RawTable(Path("x.csv"), None, headers, frame), match, today=dt.date(2026, 11, 1))
        coded[version.version] = checked.answers[["item", "value"]].values.tolist()
    assert len(coded) >= 2 and all(v == [["housing", "rent"]] for v in coded.values())


@pytest.mark.parametrize("fmt", ["dd.mm.yyyy", "%d.%m.%Q", "%H:%M"])
def test_a_date_format_that_cannot_read_a_date_is_refused_with_an_example(tmp_path: Path, fmt: str) -> None:
    text = (SHIPPED / "followup_survey.yaml").read_text(encoding="utf-8").replace("%d.%m.%Y %H:%M:%S", fmt, 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"is not a date format: .* e\.g\. \"%d\.%m\.%Y %H:%M:%S\""):
        load_instrument(bad)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{expect: expect_column_values_to_be_bigger, item: income}", "is not one of the checks"),
        ("{expect: expect_column_values_to_be_between, item: income, min: 0}", "not min"),
        ("{expect: expect_column_values_to_be_in_set, item: income}", "needs value_set"),
        ("{expect: expect_column_values_to_not_be_null, item: incme}", "unknown item 'incme'"),
    ],
)
def test_a_wrong_extra_expectation_is_refused_naming_the_line(tmp_path: Path, entry: str, message: str) -> None:
    definition = f"""
instrument: extra_checks
title: Анкета
kind: followup
items:
  - code: income
    text: Есть работа?
    type: yes_no
versions:
  - version: 1
    columns:
      Отметка времени: {{role: timestamp}}
      ФИО: {{role: full_name}}
      Есть работа?: income
expectations:
  - {entry}
"""
    path = tmp_path / "extra.yaml"
    path.write_text(definition, encoding="utf-8")
    with pytest.raises(DefinitionError, match=message) as err:
        load_instrument(path)
    assert "extra.yaml" in str(err.value) and "line" in str(err.value)
