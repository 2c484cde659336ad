"""Three public longitudinal studies, recast as a shelter's exports (tests/studies/), run through `followup`
as a user runs it, must give back the figures the literature published.

* Thall & Vail (1990) epilepsy trial: monthly calls 1–4, the wave declared by a KoboToolbox column;
  means and variances per period and arm as Everitt & Hothorn print them.
* Thara et al. (1994) Madras study: forms at 2, 6, 8 and 10 months (two months apart), Yandex XLSX, drop-out;
  women seen and without the disorder per wave and onset group, counted from the study's published data.
* Gehan (1965) 6-MP trial: monthly calls 1–35, Google Forms CSV; cumulative relapses per wave and arm, the
  Kaplan–Meier estimates and the log-rank test Venables & Ripley and Klein & Moeschberger print.

Each study is one real `followup init` + `followup run` (Prefect) per module fixture. The figures are read
from the tables `followup results --format csv` writes (with [results] min_cell = 3) and, for the cells that
disclosure control leaves empty there, from the same tables computed on the run's warehouse opened read-only
(the call `followup results` makes before suppression); a test checks that every cell the CSV shows is the
computed one. Where no figure was published, the test computes it itself from the dataset with pandas,
scipy, statsmodels or lifelines and says so.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli
from studies import epilepsy, gehan, schizophrenia

pytestmark = pytest.mark.slow

AS_OF = dt.date(2026, 11, 1)


@dataclass(frozen=True, repr=False)
class Ran:
    """A study's home after one `followup run`, and what the commands gave back."""

    home: Path
    recast: object
    run: subprocess.CompletedProcess[str]
    csv: dict[str, pd.DataFrame]  # table -> as `followup results --format csv` wrote it (English headers)
    tables: dict[str, pd.DataFrame]  # table -> before disclosure control, from the warehouse (read-only)
    pii: subprocess.CompletedProcess[str]
    status: subprocess.CompletedProcess[str]

    def __repr__(self) -> str:  # (pytest prints the fixture's value with a failure)
        return f"Ran({self.home})"

    def sql(self, query: str) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.home / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(query).fetchall()


def _run_study(module: ModuleType, folder: Path) -> Ran:
    home = folder / "home"
    assert run_cli("init", str(home)).returncode == 0
    recast = module.write(home)
    run = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat())
    out = folder / "results"
    written = run_cli("results", "--home", str(home), "--format", "csv", "--output", str(out), "--as-of", str(AS_OF))
    assert written.returncode == 0, written.stdout + written.stderr
    csv = {p.stem: pd.read_csv(p, dtype={"group_code": str}) for p in out.glob("*.csv")}  # the tidy files
    values = folder / "planted.txt"
    values.write_text("\n".join(["# every name and phone of the exports", *planted(recast)]) + "\n", encoding="utf-8")
    pii = run_cli("check-pii", "--home", str(home), "--values-file", str(values))
    status = run_cli("status", "--home", str(home))
    return Ran(home, recast, run, csv, computed(home), pii, status)


def planted(recast: object) -> list[str]:
    from studies.common import planted_values

    return planted_values(recast.people)  # type: ignore[attr-defined]


def computed(home: Path) -> dict[str, pd.DataFrame]:
    """Every result table of the home as `followup results` computes it, before disclosure control."""
    from followup.home import open_home
    from followup.results.tables import compute_tables
    from followup.run import definitions
    from followup.warehouse import Warehouse

    h = open_home(home)
    instruments, indicators = definitions(h)
    with Warehouse(h.warehouse, read_only=True) as wh:
        tables = compute_tables(wh, indicators, h.settings.waves.months, AS_OF, instruments=instruments)
    return dict(tables.items())


@pytest.fixture(scope="module")
def epilepsy_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    return _run_study(epilepsy, tmp_path_factory.mktemp("epilepsy"))


@pytest.fixture(scope="module")
def schizophrenia_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    return _run_study(schizophrenia, tmp_path_factory.mktemp("schizophrenia"))


@pytest.fixture(scope="module")
def gehan_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    return _run_study(gehan, tmp_path_factory.mktemp("gehan"))


STUDIES = ["epilepsy_run", "schizophrenia_run", "gehan_run"]
GRADUATES = {"epilepsy_run": 59, "schizophrenia_run": 44, "gehan_run": 42}


def rows(table: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    return table[mask]


def by_wave(table: pd.DataFrame, indicator: str, column: str, **where: object) -> dict[int, float]:
    """{wave: figure} of one indicator (and group)."""
    found = rows(table, indicator=indicator, **where)
    return {int(w): float(v) for w, v in zip(found["wave"], found[column], strict=True)}


# --- every study: loaded, linked, nothing leaked, the CSV shows the computed figures ---------------------------


@pytest.mark.parametrize("study", STUDIES)
def test_every_row_loaded_and_every_form_linked(study: str, request: pytest.FixtureRequest) -> None:
    ran: Ran = request.getfixturevalue(study)
    assert ran.run.returncode == 0, ran.run.stdout + ran.run.stderr
    forms = ran.recast.follow_ups  # type: ignore[attr-defined]
    n = GRADUATES[study]
    assert "quarantined 0 + duplicates 0" in " ".join(ran.run.stdout.split())
    assert ran.sql("SELECT sum(rows_read), sum(rows_loaded), sum(rows_quarantined) FROM file_runs") == [
        (n + forms, n + forms, 0)
    ]
    assert ran.sql("SELECT count(*) FROM quarantine") == [(0,)]
    assert ran.sql("SELECT count(*) FROM graduates") == [(n,)]
    # Everyone linked: each form belongs to a known graduate, every graduate has her case-closure form and no
    # link waits for a review.
    assert ran.sql(
        "SELECT count(*) FILTER (WHERE kind = 'baseline'), count(*) FILTER (WHERE kind = 'followup'), "
        "count(DISTINCT graduate_id) FROM responses WHERE graduate_id IN (SELECT graduate_id FROM graduates)"
    ) == [(n, forms, n)]
    assert ran.sql("SELECT count(*) FROM link_reviews") == [(0,)]
    # No two forms of a woman in one wave (the studies have one form per wave), so `status` reports none.
    assert ran.status.returncode == 0, ran.status.stdout + ran.status.stderr
    printed = " ".join(ran.status.stdout.split())
    assert "share their graduate" not in printed
    assert re.search(r"Validation in run 1: (\d+) of \1 checks passed\.", printed), printed


@pytest.mark.parametrize("study", STUDIES)
def test_no_planted_name_or_phone_reaches_the_home(study: str, request: pytest.FixtureRequest) -> None:
    ran: Ran = request.getfixturevalue(study)
    assert ran.pii.returncode == 0, ran.pii.stdout + ran.pii.stderr
    assert "No planted value" in ran.pii.stdout


@pytest.mark.parametrize("study", STUDIES)
def test_the_csv_shows_the_computed_figures(study: str, request: pytest.FixtureRequest) -> None:
    """The figures below are asserted on the computed tables; here, every cell the user's CSV shows is one
    of them (disclosure control only empties cells)."""
    ran: Ran = request.getfixturevalue(study)
    names = ["by_wave", "change", "events", "breakdowns", "change_by_group", "events_by_group"]
    for name in (n for n in names if n in ran.tables):
        shown, full = ran.csv[name], ran.tables[name].reset_index(drop=True)
        assert len(shown) == len(full), name
        for column in full.columns:
            if column in ("type", "test", "title", "group_title", "group_label") or column not in shown:
                continue
            left, right = shown[column], full[column]
            visible = left.notna().to_numpy()
            if pd.api.types.is_numeric_dtype(right) and pd.api.types.is_numeric_dtype(left):
                np.testing.assert_allclose(left[visible].astype(float), right[visible].astype(float), rtol=1e-9)
            else:
                assert left[visible].astype(str).tolist() == right[visible].astype(str).tolist(), (name, column)


# --- Thall & Vail (1990): monthly calls, the wave declared by a column ----------------------------------------

# Everitt & Hothorn (2006), A Handbook of Statistical Analyses Using R, ch. 11 "Analysing Longitudinal Data II"
# (2nd ed. 2010, ch. 13): the mean and variance of the seizure counts by treatment and period, R's
# `tapply(epilepsy$seizure.rate, interaction(treatment, period), mean)` (and `var`), in the digits R prints
# (the overdispersion the chapter discusses: variances far above the means), checked against the dataset the
# book ships (the printed page could not be opened offline). Thall & Vail (1990) randomised 28 patients to
# placebo and 31 to progabide; all 59 were seen in each of the 4 periods.
EPILEPSY_N = {"usual": 28, "mentor": 31}
EPILEPSY_MEANS = {
    "usual": {1: 9.357143, 2: 8.285714, 3: 8.785714, 4: 7.964286},
    "mentor": {1: 8.580645, 2: 8.419355, 3: 8.129032, 4: 6.709677},
}
EPILEPSY_VARIANCES = {
    "usual": {1: 102.75661, 2: 66.65608, 3: 215.28571, 4: 58.18386},
    "mentor": {1: 332.71828, 2: 140.65161, 3: 193.04946, 4: 126.87957},
}


def test_epilepsy_forms_are_in_their_declared_wave(epilepsy_run: Ran) -> None:
    # 16 calls were made so early or late that their date is nearer the neighbouring wave: the column wins.
    assert epilepsy_run.recast.off_date == 16  # type: ignore[attr-defined]
    assert epilepsy_run.sql(
        "SELECT wave, count(*), count(DISTINCT graduate_id) FROM responses GROUP BY wave ORDER BY wave"
    ) == [(0, 59, 59), (1, 59, 59), (2, 59, 59), (3, 59, 59), (4, 59, 59)]


def test_epilepsy_published_means_and_variances_by_arm(epilepsy_run: Ran) -> None:
    table = rows(epilepsy_run.tables["breakdowns"], group_by="support_programme")
    for arm, n in EPILEPSY_N.items():
        assert by_wave(table, "crisis_episodes", "eligible", group=arm) == dict.fromkeys([0, 1, 2, 3, 4], n)
        assert by_wave(table, "crisis_episodes", "answered", group=arm) == dict.fromkeys([0, 1, 2, 3, 4], n)
        means = by_wave(table, "crisis_episodes", "mean", group=arm)
        assert {w: round(means[w], 6) for w in (1, 2, 3, 4)} == EPILEPSY_MEANS[arm]
        sds = by_wave(table, "crisis_episodes", "sd", group=arm)
        assert {w: round(sds[w] ** 2, 5) for w in (1, 2, 3, 4)} == EPILEPSY_VARIANCES[arm]
    # The user's CSV shows every one of them (no count below min_cell).
    shown = rows(
        epilepsy_run.csv["breakdowns"],  # (by the titles the files carry beside the codes)
        group_title="Программа сопровождения после выхода",
        title="Кризисные эпизоды за две недели — чем ниже балл, тем лучше",  # (`better: lower`)
    )
    assert len(shown) == 10 and shown[["answered", "mean", "sd"]].notna().all().all()


def test_epilepsy_all_patients_and_change_since_exit(epilepsy_run: Ran) -> None:
    """Not published: computed here from the dataset. The baseline is the 8-week count ÷ 4 (per two weeks),
    compared with each period by Wilcoxon's signed-rank test (scipy)."""
    from scipy.stats import wilcoxon

    data = epilepsy.dataset()
    table = epilepsy_run.tables["by_wave"]
    assert by_wave(table, "crisis_episodes", "answered") == dict.fromkeys([0, 1, 2, 3, 4], 59)
    means = by_wave(table, "crisis_episodes", "mean")
    expected = data.groupby("period")["seizure.rate"].mean()
    assert means[0] == pytest.approx(data.drop_duplicates("subject")["base"].mean() / 4, rel=1e-12)
    assert [means[w] for w in (1, 2, 3, 4)] == pytest.approx(expected.loc[[1, 2, 3, 4]].tolist(), rel=1e-12)

    # `better: lower`: the result is at most one episode per two weeks, and a fall from the rate before exit is
    # an improvement.
    base = data.drop_duplicates("subject")["base"] / 4
    at_most_one = {0: int((base <= 1).sum())} | {
        p: int((data.loc[data["period"] == p, "seizure.rate"] <= 1).sum()) for p in (1, 2, 3, 4)
    }
    assert by_wave(table, "crisis_episodes", "with_outcome") == at_most_one

    change = rows(epilepsy_run.tables["change"], indicator="crisis_episodes").set_index("wave")
    for period in (1, 2, 3, 4):
        at = data[data["period"] == period]
        result = wilcoxon(at["seizure.rate"].to_numpy() - at["base"].to_numpy() / 4)
        assert change.loc[period, "pairs"] == 59
        fell, rose = (at["seizure.rate"] < at["base"] / 4).sum(), (at["seizure.rate"] > at["base"] / 4).sum()
        assert (change.loc[period, "improved"], change.loc[period, "worsened"]) == (fell, rose)
        assert change.loc[period, "test"] == "Wilcoxon"
        assert change.loc[period, "p_value"] == pytest.approx(result.pvalue, rel=1e-9)
        assert change.loc[period, "statistic"] == pytest.approx(result.statistic, rel=1e-12)


# --- Thara et al. (1994): forms two months apart, drop-out ----------------------------------------------------

# The counts of the study's data table as HSAUR publishes it (`schizophrenia2`, Everitt & Hothorn 2006, from
# Davis 2002, Statistical Methods for the Analysis of Repeated Measurements): women seen at each month and,
# of them, with the thought disorder absent, by age at onset. Counted from the published table (this file
# found no printed summary of them to quote).
SCHIZOPHRENIA = {  # group: {month: (seen, disorder absent)}
    "under_20": {0: (32, 12), 2: (31, 12), 6: (28, 20), 8: (28, 23), 10: (27, 24)},
    "from_20": {0: (12, 5), 2: (12, 6), 6: (12, 9), 8: (11, 11), 10: (11, 10)},
}


def test_schizophrenia_forms_are_in_the_wave_they_were_sent_for(schizophrenia_run: Ran) -> None:
    seen = {w: sum(g[w][0] for g in SCHIZOPHRENIA.values()) for w in (0, 2, 6, 8, 10)}
    assert schizophrenia_run.sql("SELECT wave, count(*) FROM responses GROUP BY wave ORDER BY wave") == sorted(
        seen.items()
    )


def test_schizophrenia_shares_by_wave_and_onset(schizophrenia_run: Ran) -> None:
    overall = schizophrenia_run.tables["by_wave"]
    assert by_wave(overall, "no_acute_distress", "eligible") == dict.fromkeys([0, 2, 6, 8, 10], 44)
    assert by_wave(overall, "no_acute_distress", "answered") == {0: 44, 2: 43, 6: 40, 8: 39, 10: 38}
    assert by_wave(overall, "no_acute_distress", "with_outcome") == {0: 17, 2: 18, 6: 29, 8: 34, 10: 34}
    assert by_wave(overall, "no_acute_distress", "share") == pytest.approx(
        {0: 17 / 44, 2: 18 / 43, 6: 29 / 40, 8: 34 / 39, 10: 34 / 38}, rel=1e-12
    )
    shown = rows(schizophrenia_run.csv["by_wave"], title="Нет острого неблагополучия")
    assert shown[["answered", "with_outcome", "share"]].notna().all().all()  # the CSV shows them all
    groups = rows(schizophrenia_run.tables["breakdowns"], group_by="first_help_age")
    for group, truth in SCHIZOPHRENIA.items():
        assert by_wave(groups, "no_acute_distress", "answered", group=group) == {w: s for w, (s, _) in truth.items()}
        assert by_wave(groups, "no_acute_distress", "with_outcome", group=group) == {
            w: a for w, (_, a) in truth.items()
        }


def test_schizophrenia_change_since_exit_mcnemar(schizophrenia_run: Ran) -> None:
    """Not published: McNemar's exact test of the pairs (exit, wave), computed here from the dataset with
    statsmodels (fewer than 25 discordant pairs at every wave)."""
    from statsmodels.stats.contingency_tables import mcnemar

    data = schizophrenia.dataset().pivot(index="subject", columns="month", values="disorder")
    change = rows(schizophrenia_run.tables["change"], indicator="no_acute_distress").set_index("wave")
    for wave in (2, 6, 8, 10):
        pairs = data[[0, wave]].dropna()
        before, after = pairs[0] == "absent", pairs[wave] == "absent"
        table = pd.crosstab(before, after).reindex(index=[False, True], columns=[False, True], fill_value=0)
        assert change.loc[wave, "pairs"] == len(pairs)
        assert (change.loc[wave, "improved"], change.loc[wave, "worsened"]) == (
            table.loc[False, True],
            table.loc[True, False],
        )
        assert change.loc[wave, "p_value"] == pytest.approx(mcnemar(table.to_numpy(), exact=True).pvalue, rel=1e-12)


# --- Gehan (1965): monthly calls, relapse by wave and arm, log-rank ------------------------------------------

# Venables & Ripley (2002), Modern Applied Statistics with S, 4th ed., §13.1: `survdiff(Surv(time, cens) ~
# treat, data = gehan)`: N 21 and 21; observed 21 (control) and 9 (6-MP), expected 10.7 and 19.3;
# Chisq = 16.8 on 1 degree of freedom, p = 4.17e-05.
GEHAN_N = {"no": 21, "yes": 21}  # material help at exit: no = placebo, yes = 6-MP
GEHAN_RELAPSES = {"no": 21, "yes": 9}
GEHAN_LOGRANK_CHISQ = 16.8
GEHAN_LOGRANK_P = 4.17e-05
# Klein & Moeschberger (2003), Survival Analysis, Table 4.1A: the product-limit estimate for the 6-MP group
# (also listed by G. Rodríguez, "The Gehan Survival Data", Princeton WWS 509, with `sts list, by(group)`,
# which also counts 30 relapses in 541 weeks followed: 541 monthly calls here).
GEHAN_KM_6MP = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}


def gehan_cumulative() -> dict[str, dict[int, int]]:
    """Relapses reported by each month, per arm: counted from the published data (Gehan 1965; MASS `gehan`)."""
    data = gehan.dataset()
    out = {}
    for group, treat in (("no", "control"), ("yes", "6-MP")):
        arm = data[data["treat"] == treat]
        out[group] = {w: int(((arm["time"] <= w) & (arm["cens"] == 1)).sum()) for w in [0, *gehan.WAVES]}
    return out


def test_gehan_each_call_in_its_month(gehan_run: Ran) -> None:
    """Each woman answers every monthly call until her relapse or last call: wave w has the women followed
    at least w months (the published times)."""
    # Counted in calendar months (exit month to answer month), this many calls would land in a neighbouring
    # month: only months since exit by days place them all right (issue 13, point 1).
    assert gehan_run.recast.calendar_off > 100  # type: ignore[attr-defined]
    assert gehan_run.recast.follow_ups == 541  # type: ignore[attr-defined]
    times = gehan.dataset()["time"]
    expected = [(0, 42)] + [(w, int((times >= w).sum())) for w in gehan.WAVES if (times >= w).any()]
    assert gehan_run.sql("SELECT wave, count(*) FROM responses GROUP BY wave ORDER BY wave") == expected


def test_gehan_events_by_wave(gehan_run: Ran) -> None:
    """Both arms together (not published): at risk, cumulative relapses and the Kaplan–Meier estimate at each
    wave, computed here with lifelines from the dataset."""
    from lifelines import KaplanMeierFitter

    data = gehan.dataset()
    events = rows(gehan_run.tables["events"], indicator="no_crisis_again")
    if "group_by" in events:
        events = events[events["group_by"].isna() | (events["group_by"] == "")]
    cumulative = gehan_cumulative()
    assert by_wave(events, "no_crisis_again", "events") == {
        w: cumulative["no"][w] + cumulative["yes"][w] for w in [0, *gehan.WAVES]
    }
    assert by_wave(events, "no_crisis_again", "at_risk") == {
        w: int((data["time"] >= w).sum()) for w in [0, *gehan.WAVES]
    }
    km = KaplanMeierFitter().fit(data["time"], data["cens"])
    survival = by_wave(events, "no_crisis_again", "survival")
    followed = [w for w in gehan.WAVES if (data["time"] >= w).any()]
    assert [survival[w] for w in followed] == pytest.approx(km.survival_function_at_times(followed).tolist(), rel=1e-9)


def by_group_table(ran: Ran, name: str) -> pd.DataFrame:
    assert name in ran.tables, f"no table {name} yet (issue 13, point 5: events and change by group)"
    return ran.tables[name]


def test_gehan_events_by_material_help_and_logrank(gehan_run: Ran) -> None:
    """The events table by the baseline item (issue 13, point 5): cumulative relapses per wave and arm, the
    published Kaplan–Meier estimates of the 6-MP arm, and the published log-rank test."""
    by_help = rows(by_group_table(gehan_run, "events_by_group"), group_by="exit_material_help")
    cumulative = gehan_cumulative()
    for group in ("no", "yes"):
        assert by_wave(by_help, "no_crisis_again", "at_risk", group=group)[0] == GEHAN_N[group]
        relapses = by_wave(by_help, "no_crisis_again", "events", group=group)
        assert relapses == cumulative[group]
        assert relapses[35] == GEHAN_RELAPSES[group]
    survival = by_wave(by_help, "no_crisis_again", "survival", group="yes")
    assert {w: round(survival[w], 3) for w in GEHAN_KM_6MP} == GEHAN_KM_6MP
    logrank = rows(by_help, indicator="no_crisis_again")[["test", "statistic", "p_value"]].drop_duplicates()
    assert len(logrank) == 1
    test, statistic, p_value = logrank.iloc[0]
    assert test == "log-rank"
    assert round(statistic, 1) == GEHAN_LOGRANK_CHISQ
    assert round(p_value, 7) == GEHAN_LOGRANK_P
    events_file = gehan_run.csv["events_by_group"]
    shown = rows(events_file, group_title="Материальная помощь при выходе", title="Без повторного кризиса")
    # The user's CSV shows the test: both arms have 5+ women and relapses.
    assert len(shown) == 2 * 36 and shown["p_value"].notna().all()


def test_gehan_events_by_group_in_the_terminal(gehan_run: Ran) -> None:
    """`followup results --table events --by ITEM` shows the events by that item, with the log-rank test."""
    shown = run_cli(
        "results", "--home", str(gehan_run.home), "--table", "events", "--by", "exit_material_help",
        "--as-of", AS_OF.isoformat(),
    )  # fmt: skip
    assert shown.returncode == 0, shown.stdout + shown.stderr
    printed = " ".join(shown.stdout.split())
    assert "Материальная помощь при выходе" in printed
    # The published chi-square 16.8, here in two decimals (16.793), and p = 4.17e-05 shown as below 0.001.
    assert "Лог-ранговый критерий: хи-квадрат 16,79, p = <0,001." in printed


def test_epilepsy_change_by_arm(epilepsy_run: Ran) -> None:
    """Not published: within each arm, Wilcoxon's signed-rank test of each period against the baseline rate,
    computed here from the dataset (scipy)."""
    from scipy.stats import wilcoxon

    data = epilepsy.dataset()
    change = rows(by_group_table(epilepsy_run, "change_by_group"), group_by="support_programme")
    for treatment, arm in epilepsy.PROGRAMME.items():
        for period in (1, 2, 3, 4):
            at = data[(data["period"] == period) & (data["treatment"] == treatment)]
            row = rows(change, indicator="crisis_episodes", group=arm, wave=period).iloc[0]
            result = wilcoxon(at["seizure.rate"].to_numpy() - at["base"].to_numpy() / 4)
            assert row["pairs"] == EPILEPSY_N[arm]
            assert row["p_value"] == pytest.approx(result.pvalue, rel=1e-9)


def test_schizophrenia_change_by_onset(schizophrenia_run: Ran) -> None:
    """Not published: within each onset group, McNemar's test of exit against each wave, computed here from
    the dataset (statsmodels; exact below 25 discordant pairs, as the product's rule says)."""
    from statsmodels.stats.contingency_tables import mcnemar

    data = schizophrenia.dataset()
    change = rows(by_group_table(schizophrenia_run, "change_by_group"), group_by="first_help_age")
    for onset, group in schizophrenia.ONSET.items():
        wide = data[data["onset"] == onset].pivot(index="subject", columns="month", values="disorder")
        for wave in (2, 6, 8, 10):
            pairs = wide[[0, wave]].dropna()
            before, after = pairs[0] == "absent", pairs[wave] == "absent"
            table = pd.crosstab(before, after).reindex(index=[False, True], columns=[False, True], fill_value=0)
            row = rows(change, indicator="no_acute_distress", group=group, wave=wave).iloc[0]
            assert row["pairs"] == len(pairs) == SCHIZOPHRENIA[group][wave][0]
            discordant = table.loc[False, True] + table.loc[True, False]
            if discordant == 0:
                assert np.isnan(row["p_value"])
            else:
                assert row["p_value"] == pytest.approx(mcnemar(table.to_numpy(), exact=True).pvalue, rel=1e-12)
