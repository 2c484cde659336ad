"""The demo corpus: three organisations' exports in mixed formats, each recognised as the instrument version
it stands for, reproducible, with a truth that says whose answer every row holds."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from followup.anonymise.identity import normalise_name
from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, DemoCorpus, generate, write_baseline_xlsx
from followup.demo.kobo import KOBO_JSON_FORM
from followup.demo.organisations import YANDEX_FORM
from followup.instruments import Match, load_instruments, match_header
from followup.readers import RawTable, read_export

INSTRUMENTS = Path(__file__).resolve().parents[1] / "schemas" / "instruments"
TODAY = date(2026, 11, 1)
SEED = 7
GRADUATES = 500
NAME_ROLE = "full_name"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> DemoCorpus:
    root = tmp_path_factory.mktemp("demo")
    return generate(root / "inbox", root / "truth", seed=SEED, today=TODAY, graduates=GRADUATES)


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def files(corpus: DemoCorpus) -> pd.DataFrame:
    return _csv(corpus.files_path).set_index("file")


@pytest.fixture(scope="module")
def truth(corpus: DemoCorpus) -> pd.DataFrame:
    return _csv(corpus.truth_path)


@pytest.fixture(scope="module")
def rows(corpus: DemoCorpus) -> pd.DataFrame:
    return _csv(corpus.rows_path)


def _read(corpus: DemoCorpus) -> dict[str, tuple[RawTable, Match | None]]:
    instruments = load_instruments(INSTRUMENTS)
    found = {}
    for path in corpus.inbox_files:
        (table,) = read_export(path)
        found[path.name] = (table, match_header(table.headers, instruments, path.name))
    return found


@pytest.fixture(scope="module")
def tables(corpus: DemoCorpus) -> dict[str, tuple[RawTable, Match | None]]:
    return _read(corpus)


def _name_header(match: Match | None) -> str:
    assert match is not None
    return next(h for h, c in match.columns.items() if c.role == NAME_ROLE)


def test_three_organisations_send_their_exports_in_mixed_formats(corpus: DemoCorpus, files: pd.DataFrame) -> None:
    assert [path.name for path in corpus.inbox_files] == list(files.index)
    assert all(path.is_file() and path.stat().st_size > 0 for path in corpus.inbox_files)
    kinds = set(zip(files["organisation"], files["format"], files["instrument"], files["version"], strict=True))
    assert (YANDEX_FORM, KOBO_JSON_FORM[:2]) == (("followup_survey", 3), ("followup_interview", 2))
    assert kinds == {
        ("Дом для мамы", "XLSX (Excel)", "case_closure", "1"),
        ("Дом для мамы", "CSV (Google Forms)", "followup_survey", "1"),
        ("Дом для мамы", "CSV (Google Forms)", "followup_survey", "2"),
        ("Кризисный центр „Надежда“", "CSV (Excel, Windows-1251, ;)", "case_closure", "2"),
        ("Кризисный центр „Надежда“", "XLSX (Yandex Forms)", "followup_survey", "3"),
        ("Приют „Маленькая страна“", "XLSX (Excel)", "case_closure", "2"),
        ("Приют „Маленькая страна“", "CSV (KoboToolbox)", "followup_interview", "1"),
        ("Приют „Маленькая страна“", "JSON (KoboToolbox API)", "followup_interview", "2"),
    }
    assert (corpus.truth_path.parent / "README.txt").read_text(encoding="utf-8").strip()


def test_every_export_is_read_and_matched_to_its_instrument_version(
    tables: dict[str, tuple[RawTable, Match | None]], files: pd.DataFrame, rows: pd.DataFrame
) -> None:
    for name, (table, match) in tables.items():
        assert match is not None, name
        intended = files.loc[name]
        assert match.instrument.instrument == intended["instrument"], name
        assert str(match.version.version) == intended["version"], name
        assert len(table.rows) == int(intended["rows"]), name
        assert list(table.rows["_row"]) == [int(r) for r in rows.loc[rows["file"] == name, "row"]], name


def test_every_answer_is_one_the_definition_knows(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    for name, (table, match) in tables.items():
        assert match is not None
        for header, column in match.columns.items():
            if column.item:
                item = match.instrument.item(column.item)
                values = set(table.rows[header]) - {""}
                assert values, (name, header)
                assert all(item.code_answer(value) is not None for value in values), (name, header, values)


def test_exports_carry_some_optional_columns_and_leave_others_out(
    tables: dict[str, tuple[RawTable, Match | None]],
) -> None:
    optional = {
        name: {h for h, c in match.columns.items() if c.optional} for name, (_, match) in tables.items() if match
    }
    assert "Организация" in optional["Завершение_случая_2022-2026.xlsx"]
    assert "№" not in optional["Завершение случая КЦ Надежда.csv"]
    assert "Комментарий специалиста" not in optional["Маленькая страна - Завершение случая.xlsx"]
    yandex = tables["Анкета выпускницы КЦ Надежда - ответы.xlsx"][0]
    assert yandex.headers[0] == "ID" and "Что бы вы хотели рассказать нам?" not in yandex.headers


def test_each_graduate_has_one_case_closure_record_with_her_organisation(
    tables: dict[str, tuple[RawTable, Match | None]], files: pd.DataFrame, truth: pd.DataFrame
) -> None:
    closures = files[files["instrument"] == "case_closure"]
    assert closures["rows"].astype(int).sum() == GRADUATES == (truth["wave"] == "0").sum()
    for name, organisation in closures["organisation"].items():
        assert set(tables[str(name)][0].rows["Организация"]) == {organisation}
    a, b, c = (tables[str(name)][0].rows for name in closures.index)
    assert a["Дата завершения случая"].str.fullmatch(r"\d{4}-\d\d-\d\d").any()  # a date cell
    assert a["Дата завершения случая"].str.fullmatch(r"\d\d\.\d\d\.\d{4}").any()  # typed as text
    assert b["Срок проживания, мес."].str.contains(",").any()  # Excel's decimal comma
    assert set(c["Количество детей"]) <= {"", "1", "2", "3", "4", "5"}
    programmes = set(a["Программа"]) | set(b["Программа"]) | set(c["Программа"])
    assert {"Кризисное отделение", "Кризисный центр"} <= programmes  # both labels of one answer


def test_the_excel_csv_is_windows_1251_with_a_title_line(corpus: DemoCorpus) -> None:
    path = next(p for p in corpus.inbox_files if p.name == "Завершение случая КЦ Надежда.csv")
    lines = path.read_bytes().decode("cp1251").splitlines()
    assert lines[0].startswith("Выпускницы КЦ «Надежда»") and lines[0].endswith(";;;")
    assert lines[1].split(";")[:2] == ["Организация", "Дата завершения случая"]


def test_the_cumulative_re_export_holds_every_earlier_row(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    first = tables["Катамнез выпускниц (Ответы) - Ответы на форму (1).csv"][0]
    again = tables["Катамнез выпускниц (Ответы) - Ответы на форму (2).csv"][0]
    assert "Где вы сейчас живёте?" in first.headers and "Где вы живёте сейчас?" in again.headers  # reworded
    earlier = first.rows.drop(columns="_row").rename(columns={"Где вы сейчас живёте?": "Где вы живёте сейчас?"})
    later = again.rows.drop(columns="_row")
    assert len(later) > len(earlier) > 0
    pd.testing.assert_frame_equal(later.head(len(earlier)), earlier[list(later.columns)])
    assert "Социальная квартира" not in set(earlier["Где вы живёте сейчас?"])  # the option came with v2
    assert "Социальная квартира" in set(later["Где вы живёте сейчас?"])


def test_kobo_exports_carry_kobos_own_columns(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    kobo = [table for name, (table, _) in tables.items() if "Интервью_с_выпускницами" in name]
    assert len(kobo) == 2
    for table in kobo:
        assert {"_uuid", "_submission_time", "__version__"} <= set(table.headers)
        assert table.rows["_uuid"].str.fullmatch(r"[0-9a-f-]{36}").all()
        assert table.rows["_uuid"].is_unique


def test_attrition_leaves_about_sixty_percent_unreachable_at_36_months(truth: pd.DataFrame) -> None:
    answered = truth.assign(answered=truth["answered"].astype(int)).groupby("wave")["answered"]
    due, reached = answered.count(), answered.mean()
    assert due["36"] >= 50  # the 36-month wave is due for a real part of the cohort
    assert 0.5 <= 1 - reached["36"] <= 0.7
    assert reached["3"] > reached["12"] > reached["36"]


def _placed(days: int, waves: tuple[int, ...] = (3, 6, 12, 24, 36), window: float = 0.25) -> int | None:
    """The wave of a form answered `days` after exit by the default rule, written out again: the nearest
    wave within max(1, round(wave × window)) months, months counted at day precision."""
    months = days / 30.4375
    inside = [w for w in waves if abs(months - w) <= max(1, int(w * window + 0.5))]
    return min(inside, key=lambda w: abs(months - w), default=None)


def test_forms_come_early_late_and_at_month_ends_each_inside_the_wave_it_was_sent_for(truth: pd.DataFrame) -> None:
    exits = truth.loc[truth["wave"] == "0", "exit_date"].map(date.fromisoformat)
    assert set(exits.map(lambda d: d.day)) == set(range(1, 32))  # exits on every day of the month
    sent = truth[(truth["answered"] == "1") & (truth["wave"] != "0")]
    wave = sent["wave"].astype(int)
    exit_day = sent["exit_date"].map(date.fromisoformat)
    due = sent["due_date"].map(date.fromisoformat)
    answered = sent["submitted_at"].str[:10].map(date.fromisoformat)
    # due_date: the exit day `wave` months later, or the month's last day (31.08 + 6 → 28.02 or 29.02)
    months = [(d.year - e.year) * 12 + d.month - e.month for e, d in zip(exit_day, due, strict=True)]
    assert months == wave.tolist()
    assert all(d.day == e.day or (d + timedelta(days=1)).day == 1 < e.day for e, d in zip(exit_day, due, strict=True))
    assert (due.map(lambda d: d.day) < exit_day.map(lambda d: d.day)).any()
    days = pd.Series([(a - e).days for e, a in zip(exit_day, answered, strict=True)], index=sent.index)
    late = pd.Series([(a - d).days for d, a in zip(due, answered, strict=True)], index=sent.index)
    # every form lies inside the window of the wave it was sent for, so that is the wave it belongs to
    assert (days.map(_placed) == wave).all()
    # ... spread as forms come back: two weeks early to six weeks late, a fifth or so before the due day
    assert late.min() == -14 and late[wave >= 6].max() == 42 and 28 <= late[wave == 3].max() <= 30
    assert 0.1 < (late < 0).mean() < 0.3 and 0.1 < (late > 21).mean() < 0.3
    month_end = answered.map(lambda a: (a + timedelta(days=1)).day == 1)
    assert 0.08 < month_end.mean() < 0.25
    # ... so months counted by the calendar (exit month to answer month) miss the wave by one now and then
    calendar = [(a.year - e.year) * 12 + a.month - e.month for e, a in zip(exit_day, answered, strict=True)]
    off = (pd.Series(calendar, index=sent.index) - wave).value_counts()
    assert {-1, 0, 1, 2} <= set(off.index) and off[0] < 0.75 * len(sent)


def test_every_answer_stands_in_the_file_the_truth_names(truth: pd.DataFrame, rows: pd.DataFrame) -> None:
    answered = truth[truth["answered"] == "1"]
    assert (truth.loc[truth["answered"] == "0", ["child_with_mother", "housing", "file"]] == "").all().all()
    firsts = rows[rows["repeat"] == ""]
    located = answered.merge(firsts, on=["file", "person", "wave"], how="left", indicator=True)
    assert (located["_merge"] == "both").all()
    repeats = rows[rows["repeat"] != ""]
    assert 0 < len(repeats) < 0.05 * len(rows)  # a few forms sent twice, interviews entered twice
    blanks = (answered[["child_with_mother", "housing", "income"]] == "").to_numpy().mean()
    assert 0.01 < blanks < 0.06


def test_a_crisis_reported_once_is_sometimes_denied_later(truth: pd.DataFrame) -> None:
    # «Обращались ли вы снова...?» read as "since the last form": the event indicator must remember it.
    said = truth[(truth["answered"] == "1") & (truth["repeat_crisis"] != "")]
    said = said.assign(wave=said["wave"].astype(int)).sort_values(["person", "wave"])
    before = (said["repeat_crisis"] == "yes").groupby(said["person"]).cummax().groupby(said["person"]).shift()
    assert ((before == True) & (said["repeat_crisis"] == "no")).sum() >= 3  # noqa: E712


def test_google_timestamps_have_single_digit_hours(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    stamps = tables["Катамнез выпускниц (Ответы) - Ответы на форму (2).csv"][0].rows["Отметка времени"]
    assert stamps.str.fullmatch(r"\d\d\.\d\d\.\d{4} \d{1,2}:\d\d:\d\d").all()
    assert stamps.str.fullmatch(r"\d\d\.\d\d\.\d{4} \d:\d\d:\d\d").any()


def _names(tables: dict[str, tuple[RawTable, Match | None]], rows: pd.DataFrame) -> pd.DataFrame:
    """file, row, person, wave and the name as written, for every data row of every export."""
    written = []
    for name, (table, match) in tables.items():
        frame = table.rows[["_row", _name_header(match)]].set_axis(["row", "written"], axis=1)
        written.append(frame.assign(file=name, row=frame["row"].astype(str)))
    return rows.merge(pd.concat(written), on=["file", "row"], validate="one_to_one")


def test_follow_up_names_are_written_differently_but_match_exactly(
    tables: dict[str, tuple[RawTable, Match | None]], rows: pd.DataFrame
) -> None:
    names = _names(tables, rows)
    at_exit = names[names["wave"] == "0"].set_index("person")["written"]
    later = names[names["wave"] != "0"]
    own = later["person"].map(at_exit)
    assert (later["written"] != own).mean() > 0.2  # order, case, «ё», spaces
    assert (later["written"].map(normalise_name) == own.map(normalise_name)).all()  # clean by default
    assert (rows["name_variant"] == "exact").all()
    phones = pd.concat([t.rows[h] for t, m in tables.values() if m for h, c in m.columns.items() if c.role == "phone"])
    styles = [r"\+7 \(\d{3}\) \d{3}-\d\d-\d\d", r"8\d{10}", r"8-\d{3}-\d{3}-\d\d-\d\d", r"9\d{9}", r"\+79\d{9}"]
    assert all(phones.str.fullmatch(style).any() for style in styles)


def test_free_text_carries_names_and_phones(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    texts = pd.concat(
        [t.rows[h] for t, m in tables.values() if m for h, c in m.columns.items() if c.role == "free_text"]
    )
    assert texts.str.contains(r"\d{3}[- ]\d{3}-\d\d-\d\d|\d{3}\)? ?\d{3}-\d\d-\d\d").any()
    assert texts.str.contains(r"[А-Я][а-я]+е [А-Я][а-я]+вне").any()  # «Передайте спасибо Наталье Викторовне»


def test_messy_only_touches_names(
    corpus: DemoCorpus, tables: dict[str, tuple[RawTable, Match | None]], truth: pd.DataFrame, tmp_path: Path
) -> None:
    messy = generate(tmp_path / "in", tmp_path / "truth", seed=SEED, today=TODAY, graduates=GRADUATES, messy=True)
    messy_tables = _read(messy)
    changed = 0
    for name, (table, match) in tables.items():
        other, other_match = messy_tables[name]
        assert other_match is not None and match is not None
        header = _name_header(match)
        pd.testing.assert_frame_equal(other.rows.drop(columns=header), table.rows.drop(columns=header))
        changed += int((other.rows[header] != table.rows[header]).sum())
    messy_truth = _csv(messy.truth_path)
    pd.testing.assert_frame_equal(messy_truth.drop(columns="name_variant"), truth.drop(columns="name_variant"))
    variants = messy_truth.loc[messy_truth["file"] != "", "name_variant"]
    assert set(variants) == {"exact", "typo", "no_patronymic", "initials"}
    assert 0.08 < (variants != "exact").mean() < 0.25
    names = _names(messy_tables, _csv(messy.rows_path))
    baseline = set(names.loc[names["wave"] == "0", "written"].map(normalise_name))
    varied = names[names["name_variant"] != "exact"]
    assert changed >= len(varied) > 0
    assert not set(varied["written"].map(normalise_name)) & baseline  # exact matching cannot link them


def test_same_seed_gives_identical_files(corpus: DemoCorpus, tmp_path: Path) -> None:
    again = generate(tmp_path / "inbox", tmp_path / "truth", seed=SEED, today=TODAY, graduates=GRADUATES)
    for first, second in zip(corpus.inbox_files, again.inbox_files, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    for truth_file in ("ground_truth.csv", "files.csv", "export_rows.csv"):
        first_truth, second_truth = (c.truth_path.parent / truth_file for c in (corpus, again))
        assert first_truth.read_bytes() == second_truth.read_bytes(), truth_file
    other = generate(tmp_path / "other", tmp_path / "t2", seed=SEED + 1, today=TODAY, graduates=GRADUATES)
    assert other.inbox_files[1].read_bytes() != corpus.inbox_files[1].read_bytes()


def test_the_public_headers_are_the_first_versions_columns() -> None:
    instruments = {i.instrument: i for i in load_instruments(INSTRUMENTS)}
    closure_v1 = list(instruments["case_closure"].versions[0].columns)
    assert [h for h in closure_v1 if h != "Организация"] == BASELINE_HEADERS
    assert list(instruments["followup_survey"].versions[0].columns) == FOLLOWUP_HEADERS


def test_writer_keeps_planted_text_literal(tmp_path: Path) -> None:
    path = write_baseline_xlsx(tmp_path / "x.xlsx", [{"ФИО выпускницы": "=Канарейкина Ольга", "№": 1}])
    row = next(openpyxl.load_workbook(path)["Лист1"].iter_rows(min_row=2, values_only=True))
    assert row[:3] == (1, None, "=Канарейкина Ольга")
    with pytest.raises(ValueError, match="not in the headers"):
        write_baseline_xlsx(tmp_path / "y.xlsx", [{"Имя": "x"}])


def test_a_re_sent_form_comes_minutes_after_the_first(tables: dict[str, tuple[RawTable, Match | None]]) -> None:
    stamps = tables["Катамнез выпускниц (Ответы) - Ответы на форму (2).csv"][0].rows
    moments = pd.to_datetime(stamps["Отметка времени"], format="%d.%m.%Y %H:%M:%S")
    body = stamps.drop(columns=["_row", "Отметка времени"]).astype(str).agg("|".join, axis=1)
    gaps = moments.groupby(body).agg(lambda m: (m.max() - m.min()).total_seconds())
    assert ((gaps > 0) & (gaps < 600)).any()


def test_the_demo_costs_file_has_a_year_per_organisation_and_reads_as_costs(tmp_path: Path) -> None:
    from followup.results.cost import read_costs

    corpus = generate(tmp_path / "inbox", tmp_path / "truth", seed=3, graduates=60, costs_file=tmp_path / "costs.csv")
    costs = read_costs(tmp_path / "costs.csv")
    closures = pd.read_csv(corpus.truth_path, dtype=str).query("wave == '0'")
    exits = closures.groupby([closures["organisation"], closures["exit_date"].str[:4]]).size()
    assert len(costs) == len(exits)
    for row in costs.to_dict("records"):
        assert row["residents"] > exits[(row["organisation"], str(row["period"]))]
        assert 150_000 < row["programme_cost"] / row["residents"] < 350_000
