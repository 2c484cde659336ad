"""Writing the researcher export: SPSS .sav and Stata .dta (pyreadstat, with variable and value labels),
CSV (UTF-8 with BOM, so that Excel reads Cyrillic) or Parquet, plus a codebook and notes in every format."""

from __future__ import annotations

import csv
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the CLI imports ExportFormat at start: keep pandas out of `followup --help`)
    import pandas as pd

    from followup.export.codebook import Variable

CODEBOOK_FILE = "codebook.csv"
NOTES_FILE = "README.txt"


class ExportFormat(StrEnum):
    sav = "sav"
    dta = "dta"
    csv = "csv"
    parquet = "parquet"


ParquetWriter = Callable[["pd.DataFrame", Path], None]


def write_table(
    table: pd.DataFrame,
    variables: list[Variable],
    path: Path,
    fmt: ExportFormat,
    file_label: str,
    parquet: ParquetWriter | None = None,
) -> Path:
    """One file of the export in `fmt`; Parquet is written by `parquet` (through the warehouse gateway)."""
    import pyreadstat

    labels: dict[str, str | None] = {v.name: v.short_label for v in variables}
    value_labels = {v.name: {float(k): t for k, t in v.values.items()} for v in variables if v.values}
    if fmt is ExportFormat.sav:
        pyreadstat.write_sav(
            table, path, file_label=file_label, column_labels=labels, variable_value_labels=value_labels
        )
    elif fmt is ExportFormat.dta:
        pyreadstat.write_dta(
            table, path, file_label=file_label[:80], column_labels=labels, variable_value_labels=value_labels
        )
    elif fmt is ExportFormat.csv:
        table.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        if parquet is None:
            raise ValueError("Parquet is written through the warehouse: pass `parquet`")
        parquet(table, path)
    return path


def write_codebook(path: Path, files: dict[str, list[Variable]]) -> Path:
    """One row per variable of each file: file, variable, label, source (item, option or indicator), and
    its value labels as `1 = Да; 0 = Нет`."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "variable", "label", "source", "values"])
        for file, variables in files.items():
            for v in variables:
                values = "; ".join(f"{k:g} = {t}" for k, t in v.values.items())
                writer.writerow([file, v.name, v.label, v.source, values])
    return path
