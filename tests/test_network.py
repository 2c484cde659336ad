"""A network of three shelters in one home (issue 14): the Gehan trial recast across «Дом для мамы» (inbox/ddm/),
«КЦ Надежда» (files named `nadezhda_*`) and «Радуга» (inbox/raduga/, KoboToolbox), with no organisation column
in any export (tests/studies/network.py). One real `followup init` + `followup run`; the tables are compared
with the counts of the published dataset per shelter, programme and month."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import run_cli
from studies import network
from studies.common import google_timestamp, planted_values, write_google_csv

pytestmark = pytest.mark.slow

AS_OF = dt.date(2026, 11, 1)
NAMES = {code: name for code, (name, _) in network.ORGANISATIONS.items()}


@dataclass(frozen=True, repr=False)
class Ran:
    home: Path
    recast: network.Recast
    run: subprocess.CompletedProcess[str]

    def __repr__(self) -> str:
        return f"Ran({self.home})"

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.home / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(query).fetchall()

    def tables(self) -> dict[str, pd.DataFrame]:
        from followup.home import open_home
        from followup.results.tables import compute_tables
        from followup.run import definitions
        from followup.warehouse import Warehouse

        h = open_home(self.home)
        instruments, indicators = definitions(h)
        with Warehouse(h.warehouse, read_only=True) as wh:
            return dict(compute_tables(wh, indicators, h.settings.waves.months, AS_OF, instruments=instruments).items())


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    home = tmp_path_factory.mktemp("network") / "home"
    assert run_cli("init", str(home)).returncode == 0
    recast = network.write(home)
    run = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat())
    assert run.returncode == 0, run.stdout + run.stderr
    return Ran(home, recast, run)


def test_every_export_loads_with_its_shelter(ran: Ran) -> None:
    """No export has an organisation column: each graduate's shelter comes from the folder or the file name."""
    assert "loaded 6, rejected 0" in " ".join(ran.run.stdout.split())
    truth = ran.recast.data
    assert ran.sql("SELECT organisation, count(*) FROM graduates GROUP BY 1 ORDER BY 1") == sorted(
        (NAMES[code], int(n)) for code, n in truth["organisation"].value_counts().items()
    )
    assert ran.sql("SELECT count(*) FROM quarantine") == [(0,)]


def test_each_follow_up_is_linked_within_its_shelter(ran: Ran) -> None:
    """Each graduate has her closure form and one call a month until her relapse or last call: per shelter,
    the forms per graduate are the published times + 1. The two namesakes (one of «Дом для мамы», one of
    «Радуга») are two graduates, each with her own calls."""
    truth = ran.recast.data
    for code, name in NAMES.items():
        forms = ran.sql(
            "SELECT count(*) FROM responses r JOIN graduates g USING (graduate_id) "
            f"WHERE g.organisation = '{name}' GROUP BY graduate_id ORDER BY 1"
        )
        assert [n for (n,) in forms] == sorted(truth.loc[truth["organisation"] == code, "time"] + 1), name
    twin_ddm, twin_raduga = (ran.recast.people[s] for s in ran.recast.namesakes)
    assert twin_ddm.full_name == twin_raduga.full_name and twin_ddm.phone != twin_raduga.phone
    assert ran.sql("SELECT count(*) FROM graduates") == [(len(truth),)]


def test_the_shelter_named_like_a_woman_keeps_its_name(ran: Ran) -> None:
    """«КЦ Надежда»'s files are recorded and filed under their names: Надежда is a known organisation here."""
    names = {n for (n,) in ran.sql("SELECT file_name FROM files")}
    assert {"nadezhda_monitoring_2026-11-02.csv", "nadezhda_zavershenie_sluchaya.xlsx"} <= names
    assert not any("[ИМЯ]" in n for n in names)
    assert sorted(p.name.split(".")[0] for p in (ran.home / "inbox" / "processed").iterdir()) == [
        "nadezhda_monitoring_2026-11-02",
        "nadezhda_zavershenie_sluchaya",
    ]
    assert len(list((ran.home / "inbox" / "ddm" / "processed").iterdir())) == 2


def _by_org(table: pd.DataFrame, name: str) -> pd.DataFrame:
    rows = table[(table["group_by"] == "organisation") & (table["group"] == name)]
    return rows[rows["indicator"] == "no_crisis_again"].set_index("wave")


def test_by_wave_per_shelter_equals_the_dataset(ran: Ran) -> None:
    """Per shelter and month: the women called (followed at least that long) and those with no relapse yet."""
    tables, truth = ran.tables(), ran.recast.data
    for code, name in NAMES.items():
        own = truth[truth["organisation"] == code]
        shown = _by_org(tables["breakdowns"], name)
        for w in network.WAVES:
            answered = int((own["time"] >= w).sum())
            no_relapse = int(((own["time"] > w) | ((own["time"] == w) & (own["cens"] == 0))).sum())
            assert (shown.loc[w, "eligible"], shown.loc[w, "answered"]) == (len(own), answered), (name, w)
            assert shown.loc[w, "with_outcome"] == no_relapse, (name, w)


def test_events_by_shelter_equal_the_dataset(ran: Ran) -> None:
    """The events table by organisation: at risk and cumulative relapses per month, per shelter."""
    tables, truth = ran.tables(), ran.recast.data
    for code, name in NAMES.items():
        own = truth[truth["organisation"] == code]
        shown = _by_org(tables["events_by_group"], name)
        for w in [0, *network.WAVES]:
            assert shown.loc[w, "at_risk"] == int((own["time"] >= w).sum()), (name, w)
            assert shown.loc[w, "events"] == int(((own["cens"] == 1) & (own["time"] <= w)).sum()), (name, w)


def test_the_runs_tidy_csv_gives_each_shelter_its_code_and_the_same_figures(ran: Ran) -> None:
    """reports/breakdowns.csv, for scripts: the shelter's code from [[organisations]] beside its name, and
    the counts of the table disclosure control leaves shown."""
    csv = pd.read_csv(ran.home / "reports" / "breakdowns.csv", dtype={"group_code": str})
    shelters = csv[csv["group_by"] == "organisation"]
    assert dict(zip(shelters["group_code"], shelters["group_label"], strict=True)) == NAMES
    computed = ran.tables()["breakdowns"]
    for code, name in NAMES.items():
        figures = computed[(computed["group_by"] == "organisation") & (computed["group"] == name)]
        tidy = shelters[shelters["group_code"] == code]
        assert tidy["wave"].tolist() == figures["wave"].tolist() and tidy["title"].tolist() == figures["title"].tolist()
        shown = tidy["answered"].notna().to_numpy()
        assert shown[:10].all(), name  # (exit and the first 9 months: at least min_cell answered in each shelter)
        assert tidy["answered"][shown].astype(int).tolist() == figures["answered"][shown].astype(int).tolist(), name


def test_no_name_or_phone_reaches_the_warehouse(ran: Ran, tmp_path: Path) -> None:
    values = tmp_path / "planted.txt"
    values.write_text("\n".join(planted_values(ran.recast.people)) + "\n", encoding="utf-8")
    checked = run_cli("check-pii", "--home", str(ran.home), "--values-file", str(values))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_export_of_no_known_shelter_is_set_aside_with_what_to_do(ran: Ran, tmp_path: Path) -> None:
    """In a network, an export in the inbox itself whose name is no shelter's and that has no organisation
    column cannot be given to anyone: it is rejected, saying where to put it."""
    home = tmp_path / "home"
    subprocess.run(["cp", "-r", str(ran.home), str(home)], check=True)
    w = ran.recast.people[int(ran.recast.data["rownames"].iloc[0])]
    moment = dt.datetime(2026, 10, 20, 12, 30)
    write_google_csv(
        home / "inbox" / "Ежемесячный звонок (Ответы).csv",
        [["Отметка времени", "ФИО", "Телефон", network.QUESTION], [google_timestamp(moment), w.full_name, "", "Нет"]],
    )
    run = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat())
    assert run.returncode == 0, run.stdout + run.stderr
    why = (home / "inbox" / "rejected" / "Ежемесячный звонок (Ответы).csv.why.txt").read_text(encoding="utf-8")
    flat = " ".join(why.split())
    assert "nothing says whose export this is" in flat
    assert all(f"{home / 'inbox' / code}/" in flat for code in NAMES)
