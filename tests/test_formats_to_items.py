"""Every export format, read through a definition, gives the same coded items (tests/definitions/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import exports
import pytest

from followup.instruments import load_instrument, match_header
from followup.readers import read_export
from followup.validate import check

DEFINITION = load_instrument(Path(__file__).parent / "definitions" / "formats_followup.yaml")
A, B, C = exports.NAMES
TODAY = dt.date(2026, 11, 1)

# builder -> (version, {person: {item: {values}}}, rows quarantined)
EXPECTED = {
    "google_forms_csv": (
        1,
        {
            A: {"housing": {"rent"}, "help": {"food", "clothes"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"legal"}, "satisfaction": {"5"}},
            C: {"housing": {"dormitory"}, "satisfaction": {"2"}},
        },
        0,
    ),
    "yandex_forms_csv": (
        2,
        {
            A: {"housing": {"rent"}, "help": {"food", "clothes"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"clothes"}, "satisfaction": {"3"}},
        },
        0,
    ),
    "yandex_forms_xlsx": (
        2,
        {
            A: {"housing": {"rent"}, "help": {"food"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"clothes", "food"}, "satisfaction": {"5"}},
        },
        0,
    ),
    "kobo_csv": (
        3,
        {
            A: {"housing": {"rent"}, "help": {"food", "clothes"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"legal"}, "satisfaction": {"5"}},
        },
        0,
    ),
    "kobo_json": (
        3,
        {
            A: {"housing": {"rent"}, "help": {"food", "clothes"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"legal"}, "satisfaction": {"5"}},
        },
        0,
    ),
    "kobo_xlsx": (
        4,
        {
            A: {"housing": {"rent"}, "help": {"food", "clothes"}, "satisfaction": {"4"}},
            B: {"housing": {"relatives"}, "help": {"legal"}, "satisfaction": {"5"}},
        },
        0,
    ),
    "coding_workbook": (
        5,
        {
            A: {"housing": {"rent"}, "help": {"food"}},
            B: {"housing": {"rent"}, "help": {"food", "legal"}},
            C: {"housing": {"rent"}, "help": {"food", "legal"}},
        },
        0,
    ),
    "spss_sav": (
        6,
        {
            A: {"housing": {"rent"}, "help": {"food"}, "satisfaction": {"5"}},
            B: {"housing": {"relatives"}, "satisfaction": {"3"}},
        },
        1,
    ),  # the third case has no interview date
}


@pytest.mark.parametrize("builder", sorted(EXPECTED))
def test_each_format_lands_in_the_same_items(tmp_path: Path, builder: str) -> None:
    version, expected, quarantined = EXPECTED[builder]
    path = getattr(exports, builder)(tmp_path)
    got: dict[str, dict[str, set[str]]] = {}
    bad = 0
    for table in read_export(path):
        match = match_header(table.headers, [DEFINITION], path.name)
        assert match is not None and match.version.version == version, table.headers
        checked = check(table, match, today=TODAY)
        bad += checked.quarantine["_row"].nunique()
        names = dict(zip(checked.records["_row"], checked.records["full_name"], strict=True))
        for row, item, value in checked.answers[["_row", "item", "value"]].itertuples(index=False):
            got.setdefault(names[row], {}).setdefault(item, set()).add(value)
    assert got == expected
    assert bad == quarantined


def test_an_excel_csv_baseline_reads_decimal_commas_and_dates(tmp_path: Path) -> None:
    baseline = load_instrument(Path(__file__).parent / "definitions" / "formats_baseline.yaml")
    path = exports.excel_csv(tmp_path)
    [table] = read_export(path)
    match = match_header(table.headers, [baseline], path.name)
    assert match is not None
    checked = check(table, match, today=TODAY)
    assert checked.quarantine.empty
    income = checked.answers[checked.answers["item"] == "income_thousands"]
    assert income["value_num"].tolist() == [12.5, 30.0]
    assert [d.date() for d in checked.records["exit_date"]] == [
        dt.date(2025, 1, 15),
        dt.date(2025, 2, 3),
        dt.date(2025, 2, 20),
    ]
