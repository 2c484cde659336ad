"""The demo corpus: realistic exports in the instruments' exact shape, reproducible, with a usable truth."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, DemoCorpus, generate, write_baseline_xlsx

INSTRUMENTS = Path(__file__).resolve().parents[1] / "schemas" / "instruments"
TODAY = date(2026, 11, 1)
SEED = 7
GRADUATES = 500


def _instrument(name: str) -> dict[str, object]:
    with (INSTRUMENTS / f"{name}.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, object] = yaml.safe_load(handle)
    return loaded


def _yaml_headers(name: str) -> list[str]:
    return list(_instrument(name)["versions"][0]["columns"])  # type: ignore[index]


def _yaml_labels(name: str, code: str) -> set[str]:
    items = _instrument(name)["items"]
    item = next(item for item in items if item["code"] == code)  # type: ignore[attr-defined]
    return {label for labels in item["options"].values() for label in labels}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> DemoCorpus:
    root = tmp_path_factory.mktemp("demo")
    return generate(root / "inbox", root / "truth", seed=SEED, today=TODAY, graduates=GRADUATES)


@pytest.fixture(scope="module")
def baseline(corpus: DemoCorpus) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(corpus.inbox_files[0])["Лист1"]
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture(scope="module")
def followup(corpus: DemoCorpus) -> pd.DataFrame:
    return pd.read_csv(corpus.inbox_files[1], dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def truth(corpus: DemoCorpus) -> pd.DataFrame:
    return pd.read_csv(corpus.truth_path, dtype=str, keep_default_na=False)


def test_files_exist_with_realistic_names(corpus: DemoCorpus) -> None:
    names = [path.name for path in corpus.inbox_files]
    assert names == [
        "Завершение_случая_2022-2026.xlsx",
        "Катамнез выпускниц (Ответы) - Ответы на форму (1).csv",
    ]
    assert all(path.is_file() and path.stat().st_size > 0 for path in corpus.inbox_files)
    assert corpus.truth_path.is_file()
    assert (corpus.truth_path.parent / "README.txt").read_text(encoding="utf-8").strip()


def test_headers_are_the_instruments_columns(baseline: list[tuple[object, ...]], followup: pd.DataFrame) -> None:
    assert list(baseline[0]) == _yaml_headers("case_closure") == BASELINE_HEADERS
    assert list(followup.columns) == _yaml_headers("followup_survey") == FOLLOWUP_HEADERS


def test_answer_labels_are_the_instruments_labels(baseline: list[tuple[object, ...]], followup: pd.DataFrame) -> None:
    column = {header: i for i, header in enumerate(BASELINE_HEADERS)}
    programmes = {row[column["Программа"]] for row in baseline[1:]} - {None}
    assert programmes == _yaml_labels("case_closure", "programme")  # both labels of "crisis" occur
    housing = {row[column["Жильё после выхода"]] for row in baseline[1:]} - {None}
    assert housing <= _yaml_labels("case_closure", "housing")
    assert set(followup["Где вы сейчас живёте?"]) <= _yaml_labels("followup_survey", "housing")
    assert set(followup["Ребёнок (дети) живут с вами?"]) == {"Да", "Нет"}
    assert set(followup[FOLLOWUP_HEADERS[8]]) <= {"1", "2", "3", "4", "5"}


def test_same_seed_gives_identical_files(corpus: DemoCorpus, tmp_path: Path) -> None:
    again = generate(tmp_path / "inbox", tmp_path / "truth", seed=SEED, today=TODAY, graduates=GRADUATES)
    for first, second in zip(corpus.inbox_files, again.inbox_files, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert corpus.truth_path.read_bytes() == again.truth_path.read_bytes()
    other = generate(tmp_path / "other", tmp_path / "t2", seed=SEED + 1, today=TODAY, graduates=GRADUATES)
    assert other.inbox_files[1].read_bytes() != corpus.inbox_files[1].read_bytes()


def test_one_baseline_row_per_graduate(baseline: list[tuple[object, ...]], truth: pd.DataFrame) -> None:
    rows = baseline[1:]
    assert len(rows) == GRADUATES
    assert [row[0] for row in rows] == list(range(1, GRADUATES + 1))
    kinds = {type(row[1]).__name__ for row in rows}
    assert kinds == {"datetime", "str"}  # exit dates typed as dates and as text
    assert (truth["wave"] == "0").sum() == GRADUATES
    assert set(truth.loc[truth["wave"] == "0", "answered"]) == {"1"}


def test_attrition_reaches_about_forty_percent_at_36_months(truth: pd.DataFrame) -> None:
    answered = truth.assign(answered=truth["answered"].astype(int)).groupby("wave")["answered"]
    due, reached = answered.count(), answered.mean()
    assert due["36"] >= 50  # the 36-month wave is due for a real part of the cohort
    assert 0.3 <= reached["36"] <= 0.5
    assert reached["3"] > reached["12"] > reached["36"]


def test_truth_matches_the_form_answers(truth: pd.DataFrame, followup: pd.DataFrame) -> None:
    answered = truth[(truth["answered"] == "1") & (truth["wave"] != "0")]
    unanswered = truth[truth["answered"] == "0"]
    assert (unanswered[["child_with_mother", "housing", "parenting_confidence"]] == "").all().all()
    assert set(answered["submitted_at"]) <= set(followup["Отметка времени"])
    again = followup[~followup["Отметка времени"].isin(answered["submitted_at"])]
    assert len(followup) - len(again) == len(answered)
    assert 0 < len(again) < 0.05 * len(followup)  # a few double submissions, each a copy of an answer
    first = followup[followup["Отметка времени"].isin(answered["submitted_at"])]
    bodies = {tuple(row) for row in first.drop(columns="Отметка времени").itertuples(index=False)}
    assert all(tuple(row) in bodies for row in again.drop(columns="Отметка времени").itertuples(index=False))


def test_some_timestamps_have_a_single_digit_hour(followup: pd.DataFrame) -> None:
    stamps = followup["Отметка времени"]
    assert stamps.str.fullmatch(r"\d\d\.\d\d\.\d{4} \d{1,2}:\d\d:\d\d").all()
    assert stamps.str.fullmatch(r"\d\d\.\d\d\.\d{4} \d:\d\d:\d\d").any()


def _digits(phone: object) -> str:
    return re.sub(r"\D", "", str(phone))[-10:]


def test_follow_up_names_are_written_differently(baseline: list[tuple[object, ...]], followup: pd.DataFrame) -> None:
    by_phone = {_digits(row[4]): str(row[2]) for row in baseline[1:]}
    typed_names = zip(followup["Номер телефона"], followup["Ваши фамилия, имя и отчество"], strict=True)
    pairs = [(by_phone[_digits(phone)], name) for phone, name in typed_names]
    differ = [(base, typed) for base, typed in pairs if base != typed]
    assert differ
    assert any(typed == base.lower() for base, typed in differ)

    def normalised(name: str) -> list[str]:
        return sorted(name.lower().replace("ё", "е").split())

    assert all(normalised(base) == normalised(typed) for base, typed in pairs)  # clean by default


def test_messy_only_touches_names(corpus: DemoCorpus, followup: pd.DataFrame, tmp_path: Path) -> None:
    messy = generate(tmp_path / "in", tmp_path / "truth", seed=SEED, today=TODAY, graduates=GRADUATES, messy=True)
    frame = pd.read_csv(messy.inbox_files[1], dtype=str, keep_default_na=False)
    name = "Ваши фамилия, имя и отчество"
    pd.testing.assert_frame_equal(frame.drop(columns=name), followup.drop(columns=name))
    changed = (frame[name] != followup[name]).mean()
    assert 0.08 < changed < 0.25
    assert messy.truth_path.read_bytes() == corpus.truth_path.read_bytes()


def test_writer_keeps_planted_text_literal(tmp_path: Path) -> None:
    path = write_baseline_xlsx(tmp_path / "x.xlsx", [{"ФИО выпускницы": "=Канарейкина Ольга", "№": 1}])
    row = next(openpyxl.load_workbook(path)["Лист1"].iter_rows(min_row=2, values_only=True))
    assert row[:3] == (1, None, "=Канарейкина Ольга")
    with pytest.raises(ValueError, match="not in the headers"):
        write_baseline_xlsx(tmp_path / "y.xlsx", [{"Имя": "x"}])
