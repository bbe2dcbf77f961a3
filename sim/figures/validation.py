"""The figure of a forecast scored against figures observed after it was made.

One panel per observed figure; in it one row per scenario: the forecast's 95% interval
(thin), 80% (medium) and 50% (thick) with its median, and the observed value as a black
line. The panel's title gives the figure, its date, and where it fell (its PIT) under
each scenario is written at the row's end. Drawn from ``validation.csv``
(:func:`sim.validation.score`), without pyplot (see :mod:`sim.figures.style`).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.figures.labels import labels
from sim.figures.style import new_figure, scenario_colours, titled

OBSERVED_COLOUR = "black"


def validation_figure(table: pd.DataFrame, *, title: str, lang: str = "en") -> Figure:
    """Each observed figure against the forecast's intervals under each scenario.

    Args:
        table: ``validation.csv`` with the quantile columns ``q025`` ... ``q975``.
        title: the finding, in words.
        lang: the language of the words (``"en"`` or ``"nl"``).
    """
    words = labels(lang)
    figures = table.drop_duplicates(["date", "quantity"])[["date", "quantity", "value"]]
    scenarios = list(dict.fromkeys(table["scenario"]))
    colours = scenario_colours(scenarios)
    columns = 2 if len(figures) > 1 else 1
    rows = -(-len(figures) // columns)
    fig = new_figure(1.2 + (0.35 * len(scenarios) + 0.7) * rows)
    axes = fig.subplots(rows, columns, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(figures):
            ax.set_axis_off()
            continue
        figure = figures.iloc[k]
        same = (table["date"] == figure["date"]) & (table["quantity"] == figure["quantity"])
        rows_of = table[same]
        for y, scenario in enumerate(scenarios):
            row = rows_of[rows_of["scenario"] == scenario]
            if row.empty:
                continue
            r = row.iloc[0]
            colour = colours[scenario]
            ax.hlines(y, r["q025"], r["q975"], color=colour, linewidth=1.5)
            ax.hlines(y, r["q100"], r["q900"], color=colour, linewidth=4, alpha=0.6)
            ax.hlines(y, r["q250"], r["q750"], color=colour, linewidth=7)
            ax.plot([r["q500"]], [y], "o", color="white", markeredgecolor=colour, markersize=5)
            ax.annotate(
                f"PIT {r['pit']:.2f}",
                (1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
        ax.axvline(float(figure["value"]), color=OBSERVED_COLOUR, linewidth=1.5)
        ax.set_yticks(range(len(scenarios)), scenarios, fontsize=7)
        ax.set_ylim(len(scenarios) - 0.5, -0.5)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(
            words["validation_panel"].format(
                quantity=figure["quantity"],
                date=figure["date"],
                value=f"{float(figure['value']):,.0f}",
            ),
            fontsize=8,
            loc="left",
        )
        for side in ("right", "top"):
            ax.spines[side].set_visible(False)
    fig.supxlabel(words["validation_axis"], fontsize=9)
    return titled(fig, title)


PART_COLOURS = {
    "share_parameters": "#0072B2",
    "share_implementation": "#E69F00",
    "share_chance": "#999999",
}


def variance_parts(table: pd.DataFrame, *, quantity: str, title: str, lang: str = "en") -> Figure:
    """Where the forecast's spread of ``quantity`` comes from, per scenario and year.

    One panel per scenario; per forecast date a bar of the shares of the variance from
    the parameters, the implementation and chance (``variance.csv``), with the standard
    deviation written above it.
    """
    words = labels(lang)
    rows = table[table["quantity"] == quantity]
    scenarios = list(dict.fromkeys(rows["scenario"]))
    columns = min(len(scenarios), 3) or 1
    panels = -(-len(scenarios) // columns) or 1
    fig = new_figure(1.4 + 2.1 * panels)
    axes = fig.subplots(panels, columns, squeeze=False, sharey=True)
    for k, ax in enumerate(axes.ravel()):
        if k >= len(scenarios):
            ax.set_axis_off()
            continue
        frame = rows[rows["scenario"] == scenarios[k]]
        years = [str(day)[:4] for day in frame["date"]]
        x = range(len(frame))
        bottom = pd.Series(0.0, index=frame.index)
        for part, colour in PART_COLOURS.items():
            share = frame[part].fillna(0.0)
            ax.bar(x, share, bottom=bottom, color=colour, width=0.7, label=words[part])
            bottom = bottom + share
        for xi, sd in zip(x, frame["total_sd"], strict=True):
            ax.annotate(f"{sd:.0f}", (xi, 1.0), xytext=(0, 2), textcoords="offset points",
                        ha="center", fontsize=6)  # fmt: skip
        ax.set_xticks(list(x), years, fontsize=7)
        ax.set_ylim(0, 1.1)
        ax.set_title(scenarios[k], fontsize=8, loc="left")
        for side in ("right", "top"):
            ax.spines[side].set_visible(False)
    axes[0][0].set_ylabel(words["variance_axis"], fontsize=8)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=3, frameon=False, fontsize=8)
    return titled(fig, title)
