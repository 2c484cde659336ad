"""A made-up costs.csv for the demo organisations: what each programme cost a year, as an accountant keeps
it in Excel (Windows-1251, Russian headers, `;`, spaces between thousands, a decimal comma), for the cost per
social result."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from followup.demo.cohort import Graduate
from followup.demo.organisations import BY_KEY

# Roughly what a resident's stay costs a year in each made-up programme, in roubles.
_PER_RESIDENT = {"A": 265_000, "B": 185_000, "C": 310_000}


def _money(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + f",{cents}"


def write_costs(path: Path, cohort: list[Graduate], seed: int) -> Path:
    """One row per organisation and year of exits: residents served (the year's graduates and those still
    staying at its end) and the programme's cost."""
    rng = random.Random(f"followup-demo-costs:{seed}")  # its own stream: the exports stay byte-identical
    exits = Counter((g.organisation, g.exit_date.year) for g in cohort)
    lines = ["Организация;Период;Затраты, руб.;Проживающих"]
    for (key, year), graduates in sorted(exits.items()):
        residents = graduates + max(1, round(graduates * rng.uniform(0.15, 0.3)))
        cost = residents * _PER_RESIDENT[key] * rng.uniform(0.93, 1.07)
        lines.append(f"{BY_KEY[key].name};{year};{_money(cost)};{residents}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    return path
