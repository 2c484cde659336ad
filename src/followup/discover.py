"""Discover: which files in the inbox are new exports (by content, so a renamed copy is not new)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

IGNORED_PREFIXES = (".", "~$")  # hidden files and Office lock files


@dataclass(frozen=True)
class Export:
    path: Path
    file_id: str  # sha256 of the bytes

    @property
    def name(self) -> str:
        return self.path.name


def file_id(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inbox_files(inbox: Path) -> list[Path]:
    """Every file directly in the inbox that is not hidden; unsupported types are still listed (and rejected)."""
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(IGNORED_PREFIXES))


def new_exports(inbox: Path, loaded: set[str]) -> tuple[list[Export], int]:
    """(files not loaded before, number of files skipped because the same content was loaded)."""
    found = [Export(p, file_id(p)) for p in inbox_files(inbox)]
    fresh = [e for e in found if e.file_id not in loaded]
    return fresh, len(found) - len(fresh)
