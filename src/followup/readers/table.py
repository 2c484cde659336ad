"""The plain data every reader returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROW = "_row"  # the column holding each row's number in its file


class ReadError(Exception):
    """A file cannot be read; `reason` says why and what to do, without quoting its contents."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class RawTable:
    path: Path
    sheet: str | None
    headers: list[str]
    rows: pd.DataFrame  # one column per header (text, "" when blank) plus ROW

    @property
    def label(self) -> str:
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name
