"""The terminal, CSV and XLSX views of the indicator-by-wave table."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from rich.console import Console

from followup.results import render

TABLE = pd.DataFrame(
    {
        "indicator": ["housed", "housed", "safe", "safe"],
        "title": ["Стабильное жильё", "Стабильное жильё", "Безопасность", "Безопасность"],
        "wave": [0, 3, 0, 3],
        "eligible": [10, 8, 10, 8],
        "reached": [10, 6, 10, 6],
        "response_rate": [1.0, 0.75, 1.0, 0.75],
        "answered": [9, 6, 0, 0],
        "with_outcome": [5, 4, 0, 0],
        "share": [0.556, 0.667, None, None],
    }
)


def test_the_terminal_view_shows_indicators_with_answers_and_names_the_others() -> None:
    console = Console(width=80, record=True)
    console.print(render.as_rich(TABLE, "Результаты"))
    text = console.export_text()
    assert "Стабильное жильё" in text and "67%" in text and "75%" in text
    assert "Пока нет ответов для показателей: Безопасность." in text


def test_csv_and_xlsx_have_russian_headers_and_a_notes_sheet(tmp_path: Path) -> None:
    csv = render.write_csv(TABLE, tmp_path / "t.csv")
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Показатель,Месяцев после выхода")
    book = openpyxl.load_workbook(render.write_xlsx(TABLE, tmp_path / "t.xlsx", render.NOTES))
    assert book["Показатели по волнам"]["A2"].value == "Стабильное жильё"
    assert book["Примечания"].max_row == 1 + len(render.NOTES)
