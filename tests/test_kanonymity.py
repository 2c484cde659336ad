"""k-anonymity ≥ 5 of the researcher export, measured by pycanon on the files as written and read back
(pyreadstat): on the demo warehouse, and on a hand-made one where a single 19-year-old left a small shelter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from pycanon.anonymity import k_anonymity
from results_homes import demo_loaded, load_and_score

from followup.demo import BASELINE_HEADERS, write_baseline_xlsx
from followup.export.kanonymity import QUASI_IDENTIFIERS, age_group, exit_period, generalise, levels
from followup.export.research import export_research
from followup.export.writers import ExportFormat
from followup.home import Home, init_home
from followup.warehouse import Warehouse

SMALL, LARGE = "Приют «Маленький»", "Центр «Большой»"
FIRST_NAMES = ["Анна", "Мария", "Ольга", "Елена", "Ирина", "Наталья", "Светлана", "Татьяна", "Юлия"]
SURNAMES = ["Иванова", "Смирнова", "Кузнецова", "Попова"]


def _people(graduates: pd.DataFrame) -> pd.DataFrame:
    """One record per graduate: the quasi-identifiers as the file carries them."""
    return graduates.drop_duplicates("graduate_id")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_corpus) -> Home:  # type: ignore[no-untyped-def]
    return demo_loaded(tmp_path_factory.mktemp("kanon"), demo_corpus.inbox_files)


def adversarial_rows() -> list[dict[str, object]]:
    """30 women of 30–34 who left the large centre through 2024; 5 of 31–33 who left the small shelter in
    January, April, July, October and December 2024; and one who left it in May 2024 aged 19."""
    rows: list[dict[str, object]] = []

    def woman(organisation: str, exit_day: dt.date, birth: dt.date) -> None:
        n = len(rows)
        rows.append(
            {h: "" for h in BASELINE_HEADERS}
            | {
                "№": n + 1,
                "Организация": organisation,
                "Дата завершения случая": f"{exit_day:%d.%m.%Y}",
                "ФИО выпускницы": f"{SURNAMES[n % 4]} {FIRST_NAMES[n % 9]} {FIRST_NAMES[n // 9 % 9]}овна {n}",
                "Дата рождения": f"{birth:%d.%m.%Y}",
                "Телефон": f"8912{n:07d}",
                "Программа": "Социальный приют",
                "Ребёнок проживает с мамой": "Да",
                "Жильё после выхода": "Съёмное жильё",
            }
        )

    for n in range(30):
        woman(LARGE, dt.date(2024, n % 12 + 1, 10), dt.date(1990 + n % 5, 3, 1))
    for n, month in enumerate([1, 4, 7, 10, 12]):
        woman(SMALL, dt.date(2024, month, 15), dt.date(1991 + n % 3, 6, 1))
    woman(SMALL, dt.date(2024, 5, 20), dt.date(2005, 2, 1))  # the one who stands out
    return rows


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> Home:
    h, _ = init_home(tmp_path_factory.mktemp("adversarial") / "home")
    write_baseline_xlsx(
        h.inbox / "Завершение случая.xlsx", adversarial_rows(), headers=[*BASELINE_HEADERS, "Организация"]
    )
    load_and_score(h)
    return h


def test_levels_go_from_month_and_birth_year_to_year_and_ten_year_band_age_first() -> None:
    assert levels()[:3] == [("month", "birth_year"), ("month", "age_band_5"), ("quarter", "birth_year")]
    assert levels()[-2:] == [("year", "age_band_10"), ("year", "none")] and len(levels()) == 10
    months = pd.Series([dt.date(2024, 2, 1), dt.date(2024, 11, 1)])
    assert exit_period(months, "quarter").tolist() == ["2024-Q1", "2024-Q4"]
    births = pd.Series([2005, 1990, None])
    exits = pd.Series([dt.date(2024, 5, 1)] * 3)
    assert age_group(births, exits, "age_band_5").tolist() == ["15–19", "30–34", "неизвестно"]
    assert age_group(births, exits, "age_band_10").tolist() == ["15–24", "25–34", "неизвестно"]  # nested in 5


def test_a_single_outlier_is_left_out_rather_than_coarsening_everyone() -> None:
    # 600 alike graduates and one unlike any: the 5 % allowance leaves her out at the finest level; with
    # none allowed, only hiding everyone's age keeps her.
    same = {"organisation": "A", "exit_month": dt.date(2024, 3, 1), "birth_year": 1990}
    graduates = pd.DataFrame(
        [same | {"graduate_id": f"g{n}"} for n in range(600)]
        + [{"graduate_id": "alone", "organisation": "A", "exit_month": dt.date(2024, 3, 1), "birth_year": 2005}]
    )
    done = generalise(graduates, k=5)
    assert (done.exit_level, done.age_level, done.suppressed, done.k) == ("month", "birth_year", 1, 600)
    assert "alone" not in set(done.people["graduate_id"])
    strict = generalise(graduates, k=5, max_suppressed=0)
    assert (strict.exit_level, strict.age_level, strict.suppressed, strict.k) == ("year", "none", 0, 601)


@pytest.mark.parametrize("fmt", [ExportFormat.sav, ExportFormat.dta])
def test_the_demo_export_read_back_is_5_anonymous_though_the_warehouse_is_not(demo, tmp_path, fmt) -> None:
    with Warehouse(demo.warehouse, read_only=True) as wh:
        raw = wh.con.execute("SELECT graduate_id, organisation, exit_month, birth_year FROM graduates").df()
    assert k_anonymity(raw, ["organisation", "exit_month", "birth_year"]) == 1  # the test can fail

    done = export_research(demo, tmp_path, fmt)
    read = pyreadstat.read_sav if fmt is ExportFormat.sav else pyreadstat.read_dta
    wide, _ = read(str(tmp_path / f"graduate_waves.{fmt.value}"))
    long, _ = read(str(tmp_path / f"answers.{fmt.value}"))
    for table in (wide, long):
        assert k_anonymity(_people(table), QUASI_IDENTIFIERS) >= 5
        assert "birth_year" not in table.columns
    people = _people(wide)
    assert done.anonymity.k == k_anonymity(people, QUASI_IDENTIFIERS)
    assert len(people) + done.anonymity.suppressed == len(raw)
    assert set(long["graduate_id"]) <= set(people["graduate_id"])
    # 120 graduates are too few for exit year and age band: everyone's age is hidden, and the graduates of
    # an organisation and exit year with fewer than 5 are left out (counted here by hand)
    assert (done.anonymity.exit_level, done.anonymity.age_level) == ("year", "none")
    by_year = raw.groupby(["organisation", pd.to_datetime(raw["exit_month"]).dt.year])["graduate_id"].transform("size")
    assert done.anonymity.suppressed == int((by_year < 5).sum()) > 0
    # every graduate's class in the file really has ≥ 5 graduates (not counted once per wave)
    assert people.groupby(QUASI_IDENTIFIERS).size().min() >= 5
    notes = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert f"{done.anonymity.suppressed} of {len(raw)} graduates were left out" in notes


def test_the_single_19_year_old_of_a_small_shelter_is_not_identifiable(adversarial, tmp_path) -> None:
    with Warehouse(adversarial.warehouse, read_only=True) as wh:
        raw = wh.con.execute("SELECT graduate_id, organisation, exit_month, birth_year FROM graduates").df()
    assert len(raw) == 36
    assert k_anonymity(raw, ["organisation", "exit_month", "birth_year"]) == 1
    young = raw.loc[raw["birth_year"] == 2005, "graduate_id"].iloc[0]

    done = export_research(adversarial, tmp_path, ExportFormat.sav)
    wide, meta = pyreadstat.read_sav(str(tmp_path / "graduate_waves.sav"))
    people = _people(wide)
    assert k_anonymity(people, QUASI_IDENTIFIERS) >= 5
    # generalised to the exit year (the small shelter's five left in four quarters) and 5-year bands; then
    # she is alone in hers and left out (1 graduate is within the 5 % allowance of 36)
    assert (done.anonymity.exit_level, done.anonymity.age_level, done.anonymity.suppressed) == (
        "year",
        "age_band_5",
        1,
    )
    assert young not in set(wide["graduate_id"])
    assert people.groupby("organisation").size().to_dict() == {LARGE: 30, SMALL: 5}
    assert set(people["exit_period"]) == {"2024"} and set(people["age_group"]) == {"30–34"}
    assert "2005" not in wide.astype(str).to_numpy()
    assert meta.column_names_to_labels["age_group"] == "age_group: Возраст (возраст при выходе, 5 лет)"
    assert "1 of 36 graduates were left out" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def test_a_grouping_item_can_be_made_a_quasi_identifier_too(adversarial, tmp_path: Path) -> None:
    done = export_research(adversarial, tmp_path, ExportFormat.dta, quasi_identifiers=["programme"])
    wide, _ = pyreadstat.read_dta(str(tmp_path / "graduate_waves.dta"))
    assert done.anonymity.quasi_identifiers == [*QUASI_IDENTIFIERS, "programme"]
    assert k_anonymity(_people(wide), [*QUASI_IDENTIFIERS, "programme"]) >= 5
