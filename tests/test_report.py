"""The offline HTML report: self-contained, every chart and table, nothing suppressed, parses strictly;
and the reports a run writes, on the demo corpus."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from conftest import AS_OF
from results_homes import small_home, tables_of
from test_disclosure import leaks
from test_pipeline import run_stages
from test_render import ABOUT, RAW, SECRET_TEXTS, SHOWN

from followup.results import charts, disclosure, labels, render, report
from followup.results.events import event_tables
from followup.results.tables import COLUMNS, ResultTables, compute_tables
from followup.run import definitions
from followup.warehouse import Warehouse


def parse(html: str) -> ET.Element:
    """Strictly: the report is written as well-formed XML (XHTML syntax), so ElementTree must take it."""
    assert html.startswith("<!DOCTYPE html>")
    return ET.fromstring(html.removeprefix("<!DOCTYPE html>"))


def section_rows(root: ET.Element, section: str) -> list[list[str]]:
    found = root.find(f".//section[@id='{section}']")
    assert found is not None, section
    table = found.find(".//table")
    assert table is not None, section
    return [["".join(td.itertext()) for td in tr] for tr in table.iter("tr")]


def test_the_report_is_one_offline_file_with_every_chart_and_table() -> None:
    html = report.html_report(SHOWN, ABOUT)
    root = parse(html)
    assert not re.search(r"https?://", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
    images = [img.get("src", "") for img in root.iter("img")]
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    captions = ["".join(c.itertext()) for c in root.iter("figcaption")]
    # by wave: both indicators with a shown figure; one Kaplan–Meier curve; attrition
    assert any(c.startswith("Стабильное жильё: доля и 95% интервал Уилсона") for c in captions)
    assert any(c.startswith("Родительская компетентность: медиана и квартили") for c in captions)
    assert any(c.startswith("Нет повторного кризиса: доля без события") for c in captions)
    assert any(c.startswith("Нет повторного кризиса") and "показана до 12 мес." in c for c in captions)
    assert "Доля ответивших по волнам, по году выхода" in captions
    assert len(images) == 4
    headings = ["".join(h.itertext()) for h in root.iter("h2")]
    assert headings == [head for _, head in report.SECTIONS]
    for section in ("by_wave", "change", "events", "attrition", "breakdowns", "cost"):
        assert len(section_rows(root, section)) > 1, section
    text = "".join(root.itertext())
    assert "Приют «Тест»" in text and "01.11.2026" in text and "min_cell = 5" in text
    # the tables by group, under their tables: change by organisation, events by cohort with the test
    summaries = ["".join(d.find("summary").itertext()) for d in root.iter("details")]  # type: ignore[union-attr]
    assert f"{labels.TITLES['change_by_group']}: Организация" in summaries
    assert f"{labels.TITLES['events_by_group']}: Год выхода" in summaries
    events = root.find(".//section[@id='events']")
    assert events is not None
    rows = [["".join(td.itertext()) for td in tr] for t in events.iter("table") for tr in t.iter("tr")]
    header = next(r for r in rows if "Группа" in r and "Критерий" in r)
    assert header[header.index("Критерий") :] == ["Критерий", "Статистика", "p"]
    cohort_2024 = [r for r in rows if len(r) == len(header) and r[header.index("Группа")] == "2024"]
    assert len(cohort_2024) == 3 and all(r[-3:] == ["log-rank", "<5", "<5"] for r in cohort_2024)


def test_the_report_holds_no_suppressed_value() -> None:
    root = parse(report.html_report(SHOWN, ABOUT))
    text = "".join(root.itertext())
    assert not [s for s in SECRET_TEXTS if s in text]
    rows = section_rows(root, "by_wave")
    header, columns = rows[0], render.file_columns(SHOWN.tables.by_wave)
    assert header == [labels.COLUMNS_RU[c] for c in columns]
    hidden = SHOWN.hidden["by_wave"]
    for i, row in enumerate(rows[1:]):
        for col, cell in zip(columns, row, strict=True):
            if hidden.loc[i, col]:
                assert cell == "<5", (i, col)
            else:
                assert cell != "<5", (i, col)
    assert rows[3][header.index("Доля с результатом")] == "<5"
    assert rows[6][header.index("Среднее")] == "<5"


def test_charts_never_plot_a_suppressed_value() -> None:
    bw = SHOWN.tables.by_wave
    housed = charts.by_wave(bw[bw["indicator"] == "housed"], "Стабильное жильё", "state")
    assert housed is not None
    plotted = housed.axes[0].lines[0]
    assert list(plotted.get_xdata()) == [0, 12]  # 36 months: 1 of 3, suppressed
    assert 0.123 not in list(plotted.get_ydata())
    skills = charts.by_wave(bw[bw["indicator"] == "skills"], "Родительская компетентность", "scale")
    assert skills is not None and list(skills.axes[0].lines[0].get_ydata()) == [3.0]  # 8.0 at 36 is hidden
    curve = charts.survival(SHOWN.tables.survival_curve, "Нет повторного кризиса")
    assert curve is not None
    # events at 36 months: 3 at risk, suppressed; so the curve stops at 12 months
    assert max(curve.axes[0].lines[0].get_xdata()) == 12
    attrition = charts.attrition(SHOWN.tables.attrition)
    assert attrition is not None
    assert [list(line.get_xdata()) for line in attrition.axes[0].lines] == [[0, 36], [0, 36]]
    # the raw table would have drawn them: the chart follows what disclosure control left
    assert list(charts.by_wave(RAW.by_wave[RAW.by_wave["indicator"] == "housed"], "", "state").axes[0].lines[0]
                .get_xdata()) == [0, 12, 36]  # fmt: skip


def _early_stop() -> disclosure.Suppressed:
    """The hand-made tables with 3 events by 3 months (suppressed): the curve may be shown up to 0 months only,
    the survival at 12 months is shown in the events table."""
    waves = [(0, 60, 0, 1.0), (3, 55, 3, 0.951), (12, 40, 6, 0.9), (36, 3, 9, 0.8)]
    events = pd.DataFrame(
        [{"indicator": "crisis", "title": "Нет повторного кризиса", "wave": w, "at_risk": n, "events": e,
          "survival": v, "ci_low": v - 0.1, "ci_high": min(1.0, v + 0.05)} for w, n, e, v in waves]
    )  # fmt: skip
    curve = pd.DataFrame(
        [{"indicator": "crisis", "title": "Нет повторного кризиса", "months": m, "survival": v, "ci_low": v - 0.1,
          "ci_high": min(1.0, v + 0.05)} for m, v in [(0, 1.0), (2, 0.951), (5, 0.93), (12, 0.9), (30, 0.8)]]
    )  # fmt: skip
    tables = {name: getattr(RAW, name) for name, _ in RAW.items()} | {"events": events, "survival_curve": curve}
    return disclosure.suppress(ResultTables(**tables))


def test_a_curve_stopped_early_still_shows_the_later_waves_and_says_where_it_stops_and_why() -> None:
    shown = _early_stop()
    assert shown.hidden["events"].loc[1, "survival"] and not shown.hidden["events"].loc[2, "survival"]
    assert shown.hidden["survival_curve"]["survival"].tolist() == [False, True, True, True, True]
    fig = charts.survival(shown.tables.survival_curve, "Нет повторного кризиса", shown.tables.events)
    assert fig is not None
    ax = fig.axes[0]
    assert "Кривая" not in [line.get_label() for line in ax.lines]  # one point of the curve is no curve
    (points,) = ax.containers  # the waves whose survival is shown, with their interval
    assert (list(points.lines[0].get_xdata()), list(points.lines[0].get_ydata())) == ([0, 12], [1.0, 0.9])
    # without the waves' points, one point is no curve: nothing to draw
    assert charts.survival(shown.tables.survival_curve, "Нет повторного кризиса") is None
    root = parse(report.html_report(shown, ABOUT))
    captions = ["".join(c.itertext()) for c in root.iter("figcaption")]
    assert (
        "Нет повторного кризиса: доля без события (Каплан–Мейер) и 95% интервал; кривая показана до 0 мес., потому "
        "что к 3 мес. слишком мало событий («<5»), а ступени кривой выдали бы их число; точками — волны, где доля "
        "без события показана: 12 мес."
    ) in captions
    events = section_rows(root, "events")
    column = events[0].index(labels.COLUMNS_RU["survival"])
    assert [row[column] for row in events[1:]] == ["100%", "<5", "90%", "<5"]  # as the chart: 0 and 12 months


def test_a_small_home_names_the_curve_it_cannot_draw_yet_and_why(tmp_path_factory) -> None:
    home = small_home(tmp_path_factory)
    tables, indicators, _ = tables_of(home)
    # The tables leave out the placement in care, which no form of this home asks about; its events computed all
    # the same stand for an event a loaded form asks about and nobody has answered yet.
    assert "no_child_placement" not in set(tables.events["indicator"])
    with Warehouse(home.warehouse, read_only=True) as wh:
        every = event_tables(wh, indicators, home.settings.waves.months)
    tables.events = every.events.reindex(columns=COLUMNS["events"])
    tables.survival_curve = every.survival_curve.reindex(columns=COLUMNS["survival_curve"])
    shown = disclosure.suppress(tables, 5)
    crisis = shown.tables.events["indicator"] == "no_repeat_crisis"
    at_three = tables.events[crisis & (tables.events["wave"] == 3)].index[0]
    assert (tables.events.loc[at_three, "at_risk"], tables.events.loc[at_three, "events"]) == (8, 1)
    assert shown.hidden["events"].loc[at_three, "events"] and not shown.hidden["events"].loc[at_three, "at_risk"]
    root = parse(report.html_report(shown, ABOUT))
    section = root.find(".//section[@id='events']")
    assert section is not None
    said = " ".join("".join(p.itertext()) for p in section.iter("p"))
    assert not list(section.iter("img"))
    assert (
        "Кривую пока нельзя показать: Ребёнок не был помещён в учреждение (после выхода на этот вопрос ещё никто не "
        "ответил); Нет повторного обращения в кризисный центр (кривая показана до 0 мес., потому что к 3 мес. "
        "слишком мало событий («<5»), а ступени кривой выдали бы их число)."
    ) in said


def test_a_table_with_nothing_shown_draws_no_chart() -> None:
    bw = SHOWN.tables.by_wave
    assert charts.by_wave(bw[(bw["indicator"] == "housed") & (bw["wave"] == 36)], "x", "state") is None


def test_the_nightly_artifact_adds_the_suppressed_by_wave_summary_to_the_counts() -> None:
    from flows.nightly import _report
    from followup.run import Summary

    summary = Summary(run_id=3, files_seen=2, files_loaded=2, rows_read=40, rows_loaded=40)
    summary.results_summary = report.markdown_summary(SHOWN)
    summary.reports = ["/home/x/reports/report.html"]
    markdown = _report(summary)
    assert "| 2 | 2 | 0 | 0 | 40 | 40 | 0 | 0 |" in markdown
    lines = markdown.splitlines()
    assert "| Показатель | 0 мес. | 12 мес. | 36 мес. |" in lines
    assert "| Стабильное жильё | 52% из 58 | 75% из 40 | <5 из <5 |" in lines
    assert "| Родительская компетентность |  | 3,40 из 30 | <5 из <5 |" in lines
    assert not [s for s in SECRET_TEXTS if s in markdown] and "`report.html`" in markdown


@pytest.mark.slow
def test_a_run_writes_every_report_and_they_hold_only_what_disclosure_control_shows(demo_home) -> None:
    summary, _ = run_stages(demo_home)
    reports = demo_home.reports
    names = {Path(p).name for p in summary.reports}
    assert names == {"results.xlsx", "report.html", *(f"{n}.csv" for n in labels.TITLES)}
    assert sorted(p.name for p in reports.iterdir()) == sorted(names)  # (and nothing else)
    assert "| Стабильное жильё |" in summary.results_summary
    instruments, indicators = definitions(demo_home)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        computed = compute_tables(wh, indicators, demo_home.settings.waves.months, AS_OF, instruments=instruments)
    shown = disclosure.suppress(computed, demo_home.settings.results.min_cell)
    assert shown.hidden["by_wave"].values.any()  # the demo has small cells: the test below means something
    assert leaks(computed, shown) == []  # nothing hidden comes back by subtraction on the real tables
    html = (reports / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    root = parse(html)
    rows = section_rows(root, "by_wave")
    expected = render.cells(shown, "by_wave")[render.file_columns(shown.tables.by_wave)]
    assert rows[1:] == expected.values.tolist()
    csv = pd.read_csv(reports / "by_wave.csv")
    assert csv["share"].isna().sum() >= shown.hidden["by_wave"]["share"].sum()
    assert csv["suppressed"].tolist() == shown.hidden["by_wave"].any(axis=1).tolist()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_report_renders_in_a_headless_browser(tmp_path: Path) -> None:
    page = report.write_html(SHOWN, tmp_path / "report.html", ABOUT)
    shot = tmp_path / "report.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
         "--window-size=1200,3000", page.as_uri()],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 50_000  # a blank page is a few kB
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[:2] == (3000, 1200)
    assert (pixels[:1500, :, :3] < 0.5).any()  # something dark (text, charts) is drawn in the top half
