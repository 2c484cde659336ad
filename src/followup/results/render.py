"""Writers for result tables: a rich table for the terminal, CSV, and XLSX with Russian headers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from followup.results.wave_table import COLUMNS_RU


def _cell(value: object, column: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "—"
    if column in ("share", "response_rate"):
        return f"{float(value):.0%}"  # type: ignore[arg-type]
    return str(value)


SHORT_RU = {
    "wave": "Мес. после выхода",
    "eligible": "Должны",
    "reached": "Ответили",
    "response_rate": "Отклик",
    "answered": "На вопрос",
    "with_outcome": "С результатом",
    "share": "Доля",
}


def as_rich(table: pd.DataFrame, title: str) -> Group:
    """One small table per indicator, narrow enough for an 80-column terminal, and a legend."""
    parts: list[RenderableType] = [Text(title, style="bold")]
    answered = table.groupby("title", sort=False)["answered"].sum()
    empty = [str(t) for t, n in answered.items() if n == 0]
    for indicator_title, rows in table[~table["title"].isin(empty)].groupby("title", sort=False):
        out = Table(title=str(indicator_title), title_justify="left", title_style="bold")
        for header in SHORT_RU.values():
            out.add_column(header, justify="right")
        for values in rows.to_dict("records"):
            out.add_row(*(_cell(values[c], c) for c in SHORT_RU))
        parts.append(out)
    if empty:
        parts.append(Text(f"Пока нет ответов для показателей: {', '.join(empty)}."))
    parts.append(
        Text(
            "Должны — выпускницы, для которых волна наступила; Ответили — есть анкета в этой волне; "
            "Отклик = Ответили / Должны; Доля = С результатом / На вопрос. Волна 0 — анкета завершения случая."
        )
    )
    return Group(*parts)


def russian(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=["indicator"]).rename(columns={"title": "Показатель", **COLUMNS_RU})


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    russian(table).to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel opens it in UTF-8
    return path


def write_xlsx(table: pd.DataFrame, path: Path, notes: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter") as xl:
        russian(table).to_excel(xl, sheet_name="Показатели по волнам", index=False)
        pd.DataFrame({"Как посчитано": notes}).to_excel(xl, sheet_name="Примечания", index=False)
        xl.sheets["Показатели по волнам"].set_column(0, 0, 42)
        xl.sheets["Показатели по волнам"].set_column(1, 8, 16)
        xl.sheets["Примечания"].set_column(0, 0, 120)
    return path


NOTES = [
    "Волна — число календарных месяцев от месяца выхода из приюта до месяца ответа; 0 — анкета завершения случая.",
    "Ответ относится к ближайшей волне, если отстоит от неё не больше чем на долю waves.window её длины "
    "(не меньше 1 месяца).",
    "Должны были ответить — выпускницы, для которых к дате расчёта наступил месяц «месяц выхода + волна».",
    "Ответили — выпускницы, от которых есть хотя бы одна анкета в этой волне; "
    "доля ответивших = Ответили / Должны были ответить.",
    "Доля с результатом = С результатом / Ответили на вопрос; при нескольких анкетах в волне берётся последняя.",
]
