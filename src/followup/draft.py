"""`followup instrument draft`: a starting definition written from exports of one form, for M&E staff to edit.

Several exports of the same form make one instrument: one version per distinct header, every column with
the same header feeding the same item. When the file names differ only by a number («Катамнез через 2
мес.xlsx», «… через 4 мес.xlsx»), the versions take the wave from the file name (`file_name` with
`{wave}`). Roles, types and options are guessed column by column (followup.draft_columns); a draft
carries no personal data: no answer is written unless it is a safe option of a question, and the file
names it shows are recorded as the pipeline records them (a woman's name replaced by a token).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

import pandas as pd

from followup.draft_columns import IDENTITY_ROLES, Guess, code_for, guess_column, identity_role
from followup.instruments import WAVE_FIELD, Column, Version, normalise_label
from followup.readers import RawTable, read_export

__all__ = ["code_for", "draft", "guess_column", "wave_file_name"]


@dataclass
class _Version:
    headers: list[str]  # as the first export with this header spells them
    files: list[str]  # the exports' names as recorded (a woman's name replaced)


def draft(paths: Path | Sequence[Path], instrument_id: str | None = None) -> str:
    """One definition for the exports (several exports of the same form): for each export its first table
    (sheet) and the sheets with the same columns; other sheets are noted."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    recorded = _recorded_names([p.name for p in paths])
    tables: list[RawTable] = []
    versions: dict[frozenset[str], _Version] = {}
    notes = []
    for path, name in zip(paths, recorded, strict=True):
        found = read_export(path)
        same = [t for t in found if _header_key(t.headers) == _header_key(found[0].headers)]
        tables += same
        version = versions.setdefault(_header_key(found[0].headers), _Version(found[0].headers, []))
        version.files.append(name)
        others = [t.sheet or "" for t in found if t not in same]
        if others:
            sheets = _recorded_names(others, extension=False)
            notes.append(
                f"# NOTE: in {name} the sheets {sheets} have other columns: add a version or another instrument."
            )
    guesses = guess_all(tables)
    kind = "baseline" if any(g.role == "exit_date" for g in guesses.values()) else "followup"
    file_name = wave_file_name([p.name for p in paths]) if kind != "baseline" else None
    first = PurePath(recorded[0]).stem
    instrument_id = instrument_id or code_for(re.sub(r"\[[^\]]*\]|\d+", " ", first), set())
    lines = [
        f"# Drafted by `followup instrument draft` from {_files(recorded)} on {dt.date.today():%Y-%m-%d}.",
        "# Check every line, above all those marked CHECK, then save it in your home's instruments/ folder.",
        "# The format is explained in schemas/README.md.",
        f"instrument: {instrument_id}",
        f"title: {_q(first)}  # CHECK: the questionnaire's name",
        f"kind: {kind}  # CHECK: baseline (case closure) | followup (after exit) | assessment (any time)",
    ]
    codes = _item_codes(guesses)
    lines += ["", "items:", *_items(guesses, codes)]
    lines += ["", "versions:"]
    for number, version in enumerate(versions.values(), start=1):
        lines += _version(number, version, guesses, codes, kind, file_name)
    return "\n".join(lines + notes) + "\n"


def guess_all(tables: Sequence[RawTable]) -> dict[str, Guess]:
    """A guess per column (by normalised header), from its cells pooled over all the tables."""
    spelling: dict[str, str] = {}
    frames = []
    for table in tables:
        keep: dict[str, str] = {}
        for header in table.headers:
            spelling.setdefault(normalise_label(header), header)
            keep.setdefault(normalise_label(header), header)
        frames.append(table.rows[list(keep.values())].set_axis(list(keep), axis=1))
    cells = pd.concat(frames, ignore_index=True).astype("string").fillna("")
    headers = list(spelling.values())
    known = {norm: identity_role(spelling[norm], cells[norm]) for norm in spelling}
    identity = [norm for norm, (role, _) in known.items() if role in IDENTITY_ROLES]
    respondents = _respondents(cells[identity])
    return {
        norm: guess_column(spelling[norm], cells[norm], headers, respondents, known=known[norm]) for norm in spelling
    }


def _respondents(identity: pd.DataFrame) -> pd.Series:
    """Who wrote each row: her identity cells, normalised; a row with none counts as a woman of its own."""
    key = identity.apply(lambda col: col.map(normalise_label)).agg("|".join, axis=1) if len(identity.columns) else None
    own = pd.Series([f"row {i}" for i in identity.index], index=identity.index)
    if key is None:
        return own
    return key.where(key.str.strip("|") != "", own)


def wave_file_name(names: Sequence[str]) -> str | None:
    """A `file_name` pattern with {wave} where the names carry the wave: the number at the same place in
    each name (after and before the same words), differing between the names (or, in a single name,
    followed by «мес»/«month»): «Катамнез через 2 мес.xlsx», «Катамнез через 4 мес.xlsx» give
    "*через {wave} мес*". None when the names say no wave, or when two places could."""
    slots = [_number_slots(PurePath(name).stem) for name in _recorded_names(list(names))]
    candidates: list[tuple[bool, str, list[int]]] = []
    for key, first in slots[0].items():
        before, _, after = first[0]
        runs = [found.get(key, []) for found in slots]
        if key == ("", "") or any(len(r) != 1 or len(r[0][1]) > 3 for r in runs):
            continue
        numbers = [int(r[0][1]) for r in runs]
        monthly = bool(re.match(r"[\s_.-]*(мес|month)", key[1]))
        if monthly or (len(names) > 1 and len(set(numbers)) > 1):
            candidates.append((monthly, f"*{before}{WAVE_FIELD}{after}*", numbers))
    if len(candidates) > 1:
        candidates = [c for c in candidates if c[0]]
    if len(candidates) != 1:
        return None
    _, pattern, numbers = candidates[0]
    probe = Version(version=1, file_name=pattern, columns={"-": Column(role="ignore")})
    if [probe.wave_in_name(name) for name in names] != numbers:  # as matching will read them
        return None
    return pattern


_NUMBER = re.compile(r"(?<!\d)\d+(?!\d)")
_WORD_BEFORE = re.compile(r"[^\W\d_]+[\s_.-]*$")
_WORD_AFTER = re.compile(r"^[\s_.-]*[^\W\d_]+")


def _number_slots(stem: str) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """Each number in a file name by the words next to it: (before, after) in lower case -> [(before,
    number, after)] as written."""
    found: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for m in _NUMBER.finditer(stem):
        before = _WORD_BEFORE.search(stem[: m.start()])
        after = _WORD_AFTER.match(stem[m.end() :])
        b, a = (before.group() if before else ""), (after.group() if after else "")
        found.setdefault((b.lower(), a.lower()), []).append((b, m.group(), a))
    return found


def _item_codes(guesses: dict[str, Guess]) -> dict[str, str]:
    taken: set[str] = set()
    return {norm: code_for(g.header.rsplit("/", 1)[-1], taken) for norm, g in guesses.items() if g.item_type}


def _items(guesses: dict[str, Guess], codes: dict[str, str]) -> list[str]:
    lines = []
    for norm, g in guesses.items():
        if not g.item_type:
            continue
        lines += [f"  - code: {codes[norm]}", f"    text: {_q(g.header)}", f"    type: {g.item_type}"]
        if g.scale:
            lines.append(f"    scale: {{min: {g.scale[0]:g}, max: {g.scale[1]:g}}}  # CHECK the ends of the scale")
        if g.options:
            lines.append("    options:")
            lines += [f"      {code}: [{', '.join(_q(lab) for lab in labels)}]" for code, labels in g.options.items()]
    return lines or ["  []  # CHECK: no question columns were recognised"]


def _version(
    number: int, version: _Version, guesses: dict[str, Guess], codes: dict[str, str], kind: str, file_name: str | None
) -> list[str]:
    lines = [f"  - version: {number}  # from {_files(version.files)}"]
    if file_name:
        lines.append(
            f"    file_name: {_q(file_name)}  # CHECK: the number in the file name where {WAVE_FIELD} stands is the "
            "wave, in months since exit"
        )
    roles = {guesses[normalise_label(h)].role for h in version.headers}
    if not roles & {"full_name", "phone"}:
        lines.append("    # CHECK: no name or phone column was recognised: mark one with role: full_name or phone")
    if kind != "baseline" and "timestamp" not in roles:
        lines.append(
            "    # CHECK: no date column was recognised: mark the date the form was filled in with role: timestamp"
        )
    lines.append("    columns:")
    # A version declares its wave one way only: by its file name, else by its first wave column.
    wave_given = "the file name already gives" if file_name else None
    if kind == "baseline":
        wave_given = "a case-closure form does not have"
    for header in version.headers:
        norm = normalise_label(header)
        g = guesses[norm]
        note = g.note
        if g.item_type:
            target = codes[norm]
        else:
            role = g.role
            if role == "wave" and wave_given:
                role, note = "ignore", f"CHECK: it seems to hold the wave, which {wave_given}"
            elif role == "wave":
                wave_given = f"'{header}' already gives"
            extra = f", format: {_q(g.fmt)}" if g.fmt else ""
            if role == "wave" and g.waves:
                extra = ", waves: {" + ", ".join(f"{_q(label)}: {m}" for label, m in g.waves.items()) + "}"
            target = f"{{role: {role}{extra}}}"
        lines.append(f"      {_q(header)}: {target}" + (f"  # {note}" if note else ""))
    return lines


def _header_key(headers: Sequence[str]) -> frozenset[str]:
    return frozenset(normalise_label(h) for h in headers)


def _recorded_names(names: list[str], extension: bool = True) -> list[str]:
    """File or sheet names with a woman's name, phone or e-mail in them replaced: the draft is kept."""
    from followup.anonymise.file_names import recorded_names

    return recorded_names(names, extension=extension)


def _files(names: Sequence[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
