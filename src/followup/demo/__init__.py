"""Synthetic demo corpus: realistic Russian exports of fake graduates, with the ground truth behind them.

`generate` writes one organisation's case-closure sheet (XLSX) and follow-up form answers (Google Forms
CSV) into an inbox, and the true outcomes per graduate and wave beside them. The writers are public so
tests can build their own exports (e.g. with canary personal data) in exactly the same shape.
"""

from followup.demo.corpus import REACH, DemoCorpus, generate
from followup.demo.outcomes import WAVES
from followup.demo.writers import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv

__all__ = [
    "BASELINE_HEADERS",
    "FOLLOWUP_HEADERS",
    "REACH",
    "WAVES",
    "DemoCorpus",
    "generate",
    "write_baseline_xlsx",
    "write_followup_csv",
]
