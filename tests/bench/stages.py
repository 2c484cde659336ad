"""`make bench`: how long reading, validation and anonymisation take on a made-up 1,000,000-row follow-up
export, and how much memory.

The export is the shipped online follow-up form (schemas/instruments/followup_survey.yaml, version 1, as
Google Forms writes it): a timestamp to the second, a name, a phone, six coded answers and a comment, with
a few cells of every kind that the checks set aside (unreadable, future or missing dates, answers the form
does not define, rows with neither a name nor a phone). The roadmap's speed targets are ratios, so the same
rows are also written to a CSV file and read by DuckDB's `read_csv`: that read is the unit of comparison.

    .venv/bin/python tests/bench/stages.py [--rows N] [--repeat N]

Not a test (pytest does not collect it): timings depend on the machine, so they are printed, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from followup.anonymise.pseudonym import anonymise, identities
from followup.demo.names import FIRST_NAMES, PATRONYMICS, SURNAMES
from followup.instruments import Instrument, load_instruments, match_header
from followup.readers import read_export
from followup.readers.table import ROW, RawTable
from followup.validate import Checked, check

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 1)
SEED = 20261101
YES_NO = ["Да", "Нет"]
HOUSING = [
    "Собственное жильё",
    "Снимаю жильё",
    "У родственников",
    "Общежитие",
    "В приюте или кризисном центре",
    "Нет постоянного жилья",
]
COMMENTS = ["Всё хорошо", "Спасибо за помощь!", "Ищу работу", "Ребёнок пошёл в садик", "Нужна консультация юриста"]


def _instrument() -> Instrument:
    return next(i for i in load_instruments(ROOT / "schemas" / "instruments") if i.instrument == "followup_survey")


def _answers(rng: np.random.Generator, labels: list[str], rows: int, bad: list[str], share_bad: float) -> np.ndarray:
    """Labels at random, 3% left blank and `share_bad` of the cells holding an answer the form does not define."""
    cells = np.array(labels, dtype=object)[rng.integers(0, len(labels), rows)]
    cells[rng.random(rows) < 0.03] = ""
    if bad:
        wrong = rng.random(rows) < share_bad
        cells[wrong] = np.array(bad, dtype=object)[rng.integers(0, len(bad), int(wrong.sum()))]
    return cells


def export_table(rows: int, instrument: Instrument, seed: int = SEED) -> RawTable:
    """A Google Forms export of the follow-up form, as a reader returns it (text cells, "" when blank)."""
    rng = np.random.default_rng(seed)
    headers = list(instrument.versions[0].columns)
    (stamp, name, phone, child, housing, income, crisis, support, confidence, comment) = headers

    # Sent over the three years before TODAY, to the second, as Google writes it ("3.05.2025 9:03:11" has no
    # leading zeros): nearly every timestamp is distinct. Days and times are formatted once each.
    first = pd.Timestamp(TODAY) - pd.Timedelta(days=3 * 365)
    days = pd.date_range(first, periods=3 * 365 + 60, freq="D").strftime("%d.%m.%Y").to_numpy(dtype=object)
    clock = np.array([f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object)
    day = rng.integers(0, 3 * 365, rows)
    future = rng.random(rows) < 0.001  # the phone's clock was wrong
    day[future] = rng.integers(3 * 365 + 1, 3 * 365 + 60, int(future.sum()))
    stamps = days[day] + " " + clock[rng.integers(0, 86400, rows)]
    stamps[rng.random(rows) < 0.001] = ""
    unread = rng.random(rows) < 0.001
    stamps[unread] = np.array(["31.02.2026 10:00:00", "вчера", "2026-13-01"], dtype=object)[
        rng.integers(0, 3, int(unread.sum()))
    ]

    names = (
        pd.Series(np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), rows)])
        + " "
        + np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), rows)]
        + " "
        + np.array(PATRONYMICS, dtype=object)[rng.integers(0, len(PATRONYMICS), rows)]
    ).to_numpy(dtype=object)
    phones = np.array([f"+7 9{n // 10**7:02d} {n // 10**4 % 1000:03d}-{n // 100 % 100:02d}-{n % 100:02d}"
                       for n in rng.integers(0, 10**9, rows)], dtype=object)  # fmt: skip
    anonymous = rng.random(rows) < 0.0005
    names[anonymous] = ""
    phones[anonymous | (rng.random(rows) < 0.2)] = ""  # many leave the phone out; the name still identifies

    comments = _answers(rng, COMMENTS, rows, [], 0.0)
    comments[rng.random(rows) < 0.8] = ""
    frame = pd.DataFrame(
        {
            stamp: stamps,
            name: names,
            phone: phones,
            child: _answers(rng, YES_NO, rows, ["Иногда"], 0.0005),
            housing: _answers(rng, [*HOUSING, "Социальная квартира"], rows, ["Живу у подруги", "Снимаю"], 0.001),
            income: _answers(rng, YES_NO, rows, ["Не знаю"], 0.0005),
            crisis: _answers(rng, YES_NO, rows, [], 0.0),
            support: _answers(rng, YES_NO, rows, ["Да, мама"], 0.0005),
            confidence: _answers(rng, ["1", "2", "3", "4", "5"], rows, ["7", "0", "не знаю"], 0.001),
            comment: comments,
        },
        dtype="string",
    )
    frame[ROW] = pd.Series(np.arange(2, rows + 2), dtype="int64")
    return RawTable(Path("Анкета выпускниц (Ответы).csv"), None, headers, frame)


def _rss_mb() -> float:
    """The process's resident memory now, from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _reset_peak() -> bool:
    """Start the peak-RSS count afresh (Linux >= 4.0), so that the peak is the measured step's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Step:
    result: object  # what the first run returned
    seconds: float  # the best time of the runs
    before_mb: float  # the process's resident memory before the first run
    peak_mb: float  # its peak during the first run (later runs start among the first one's freed memory)


def measure(step: Callable[[], object], repeat: int) -> Step:
    """Run the step `repeat` times: its first result and memory, its best time."""
    gc.collect()
    before = _rss_mb()
    _reset_peak()
    started = time.perf_counter()
    result = step()
    seconds = [time.perf_counter() - started]
    peak = _peak_mb()
    for _ in range(repeat - 1):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return Step(result, min(seconds), before, peak)


def write_csv(table: RawTable, path: Path) -> None:
    """The rows as a UTF-8 CSV with a header, as an export would come."""
    with duckdb.connect() as con:
        con.register("export", table.rows[table.headers])
        con.execute(f"COPY export TO '{path}' (HEADER, DELIMITER ',')")


def duckdb_read_csv(path: Path, rows: int) -> None:
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE export AS SELECT * FROM read_csv('{path}')")
        assert con.execute("SELECT count(*) FROM export").fetchone() == (rows,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the best time is shown")
    args = parser.parse_args()
    rows, instrument = args.rows, _instrument()
    resettable = _reset_peak()

    started = time.perf_counter()
    table = export_table(rows, instrument)
    match = match_header(table.headers, [instrument])
    assert match is not None and match.version.version == 1
    print(f"made a {rows:,}-row export in {time.perf_counter() - started:.1f} s")
    # GX's import and its context are paid once per process, not per export: leave them out of the timing.
    check(export_table(1_000, instrument, seed=1), match, today=TODAY)
    validated = measure(lambda: check(table, match, today=TODAY), args.repeat)
    checked = validated.result
    assert isinstance(checked, Checked)
    quarantined = checked.quarantine[ROW].nunique()
    print(f"kept {len(checked.records):,} rows and {len(checked.answers):,} answers; quarantined {quarantined:,} rows")
    # The neighbouring stages on the same rows, to see which step is the slow one.
    key = b"bench-key-32-bytes-long-enough!!"

    def pseudonymise() -> object:
        who = identities(checked, key, "RU", "Бенч")
        # every form her own graduate's (as a case-closure form is): linkage against the vault is not timed here
        who = who.assign(graduate_id=who["alias_id"], link_how="exact", candidate_id=None, similarity=100.0)
        return anonymise(checked, who)

    anonymised = measure(pseudonymise, 1)
    with tempfile.TemporaryDirectory(prefix="followup-bench-") as folder:
        path = Path(folder) / "export.csv"
        write_csv(table, path)
        read = measure(lambda: duckdb_read_csv(path, rows), args.repeat)
        ours = measure(lambda: read_export(path), 1)

    print()
    print(f"{'step':<18}{'rows':>11}{'seconds':>9}{'rows/s':>11}{'peak MB':>9}{'added MB':>10}{'× read_csv':>12}")
    steps = (
        ("read_export (CSV)", ours),
        ("validate.check", validated),
        ("anonymise", anonymised),
        ("duckdb read_csv", read),
    )
    for name, step in steps:
        print(
            f"{name:<18}{rows:>11,}{step.seconds:>9.2f}{rows / step.seconds:>11,.0f}{step.peak_mb:>9,.0f}"
            f"{step.peak_mb - step.before_mb:>10,.0f}{step.seconds / read.seconds:>12.1f}"
        )
    print()
    print(f"seconds: the best of {args.repeat} runs (read_export and anonymise: one run). peak MB: the")
    print("whole process's during the first run, the export table in memory included; added MB: the peak")
    print("less the memory before the step.")
    print(f"DuckDB reads on every core ({os.cpu_count()} here), check() on one.")
    if not resettable:
        print("(this system cannot reset the peak count: the peaks may be earlier steps')")


if __name__ == "__main__":
    main()
