"""Filing: once a run has dealt with an export, it leaves the inbox.

* loaded (or already loaded: the same bytes dropped again) -> `inbox/processed/<name>.<hash><ext>`, where
  `<hash>` is the start of the file's sha256, so copies of one name never overwrite each other and a retry
  can read the file again;
* rejected -> `inbox/rejected/<name>` with `<name>.why.txt` beside it saying what is wrong and what to do.

An export dropped in an organisation's subfolder (`inbox/<code>/`) is filed in that subfolder's processed/ and
rejected/, so that its organisation is still known when it is read again.

`<name>` is the name as recorded: a woman's name, phone or e-mail in the file name is replaced
(anonymise.file_names), so that where a file was put can be kept in the warehouse.

The warehouse is written first and the file is moved after, so a run killed in between leaves the file in
the inbox, where the next run recognises it by its hash and files it then. A file that cannot be moved (a
read-only share, a file open in Excel on Windows) stays where it is; the run says so and goes on.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

PROCESSED = "processed"
REJECTED = "rejected"
WHY = ".why.txt"


def processed_name(name: str, file_id: str) -> str:
    p = Path(name)
    return f"{p.stem}.{file_id[:12]}{p.suffix}"


def _move(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(os.fspath(source), os.fspath(target))
    return target


def file_processed(inbox: Path, path: Path, file_id: str, name: str) -> str:
    """Move a loaded export to processed/ of the folder it was dropped in (the inbox, or an organisation's
    `inbox/<code>/`) under its recorded `name`; returns where it is, relative to the inbox."""
    target = path.parent / PROCESSED / processed_name(name, file_id)
    if target.exists():  # the same name and hash: the same bytes are already filed
        path.unlink()
    else:
        _move(path, target)
    return target.relative_to(inbox).as_posix()


def file_rejected(inbox: Path, path: Path, file_id: str, reason: str, run_id: int, name: str) -> str:
    """Move a rejected export to rejected/ of the folder it was dropped in, under its recorded `name`, with a
    .why.txt beside it; returns where it is, relative to the inbox."""
    folder = path.parent / REJECTED
    target = folder / name
    if target.exists():  # another file of that name was rejected before: keep both
        target = folder / processed_name(name, file_id)
    arrived = path.name
    _move(path, target)
    target.with_name(target.name + WHY).write_text(why_text(arrived, reason, run_id), encoding="utf-8")
    return target.relative_to(inbox).as_posix()


def why_text(name: str, reason: str, run_id: int) -> str:
    return (
        f"{name}\n"
        f"was set aside by followup run {run_id} on {dt.date.today().isoformat()}:\n\n"
        f"{reason}\n\n"
        "When it is fixed, put the corrected export in the inbox (or, after changing an instrument "
        "definition, run `followup run --retry-quarantine`, which brings every file in rejected/ back into "
        "the inbox and reads it again). This note can then be deleted.\n"
    )


def restore_rejected(folders: list[Path]) -> list[Path]:
    """Bring every rejected export back into the folder it was dropped in (the inbox or an organisation's
    subfolder; its .why.txt is removed); returns the new paths."""
    restored = []
    for inbox in folders:
        folder = inbox / REJECTED
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.endswith(WHY):
                continue
            target = inbox / path.name
            if target.exists():  # a newer export of the same name is waiting: keep the older one beside it
                target = inbox / f"{path.stem} (rejected){path.suffix}"
            restored.append(_move(path, target))
            path.with_name(path.name + WHY).unlink(missing_ok=True)
    return restored
