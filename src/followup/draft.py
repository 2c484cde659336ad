"""`followup instrument draft`: a starting definition written from an export, for M&E staff to edit.

Roles are guessed from the headers (name, phone, dates, free text), answer types and options from the
values. Values are written only for columns whose answers repeat (options of a question), never for
identity or free-text columns, so a draft carries no personal data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from followup.instruments import NO_LABELS, YES_LABELS, normalise_label
from followup.readers import RawTable, read_export

ROLE_HINTS: list[tuple[str, str]] = [  # (role, pattern on the normalised header's last part), first match wins
    ("submission_id", r"^_?uuid$|instanceid|^id$|^case_?id$"),
    (
        "timestamp",
        r"^_submission_time$|отметка времени|время создания|timestamp"
        r"|дата (заполнения|интервью|опроса|оценки|звонка)|^дата$",
    ),
    ("ignore", r"^_|^(__version__|start|end|today|deviceid|№|n|#|номер п/п|интервьюер|специалист)$|^formhub"),
    ("birth_date", r"дата рождения|^д\.?р\.?$|birth"),
    ("exit_date", r"дата (завершения|выхода|выписки|окончания|выбытия)"),
    ("phone", r"телефон|^тел\.?|phone"),
    ("email", r"e-?mail|электронн\w* почт|^почта"),
    ("full_name", r"фио|фамилия|^имя|имя и отчество|^name$|full_?name"),
    ("organisation", r"^организация$|^учреждение$"),
    ("free_text", r"комментари|comment|расскажите|опишите|почему|пожелани|цитат|что бы вы|примечани|другое"),
]
# Values that look like personal data make a column an identity column whatever its header says.
VALUE_HINTS: list[tuple[str, str]] = [
    ("full_name", r"^[А-ЯЁ][а-яё-]+(\s+[А-ЯЁ][а-яё-]+){1,2}$"),
    ("phone", r"^[+(]?[\d\s()+-]{10,18}$"),
    ("email", r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
]
DATE_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"]
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


@dataclass
class Guess:
    header: str
    role: str | None = None
    item_type: str | None = None
    options: dict[str, list[str]] | None = None
    scale: tuple[float, float] | None = None
    fmt: str | None = None
    note: str = ""


def code_for(text: str, taken: set[str]) -> str:
    """A readable item or option code: the first words, transliterated, in snake_case, unique."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in normalise_label(text))
    words = [w for w in re.split(r"[^a-z0-9]+", latin) if w][:4]
    base = "_".join(words)[:32].strip("_") or "q"
    if not base[0].isalpha():
        base = f"q_{base}"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def _date_format(values: pd.Series) -> str | None:
    """The format of the dates not written as ISO (XLSX date cells arrive as ISO and always parse)."""
    typed = values[pd.to_datetime(values, format="ISO8601", errors="coerce").isna()]
    for fmt in DATE_FORMATS:
        if typed.empty or pd.to_datetime(typed, format=fmt, errors="coerce").notna().all():
            return None if typed.empty else fmt
    return None


def _is_dates(values: pd.Series) -> bool:
    iso = pd.to_datetime(values, format="ISO8601", errors="coerce").notna()
    return bool(iso.all()) or _date_format(values) is not None


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.replace(",", ".", regex=False).str.replace(" ", ""), errors="coerce")


def guess_column(header: str, values: pd.Series, headers: list[str]) -> Guess:
    g = Guess(header)
    norm = normalise_label(header).rsplit("/", 1)[-1]
    filled = values[values.str.strip() != ""].str.strip()
    for role, pattern in ROLE_HINTS:
        if re.search(pattern, norm):
            g.role = role
            break
    for role, pattern in VALUE_HINTS:
        if g.role is None and len(filled) and filled.str.fullmatch(pattern).mean() >= 0.8:
            g.role, g.note = role, "CHECK: the answers look like personal data"
    if g.role in ("timestamp", "exit_date", "birth_date"):
        g.fmt = _date_format(filled) if len(filled) else None
        return g
    if g.role:
        return g
    if any(other != header and header.startswith(other + "/") for other in headers):
        g.role, g.note = "ignore", "a 0/1 column of a multiple choice; its answers are read from the main column"
        return g
    suffixes = [h[len(header) + 1 :] for h in headers if h.startswith(header + "/")]
    if suffixes:  # KoboToolbox: the main column of a multiple choice, with one 0/1 column per option
        taken: set[str] = set()
        g.item_type, g.options = "select_multiple", {code_for(x, taken): [x] for x in suffixes}
        return g
    if filled.empty:
        g.role, g.note = "ignore", "CHECK: the column is empty in this export; say what it holds"
        return g
    labels = filled.map(normalise_label)
    distinct = labels.unique()
    repeats = len(distinct) <= max(2, len(filled) // 2)
    if set(distinct) <= set(YES_LABELS) | set(NO_LABELS):
        g.item_type = "yes_no"
        return g
    numbers = _numbers(filled)
    if numbers.notna().all():
        whole = (numbers == numbers.round()).all()
        if whole and numbers.min() >= 0 and numbers.max() <= 10 and len(distinct) <= 11:
            g.item_type, g.scale = "likert", (1.0 if numbers.min() >= 1 else 0.0, 5.0 if numbers.max() <= 5 else 10.0)
        else:
            g.item_type = "number"
        return g
    if _is_dates(filled):
        g.role, g.note = "ignore", "CHECK: holds dates; use role: timestamp or exit_date if it is one"
        return g
    parts = filled.str.split(", ").explode().str.strip()
    short_parts = parts.str.len().max() <= 60 and parts.nunique() <= 15
    if (
        filled.str.contains(", ", regex=False).mean() >= 0.2
        and short_parts
        and (len(parts) > parts.nunique() or len(filled) < 10)
    ):
        g.item_type, g.note = "select_multiple", "CHECK: several answers joined by commas, or one answer with a comma?"
        g.options = _options(parts)
    elif repeats and len(distinct) <= 15:
        g.item_type = "select_one"
        g.options = _options(filled)
    else:
        g.role, g.note = "free_text", "answers are varied text: kept only redacted (names, phones... replaced)"
    return g


def _options(values: pd.Series) -> dict[str, list[str]]:
    taken: set[str] = set()
    first_spelling = values.groupby(values.map(normalise_label), sort=False).first()
    return {code_for(label, taken): [label] for label in first_spelling.sort_values()}


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def draft_table(table: RawTable, instrument_id: str) -> str:
    headers = table.headers
    guesses = [guess_column(h, table.rows[h].astype("string").fillna(""), headers) for h in headers]
    roles = {g.role for g in guesses}
    kind = "baseline" if "exit_date" in roles else "followup"
    taken: set[str] = set()
    codes = {g.header: code_for(g.header.rsplit("/", 1)[-1], taken) for g in guesses if g.item_type}
    lines = [
        f"# Drafted by `followup instrument draft` from {_recorded_label(table)} on {dt.date.today():%Y-%m-%d}.",
        "# Check every line, above all those marked CHECK, then save it in your home's instruments/ folder.",
        "# The format is explained in schemas/README.md.",
        f"instrument: {instrument_id}",
        f"title: {_q(table.path.stem)}  # CHECK: the questionnaire's name",
        f"kind: {kind}  # CHECK: baseline (case closure) | followup (after exit) | assessment (any time)",
    ]
    if not roles & {"full_name", "phone"}:
        lines.append("# CHECK: no name or phone column was recognised: mark one with role: full_name or phone")
    if kind != "baseline" and "timestamp" not in roles:
        lines.append(
            "# CHECK: no date column was recognised: mark the date the form was filled in with role: timestamp"
        )
    lines += ["", "items:"]
    for g in guesses:
        if not g.item_type:
            continue
        lines += [f"  - code: {codes[g.header]}", f"    text: {_q(g.header)}", f"    type: {g.item_type}"]
        if g.scale:
            lines.append(f"    scale: {{min: {g.scale[0]:g}, max: {g.scale[1]:g}}}  # CHECK the ends of the scale")
        if g.options:
            lines.append("    options:")
            lines += [f"      {code}: [{', '.join(_q(lab) for lab in labels)}]" for code, labels in g.options.items()]
    if not codes:
        lines.append("  []  # CHECK: no question columns were recognised")
    lines += ["", "versions:", "  - version: 1", "    columns:"]
    for g in guesses:
        if g.item_type:
            target = codes[g.header]
        else:
            extra = f", format: {_q(g.fmt)}" if g.fmt else ""
            target = f"{{role: {g.role}{extra}}}"
        note = f"  # {g.note}" if g.note else ""
        lines.append(f"      {_q(g.header)}: {target}{note}")
    return "\n".join(lines) + "\n"


def draft(path: Path, instrument_id: str | None = None) -> str:
    """A definition for the export's first table (sheet); other sheets with other headers are noted."""
    tables = read_export(path)
    taken: set[str] = set()
    text = draft_table(tables[0], instrument_id or code_for(path.stem, taken))
    others = [t.sheet or "" for t in tables[1:] if t.headers != tables[0].headers]
    if others:
        text += f"# NOTE: the sheets {others} have other columns: add a version or another instrument for them.\n"
    return text


def _recorded_label(table: RawTable) -> str:
    """The export's file and sheet name with a woman's name in them replaced: the draft is kept in the home."""
    from followup.anonymise.file_names import recorded_names

    name = recorded_names([table.path.name])[0]
    sheet = recorded_names([table.sheet], extension=False)[0] if table.sheet else None
    return f"{name} [{sheet}]" if sheet else name
