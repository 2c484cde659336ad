"""Charts of the report (matplotlib, Agg): results by wave with their intervals, Kaplan–Meier curves with
their band, and attrition by cohort.

Every chart is drawn from the tables disclosure control returned: a suppressed figure is NaN there and is
left out (`points` says what a chart plots), so no chart can show a value that the tables hide.
"""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display: the nightly run and the tests draw into files

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from followup.results import labels

KM = ("survival", "ci_low", "ci_high")  # a Kaplan–Meier figure: the estimate and its interval
TITLE_WIDTH = 60  # characters of a title line that fit the figure's width at 11 pt
COLOURS = ["#1f6f8b", "#e07a1f", "#4c9a2a", "#a23b72", "#6c5b7b", "#c8553d", "#2a9d8f", "#8d6a9f"]


def _figure() -> tuple[Figure, Axes]:
    fig = Figure(figsize=(6.4, 3.0), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


def _title(ax: Axes, title: str) -> None:
    """The chart's title at its top left, wrapped to the figure's width, at a dash first (a scale where lower
    is better is titled «… — чем ниже балл, тем лучше», `labels.indicator_title`: one line would be cut off)."""
    parts = title.split(" — ") if len(title) > TITLE_WIDTH else [title]
    ax.set_title("\n— ".join(textwrap.fill(part, TITLE_WIDTH) for part in parts), fontsize=11, loc="left")


def _waves_axis(ax: Axes, waves: list[float], label: str = "Месяцев после выхода") -> None:
    ax.set_xticks(waves)
    ax.set_xlabel(label)


def points(table: pd.DataFrame, x: str, y: str, *bounds: str) -> pd.DataFrame:
    """The rows a chart plots: those where x, y (and the interval's bounds) are all shown."""
    needed = [x, y, *bounds]
    numeric = table[needed].apply(pd.to_numeric, errors="coerce")
    return numeric[numeric.notna().all(axis=1)].sort_values(x)


def by_wave(rows: pd.DataFrame, title: str, kind: str) -> Figure | None:
    """One indicator across waves: the share with its 95 % Wilson interval as error bars, or for a scale
    the median with its quartiles (its title says when a lower score is better). None when no wave has a
    figure that may be shown."""
    fig, ax = _figure()
    if kind == "scale":
        shown = points(rows, "wave", "median", "q1", "q3")
        if not len(shown):
            return None
        y, low, high = (shown[c].to_numpy() for c in ("median", "q1", "q3"))
        ax.set_ylabel("Медиана балла (Q1–Q3)")
    else:
        shown = points(rows, "wave", "share", "ci_low", "ci_high")
        if not len(shown):
            return None
        y, low, high = (shown[c].to_numpy() for c in ("share", "ci_low", "ci_high"))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("Доля с результатом")
    # (a share is rounded to 3 decimals, its interval is not: clip the last digit's overhang)
    ax.errorbar(
        shown["wave"].to_numpy(),
        y,
        yerr=[(y - low).clip(min=0), (high - y).clip(min=0)],
        fmt="o-",
        color=COLOURS[0],
        capsize=4,
        linewidth=1.5,
    )
    _waves_axis(ax, sorted(pd.to_numeric(rows["wave"], errors="coerce").dropna().unique()))
    _title(ax, title)
    fig.tight_layout()
    return fig


def survival(curve: pd.DataFrame, title: str, at_waves: pd.DataFrame | None = None) -> Figure | None:
    """A Kaplan–Meier curve (steps) with its 95 % band over the months it may be shown, and the survival at
    each wave where the events table shows it (`at_waves`: its rows of this indicator), as points with their
    interval; so a wave shown after the curve stops is still drawn. The axis spans every month of the curve,
    so that where it stops shows. None when fewer than two months have anything to show."""
    steps = points(curve, "months", *KM)
    at_waves = at_waves if at_waves is not None else pd.DataFrame(columns=["wave", *KM])
    waves = points(at_waves, "wave", *KM)
    if len(set(steps["months"]) | set(waves["wave"])) < 2:  # one point is no curve
        return None
    fig, ax = _figure()
    last = max(pd.to_numeric(curve["months"], errors="coerce").max(), waves["wave"].max() if len(waves) else 0)
    ax.set_xlim(-0.5, max(float(last), 1.0) + 0.5)
    if len(steps) >= 2:
        ax.step(steps["months"], steps["survival"], where="post", color=COLOURS[0], linewidth=1.8, label="Кривая")
        ax.fill_between(steps["months"], steps["ci_low"], steps["ci_high"], step="post", alpha=0.25, color=COLOURS[0])
    if len(waves):
        y = waves["survival"].to_numpy()
        errors = [(y - waves["ci_low"].to_numpy()).clip(min=0), (waves["ci_high"].to_numpy() - y).clip(min=0)]
        ax.errorbar(waves["wave"].to_numpy(), y, yerr=errors, fmt="o", color=COLOURS[1], capsize=4, label="В волнах")
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Месяцев после выхода")
    ax.set_ylabel(labels.COLUMNS_RU["survival"])
    _title(ax, title)
    fig.tight_layout()
    return fig


def attrition(table: pd.DataFrame) -> Figure | None:
    """Share of each cohort (year of exit) reached at each wave, one line per cohort."""
    fig, ax = _figure()
    drawn = 0
    for i, (cohort, rows) in enumerate(table.groupby("cohort", sort=True)):
        shown = points(rows, "wave", "response_rate")
        if len(shown):
            ax.plot(shown["wave"], shown["response_rate"], "o-", color=COLOURS[i % len(COLOURS)], label=str(cohort))
            drawn += 1
    if not drawn:
        return None
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("Доля ответивших")
    _waves_axis(ax, sorted(pd.to_numeric(table["wave"], errors="coerce").dropna().unique()))
    ax.legend(title=labels.COLUMNS_RU["cohort"], fontsize=8, title_fontsize=8, frameon=False, ncols=2)
    ax.set_title("Охват по году выхода", fontsize=11, loc="left")
    fig.tight_layout()
    return fig


def png(fig: Figure) -> str:
    """The figure as a data: URI (PNG, base64), to embed in an offline HTML file."""
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
