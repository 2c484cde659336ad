"""Synthetic demo corpus: realistic Russian exports of fake graduates, with the ground truth behind them.

`generate` writes three organisations' case-closure and follow-up exports (Excel workbooks and CSV, Google
and Yandex Forms, KoboToolbox CSV and JSON) into an inbox, and the true answers per graduate and wave
beside them; with `assessments=True` also their specialists' assessment sheets (sheets.py). The writers
are public so tests can build their own exports (e.g. with canary personal data) in exactly the same shape.
"""

from followup.demo.answers import REACH
from followup.demo.corpus import DemoCorpus, generate
from followup.demo.organisations import ORGANISATIONS
from followup.demo.outcomes import WAVES
from followup.demo.writers import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv

__all__ = [
    "BASELINE_HEADERS",
    "FOLLOWUP_HEADERS",
    "ORGANISATIONS",
    "REACH",
    "WAVES",
    "DemoCorpus",
    "generate",
    "write_baseline_xlsx",
    "write_followup_csv",
]
