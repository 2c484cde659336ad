"""Writers of the result tables as disclosure control left them, for people: the terminal (rich) and XLSX.

Every writer takes a `disclosure.Suppressed`, never the raw tables, so no suppressed value can reach a
screen or a file. Suppressed cells read «<5» on the terminal, in XLSX and in HTML. The files for scripts
(CSV, Parquet: codes beside the labels, hidden cells empty and flagged) are results/tidy.py's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from followup.results import labels
from followup.results.disclosure import Suppressed

PERCENT = {"response_rate", "share", "ci_low", "ci_high", "survival"}
SCORE = {"mean", "sd", "median", "q1", "q3", "statistic"}
MONEY = {"programme_cost", "cost_per_resident", "cost_per_result"}
COUNTS = {
    "eligible", "reached", "answered", "with_outcome", "pairs", "improved", "worsened", "at_risk", "events",
    "residents", "graduates_due", "with_result", "wave", "months", "cohort",
}  # fmt: skip

# Columns of the files for people (XLSX, HTML): the contract's, without the codes a reader does not need.
HIDDEN_IN_FILES = {"indicator", "group_by", "group"}


@dataclass(frozen=True)
class About:
    """What the tables are of: shown in the headings and on the notes sheet."""

    organisation: str
    as_of: dt.date
    run_id: int | None = None

    def lines(self, min_cell: int) -> list[str]:
        run = f"; запуск {self.run_id}" if self.run_id else ""
        return [
            f"{self.organisation}: результаты на {self.as_of:%d.%m.%Y}{run}.",
            f"Скрыты числа от 1 до {min_cell - 1} выпускниц и всё, что их выдало бы («<{min_cell}»).",
        ]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def text(value: object, column: str, kind: str = "") -> str:
    """One figure as an evaluator reads it: 67%, 3,10, 12 345 руб.; «—» where there is none.
    `kind` is the indicator's type: a scale's baseline and at_wave are mean scores, else shares."""
    if _missing(value):
        return "—"
    if column == "type":
        return labels.TYPES_RU.get(str(value), str(value))
    if isinstance(value, str):
        return value
    v = float(value)  # type: ignore[arg-type]
    if column in PERCENT or (column in ("baseline", "at_wave") and kind != "scale"):
        return f"{v:.0%}"
    if column == "p_value":
        return "<0,001" if v < 0.001 else _number(v, 3)
    if column in SCORE or column in ("baseline", "at_wave"):
        return _number(v, 2)
    if column in MONEY:
        return _number(v, 0)
    if column in COUNTS and v.is_integer():
        return str(int(v))
    return _number(v, 2)


def cells(shown: Suppressed, name: str) -> pd.DataFrame:
    """Every cell of a table as text (hidden ones as the marker), plus `ci` (low–high) and `iqr`
    (q1–q3) where the table has them."""
    table, hidden = getattr(shown.tables, name), shown.hidden[name]
    kinds = table["type"] if "type" in table else pd.Series("", index=table.index)
    out = pd.DataFrame(index=table.index)
    for col in table.columns:
        out[col] = [
            shown.marker if h else text(v, col, str(k)) for v, h, k in zip(table[col], hidden[col], kinds, strict=True)
        ]
    for joined, (low, high) in {"ci": ("ci_low", "ci_high"), "iqr": ("q1", "q3")}.items():
        if low in table:
            out[joined] = [
                shown.marker
                if hidden.loc[i, low] or hidden.loc[i, high]
                else ("—" if _missing(table.loc[i, low]) else f"{out.loc[i, low]}–{out.loc[i, high]}")
                for i in table.index
            ]
    return out


# -- terminal -------------------------------------------------------------------------------------------

# Per table: the columns of its terminal view (for scale indicators, by type), and how it is split.
TERMINAL = {
    "by_wave": ["wave", "eligible", "reached", "response_rate", "answered", "with_outcome", "share", "ci"],
    "by_wave/scale": ["wave", "eligible", "reached", "answered", "mean", "sd", "median", "iqr"],  # (80 columns)
    "change": ["wave", "pairs", "baseline", "at_wave", "improved", "worsened", "test", "p_value"],
    "events": ["wave", "at_risk", "events", "survival", "ci"],
    "survival_curve": ["months", "survival", "ci"],
    "breakdowns": ["group_label", "wave", "eligible", "reached", "answered", "with_outcome", "share", "ci"],
    "breakdowns/scale": ["group_label", "wave", "eligible", "reached", "answered", "mean", "sd", "median"],
    "change_by_group": ["group_label", "wave", "pairs", "baseline", "at_wave", "improved", "worsened", "p_value"],
    "events_by_group": ["group_label", "wave", "at_risk", "events", "survival", "ci"],
    "cost": ["organisation", "period", "programme_cost", "residents", "cost_per_resident"],
    "cost/result": ["organisation", "period", "graduates_due", "with_result", "cost_per_result"],
}  # fmt: skip
SHORT = {**labels.SHORT_RU, "ci": "95% ДИ", "iqr": "Q1–Q3", "group_label": "Группа"}


def _small_table(title: str, columns: list[str], rows: pd.DataFrame) -> Table:
    out = Table(title=title, title_justify="left", title_style="bold", pad_edge=False)
    for col in columns:
        text_column = col in ("title", "group_label", "organisation", "period", "test")
        out.add_column(
            SHORT[col],
            justify="left" if text_column else "right",
            overflow="fold",
            min_width=len(SHORT[col]) if text_column else None,
        )
    for values in rows[columns].itertuples(index=False):
        out.add_row(*values)
    return out


# The count that says whether a row has anything to show: rows where it is 0 are left out of the terminal.
BASE = {
    "by_wave": "answered", "change": "pairs", "events": "at_risk", "breakdowns": "answered",
    "change_by_group": "pairs", "events_by_group": "at_risk",
}  # fmt: skip


def _quiet(name: str, table: pd.DataFrame) -> list[str]:
    """Titles of the indicators with nothing to show in this table (a suppressed count is something)."""
    base = BASE.get(name)
    if base is None or base not in table or not len(table):
        return []
    counts = pd.to_numeric(table[base], errors="coerce")
    some = (counts.isna() | (counts > 0)).groupby(table["title"], sort=False).any()
    return [str(t) for t, any_ in some.items() if not any_]


def _by_indicator(name: str, table: pd.DataFrame, text_cells: pd.DataFrame) -> list[RenderableType]:
    """One small table per indicator (those with nothing to show are named in one line instead)."""
    parts: list[RenderableType] = []
    quiet = _quiet(name, table)
    base = BASE.get(name)
    for title, rows in table[~table["title"].isin(quiet)].groupby("title", sort=False):
        if base in rows:  # rows where nobody answered, no pairs, nobody at risk say nothing
            rows = rows[pd.to_numeric(rows[base], errors="coerce").fillna(1) > 0]
        kind = str(rows["type"].iloc[0]) if "type" in rows else ""
        columns = TERMINAL.get(f"{name}/{kind}", TERMINAL[name])
        parts.append(_small_table(str(title), columns, text_cells.loc[rows.index]))
    if quiet:
        parts.append(Text(f"Пока нечего показать для показателей: {', '.join(quiet)}."))
    return parts


def _attrition(shown: Suppressed) -> list[RenderableType]:
    """Cohorts as rows, waves as columns: «reached из eligible» and the response rate."""
    table, text_cells = shown.tables.attrition, cells(shown, "attrition")
    out = Table(title="Ответили из должных, по году выхода", title_justify="left", pad_edge=False)
    waves = list(dict.fromkeys(table["wave"]))
    out.add_column(SHORT["cohort"], justify="left")
    for wave in waves:
        out.add_column(f"{text(wave, 'wave')} мес.", justify="right")
    for cohort, rows in table.groupby("cohort", sort=True):
        by_wave = {w: i for w, i in zip(rows["wave"], rows.index, strict=True)}
        row = [text(cohort, "cohort")]
        for wave in waves:
            i = by_wave.get(wave)
            if i is None or text_cells.loc[i, "eligible"] == "0":
                row.append("")
                continue
            c = text_cells.loc[i]
            row.append(f"{c['reached']}/{c['eligible']} {c['response_rate']}")
        out.add_row(*row)
    return [out]


def _cost(shown: Suppressed) -> list[RenderableType]:
    """The programme's cost once per organisation and period, then per indicator the cost per result in the
    periods where a graduate had the result (a suppressed count is something); the others are named in one line."""
    table, text_cells = shown.tables.cost, cells(shown, "cost")
    programmes = table.drop_duplicates(["organisation", "period"]).index
    parts: list[RenderableType] = [_small_table("", TERMINAL["cost"], text_cells.loc[programmes])]
    due, had = (pd.to_numeric(table[c], errors="coerce") for c in ("graduates_due", "with_result"))
    some = (due.isna() | (due > 0)) & (had.isna() | (had > 0))
    for title, rows in table[some].groupby("title", sort=False):
        parts.append(_small_table(str(title), TERMINAL["cost/result"], text_cells.loc[rows.index]))
    none = [str(t) for t in dict.fromkeys(table["title"]) if t not in set(table.loc[some, "title"])]
    if none:
        parts.append(Text(f"Ни у одной выпускницы периода нет результата в 12 месяцев: {', '.join(none)}."))
    return parts


# The groupings of the breakdowns the terminal shows unless asked for others (`followup results --by`).
DEFAULT_BY = ("organisation", "cohort")
# The tables `--by` splits, and the table of their figures by group (a table by group splits itself).
BY_GROUP = {"by_wave": "breakdowns", "change": "change_by_group", "events": "events_by_group"}
GROUPED = tuple(BY_GROUP.values())
# Shown in the terminal's view of every table only when asked for (`--by`): they are long.
ON_REQUEST = ("change_by_group", "events_by_group")


def groupings(table: pd.DataFrame) -> dict[str, str]:
    """The groupings of a breakdowns table, in its order: group_by (the --by code) -> group_title."""
    return dict(zip(table["group_by"], table["group_title"], strict=True)) if len(table) else {}


def _breakdowns(
    table: pd.DataFrame, text_cells: pd.DataFrame, kinds: dict[str, str], by: Sequence[str]
) -> list[RenderableType]:
    """Per grouping in `by` and indicator: groups as rows, waves as columns, «share (of answered)» in each
    cell (the mean score for scales); then one line naming the groupings left out and how to see one."""
    parts: list[RenderableType] = []
    quiet = set(_quiet("breakdowns", table))
    waves = list(dict.fromkeys(table["wave"]))
    for (group_title, title), rows in table[table["group_by"].isin(by)].groupby(["group_title", "title"], sort=False):
        if title in quiet:
            continue
        figure = "mean" if kinds.get(str(title)) == "scale" else "share"
        out = Table(title=f"{title}: {group_title}", title_justify="left", title_style="bold", pad_edge=False)
        out.add_column("Группа", justify="left", overflow="fold", max_width=24)
        for wave in waves:
            out.add_column(f"{text(wave, 'wave')} мес.", justify="right")
        for _, group in rows.groupby("group", sort=False):
            at = dict(zip(group["wave"], group.index, strict=True))
            row = [str(text_cells.loc[group.index[0], "group_label"])]
            for wave in waves:
                c = text_cells.loc[at[wave]] if wave in at else None
                row.append("" if c is None or c["answered"] == "0" else f"{c[figure]} из {c['answered']}")
            out.add_row(*row)
        parts.append(out)
    if quiet:
        parts.append(Text(f"Пока нечего показать для показателей: {', '.join(sorted(quiet))}."))
    parts.append(Text("В ячейке: доля с результатом (для шкал — средний балл) из ответивших на вопрос.", style="dim"))
    others = {code: title for code, title in groupings(table).items() if code not in by}
    if others:
        parts.append(Text(labels.other_groupings(others), style="dim"))
    return parts


def _log_rank(text_cells: pd.Series, marker: str) -> str:
    """The line under a grouping's events: the log-rank test between its groups, or why there is none."""
    if marker in (text_cells["statistic"], text_cells["p_value"]):
        return f"Лог-ранговый критерий скрыт ({marker}): в одной из групп меньше {marker[1:]} выпускниц или событий."
    if text_cells["p_value"] == "—":
        return "Лог-ранговый критерий не считается: меньше двух групп с ответом, нет событий или группы пересекаются."
    return f"Лог-ранговый критерий: хи-квадрат {text_cells['statistic']}, p = {text_cells['p_value']}."


def _by_group(name: str, shown: Suppressed, by: Sequence[str]) -> list[RenderableType]:
    """Per grouping in `by` and indicator, one small table: a row per group and wave (rows where nobody is
    followed or paired left out); for events, the log-rank test under it. Then the groupings left out."""
    table, text_cells = getattr(shown.tables, name), cells(shown, name)
    parts: list[RenderableType] = []
    base = BASE[name]
    counts = pd.to_numeric(table[base], errors="coerce")
    some = table[(counts.isna() | (counts > 0)) & table["group_by"].isin(by)]
    for (_, title), rows in some.groupby(["group_by", "title"], sort=False):
        # (the title above the table, not as its title: a narrow table would wrap a grouping's long question)
        parts.append(Text(f"{title}: {rows['group_title'].iloc[0]}", style="bold"))
        parts.append(_small_table("", TERMINAL[name], text_cells.loc[rows.index]))
        if name == "events_by_group":
            parts.append(Text(_log_rank(text_cells.loc[rows.index[0]], shown.marker)))
    if not len(some):
        parts.append(Text(nothing(name)))
    others = {code: title for code, title in groupings(table).items() if code not in by}
    if others:
        parts.append(Text(labels.other_groupings(others, name), style="dim"))
    return parts


def as_rich(shown: Suppressed, name: str, by: Sequence[str] = DEFAULT_BY) -> Group:
    """One table for the terminal (narrow enough for 100 columns), its title and a legend; breakdowns by the
    groupings in `by` only (the files hold every grouping)."""
    parts: list[RenderableType] = [Text(labels.TITLES[name], style="bold underline")]
    table = getattr(shown.tables, name)
    if not len(table):
        parts.append(Text(nothing(name)))
        return Group(*parts)
    if name == "attrition":
        parts += _attrition(shown)
    elif name == "breakdowns":
        by_wave = shown.tables.by_wave
        kinds = {str(t): str(k) for t, k in zip(by_wave["title"], by_wave["type"], strict=True)}
        parts += _breakdowns(table, cells(shown, name), kinds, by)
    elif name in ON_REQUEST:
        parts += _by_group(name, shown, by)
    elif name == "cost":
        parts += _cost(shown)
    else:
        parts += _by_indicator(name, table, cells(shown, name))
    parts.append(Text(" ".join(labels.TABLE_NOTES[name][:2]), style="dim"))
    return Group(*parts)


def nothing(name: str) -> str:
    if name == "cost":
        return "Нет данных: положите в папку followup costs.csv (стоимость программы и число проживающих)."
    return "Нет данных для этой таблицы."


def all_rich(shown: Suppressed, about: About, only: str | None = None, by: Sequence[str] | None = None) -> Group:
    """Every table (or `only` one) for the terminal, under a heading saying as of when; the tables by group
    by the groupings in `by` (default: organisation and cohort). Of every table, change and events by group
    are shown only with `by`; without, a line says how to see them."""
    names = [only] if only else [n for n, _ in shown.tables.items()]
    parts: list[RenderableType] = [Text(about.lines(shown.min_cell)[0], style="bold")]
    if not len(shown.tables.by_wave) and (only is None or only in labels.OF_INDICATORS):
        parts.append(Text(labels.NO_INDICATORS))  # (once, not «no data» under every table of indicators)
        names = [n for n in names if n not in labels.OF_INDICATORS]
    for name in names:
        if only is None and by is None and name in ON_REQUEST:
            parts.append(Text(labels.TITLES[name], style="bold underline"))
            parts.append(Text(labels.on_request(name, groupings(getattr(shown.tables, name))), style="dim"))
            continue
        parts.append(as_rich(shown, name, by or DEFAULT_BY))
    parts.append(Text(about.lines(shown.min_cell)[1], style="dim"))
    return Group(*parts)


# -- files ----------------------------------------------------------------------------------------------


def file_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in HIDDEN_IN_FILES]


def for_sheet(shown: Suppressed, name: str) -> pd.DataFrame:
    """The table for a spreadsheet: numbers stay numbers, suppressed cells hold the marker."""
    table, hidden = getattr(shown.tables, name), shown.hidden[name]
    columns = file_columns(table)
    out = table[columns].astype(object).where(~hidden[columns], shown.marker)
    if "type" in out:
        out["type"] = out["type"].map(lambda t: labels.TYPES_RU.get(str(t), t) if isinstance(t, str) else t)
    return out.rename(columns=labels.COLUMNS_RU)


def sheet_name(name: str) -> str:
    return labels.TITLES[name][:31]  # Excel's limit


def notes_sheet(shown: Suppressed, about: About) -> pd.DataFrame:
    return pd.DataFrame({"Примечания": about.lines(shown.min_cell) + labels.notes(shown.min_cell)})


def write_xlsx(shown: Suppressed, path: Path, about: About, only: list[str] | None = None) -> Path:
    """One sheet per table (or per table in `only`; Russian headers, widths, percent formats) and
    «Примечания»: as of when, which run, how each figure was computed and the suppression rule."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter") as xl:
        book = xl.book
        percent, score, money = (book.add_format({"num_format": f}) for f in ("0%", "0.00", "# ##0"))
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for name, table in shown.tables.items():
            if only is not None and name not in only:
                continue
            sheet = sheet_name(name)
            frame = for_sheet(shown, name)
            frame.to_excel(xl, sheet_name=sheet, index=False)
            ws = xl.sheets[sheet]
            ws.freeze_panes(1, 0)
            for j, col in enumerate(file_columns(table)):
                fmt = percent if col in PERCENT else score if col in SCORE or col == "p_value" else None
                fmt = money if col in MONEY else fmt
                wide = col in ("title", "group_title", "group_label", "organisation")
                ws.set_column(j, j, 40 if wide else max(12, min(24, len(labels.COLUMNS_RU[col]) + 2)), fmt)
            if name in (
                "change",
                "change_by_group",
            ):  # shares for yes/no, mean scores for scales: one format cannot fit both
                for j, col in enumerate(file_columns(table)):
                    if col in ("baseline", "at_wave"):
                        ws.set_column(j, j, 14, score)
        notes_sheet(shown, about).to_excel(xl, sheet_name="Примечания", index=False)
        xl.sheets["Примечания"].set_column(0, 0, 130, wrap)
    return path
