"""Figures of the calibration: the posterior, the predictive check, the ABC progress.

:func:`save_figures` draws what ``basisbaan calibrate`` writes next to its posterior
(``results/calibration/figures/``): the weighted posterior marginals against their
priors, every fitted target's 50% and 90% posterior predictive intervals against its
observed value, the wijk counts (checked, not fitted), the predictive weekly series
with the observed points, and the ABC-SMC progress per generation.
:func:`calibration_fit` draws the predictive check for the report, from ``ppc.csv``.

Every function takes ``lang`` for its words (:mod:`sim.figures.labels`) and builds
:class:`matplotlib.figure.Figure` objects directly: no pyplot, no global state. The
calibration objects are read by attribute only, so this module does not import the
model (the calibration types are named for type checking alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.figures.labels import Labels, labels
from sim.figures.style import DPI, new_figure, titled
from sim.observed import EMPLOYED_BY_WIJK_2022
from sim.params import Params
from sim.timeline import week_dates

if TYPE_CHECKING:
    from sim.calibration.settings import Calibration

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)  # the 90% and 50% bands and the median
BAND = "#4c72b0"
OUTSIDE = "#c44e52"
# The report's predictive-check figure uses the report's blue and red.
INSIDE_COLOUR = "#2b6cb0"
OUTSIDE_COLOUR = "#c53030"
OBSERVED_COLOUR = "black"


def save_figures(
    cal: Calibration,
    posterior: pd.DataFrame,
    table: pd.DataFrame,
    draws: pd.DataFrame,
    populations: pd.DataFrame,
    directory: Path,
    *,
    lang: str = "en",
) -> list[Path]:
    """Draw the calibration's figures into ``directory``.

    Args:
        cal: the calibration (its name, free parameters and targets).
        posterior: the weighted posterior sample (a column per free parameter, ``weight``).
        table: the predictive check per target (``ppc.csv``, with its ``use`` column).
        draws: the predictive runs, with their weekly ``series_<column>`` arrays.
        populations: pyabc's populations (``t``, ``epsilon``, ``particles``, ``samples``).
        directory: where to write (created if missing).
        lang: the language of the figures' words (``"en"`` or ``"nl"``).

    Returns:
        The files written.
    """
    words = labels(lang)
    directory.mkdir(parents=True, exist_ok=True)
    figures = {
        "posterior_marginals.png": posterior_marginals(cal, posterior, words),
        "ppc_targets.png": ppc_targets(table, words),
        "ppc_wijk.png": ppc_wijk(cal, table, words),
        "ppc_timeseries.png": ppc_timeseries(cal, draws, words),
        "abc_progress.png": abc_progress(populations, words),
    }
    written = []
    for name, figure in figures.items():
        # Freed once saved: no pyplot registry holds it.
        path = directory / name
        figure.savefig(path, dpi=DPI, bbox_inches="tight")
        written.append(path)
    return written


def _grid(
    n: int, columns: int, width: float = 3.2, height: float = 2.3
) -> tuple[Figure, Sequence[Axes]]:
    """A figure of ``n`` small panels, ``columns`` to a row; spare panels hidden."""
    rows = -(-n // columns)
    figure = Figure(figsize=(columns * width, rows * height))
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return figure, list(axes.flat)


def posterior_marginals(cal: Calibration, posterior: pd.DataFrame, words: Labels) -> Figure:
    """Each free parameter's weighted posterior histogram over its prior's range.

    The flat prior density is dashed and the registry default dotted, so a posterior
    that moved away from the default shows at a glance.
    """
    defaults = Params()
    figure, axes = _grid(len(cal.free), 5)
    weights = posterior["weight"].to_numpy(float)
    for ax, p in zip(axes, cal.free, strict=False):
        values = np.array([p.to_number(v) for v in posterior[p.name]])
        ax.hist(values, bins=30, range=(p.low, p.high), weights=weights, density=True,
                color=BAND, alpha=0.8, label=words["posterior"])  # fmt: skip
        ax.axhline(
            1.0 / (p.high - p.low), color="grey", linestyle="--", linewidth=1,
            label=words["prior"],
        )  # fmt: skip
        ax.axvline(p.to_number(getattr(defaults, p.name)), color="black", linestyle=":",
                   linewidth=1, label=words["registry_default"])  # fmt: skip
        ax.set_xlim(p.low, p.high)
        ax.set_yticks([])
        ax.set_title(p.name, fontsize=9)
        if p.kind == "date":
            ticks = np.linspace(p.low, p.high, 4)
            ax.set_xticks(ticks, [p.to_value(t).strftime("%Y-%m") for t in ticks])  # type: ignore[union-attr]
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=6, loc="upper right")
    figure.suptitle(
        words.fill("marginals_heading", name=cal.name, particles=len(posterior)), fontsize=10
    )
    figure.tight_layout()
    return figure


def _interval(ax: Axes, y: float, row: Mapping[str, Any]) -> None:
    """One target's 90% (thin) and 50% (thick) intervals, median and observed value."""
    ax.plot([row["q05"], row["q95"]], [y, y], color=BAND, linewidth=1.5, solid_capstyle="butt")
    ax.plot([row["q25"], row["q75"]], [y, y], color=BAND, linewidth=7, solid_capstyle="butt")
    ax.plot([row["q50"]], [y], marker="|", color="white", markersize=7, markeredgewidth=1.5)
    colour = "black" if row["inside_90"] else OUTSIDE
    ax.plot([row["observed"]], [y], marker="D", color=colour, markersize=5, zorder=3)


def ppc_targets(table: pd.DataFrame, words: Labels) -> Figure:
    """Every fitted target against its predictive intervals, a small panel each."""
    fit = table[table["use"] == "fit"].reset_index(drop=True)
    figure, axes = _grid(len(fit), 4, width=3.3, height=1.35)
    for ax, row in zip(axes, fit.to_dict("records"), strict=False):
        _interval(ax, 0.0, row)
        low = min(row["q05"], row["observed"])
        high = max(row["q95"], row["observed"])
        pad = 0.08 * (high - low) if high > low else 0.5
        ax.set_xlim(low - pad, high + pad)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
        colour = "black" if row["inside_90"] else OUTSIDE
        ax.set_title(f"{row['target']} ({row['date']})", fontsize=8, color=colour)
    figure.suptitle(words["ppc_heading"], fontsize=9)
    figure.tight_layout()
    return figure


def ppc_wijk(cal: Calibration, table: pd.DataFrame, words: Labels) -> Figure:
    """Participants by wijk on 1 January 2022: predictive intervals against the counts."""
    wijk = {t.name: t.wijk for t in cal.targets if t.statistic == "wijk_employed"}
    rows = table[table["target"].isin(list(wijk))].reset_index(drop=True)
    figure = Figure(figsize=(6.5, 0.32 * len(rows) + 1.2))
    ax = figure.add_subplot()
    for i, row in enumerate(rows.to_dict("records")):
        _interval(ax, -i, row)
    ax.set_yticks(
        [-i for i in range(len(rows))], [wijk[name] for name in rows["target"]], fontsize=8
    )
    ax.set_xlabel(words.fill("ppc_wijk_axis", total=sum(EMPLOYED_BY_WIJK_2022.values())))
    ax.set_title(words["ppc_wijk_heading"], fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def ppc_timeseries(cal: Calibration, draws: pd.DataFrame, words: Labels) -> Figure:
    """The predictive weekly series (50% and 90% bands, median) with the observed points.

    One panel per ``series_<column>`` of the draws.
    """
    columns = [c.removeprefix("series_") for c in draws.columns if c.startswith("series_")]
    figure = Figure(figsize=(5.5 * len(columns), 3.4))
    axes = np.atleast_1d(figure.subplots(1, len(columns)))
    for ax, column in zip(axes, columns, strict=True):
        series = np.vstack(draws[f"series_{column}"].to_numpy())
        dates = week_dates(series.shape[1])
        q = np.quantile(series, QUANTILES, axis=0)
        ax.fill_between(dates, q[0], q[4], color=BAND, alpha=0.2, label=words["ppc_band_90"])
        ax.fill_between(dates, q[1], q[3], color=BAND, alpha=0.4, label=words["ppc_band_50"])
        ax.plot(dates, q[2], color=BAND, linewidth=1, label=words["ppc_median"])
        observed = [t for t in cal.targets if t.column == column and t.statistic == "value_at"]
        ax.plot([pd.Timestamp(t.date) for t in observed], [t.value for t in observed], "D",
                color="black", markersize=5, label=words["ppc_observed"])  # fmt: skip
        ax.set_title(words.fill("ppc_series_heading", column=column), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    return figure


def abc_progress(populations: pd.DataFrame, words: Labels) -> Figure:
    """The distance threshold and the acceptance rate per ABC-SMC generation."""
    runs = populations[populations["t"] >= 0]
    figure = Figure(figsize=(9, 3))
    left, right = figure.subplots(1, 2)
    left.semilogy(runs["t"], runs["epsilon"], "o-")
    left.set_xlabel(words["generation"])
    left.set_ylabel(words["epsilon_axis"])
    right.plot(runs["t"], runs["particles"] / runs["samples"], "o-")
    right.set_xlabel(words["generation"])
    right.set_ylabel(words["acceptance_axis"])
    total = int(populations["samples"].sum())
    figure.suptitle(words.fill("progress_heading", simulations=f"{total:,}"), fontsize=10)
    for ax in (left, right):
        ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def calibration_fit(ppc: pd.DataFrame, *, title: str, lang: str = "en") -> Figure:
    """Each calibration target against its predictive interval, one small panel per target.

    Targets have their own units (counts, shares), so each gets its own axis.

    Args:
        ppc: the calibration's ``ppc.csv``: ``target``, ``date``, ``observed``,
            ``q05``, ``q25``, ``q50``, ``q75``, ``q95``, ``inside_90``.
        title: the finding, in words.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    count = len(ppc)
    columns = 3
    rows = max(1, -(-count // columns))
    fig = new_figure(1.6 + 0.95 * rows)
    axes = fig.subplots(rows, columns, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= count:
            ax.set_axis_off()
            continue
        target = ppc.iloc[k]
        colour = INSIDE_COLOUR if bool(target["inside_90"]) else OUTSIDE_COLOUR
        ax.hlines(
            0, target["q05"], target["q95"], color=colour, linewidth=2,
            label=words["ppc_interval"],
        )  # fmt: skip
        ax.hlines(0, target["q25"], target["q75"], color=colour, linewidth=6)
        ax.plot([target["q50"]], [0], "o", color="white", markeredgecolor=colour, markersize=5)
        ax.plot(
            [target["observed"]],
            [0],
            "D",
            color=OBSERVED_COLOUR,
            markersize=6,
            label=words["ppc_observed"],
        )
        low = min(float(target["q05"]), float(target["observed"]))
        high = max(float(target["q95"]), float(target["observed"]))
        pad = 0.15 * (high - low) or 0.5 * max(abs(high), 1e-3)
        ax.set_xlim(low - pad, high + pad)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(_short_number))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(f"{target['target']} ({target['date']})", fontsize=8, loc="left")
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
    handles, names = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper right", ncols=2, frameon=False, fontsize=8)
    fig.supxlabel(words["ppc_axis"], fontsize=9)
    return titled(fig, title)


def _short_number(value: float, _position: int) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.2g}"


def sbc_ranks(table: pd.DataFrame, lang: str = "en", *, bins: int = 5) -> Figure:
    """A rank histogram per free parameter from a simulation-based calibration.

    ``table`` has one row per data set and parameter with the truth's posterior
    ``rank`` (0-1). A calibrated method gives flat histograms: the grey band is where
    99% of the bars of uniform ranks fall (binomial, per bar). A hump in the middle
    means posteriors too wide, a U too narrow, a slope a bias.
    """
    from scipy import stats

    words = labels(lang)
    names = sorted(table["parameter"].unique())
    datasets = int(table["dataset"].nunique())
    figure, axes = _grid(len(names), 4, width=3.0, height=2.1)
    low, high = stats.binom.ppf([0.005, 0.995], datasets, 1 / bins)
    edges = np.linspace(0, 1, bins + 1)
    for ax, name in zip(axes, names, strict=False):
        ranks = table.loc[table["parameter"] == name, "rank"].to_numpy(float)
        ax.axhspan(low, high, color="lightgrey", label=words["sbc_band"])
        ax.axhline(datasets / bins, color="grey", linewidth=0.8)
        ax.hist(ranks, bins=list(edges), color=BAND, alpha=0.85, edgecolor="white")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, max(high, np.histogram(ranks, edges)[0].max()) + 1)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=6, loc="upper left")
    figure.supxlabel(words["sbc_rank"], fontsize=8)
    figure.suptitle(
        words.fill(
            "sbc_heading",
            datasets=datasets,
            coverage50=float(table["in50"].mean()),
            coverage90=float(table["in90"].mean()),
        ),
        fontsize=9,
    )
    figure.tight_layout()
    return figure
