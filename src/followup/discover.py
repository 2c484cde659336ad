"""Discover: which files in the inbox are new exports, by content: a renamed copy of a loaded export is not new.

Only content that was loaded counts as seen. A rejected export's bytes dropped again (renamed, or under the
same name after a definition was added) are read again, and two copies of new content in one inbox are both
listed: the run reads the second only if the first is rejected (`Run.read`), so that a workbook saved as
.csv never keeps its correctly named copy out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

IGNORED_PREFIXES = (".", "~$")  # hidden files and Office lock files


@dataclass(frozen=True)
class Export:
    path: Path
    file_id: str  # sha256 of the bytes
    original_name: str | None = None  # its recorded name, when it is read again from where it was filed
    recorded_name: str | None = None  # its name with a woman's name, phone or e-mail in it replaced

    @property
    def name(self) -> str:
        """The name that is recorded, logged and shown: never a woman's name (anonymise.file_names)."""
        return self.recorded_name or self.original_name or self.path.name


def file_id(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inbox_folders(inbox: Path, codes: Sequence[str] = ()) -> list[Path]:
    """The folders exports are dropped in: the inbox, and a subfolder per organisation of a network
    (`inbox/<code>/`, see followup.organisations)."""
    return [inbox, *(inbox / code for code in codes)]


def inbox_files(inbox: Path, codes: Sequence[str] = ()) -> list[Path]:
    """Every file directly in the inbox or in an organisation's subfolder that is not hidden; unsupported
    types are still listed (and rejected)."""
    found = []
    for folder in inbox_folders(inbox, codes):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(IGNORED_PREFIXES))
    return found


def new_exports(inbox: Path, loaded: set[str], codes: Sequence[str] = ()) -> tuple[list[Export], list[Export]]:
    """(files to read, files whose content an earlier run loaded). Files with the same new content are all
    in the first list, in name order."""
    fresh: list[Export] = []
    skipped: list[Export] = []
    for path in inbox_files(inbox, codes):
        export = Export(path, file_id(path))
        (skipped if export.file_id in loaded else fresh).append(export)
    return fresh, skipped
