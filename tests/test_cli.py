"""The `followup` command as a user meets it: help, messages, exit codes, outputs."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import AS_OF, run_cli
from results_homes import demo_home
from typer.testing import CliRunner

from followup.cli import app
from followup.indicators import load_indicators
from followup.instruments import load_instruments
from followup.resources import schemas_dir
from followup.results import labels, render, tidy
from followup.results.tables import COLUMNS

COMMANDS = ["init", "run", "results", "status", "quarantine", "demo"]


def test_help_lists_every_command_and_each_explains_itself() -> None:
    top = run_cli("--help")
    assert top.returncode == 0
    for command in COMMANDS:
        assert command in top.stdout
        sub = run_cli(command, "--help")
        assert sub.returncode == 0 and "--home" in sub.stdout, command


def test_a_command_on_a_missing_home_says_to_run_init(tmp_path: Path) -> None:
    done = run_cli("status", "--home", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "followup init" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_setting_stops_the_run_naming_it(tmp_path: Path) -> None:
    home = tmp_path / "h"
    run_cli("init", str(home))
    (home / "followup.toml").write_text("[waves]\nwindow = 3\n", encoding="utf-8")
    done = run_cli("run", "--home", str(home))
    assert done.returncode == 2
    assert "'waves.window'" in done.stderr and "less than or equal to 0.5" in done.stderr


def test_a_different_key_is_refused_before_anything_runs(tmp_path: Path) -> None:
    home = tmp_path / "h"
    run_cli("init", str(home))
    (home / "secret.key").write_text("cd" * 32 + "\n", encoding="ascii")
    done = run_cli("run", "--home", str(home))
    assert done.returncode == 2
    assert "does not match" in done.stderr and "backup" in done.stderr
    assert "cd" * 32 not in done.stderr + done.stdout


def test_init_never_prints_the_key(tmp_path: Path) -> None:
    done = run_cli("init", str(tmp_path / "h"))
    key = (tmp_path / "h" / "secret.key").read_text().strip()
    assert done.returncode == 0 and key not in done.stdout + done.stderr
    assert "Back up secret.key" in done.stdout


def test_status_on_a_new_home_says_there_are_no_runs(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path / "h"))
    done = run_cli("status", "--home", str(tmp_path / "h"))
    assert done.returncode == 0 and "No runs yet" in done.stdout


def test_results_and_export_on_a_new_home_say_what_to_do_first(tmp_path: Path) -> None:
    home = tmp_path / "h"
    run_cli("init", str(home))
    results = run_cli("results", "--home", str(home))
    assert results.returncode == 0 and "No runs yet" in results.stdout and "followup run" in results.stdout
    assert "Пока нечего показать" not in results.stdout  # not 18 indicators with nothing to show
    export = run_cli("export", "--home", str(home), "--output", str(tmp_path / "x"))
    assert export.returncode == 2 and "no graduate yet" in export.stderr and "followup run" in export.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_names_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    """Output is plain text, not rich markup: «[v2]» or «[red]» in a file name is not taken for a style."""
    home = tmp_path / "h"
    run_cli("init", str(home))
    (home / "inbox" / "Ответы [v2] [red].csv").write_text("Колонка,Другая\n1,2\n", encoding="utf-8")
    done = run_cli("run", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert "rejected Ответы [v2] [red].csv:" in done.stdout
    status = run_cli("status", "--home", str(home))
    assert "rejected in the last run Ответы [v2] [red].csv:" in status.stdout


def test_run_then_results_in_every_format(tmp_path: Path, demo_corpus) -> None:
    home = tmp_path / "h"
    run_cli("init", str(home))
    for path in demo_corpus.inbox_files:
        (home / "inbox" / path.name).write_bytes(path.read_bytes())
    done = run_cli("run", "--home", str(home), "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    files = len(demo_corpus.inbox_files)
    assert f"Run 1: files seen {files} (loaded {files}, rejected 0" in done.stdout

    day = ("--as-of", AS_OF.isoformat())
    table = run_cli("results", "--home", str(home), *day)
    assert table.returncode == 0, table.stderr
    for title in labels.TITLES.values():  # every table, in the terminal
        assert title in table.stdout, title
    assert "Ребёнок живёт с мамой" in table.stdout and "<5" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 200
    one = run_cli("results", "--home", str(home), "--table", "attrition", *day)
    assert labels.TITLES["attrition"] in one.stdout and labels.TITLES["by_wave"] not in one.stdout
    wrong = run_cli("results", "--home", str(home), "--table", "nonsense")
    assert wrong.returncode == 2 and "--table must be one of by_wave" in wrong.stderr

    with (home / "followup.toml").open("a", encoding="utf-8") as toml:  # the network's codes of its organisations
        toml.write('\n[[organisations]]\ncode = "ddm"\nname = "Дом для мамы"\n')
    csv = run_cli("results", "--home", str(home), "--format", "csv", *day)
    lines = csv.stdout.splitlines()  # piped: the tidy by_wave table, without a byte-order mark
    assert lines[0] == ",".join(tidy.tidy_columns(COLUMNS["by_wave"]))
    assert lines[0].startswith("indicator,title,type,wave,eligible,reached,") and lines[0].endswith(
        ",suppressed_columns"
    )
    assert lines[1].startswith("child_with_mother,Ребёнок живёт с мамой,state,0,")
    shipped = load_indicators([schemas_dir() / "indicators.yaml"], load_instruments(schemas_dir() / "instruments"))
    menu = 11  # the indicators the demo's forms ask (its corpus here has no specialists' sheets)
    assert len(shipped) == 18 and len(lines) == 1 + menu * 6  # each of them × waves 0, 3, 6, 12, 24, 36
    # As of run 1 (its data and its date, AS_OF): the same table, since nothing came after it.
    again = run_cli("results", "--home", str(home), "--format", "csv", "--as-of-run", "1")
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(again.stdout)), pd.read_csv(io.StringIO(csv.stdout)))
    unknown = run_cli("results", "--home", str(home), "--as-of-run", "9")
    assert unknown.returncode != 0 and "9" in unknown.stderr and "Traceback" not in unknown.stderr
    folder = tmp_path / "csv"
    every = run_cli("results", "--home", str(home), "--format", "csv", "--output", str(folder), *day)
    assert every.returncode == 0 and sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}.csv" for n in labels.TITLES
    )
    parquet = tmp_path / "parquet"
    files = run_cli("results", "--home", str(home), "--format", "parquet", "--output", str(parquet), *day)
    assert files.returncode == 0, files.stderr
    assert sorted(p.name for p in parquet.iterdir()) == sorted(f"{n}.parquet" for n in labels.TITLES)
    one_file = tmp_path / "breakdowns.parquet"
    one = run_cli("results", "--home", str(home), "-f", "parquet", "-t", "breakdowns", "-o", str(one_file), *day)
    assert one.returncode == 0 and f"Wrote {one_file}" in one.stdout
    groups = duckdb.sql(
        f"SELECT DISTINCT group_label, group_code FROM '{one_file}' WHERE group_by = 'organisation' ORDER BY 1"
    ).fetchall()
    assert groups == [  # the code of [[organisations]] beside the name; none for those not listed
        ("Дом для мамы", "ddm"), ("Кризисный центр „Надежда“", None), ("Приют „Маленькая страна“", None)
    ]  # fmt: skip
    by_wave = duckdb.sql(f"SELECT * FROM '{parquet / 'by_wave.parquet'}'").df()
    assert by_wave["indicator"].tolist() == [line.split(",")[0] for line in lines[1:]]

    out = tmp_path / "out.xlsx"
    xlsx = run_cli("results", "--home", str(home), "--format", "xlsx", "--output", str(out), *day)
    assert xlsx.returncode == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [render.sheet_name(n) for n in labels.TITLES] + ["Примечания"]
    assert book["Показатели по волнам"].max_row == 1 + menu * 6

    page = tmp_path / "report.html"
    html = run_cli("results", "--home", str(home), "--format", "html", "--output", str(page), *day)
    assert html.returncode == 0 and f"Wrote {page}" in html.stdout
    text = page.read_text(encoding="utf-8")
    assert "<img" in text and "https://" not in text and "http://" not in text

    status = run_cli("status", "--home", str(home))
    assert "completed" in status.stdout
    assert "checks passed" in status.stdout


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, demo_corpus):
    return demo_home(tmp_path_factory, demo_corpus)


def _results(home, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["results", "--home", str(home.root), "--as-of", AS_OF.isoformat(), *args])


def _breakdown_titles(output: str) -> set[str]:
    """The groupings whose tables the output shows (a table's title is «indicator: grouping»)."""
    return {
        line.split(": ", 1)[1].strip() for line in output.splitlines() if line.startswith("Ребёнок живёт с мамой: ")
    }


def test_results_in_the_terminal_break_down_by_organisation_and_cohort_unless_asked(loaded) -> None:
    default = _results(loaded)
    assert default.exit_code == 0, default.output
    assert _breakdown_titles(default.stdout) == {"Организация", "Год выхода"}
    assert (
        "Другие разбивки: Программа, по которой проживала (--by programme), Получена материальная помощь при "
        "выходе (--by material_help). Показать одну: followup results --table breakdowns --by programme"
    ) in " ".join(default.stdout.split())  # (rich wraps the line)
    every = _results(loaded, "--by", "organisation", "--by", "cohort", "--by", "programme", "--by", "material_help")
    assert every.exit_code == 0, every.output
    assert _breakdown_titles(every.stdout) == {
        "Организация", "Год выхода", "Программа, по которой проживала", "Получена материальная помощь при выходе"
    }  # fmt: skip
    assert "Другие разбивки" not in every.stdout
    for title in labels.TITLES.values():  # every table kind is still there
        assert title in default.stdout, title
    lines, every_lines = len(default.stdout.splitlines()), len(every.stdout.splitlines())
    assert lines < 0.8 * every_lines, (lines, every_lines)

    one = _results(loaded, "--table", "breakdowns", "--by", "programme")
    assert one.exit_code == 0, one.output
    assert _breakdown_titles(one.stdout) == {"Программа, по которой проживала"}
    assert labels.TITLES["by_wave"] not in one.stdout
    assert "(--by organisation), Год выхода (--by cohort), Получена материальная помощь" in " ".join(one.stdout.split())


def test_results_by_an_unknown_grouping_names_the_valid_ones(loaded) -> None:
    wrong = _results(loaded, "--by", "programm")
    assert wrong.exit_code == 2
    message = " ".join(wrong.stderr.replace("│", " ").split())
    assert "Invalid value for '--by': no grouping 'programm'" in message
    assert "use one of: organisation, cohort, programme, material_help" in message
    in_a_file = _results(loaded, "--by", "programme", "--format", "csv")
    refused = " ".join(in_a_file.stderr.split())
    assert in_a_file.exit_code == 2 and "csv, parquet, xlsx and html hold every grouping" in refused


def test_results_events_and_change_by_an_item_show_those_tables_by_its_groups_with_the_log_rank_test(loaded) -> None:
    events = _results(loaded, "--table", "events", "--by", "material_help")
    assert events.exit_code == 0, events.output
    text = " ".join(events.stdout.split())
    assert labels.TITLES["events_by_group"] in events.stdout and labels.TITLES["breakdowns"] not in events.stdout
    assert "Нет повторного обращения в кризисный центр: Получена материальная помощь при выходе" in text
    assert "Лог-ранговый критерий" in text and "Организация" not in _breakdown_titles(events.stdout)
    assert "Другие разбивки: Организация (--by organisation)" in text and "--table events --by organisation" in text

    change = _results(loaded, "--table", "change", "--by", "programme")
    assert change.exit_code == 0, change.output
    assert labels.TITLES["change_by_group"] in change.stdout and labels.TITLES["events_by_group"] not in change.stdout
    assert _breakdown_titles(change.stdout) == {"Программа, по которой проживала"}
    assert "Пар" in change.stdout and "Лучше" in change.stdout and "Под набл." not in change.stdout


@pytest.mark.parametrize("table", ["attrition", "survival_curve", "cost"])
def test_results_by_for_a_table_without_groups_is_an_error_naming_the_tables_that_take_it(loaded, table) -> None:
    wrong = _results(loaded, "--table", table, "--by", "material_help")
    assert wrong.exit_code != 0 and labels.TITLES[table] not in wrong.stdout
    message = " ".join((wrong.stdout + wrong.stderr).replace("│", " ").split())
    assert f"--table {table} has no groups to choose with --by" in message
    assert "--by takes the tables by_wave, change, events, breakdowns, change_by_group, events_by_group" in message
