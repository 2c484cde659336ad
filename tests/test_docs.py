"""The documents are tested, so that what they tell a new user stays true."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from conftest import AS_OF, ROOT
from results_homes import demo as demo
from test_pipeline import run_stages

from followup.demo import write_baseline_xlsx
from followup.warehouse import Warehouse


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_worked_example_in_schemas_readme_works_as_written(home) -> None:
    example = next(b for b in blocks(ROOT / "schemas" / "README.md", "yaml") if "instrument: six_month_call" in b)
    (home.instruments / "six_month_call.yaml").write_text(example, encoding="utf-8")
    write_baseline_xlsx(
        home.inbox / "closure.xlsx",
        [
            {
                "№": 1,
                "Дата завершения случая": "10.01.2026",
                "ФИО выпускницы": "Иванова Алёна Петровна",
                "Телефон": "89123456789",
                "Ребёнок проживает с мамой": "Да",
            }
        ],
    )
    header = "Дата;ФИО;Телефон;Ребёнок живёт с вами?;Работаете ли вы сейчас?;Комментарий"
    assert header in (ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    row = "12.07.2026;Алена Иванова Петровна;+7 912 345-67-89;Да;Нет;Всё хорошо"
    (home.inbox / "yandex.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")

    summary, table = run_stages(home, as_of=AS_OF)
    assert summary.rows_loaded == 2 and summary.files_rejected == 0
    six = table[(table["wave"] == 6) & table["indicator"].isin(["child_with_mother", "income"])]
    assert six.set_index("indicator")[["answered", "with_outcome"]].to_dict("index") == {
        "child_with_mother": {"answered": 1, "with_outcome": 1},
        "income": {"answered": 1, "with_outcome": 0},
    }


def test_the_data_dictionary_names_every_table_and_column(demo_home) -> None:
    run_stages(demo_home)
    text = (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8")
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        columns = wh.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall()
        for sql in blocks(ROOT / "warehouse" / "README.md", "sql"):
            for statement in filter(str.strip, sql.split(";")):
                assert len(wh.con.execute(statement).fetchall()) > 0, statement
    for table, column in columns:
        assert f"`{table}`" in text, table
        assert column in text, f"{table}.{column}"


def test_every_yaml_snippet_in_schemas_readme_is_valid() -> None:
    import yaml

    from followup.indicators import Indicator, Menu
    from followup.instruments import ExtraExpectation, Item, Version

    checked = 0
    for block in blocks(ROOT / "schemas" / "README.md", "yaml"):
        data = yaml.safe_load(block.replace(": [yes]", ': ["yes"]'))
        entries = data if isinstance(data, list) else [data]
        for entry in entries:
            if "instrument" in entry:
                continue  # the worked example: loaded whole by the test above
            if "items" in entry and isinstance(entry["items"], list) and "code" in entry["items"][0]:
                [Item.model_validate(i) for i in entry["items"]]
            elif "versions" in entry:
                [Version.model_validate(v) for v in entry["versions"]]
            elif "expectations" in entry:
                [ExtraExpectation.model_validate(e) for e in entry["expectations"]]
            elif "indicators" in entry:
                Menu.model_validate(entry)
            elif "id" in entry:
                Indicator.model_validate(entry)
            else:
                raise AssertionError(f"an unchecked snippet: {block[:60]}")
            checked += 1
    assert checked >= 5


def test_the_duckdb_shell_the_readme_names_opens_the_warehouse_read_only(demo_home) -> None:
    import subprocess
    import sys

    run_stages(demo_home)
    shell = Path(sys.executable).with_name("duckdb")
    done = subprocess.run(
        [str(shell), "-readonly", "-csv", str(demo_home.warehouse), "-c", "SELECT count(*) AS n FROM graduates"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 100


def test_the_window_examples_in_schemas_readme_are_what_the_rule_does() -> None:
    from followup.waves import place, tolerance

    text = (ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [a-z -]+ \| ([\d, ]+) \| ([\d, ]+) \| (.+?) \|$", text, flags=re.MULTILINE)
    assert len(rows) == 5
    for waves_text, windows_text, examples in rows:
        waves = [int(w) for w in waves_text.split(", ")]
        assert [tolerance(w, 0.25) for w in waves] == [int(w) for w in windows_text.split(", ")], waves_text
        pairs = [example.split(" → ") for example in examples.split("; ")]
        forms = pd.DataFrame(
            {
                "graduate_id": [str(i) for i in range(len(pairs))],  # one woman each: no two share a wave
                "instrument": "call",
                "kind": "followup",
                "months": [float(months) for months, _ in pairs],
                "declared": pd.array([None] * len(pairs), dtype="Int64"),
            }
        )
        placed = place(forms, waves, 0.25)
        got = ["none" if pd.isna(w) else str(w) for w in placed]
        assert got == [wave for _, wave in pairs], waves_text


def test_the_declared_waves_example_in_schemas_readme_works_as_written(home) -> None:
    example = next(b for b in blocks(ROOT / "schemas" / "README.md", "yaml") if "instrument: monitoring_call" in b)
    (home.instruments / "monitoring_call.yaml").write_text(example, encoding="utf-8")
    (home.root / "followup.toml").write_text("[waves]\nmonths = [1, 2, 3, 4]\n", encoding="utf-8")
    write_baseline_xlsx(
        home.inbox / "closure.xlsx",
        [{"№": 1, "Дата завершения случая": "10.01.2026", "ФИО выпускницы": "Иванова Алёна Петровна"}],
    )
    name = "Иванова Алёна Петровна"
    (home.inbox / "Первый звонок.csv").write_text(f"Дата,ФИО,Ребёнок с мамой?\n12.02.2026,{name},Да\n", "utf-8")
    # 79 days after exit (2.6 months: the date alone would say wave 3), sent as the 2-month call
    (home.inbox / "Звонок через 2 мес.csv").write_text(f"Дата,ФИО,Ребёнок с мамой?\n30.03.2026,{name},Да\n", "utf-8")
    # 90 days (2.96 months), declared the final call: wave 4
    calls = f"Дата звонка,ФИО,Какой это звонок,Ребёнок с мамой?\n10.04.2026,{name},Итоговый звонок,Нет\n"
    (home.inbox / "Звонки.csv").write_text(calls, "utf-8")

    from followup.home import open_home

    summary, _ = run_stages(open_home(home.root), as_of=AS_OF)
    assert summary.files_loaded == 4 and summary.rows_quarantined == 0
    with Warehouse(home.warehouse, read_only=True) as wh:
        waves = wh.con.execute(
            "SELECT version, wave, wave_declared FROM responses WHERE instrument = 'monitoring_call' ORDER BY wave"
        ).fetchall()
    assert waves == [(1, 1, True), (2, 2, True), (3, 4, True)]


def test_the_network_example_in_the_readme_is_what_init_writes(tmp_path) -> None:
    """README «A network of organisations»: the `followup init --organisation` command writes the organisations
    the example shows, and the example (with its hand-added lines) is a valid followup.toml."""
    import shlex
    import tomllib

    from followup.config import Settings
    from followup.home import init_home

    readme = ROOT / "README.md"
    command = next(b for b in blocks(readme, "sh") if "--organisation" in b).replace("\\\n", " ")
    args = shlex.split(command)
    wanted = [args[i + 1] for i, a in enumerate(args) if a == "--organisation"]
    home, _ = init_home(tmp_path / "network", wanted)
    example = next(b for b in blocks(readme, "toml") if "[[organisations]]" in b)
    shown = Settings.model_validate(tomllib.loads(example)).organisations
    written = home.settings.organisations
    assert [(o.code, o.name) for o in written] == [(o.code, o.name) for o in shown] and len(shown) == 3
    assert all((home.inbox / o.code).is_dir() for o in written)
    assert next(o for o in shown if o.code == "nadezhda").files == ["nadezhda_*"]


def test_the_definitions_settings_in_the_readmes_read_as_written(tmp_path) -> None:
    from followup.config import load_settings

    found = [
        block
        for doc in (ROOT / "README.md", ROOT / "schemas" / "README.md")
        for block in blocks(doc, "toml")
        if "[definitions]" in block
    ]
    assert len(found) == 2
    for block in found:
        (tmp_path / "followup.toml").write_text(block, encoding="utf-8")
        chosen = load_settings(tmp_path, environ={}).definitions
        assert (chosen.instruments, chosen.indicators) == ("none", "none")
        assert not chosen.uses("instruments", "case_closure") and not chosen.uses("indicators", "stable_housing")


# -- the tidy result files (warehouse/README.md, «Result tables for scripts») ---------------------------------


def _tidy_section() -> str:
    text = (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8")
    start = text.index("## Result tables for scripts")
    return text[start : text.index("\n## ", start + 1)]


def test_every_tidy_file_and_column_is_documented_with_its_type() -> None:
    from followup.results import tidy
    from followup.results.tables import COLUMNS

    section = _tidy_section()
    files = dict(re.findall(r"^\| `reports/(\w+)\.csv` \| [^|]+ \| ([^|]+) \|$", section, flags=re.MULTILINE))
    assert sorted(files) == sorted(COLUMNS)
    for name, columns in files.items():
        assert columns.strip().split(", ") == tidy.tidy_columns(COLUMNS[name]), name
    kinds = dict(re.findall(r"^\| `(\w+)` \| (text|integer|number|boolean) \| .+ \|$", section, flags=re.MULTILINE))
    every = {c for columns in COLUMNS.values() for c in tidy.tidy_columns(columns)}
    assert sorted(kinds) == sorted(every)
    assert {c: tidy.kind_of(c) for c in every} == kinds


def _tidy_files(demo, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """folder/followup-home/reports as the README's examples expect it: the demo run's CSVs and the Parquet
    files `followup results --format parquet` writes."""
    import shutil

    from conftest import run_cli

    reports = folder / "followup-home" / "reports"
    reports.mkdir(parents=True)
    for path in demo.reports.glob("*.csv"):
        shutil.copyfile(path, reports / path.name)
    done = run_cli(
        "results", "--home", str(demo.root), "--format", "parquet", "--output", str(reports), "--as-of", str(AS_OF)
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_the_python_example_for_the_tidy_files_runs_as_written(demo, tmp_path: Path) -> None:
    import subprocess
    import sys

    example = next(b for b in blocks(ROOT / "warehouse" / "README.md", "python") if "reports/by_wave.csv" in b)
    done = subprocess.run(
        [sys.executable, "-c", example], cwd=_tidy_files(demo, tmp_path), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["wave", "eligible", "answered", "with_outcome", "share", "suppressed"]
    assert [line.split()[0] for line in lines[1:7]] == ["0", "3", "6", "12", "24", "36"]
    by_organisation = lines[7:]
    assert by_organisation[0].split() == [
        "group_code",
        "group_label",
        "wave",
        "answered",
        "share",
        "suppressed_columns",
    ]
    assert sum("Дом для мамы" in line for line in by_organisation) == 6  # its six waves
    assert not any("ddm" in line for line in by_organisation)  # the demo home lists no [[organisations]]


def test_the_r_example_for_the_tidy_files_runs_as_written(demo, tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed")
    has_duckdb = subprocess.run([rscript, "-e", "library(duckdb)"], capture_output=True, check=False)
    if has_duckdb.returncode != 0:
        pytest.skip("the R package duckdb is not installed")
    example = next(b for b in blocks(ROOT / "warehouse" / "README.md", "r") if "reports/by_wave.csv" in b)
    script = tmp_path / "example.R"
    script.write_text(example, encoding="utf-8")
    done = subprocess.run(
        [rscript, str(script)], cwd=_tidy_files(demo, tmp_path), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "with_outcome" in done.stdout and "Дом для мамы" in done.stdout


def test_every_file_the_run_writes_under_reports_is_documented(demo) -> None:
    from followup.results.tables import COLUMNS

    written = sorted(p.name for p in demo.reports.iterdir())
    assert {"results.xlsx", "report.html", "by_wave.csv"} <= set(written)
    dictionary = _tidy_section()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in written:
        assert f"`reports/{name}`" in dictionary, name
        table = name.removesuffix(".csv")
        assert f"`reports/{name}`" in readme or (table in COLUMNS and "`reports/<table>.csv`" in readme), name
