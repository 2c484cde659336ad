"""The ground truth behind a demo corpus: what each graduate answered at each wave, which file holds
each row, and what each file is. Tests compare the pipeline's tables with these files."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import time
from pathlib import Path

from followup.demo.answers import Due
from followup.demo.cohort import Graduate, add_months
from followup.demo.exports import Export
from followup.demo.sheets import Written

TRUTH_FILE = "ground_truth.csv"
FILES_FILE = "files.csv"
ROWS_FILE = "export_rows.csv"
ASSESSMENTS_FILE = "assessments.csv"
ASSESSMENT_ANSWERS_FILE = "assessment_answers.csv"
OUTCOMES = ("child_with_mother", "housing", "income", "repeat_crisis", "support_network", "parenting_confidence")
TRUTH_COLUMNS: list[str] = [
    "person", "wave", "answered", "exit_date", "due_date", *OUTCOMES, "submitted_at",
    "organisation", "instrument", "version", "file", "name_variant",
]  # fmt: skip
FILES_COLUMNS = ["file", "organisation", "format", "instrument", "version", "rows", "first_row"]
ROWS_COLUMNS = ["file", "row", "person", "wave", "name_variant", "repeat"]
ASSESSMENTS_COLUMNS = ["file", "row", "person", "instrument", "version", "wave", "made_at", "name_variant", "level"]
ASSESSMENT_ANSWERS_COLUMNS = ["file", "row", "person", "wave", "item", "code"]

Row = dict[str, object]

README = f"""Ground truth of a followup demo corpus. Every name, date and phone in it is made up.

{TRUTH_FILE}: one row per graduate (person) and wave that was due: wave 0 is the case-closure record,
  then each follow-up wave (months since exit) whose due_date (the exit day that many months later;
  31.01 + 1 month = 28.02) had come, and whose form would have come back, before the corpus's date.
  answered = 1 when she was reached. The outcome columns hold the answer codes as written in the exports
  ("" = left blank). submitted_at: when the form was sent (an interview: its date), from two weeks
  before due_date to six weeks after it (the 3-month wave: four), some on a month's last day.
  wave: the wave the form was sent for, which is the wave it belongs to: every answer lies inside that
  wave's window by the default rule (days since exit ÷ 30.4375 within max(1, round(wave × 0.25)) months
  of the wave, the nearest such wave). organisation, instrument, version, file: where her answer stands
  first (a cumulative re-export holds it again). name_variant: "exact" when her name, normalised, is the
  one in the case-closure record; else how it was written (typo, no_patronymic, initials), so that exact
  matching cannot link it.
{FILES_FILE}: each export: its organisation, format, the instrument and version its header must match,
  its number of data rows and the file row of the first one (the header is row 1, or 2 under a title).
{ROWS_FILE}: every data row of every export: whose answer it holds and the wave it was sent for;
  repeat = "resent" (the form sent again minutes later) or "entered_twice" (the same interview entered
  again).
"""


def _write(path: Path, columns: list[str], rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def truth_rows(
    cohort: list[Graduate],
    exits: dict[int, dict[str, str]],
    dues: dict[int, list[Due]],
    exports: list[Export],
    organisations: dict[str, str],
    instruments: dict[str, str],
) -> list[Row]:
    """One row per graduate and due wave; `organisations` and `instruments` map an organisation's key to its
    name and to its follow-up instrument."""
    first: dict[tuple[int, int], Export] = {}
    for export in exports:
        for line in export.lines:
            if not line.repeat:
                first.setdefault((line.person, line.wave), export)
    rows: list[Row] = []
    for g in cohort:
        closure = first[(g.person, 0)]
        recorded = exits[g.person]
        rows.append(
            {
                "person": g.person,
                "wave": 0,
                "answered": 1,
                "exit_date": g.exit_date.isoformat(),
                "due_date": g.exit_date.isoformat(),
                **{item: recorded[item] for item in ("child_with_mother", "housing", "income")},
                **_source(closure),
                "name_variant": "exact",
            }
        )
        for due in dues[g.person]:
            row: Row = {"person": g.person, "wave": due.wave, "answered": int(due.contact is not None)}
            row |= {"exit_date": g.exit_date.isoformat(), "due_date": add_months(g.exit_date, due.wave).isoformat()}
            row["organisation"] = organisations[g.organisation]
            row["instrument"] = instruments[g.organisation]
            if due.contact is not None:
                c = due.contact
                row |= {item: c.answers[item] for item in OUTCOMES}
                interview = row["instrument"] == "followup_interview"  # dated by day only
                row["submitted_at"] = c.when.date().isoformat() if interview else c.when.isoformat(sep=" ")
                row |= _source(first[(g.person, due.wave)])
                row["name_variant"] = c.name_variant
            rows.append(row)
    return rows


def _source(export: Export) -> Row:
    return {
        "organisation": export.organisation,
        "instrument": export.form.name,
        "version": export.form.version.version,
        "file": export.file,
    }


def write_truth(truth_dir: Path, rows: list[Row], exports: list[Export]) -> Path:
    """Write the three truth files and a README into `truth_dir`; the path of ground_truth.csv."""
    truth_dir.mkdir(parents=True, exist_ok=True)
    _write(truth_dir / TRUTH_FILE, TRUTH_COLUMNS, rows)
    files = [
        {
            "file": e.file,
            "organisation": e.organisation,
            "format": e.format,
            "instrument": e.form.name,
            "version": e.form.version.version,
            "rows": len(e.lines),
            "first_row": e.first_row,
        }
        for e in exports
    ]
    _write(truth_dir / FILES_FILE, FILES_COLUMNS, files)
    lines = (
        {
            "file": e.file,
            "row": e.first_row + index,
            "person": line.person,
            "wave": line.wave,
            "name_variant": line.name_variant,
            "repeat": line.repeat,
        }
        for e in exports
        for index, line in enumerate(e.lines)
    )
    _write(truth_dir / ROWS_FILE, ROWS_COLUMNS, lines)
    (truth_dir / "README.txt").write_text(README, encoding="utf-8")
    return truth_dir / TRUTH_FILE


ASSESSMENTS_README = f"""
With assessments (specialists' sheets and the residents' online form, one workbook per instrument; files.csv
and {ROWS_FILE} list them too):
{ASSESSMENTS_FILE}: one row per assessment: its file and row, whose, the instrument and version, the wave it
  was made for (0: around exit; after exit only at a wave she was reached at), when it was made, how her
  name was written, and level: the true level of the scale behind the ratings (the protocol's interaction,
  1–4; the unified form's wellbeing, the mean of housing, finances, documents, health and social ties, 1–5).
{ASSESSMENT_ANSWERS_FILE}: every answer of every assessment as item and answer code ("" = left blank;
  several options joined by "+"). The specialist's, the interviewer's and the child's names are in no truth
  file: they are staff's and a child's, and must be dropped.
"""


def write_assessment_truth(truth_dir: Path, sheets: list[tuple[Export, list[Written]]]) -> Path:
    """Write what each row of each assessment sheet holds, and add its description to the README; the path
    of assessments.csv."""
    rows: list[Row] = []
    answers: list[Row] = []
    for export, written in sheets:
        for index, w in enumerate(written):
            a = w.assessment
            where = {"file": export.file, "row": export.first_row + index, "person": a.person, "wave": a.wave}
            made_at = a.when.isoformat(sep=" ") if a.when.time() != time() else a.when.date().isoformat()
            level = "" if a.level is None else round(a.level, 6)
            rows.append(
                where
                | {"instrument": a.instrument, "version": export.form.version.version, "made_at": made_at}
                | {"name_variant": w.name_variant, "level": level}
            )
            answers += [where | {"item": item, "code": code} for item, code in a.answers.items()]
    _write(truth_dir / ASSESSMENTS_FILE, ASSESSMENTS_COLUMNS, rows)
    _write(truth_dir / ASSESSMENT_ANSWERS_FILE, ASSESSMENT_ANSWERS_COLUMNS, answers)
    with (truth_dir / "README.txt").open("a", encoding="utf-8") as readme:
        readme.write(ASSESSMENTS_README)
    return truth_dir / ASSESSMENTS_FILE
