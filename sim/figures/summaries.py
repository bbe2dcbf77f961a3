"""Figures of summarised tables, drawn for the report: reaching 250, who pays, who takes part.

The figures of every run (jobs filled, the intake funnel, costs per year, binding
constraints, the wijk map) are in :mod:`sim.figures.experiment`. Each function here
takes a small table the report has already computed, the scenario colours of
:func:`sim.figures.style.scenario_colours` (so a scenario has one colour in every
figure), a title that states the finding, and the language of its axis words
(:mod:`sim.figures.labels`), and returns a :class:`matplotlib.figure.Figure`.
Names in the tables (groups, parties) arrive already in that language.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim.figures.labels import labels
from sim.figures.style import new_figure, titled

ELIGIBLE_COLOUR = "#b0b0b0"


def reach_probability(
    p250: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    title: str,
    lang: str = "en",
) -> Figure:
    """The share of runs with 250 jobs filled by the end of each year, per scenario.

    Args:
        p250: columns ``scenario``, ``year``, ``probability`` (0-1).
        colours: scenario -> colour.
        title: the finding, in words.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    fig = new_figure(3.8)
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
    ax.set_xlabel(words["p250_axis"])
    ax.set_ylabel(words["p250_share_axis"])
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left")
    return titled(fig, title)


def cost_by_payer(
    table: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    title: str,
    period: tuple[int, int],
    lang: str = "en",
    number: Callable[[float], str] = "{:.2f}".format,
) -> Figure:
    """Cost (+) or gain (-) per party over the run, one bar per scenario.

    Args:
        table: one row per party (index: the party's name in ``lang``), one column per
            scenario, values in EUR million.
        colours: scenario -> colour.
        title: the finding, in words.
        period: the first and last year of the run, named on the euro axis.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
        number: how a bar's value is written beside it (the report's number format).
    """
    words = labels(lang)
    parties = list(table.index)
    scenarios = list(table.columns)
    height = 0.8 / max(len(scenarios), 1)
    fig = new_figure(1.3 + 0.17 * len(parties) * max(len(scenarios), 3))
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
    ax.set_xlabel(words.fill("payers_axis", start=period[0], end=period[1]))
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
    lang: str = "en",
) -> Figure:
    """Share of each group among participants (per scenario) against the eligible pool.

    A grey bar per group for the eligible pool; a dot per scenario for the participants,
    with a whisker for the interval over runs. Dots rather than bars keep the figure
    readable with many scenarios.

    Args:
        table: columns ``group`` (its name in ``lang``), ``scenario``, ``mean``, ``low``,
            ``high`` (participant shares, 0-1; low and high bound the interval over runs).
        eligible: group name -> share among everyone eligible (0-1).
        colours: scenario -> colour.
        title: the finding, in words.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    groups = list(eligible.index)
    scenarios = list(dict.fromkeys(table["scenario"]))
    fig = new_figure(1.9 + 0.42 * len(groups) + 0.05 * len(scenarios) * len(groups))
    ax = fig.add_subplot()
    rows = np.arange(len(groups))
    ax.barh(
        rows,
        100 * eligible.to_numpy(dtype=float),
        height=0.8,
        color=ELIGIBLE_COLOUR,
        alpha=0.6,
        label=words["eligible_bars"],
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
    ax.set_xlabel(words["composition_axis"])
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
    lang: str = "en",
) -> Figure:
    """Net cost per year per scenario as bars, with each scenario's budget as a line.

    Args:
        net: one row per year (index), one column per scenario, EUR million.
        budgets: scenario -> yearly net budget in EUR million (scenarios with a budget).
        colours: scenario -> colour.
        title: the finding, in words.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    years = list(net.index)
    scenarios = list(net.columns)
    width = 0.8 / max(len(scenarios), 1)
    fig = new_figure(3.8)
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
            label=words.fill("budget_line", scenario=scenario),
        )
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_ylabel(words["budget_axis"])
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, ncols=2)
    return titled(fig, title)


def cost_against_other_places(
    table: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    title: str,
    comparators: Sequence[tuple[str, float, float]],
    lang: str = "en",
) -> Figure:
    """Net cost per participant-year per scenario, beside the figures of other places.

    Args:
        table: one row per scenario (index) with ``per_year`` (EUR, the median over
            runs) and ``low`` and ``high`` (the 5th and 95th percentiles).
        colours: scenario -> colour.
        title: the finding, in words.
        comparators: (label, low, high) of other places in EUR per participant-year; a
            band where low < high, else a line. Drawn grey and named as other places.
        lang: the language of the axis words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    scenarios = list(table.index)
    fig = new_figure(1.8 + 0.45 * len(scenarios) + 0.22 * len(comparators))
    ax = fig.add_subplot()
    rows = np.arange(len(scenarios))
    values = table["per_year"].to_numpy(dtype=float)
    errors = np.vstack(
        [values - table["low"].to_numpy(dtype=float), table["high"].to_numpy(dtype=float) - values]
    )
    ax.barh(
        rows, values, color=[colours[s] for s in scenarios], xerr=np.maximum(errors, 0),
        capsize=3, height=0.6,
    )  # fmt: skip
    for i, value in enumerate(values):
        ax.text(value, i + 0.05, f"  €{value / 1000:.1f}k", va="center", fontsize=8)
    handles = []
    for k, (label, low, high) in enumerate(comparators):
        dash = (0, (4, 1 + 2 * k))
        if high > low:
            ax.axvspan(low, high, color="#bbbbbb", alpha=0.35, lw=0)
        ax.axvline((low + high) / 2, ls=dash, color="#555555", lw=1.0)
        handles.append(Line2D([], [], ls=dash, color="#555555", label=label))
        # The place's name over its line (the legend below gives the figure in full).
        ax.text(
            (low + high) / 2, 1.01, label.split(":")[0], transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize=7, color="#333333",
        )  # fmt: skip
    ax.set_yticks(rows, scenarios)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(words["per_participant_year_axis"])
    ax.grid(axis="x", alpha=0.3)
    ax.margins(x=0.08)
    # Other places in a legend below the plot: named, apart from the model's bars.
    fig.legend(
        handles=handles, loc="outside lower center", ncol=1, fontsize=8, frameon=False,
        title=words["other_places"], title_fontsize=8,
    )  # fmt: skip
    return titled(fig, title)
