"""Cost per social result: a programme's cost in a period divided by its graduates with a lasting result.

The costs come from `costs.csv` in the home, one row per organisation and period, as an accountant keeps
them in Excel: UTF-8 or Windows-1251, `,` or `;` between columns, Russian or English headers, a decimal
comma allowed.

    организация;период;затраты;проживающих
    Дом для мамы;2024;12 500 000,00;48
    Дом для мамы;2025-01..2025-06;6 100 000;30

For each costs row and indicator (see `cost_per_result`):
    cost_per_resident = programme_cost / residents
    graduates_due     = graduates of the organisation who exited in the period and are due for the
                        12-month wave (exit month + 12 months has begun by the results' date)
    with_result       = those of them whose indicator value at the 12-month wave is 1; a graduate not
                        reached at 12 months counts as without the result
    cost_per_result   = programme_cost / with_result (NaN when with_result is 0)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
from pathlib import Path

import pandas as pd

from followup.config import ConfigError
from followup.home import Home
from followup.indicators import Indicator
from followup.instruments import normalise_label
from followup.results.labels import indicator_title
from followup.warehouse import Warehouse

SQL = Path(__file__).with_name("cost.sql")
COSTS_FILE = "costs.csv"
RESULT_WAVE = 12  # "a lasting result": the result still held a year after exit
COST_COLUMNS = ["organisation", "period", "programme_cost", "residents", "cost_per_resident"]
HEADERS = {
    "organisation": ("организация", "organisation", "organization"),
    "period": ("период", "period"),
    "programme_cost": ("затраты", "programme_cost", "program_cost", "cost"),
    "residents": ("проживающих", "residents"),
}
HOW_TO_WRITE = {
    "organisation": "the organisation's name as in the case-closure exports (or `organisation` in followup.toml)",
    "period": "a year (2024) or a range of months (2024-01..2024-06)",
    "programme_cost": "the programme's cost in roubles, e.g. 1250000 or 1 250 000,50",
    "residents": "the number of residents served in the period, a whole number, e.g. 48",
}
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4})-(\d{1,2})\s*(?:\.\.|–|—)\s*(\d{4})-(\d{1,2})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_QUOTES = re.compile(r"[\"'«»„“”‘’]")


class CostsError(ConfigError):
    """costs.csv cannot be used; the message names the file, row and column and says what to write there.

    (A ConfigError: every command reports it as a wrong setting, without a traceback.)"""


def home_costs(home: Home) -> pd.DataFrame | None:
    """The home's costs.csv read and checked (see `read_costs`), or None when the home has none."""
    path = home.root / COSTS_FILE
    return read_costs(path) if path.exists() else None


def read_costs(path: Path) -> pd.DataFrame:
    """One row per costs row: row (as a spreadsheet numbers it, header = 1), organisation, period (as
    written, normalised), first_month, last_month (first days of the period's months), programme_cost,
    residents. Raises CostsError naming the file, row and column of the first wrong cell."""
    text = _decode(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CostsError(f"{path}: the file is empty. Its first line must name the columns: {_header_hint()}.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    columns = _columns(path, rows[0])
    found = []
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        where = {name: f"{path}, row {n}, column '{rows[0][i].strip()}'" for name, i in columns.items()}
        first, last, period = _period(cell["period"], where["period"])
        if not cell["organisation"]:
            raise CostsError(f"{where['organisation']} is empty: write {HOW_TO_WRITE['organisation']}.")
        found.append(
            {
                "row": n,
                "organisation": cell["organisation"],
                "period": period,
                "first_month": first,
                "last_month": last,
                "programme_cost": _roubles(cell["programme_cost"], where["programme_cost"]),
                "residents": _count(cell["residents"], where["residents"]),
            }
        )
    costs = pd.DataFrame(found, columns=["row", "organisation", "period", "first_month", "last_month",
                                         "programme_cost", "residents"])  # fmt: skip
    _no_overlap(path, costs)
    return costs


def cost_per_result(
    wh: Warehouse, indicators: list[Indicator], costs: pd.DataFrame, as_of: dt.date, wave: int = RESULT_WAVE
) -> pd.DataFrame:
    """The cost table (columns of results.tables COLUMNS["cost"]): per costs row and indicator, the cost,
    residents, cost per resident, graduates due for `wave` by `as_of`, those with the result at `wave`,
    and the cost per result (see the module's docstring). Raises CostsError when a costs row names an
    organisation the warehouse does not know."""
    costs = costs.assign(organisation=_warehouse_names(wh, costs))
    with wh.staged(staged_costs=costs):
        table = wh.frame(SQL, "cost_per_result", wave=wave, as_of=as_of, indicators=[i.id for i in indicators])
    table["cost_per_resident"] = [
        _ratio(c, r) for c, r in zip(table["programme_cost"], table["residents"], strict=True)
    ]
    table["cost_per_result"] = [
        _ratio(c, r) for c, r in zip(table["programme_cost"], table["with_result"], strict=True)
    ]
    table["title"] = table["indicator"].map({i.id: indicator_title(i) for i in indicators})
    order = [*COST_COLUMNS, "indicator", "title", "graduates_due", "with_result", "cost_per_result"]
    return table[order]


def _ratio(cost: float, count: int) -> float:
    return round(float(cost) / int(count), 2) if count else math.nan


def _warehouse_names(wh: Warehouse, costs: pd.DataFrame) -> list[str]:
    """Each costs row's organisation as the warehouse spells it (case, spaces, quotes and ё may differ)."""
    known = {_key(name): name for name in wh.frame(SQL, "organisations")["organisation"]}
    names = []
    for row, name in zip(costs["row"], costs["organisation"], strict=True):
        if _key(name) not in known:
            listed = ", ".join(sorted(known.values())) or "none yet (run `followup run` first)"
            raise CostsError(
                f"{COSTS_FILE}, row {row}, column 'организация': no graduate of this organisation is in the "
                f"warehouse. Write the name as the case-closure exports give it; the warehouse knows: {listed}."
            )
        names.append(known[_key(name)])
    return names


def _key(name: str) -> str:
    return normalise_label(_QUOTES.sub("", name))


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CostsError(f"{path} cannot be read ({exc.strerror}); check that it exists and is not open.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")  # every byte decodes: Excel's "CSV (разделители — точка с запятой)"


def _header_hint() -> str:
    return ", ".join(f"{ru} ({en})" for ru, en, *_ in HEADERS.values())


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    """Which column holds each field; a header may add a unit after a comma or bracket («Затраты, руб.»)."""
    columns: dict[str, int] = {}
    for i, text in enumerate(header):
        word = re.split(r"[,(\[]", normalise_label(text.lstrip("\ufeff")))[0].strip()
        for name, names in HEADERS.items():
            if word in names and name not in columns:
                columns[name] = i
    missing = [HEADERS[name][0] for name in HEADERS if name not in columns]
    if missing:
        raise CostsError(
            f"{path}, row 1: no column {', '.join(repr(m) for m in missing)}. The first line must name the "
            f"columns: {_header_hint()}."
        )
    return columns


def _period(text: str, where: str) -> tuple[dt.date, dt.date, str]:
    """First and last month of a period written as 2024, 2024-03 or 2024-01..2024-06, and its normal spelling."""
    text = _SPACES.sub("", text)
    first = last = None
    if m := _YEAR.match(text):
        first, last = (int(m[1]), 1), (int(m[1]), 12)
    elif m := _MONTH.match(text):
        first = last = (int(m[1]), int(m[2]))
    elif m := _RANGE.match(text):
        first, last = (int(m[1]), int(m[2])), (int(m[3]), int(m[4]))
    if first is None or last is None or not (1 <= first[1] <= 12 and 1 <= last[1] <= 12) or last < first:
        raise CostsError(f"{where} is not a period: write {HOW_TO_WRITE['period']}.")
    start, end = dt.date(first[0], first[1], 1), dt.date(last[0], last[1], 1)
    if _YEAR.match(text):
        spelt = text
    elif start == end:
        spelt = f"{start:%Y-%m}"
    else:
        spelt = f"{start:%Y-%m}..{end:%Y-%m}"
    return start, end, spelt


def _roubles(text: str, where: str) -> float:
    plain = _SPACES.sub("", text).replace(",", ".")
    plain = re.sub(r"(руб\.?|₽|rub)$", "", plain, flags=re.IGNORECASE)
    try:
        value = float(plain)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise CostsError(f"{where} is not a cost: write {HOW_TO_WRITE['programme_cost']}.")
    return value


def _count(text: str, where: str) -> int:
    plain = _SPACES.sub("", text)
    if not plain.isdigit():
        raise CostsError(f"{where} is not a number of residents: write {HOW_TO_WRITE['residents']}.")
    return int(plain)


def _no_overlap(path: Path, costs: pd.DataFrame) -> None:
    """Two rows of one organisation whose periods overlap would count its graduates twice."""
    for _, rows in costs.groupby(costs["organisation"].map(_key)):
        ordered = rows.sort_values("first_month").to_dict("records")
        for before, after in itertools.pairwise(ordered):
            if after["first_month"] <= before["last_month"]:
                raise CostsError(
                    f"{path}, rows {before['row']} and {after['row']}, column 'период': the periods "
                    f"{before['period']} and {after['period']} of {after['organisation']} overlap, so its "
                    "graduates would be counted twice. Give each month to one row only."
                )
