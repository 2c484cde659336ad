"""What a run did, for the people who read its output: files and rows by fate, rejected files and why, notes,
warnings that make the night's figures wrong (shown first), and where the reports are."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Summary:
    run_id: int
    files_seen: int = 0
    files_skipped: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    rows_retried: int = 0  # quarantined rows of earlier runs validated again (--retry-quarantine)
    followup_rows_read: int = 0  # rows of files with no case-closure table (new and retried)
    followup_rows_kept: int = 0  # of those, loaded or duplicates: linked to a graduate
    warnings: list[str] = field(default_factory=list)  # what makes the run's figures wrong: shown first
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, what could not be done with it, and why)
    reports: list[str] = field(default_factory=list)
    results_summary: str = ""  # by_wave as markdown, suppressed (for the run's Prefect artifact)

    def unlinked_warning(self, quarantined: pd.DataFrame) -> str | None:
        """A warning when the run read follow-up forms and linked none of them, quarantining them as
        graduate_known (the case-closure export is missing: rejected, not exported, or left in the inbox);
        `quarantined` is the run's quarantine (`Warehouse.quarantined`)."""
        if not self.followup_rows_read or self.followup_rows_kept:
            return None
        unknown = int((quarantined["check"] == "graduate_known").sum())
        if not unknown:
            return None
        how_many = "all" if unknown == self.followup_rows_read else f"{unknown} of the"
        return (
            f"no follow-up form was linked to a graduate: {how_many} {self.followup_rows_read} follow-up rows read "
            "were quarantined as graduate_known (no case-closure record matches her), so tonight's results "
            "leave them out. Load the case-closure export: put it in the inbox, and check the rejected files "
            "with `followup status` (a workbook saved as .csv is rejected); then run "
            "`followup run --retry-quarantine`."
        )
