"""A demo corpus: three organisations' case-closure and follow-up exports in mixed formats (and, if asked, their
assessment sheets), plus the truth.

Everything is synthetic and seeded: the same seed and `today` give the same files, byte for byte. Every
export is rendered from the instrument definition it stands for (forms.py), so its headers and answer
labels are the definition's. The truth files say, for every graduate and every wave that was due, whether
she answered, what, and in which file, so tests can check linkage, wave assignment, response rates and
indicator shares against known values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from followup.anonymise.identity import normalise_name
from followup.demo.answers import Due, exit_answers, follow_ups
from followup.demo.cohort import draw_cohort
from followup.demo.costs import write_costs
from followup.demo.exports import Export
from followup.demo.organisations import BY_KEY, ORGANISATIONS, organisation_exports
from followup.demo.sheets import assessment_sheets
from followup.demo.truth import ASSESSMENTS_FILE, FILES_FILE, ROWS_FILE, truth_rows, write_assessment_truth, write_truth


@dataclass(frozen=True)
class DemoCorpus:
    """What `generate` wrote: the exports in the inbox and the ground truth beside them."""

    inbox_files: list[Path]
    truth_path: Path

    @property
    def files_path(self) -> Path:
        """files.csv: each export's organisation, format, instrument, version and rows."""
        return self.truth_path.parent / FILES_FILE

    @property
    def rows_path(self) -> Path:
        """export_rows.csv: whose answer each data row of each export holds."""
        return self.truth_path.parent / ROWS_FILE

    @property
    def assessments_path(self) -> Path:
        """assessments.csv (with `assessments` only): what each row of each assessment sheet holds."""
        return self.truth_path.parent / ASSESSMENTS_FILE


def generate(
    inbox: Path,
    truth_dir: Path,
    *,
    seed: int = 2026,
    today: date | None = None,
    graduates: int = 500,
    messy: bool = False,
    exit_years: int = 4,
    costs_file: Path | None = None,
    assessments: bool = False,
) -> DemoCorpus:
    """Write three organisations' exports into `inbox` and the ground truth (ground_truth.csv, files.csv,
    export_rows.csv, README.txt) into `truth_dir`.

    Exits are spread uniformly over the `exit_years` before `today` (default 4, so that the 36-month wave
    is due for about a quarter of the cohort). With `messy`, names in the follow-ups also lose the
    patronymic, carry a typo or shrink to initials (about one in seven), so that exact matching cannot link
    them; nothing else in the files changes. With `costs_file`, the organisations' yearly costs are written
    there (costs.csv, for the cost per social result). With `assessments`, the organisations' assessment
    sheets are written too (sheets.py; their truth in assessments.csv and assessment_answers.csv), drawn from
    their own random stream, so that every other file stays as it is without them.
    """
    today = today or date.today()
    rng = random.Random(f"followup-demo:{seed}")
    messy_rng = random.Random(f"followup-demo-messy:{seed}") if messy else None
    cohort = draw_cohort(rng, graduates, today, exit_years, {o.key: o.share for o in ORGANISATIONS})
    taken = {normalise_name(g.full_name) for g in cohort}
    exits: dict[int, dict[str, str]] = {}
    dues: dict[int, list[Due]] = {}
    for g in cohort:
        organisation = BY_KEY[g.organisation]
        exits[g.person] = exit_answers(g, rng)
        dues[g.person] = follow_ups(
            g,
            rng,
            messy_rng,
            today,
            taken,
            interview=organisation.interviews,
            no_halfway_before=organisation.form_edited(today),
        )
    exports: list[Export] = []
    for organisation in ORGANISATIONS:
        members = [g for g in cohort if g.organisation == organisation.key]
        exports += organisation_exports(organisation, members, exits, dues, today, rng)
    paths = [export.save(inbox) for export in exports]
    names = {o.key: o.name for o in ORGANISATIONS}
    instruments = {o.key: "followup_interview" if o.interviews else "followup_survey" for o in ORGANISATIONS}
    rows = truth_rows(cohort, exits, dues, exports, names, instruments)
    if costs_file is not None:
        write_costs(costs_file, cohort, seed)
    sheets = []
    if assessments:
        sheets = assessment_sheets(
            cohort, exits, dues, today, random.Random(f"followup-demo-sheets:{seed}"), messy=messy
        )
        paths += [export.save(inbox) for export, _ in sheets]
    truth = write_truth(truth_dir, rows, exports + [export for export, _ in sheets])
    if sheets:
        write_assessment_truth(truth_dir, sheets)
    return DemoCorpus(inbox_files=paths, truth_path=truth)
