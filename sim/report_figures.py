"""Figures that only the report draws: who pays, composition, reaching 250, calibration fit.

The figures of every run (jobs filled, the intake funnel, costs per year, binding
constraints, the wijk map) live in :mod:`sim.figures`; these are the report's extra
figures. Each function takes tidy data already summarised by :mod:`sim.report`, the
scenario colours of :func:`sim.figures.scenario_colours` (so a scenario has one colour
in every figure), a title that states the finding and the axis labels in the
report's language, and returns a :class:`matplotlib.figure.Figure` (no pyplot state).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from sim.figures import DPI, WIDTH

ELIGIBLE_COLOUR = "#b0b0b0"
INSIDE_COLOUR = "#2b6cb0"
OUTSIDE_COLOUR = "#c53030"
OBSERVED_COLOUR = "black"
TITLE_WIDTH = 100  # characters per title line at the figures' width


def titled(fig: Figure, title: str, width: int = TITLE_WIDTH) -> Figure:
    """Set a figure's title (its finding in words); each line wrapped to the figure's width.

    The first line is the heading; the others (one finding per scenario) are indented
    when they wrap.
    """
    lines = title_lines(title, width)
    fig.suptitle("\n".join(lines), fontsize=10.5, x=0.01, ha="left", linespacing=1.35)
    return fig


def title_lines(title: str, width: int = TITLE_WIDTH) -> list[str]:
    """A title's lines as :func:`titled` draws them."""
    lines: list[str] = []
    for line in title.split("\n"):
        lines += textwrap.wrap(line, width, subsequent_indent="    ") or [""]
    return lines


def _figure(height: float) -> Figure:
    """An empty figure as wide as those of sim.figures."""
    return Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")


def reach_probability(
    p250: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
) -> Figure:
    """The share of runs with 250 jobs filled by the end of each year, per scenario.

    Args:
        p250: columns ``scenario``, ``year``, ``probability`` (0-1).
        colours: scenario -> colour.
        title: the finding, in words.
        xlabel: label of the year axis.
        ylabel: label of the probability axis (shown in %).
    """
    fig = _figure(3.8)
    ax = fig.add_subplot()
    for scenario, rows in p250.groupby("scenario", sort=False):
        rows = rows.sort_values("year")
        ax.plot(
            rows["year"],
            100 * rows["probability"],
            marker="o",
            color=colours[str(scenario)],
            label=str(scenario),
        )
    ax.axhline(50, color="0.7", linestyle=":", linewidth=1)
    ax.set_ylim(-3, 103)
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left")
    return titled(fig, title)


def cost_by_payer(
    table: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    title: str,
    xlabel: str,
    number: Callable[[float], str] = "{:.2f}".format,
) -> Figure:
    """Cost (+) or gain (-) per party over the run, one bar per scenario.

    Args:
        table: one row per party (index: the party's label), one column per scenario,
            values in EUR million.
        colours: scenario -> colour.
        title: the finding, in words.
        xlabel: label of the euro axis, with its unit.
        number: how a bar's value is written beside it (the report's number format).
    """
    parties = list(table.index)
    scenarios = list(table.columns)
    height = 0.8 / max(len(scenarios), 1)
    fig = _figure(1.3 + 0.17 * len(parties) * max(len(scenarios), 3))
    ax = fig.add_subplot()
    rows = np.arange(len(parties))
    for k, scenario in enumerate(scenarios):
        values = table[scenario].to_numpy(dtype=float)
        y = rows - 0.4 + height * (k + 0.5)
        bars = ax.barh(y, values, height=height * 0.9, color=colours[scenario], label=scenario)
        ax.bar_label(bars, labels=[number(v) for v in values], padding=3, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(rows, [textwrap.fill(p, 28) for p in parties])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    ax.margins(x=0.15)
    ax.legend(frameon=False, loc="lower right")
    return titled(fig, title)


def composition_against_eligible(
    table: pd.DataFrame,
    eligible: pd.Series,
    colours: Mapping[str, str],
    *,
    title: str,
    xlabel: str,
    eligible_label: str,
) -> Figure:
    """Share of each group among participants (per scenario) against the eligible pool.

    A grey bar per group for the eligible pool; a dot per scenario for the participants,
    with a whisker for the interval over runs. Dots rather than bars keep the figure
    readable with many scenarios.

    Args:
        table: columns ``group`` (label), ``scenario``, ``mean``, ``low``, ``high``
            (participant shares, 0-1; low and high bound the interval over runs).
        eligible: group label -> share among everyone eligible (0-1).
        colours: scenario -> colour.
        title: the finding, in words.
        xlabel: label of the share axis (shown in %).
        eligible_label: legend entry of the eligible bars.
    """
    groups = list(eligible.index)
    scenarios = list(dict.fromkeys(table["scenario"]))
    fig = _figure(1.9 + 0.42 * len(groups) + 0.05 * len(scenarios) * len(groups))
    ax = fig.add_subplot()
    rows = np.arange(len(groups))
    ax.barh(
        rows,
        100 * eligible.to_numpy(dtype=float),
        height=0.8,
        color=ELIGIBLE_COLOUR,
        alpha=0.6,
        label=eligible_label,
    )
    step = 0.6 / max(len(scenarios), 1)
    for k, scenario in enumerate(scenarios):
        rows_of = table[table["scenario"] == scenario].set_index("group").reindex(groups)
        mean = 100 * rows_of["mean"].to_numpy(dtype=float)
        spread = np.vstack(
            [
                mean - 100 * rows_of["low"].to_numpy(dtype=float),
                100 * rows_of["high"].to_numpy(dtype=float) - mean,
            ]
        )
        ax.errorbar(
            mean,
            rows - 0.3 + step * (k + 0.5),
            xerr=np.clip(spread, 0, None),
            fmt="o",
            color=colours[scenario],
            markersize=6,
            elinewidth=1.2,
            capsize=2,
            label=scenario,
        )
    ax.set_yticks(rows, groups)
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    fig.legend(
        loc="outside lower center", ncols=min(len(scenarios) + 1, 3), frameon=False, fontsize=9
    )
    return titled(fig, title)


def net_cost_against_budget(
    net: pd.DataFrame,
    budgets: Mapping[str, float],
    colours: Mapping[str, str],
    *,
    title: str,
    ylabel: str,
    budget_label: str,
) -> Figure:
    """Net cost per year per scenario as bars, with each scenario's budget as a line.

    Args:
        net: one row per year (index), one column per scenario, EUR million.
        budgets: scenario -> yearly net budget in EUR million (scenarios with a budget).
        colours: scenario -> colour.
        title: the finding, in words.
        ylabel: label of the euro axis, with its unit.
        budget_label: legend template with a ``{scenario}`` field.
    """
    years = list(net.index)
    scenarios = list(net.columns)
    width = 0.8 / max(len(scenarios), 1)
    fig = _figure(3.8)
    ax = fig.add_subplot()
    x = np.arange(len(years))
    for k, scenario in enumerate(scenarios):
        ax.bar(
            x - 0.4 + width * (k + 0.5),
            net[scenario].to_numpy(dtype=float),
            width=width * 0.9,
            color=colours[scenario],
            label=scenario,
        )
    for scenario, budget in budgets.items():
        ax.axhline(
            budget,
            color=colours[scenario],
            linestyle="--",
            linewidth=1.5,
            label=budget_label.format(scenario=scenario),
        )
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, ncols=2)
    return titled(fig, title)


def calibration_fit(
    ppc: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    observed_label: str,
    interval_label: str,
) -> Figure:
    """Each calibration target against its predictive interval, one small panel per target.

    Targets have their own units (counts, shares), so each gets its own axis.

    Args:
        ppc: the calibration's ``ppc.csv``: ``target``, ``date``, ``observed``,
            ``q05``, ``q25``, ``q50``, ``q75``, ``q95``, ``inside_90``.
        title: the finding, in words.
        xlabel: label of the value axes.
        observed_label: legend entry of the observed value.
        interval_label: legend entry of the 90% interval.
    """
    count = len(ppc)
    columns = 3
    rows = max(1, -(-count // columns))
    fig = _figure(1.6 + 0.95 * rows)
    axes = fig.subplots(rows, columns, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= count:
            ax.set_axis_off()
            continue
        target = ppc.iloc[k]
        colour = INSIDE_COLOUR if bool(target["inside_90"]) else OUTSIDE_COLOUR
        ax.hlines(0, target["q05"], target["q95"], color=colour, linewidth=2, label=interval_label)
        ax.hlines(0, target["q25"], target["q75"], color=colour, linewidth=6)
        ax.plot([target["q50"]], [0], "o", color="white", markeredgecolor=colour, markersize=5)
        ax.plot(
            [target["observed"]],
            [0],
            "D",
            color=OBSERVED_COLOUR,
            markersize=6,
            label=observed_label,
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
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper right", ncols=2, frameon=False, fontsize=8)
    fig.supxlabel(xlabel, fontsize=9)
    return titled(fig, title)


def _short_number(value: float, _position: int) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.2g}"
