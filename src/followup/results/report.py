"""The evaluators' reports: one offline HTML file (charts, tables, notes), and every report a run writes.

The HTML needs nothing but itself: CSS is inline, charts are PNG embedded as data: URIs, there are no
scripts, fonts or links to fetch. Everything in it comes from the tables disclosure control returned.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

import pandas as pd

from followup.organisations import Network
from followup.results import charts, labels, render, tidy
from followup.results.disclosure import Suppressed, suppress
from followup.results.render import About
from followup.results.tables import ResultTables

TEMPLATE = Path(__file__).with_name("report.html")
TEXT_COLUMNS = {"title", "type", "group_title", "group_label", "organisation", "period", "test"}
SECTIONS = [
    ("by_wave", "Результаты по волнам"),
    ("change", "Изменения с момента выхода"),
    ("events", "События и кривые Каплана–Мейера"),
    ("attrition", "Охват по когортам"),
    ("breakdowns", "Показатели по группам"),
    ("cost", "Стоимость социального результата"),
    ("notes", "Как посчитано"),
]


def _table(shown: Suppressed, name: str, rows: pd.Index | None = None) -> str:
    """The table as HTML: Russian headers, suppressed cells as the marker (class "s")."""
    table = getattr(shown.tables, name)
    if not len(table):
        return f'<p class="empty">{html.escape(render.nothing(name))}</p>'
    text_cells, hidden = render.cells(shown, name), shown.hidden[name]
    columns = render.file_columns(table)
    rows = table.index if rows is None else rows
    head = "".join(f"<th>{html.escape(labels.COLUMNS_RU[c])}</th>" for c in columns)
    body = []
    for i in rows:
        tds = []
        for c in columns:
            css = "s" if hidden.loc[i, c] else ("" if c in TEXT_COLUMNS else "n")
            attr = f' class="{css}"' if css else ""
            tds.append(f"<td{attr}>{html.escape(str(text_cells.loc[i, c]))}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _figure(uri: str, caption: str) -> str:
    alt = html.escape(caption, quote=True)
    return f'<figure><img src="{uri}" alt="{alt}"/><figcaption>{html.escape(caption)}</figcaption></figure>'


def _details(summary: str, inner: str, open_: bool = False) -> str:
    flag = ' open="open"' if open_ else ""
    return f"<details{flag}><summary>{html.escape(summary)}</summary>{inner}</details>"


def _notes(name: str) -> str:
    return '<ul class="notes">' + "".join(f"<li>{html.escape(n)}</li>" for n in labels.TABLE_NOTES[name]) + "</ul>"


def _charts(name: str, figures: list[str], missing: str, *tables: str) -> str:
    """A section of charts: the figures, a line on what could not be drawn (if any), the table's notes, then
    its tables."""
    why = f'<p class="empty">{html.escape(missing)}</p>' if missing else ""
    return f'<div class="charts">{"".join(figures)}</div>{why}' + _notes(name) + "".join(tables)


def _by_wave(shown: Suppressed) -> str:
    figures = []
    for title, rows in shown.tables.by_wave.groupby("title", sort=False):
        fig = charts.by_wave(rows, str(title), str(rows["type"].iloc[0]))
        if fig is not None:
            kind = "медиана и квартили балла" if rows["type"].iloc[0] == "scale" else "доля и 95% интервал Уилсона"
            figures.append(_figure(charts.png(fig), f"{title}: {kind} по волнам"))
    table = _details(labels.TITLES["by_wave"], _table(shown, "by_wave"), open_=True)
    missing = "" if figures else "Пока нет показанных результатов."
    return _charts("by_wave", figures, missing if len(shown.tables.by_wave) else labels.NO_INDICATORS, table)


def _stopped_at(shown: Suppressed, waves: pd.DataFrame) -> tuple[int, str]:
    """The first wave (of an indicator's rows of `events`, in wave order) whose survival is not shown, and why
    (a key of labels.CURVE_STOPS); the last wave and "last_wave" when every wave's survival is shown."""
    events, hidden = shown.tables.events, shown.hidden["events"]
    for i in waves.index:
        if hidden.loc[i, "at_risk"]:
            return int(events.loc[i, "wave"]), "at_risk"
        if hidden.loc[i, "survival"]:
            return int(events.loc[i, "wave"]), "events"
        if pd.isna(events.loc[i, "survival"]):
            return int(events.loc[i, "wave"]), "followed"
    return int(waves["wave"].max()), "last_wave"


def _curve_stop(shown: Suppressed, rows: pd.DataFrame, at_waves: pd.DataFrame) -> str:
    """Where a Kaplan–Meier curve stops being shown, why, and the waves shown after it; "" when the whole
    curve is shown."""
    hidden = shown.hidden["survival_curve"].loc[rows.index, "survival"]
    if not hidden.any() or not len(at_waves):
        return ""
    waves = at_waves.sort_values("wave", kind="stable")
    wave, why = _stopped_at(shown, waves)
    later = waves[(waves["wave"] > wave) & waves["survival"].notna()]  # (suppressed survival is NaN here)
    until = pd.to_numeric(rows.loc[~hidden, "months"]).max()
    return labels.curve_stop(until, wave, why, shown.min_cell, [int(w) for w in later["wave"]])


def _events(shown: Suppressed) -> str:
    curve, events = shown.tables.survival_curve, shown.tables.events
    figures, undrawn = [], []
    for (indicator, title), rows in curve.groupby(["indicator", "title"], sort=False) if len(curve) else []:
        at_waves = events[events["indicator"] == indicator]
        stop = _curve_stop(shown, rows, at_waves)
        fig = charts.survival(rows, str(title), at_waves)
        if fig is None:
            undrawn.append(f"{title} ({stop or labels.NO_CURVE})")
        else:
            caption = f"{title}: доля без события (Каплан–Мейер) и 95% интервал" + (f"; {stop}" if stop else "")
            figures.append(_figure(charts.png(fig), caption))
    why = f"Кривую пока нельзя показать: {'; '.join(undrawn)}." if undrawn else ""
    return _charts(
        "events",
        figures,
        why,
        _details(labels.TITLES["events"], _table(shown, "events"), open_=True),
        _details(labels.TITLES["survival_curve"], _table(shown, "survival_curve")),
        f"<h3>{html.escape(labels.TITLES['events_by_group'])}</h3>",
        _by_group(shown, "events_by_group"),
    )


def _attrition(shown: Suppressed) -> str:
    fig = charts.attrition(shown.tables.attrition) if len(shown.tables.attrition) else None
    figures = [_figure(charts.png(fig), "Доля ответивших по волнам, по году выхода")] if fig is not None else []
    table = _details(labels.TITLES["attrition"], _table(shown, "attrition"), open_=True)
    return _charts("attrition", figures, "", table)


def _by_group(shown: Suppressed, name: str) -> str:
    """A table by group: its notes, then one folded table per grouping (rows where the base count is 0 left
    out: nobody answered, paired or followed)."""
    table = getattr(shown.tables, name)
    if not len(table):
        return _notes(name) + _table(shown, name)
    parts = [_notes(name)]
    base = pd.to_numeric(table[render.BASE[name]], errors="coerce")
    for group_title, rows in table[base.isna() | (base > 0)].groupby("group_title", sort=False):
        parts.append(_details(f"{labels.TITLES[name]}: {group_title}", _table(shown, name, rows.index)))
    return "".join(parts)


def _breakdowns(shown: Suppressed) -> str:
    table = shown.tables.breakdowns
    if not len(table):
        return _table(shown, "breakdowns")
    return _by_group(shown, "breakdowns")


def _section(shown: Suppressed, name: str) -> str:
    if name == "by_wave":
        return _by_wave(shown)
    if name == "events":
        return _events(shown)
    if name == "attrition":
        return _attrition(shown)
    if name == "breakdowns":
        return _breakdowns(shown)
    if name == "change":
        return (
            _notes(name)
            + _table(shown, name)
            + f"<h3>{html.escape(labels.TITLES['change_by_group'])}</h3>"
            + (_by_group(shown, "change_by_group"))
        )
    if name == "notes":
        return (
            '<ul class="notes">' + "".join(f"<li>{html.escape(n)}</li>" for n in labels.notes(shown.min_cell)) + "</ul>"
        )
    return _notes(name) + _table(shown, name)


def html_report(shown: Suppressed, about: About) -> str:
    """The whole report as one HTML document (well-formed XML too, so that a test can parse it strictly)."""
    title = f"{about.organisation}: катамнез выпускниц"
    contents = "\n".join(f'<li><a href="#{name}">{html.escape(head)}</a></li>' for name, head in SECTIONS)
    body = "\n".join(
        f'<section id="{name}"><h2>{html.escape(head)}</h2>{_section(shown, name)}</section>' for name, head in SECTIONS
    )
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=html.escape(title),
        about=html.escape(" ".join(about.lines(shown.min_cell))),
        contents=contents,
        body=body,
    )


def write_html(shown: Suppressed, path: Path, about: About) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(shown, about), encoding="utf-8")
    return path


def write_reports(
    tables: ResultTables, folder: Path, about: About, min_cell: int, network: Network | None = None
) -> tuple[Suppressed, list[Path]]:
    """Suppress, then write every report into `folder`: results.xlsx, report.html and one tidy CSV per table
    (`<table>.csv`, results/tidy.py; organisation codes from `network`). Nothing else is written there:
    warehouse/README.md documents each file."""
    shown = suppress(tables, min_cell)
    paths = [render.write_xlsx(shown, folder / "results.xlsx", about)]
    paths.append(write_html(shown, folder / "report.html", about))
    paths += tidy.write_tables(shown, folder, "csv", network)
    return shown, paths


def markdown_summary(shown: Suppressed) -> str:
    """by_wave in a few lines of markdown (for the nightly run's Prefect artifact): per indicator and wave,
    the share with the result (the mean score for scales) and how many answered; suppressed as the marker."""
    table = shown.tables.by_wave
    if not len(table):
        return "No results yet."
    text_cells = render.cells(shown, "by_wave")
    waves = list(dict.fromkeys(table["wave"]))
    lines = [
        f"## {labels.TITLES['by_wave']} (доля с результатом из ответивших; «{shown.marker}» скрыто)",
        "| Показатель | " + " | ".join(f"{render.text(w, 'wave')} мес." for w in waves) + " |",
        "|---" * (len(waves) + 1) + "|",
    ]
    for title, rows in table.groupby("title", sort=False):
        figure = "mean" if rows["type"].iloc[0] == "scale" else "share"
        at = dict(zip(rows["wave"], rows.index, strict=True))
        out = []
        for wave in waves:
            c = text_cells.loc[at[wave]] if wave in at else None
            out.append("" if c is None or c["answered"] == "0" else f"{c[figure]} из {c['answered']}")
        if any(out):
            lines.append(f"| {str(title).replace('|', '/')} | " + " | ".join(out) + " |")
    return "\n".join(lines)
