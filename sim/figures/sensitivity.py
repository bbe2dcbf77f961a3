"""The figures of an analysis: Morris' μ*–σ plane, Sobol' indices, PRIM's boxes.

Each function takes the analysis's table (``sensitivity.csv`` or ``discovery.csv``),
the words for the parameters and the output in the figure's language (passed in,
never translated after drawing) and ``lang`` for its own labels
(:mod:`sim.figures.labels`), and returns a :class:`matplotlib.figure.Figure` built
without pyplot.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim.figures.labels import labels
from sim.figures.style import PALETTE, new_figure, titled

TOP = 12  # parameters named in a Morris plane or shown as Sobol' bars
# Least distance between two names in a Morris plane, as a share of the axis: a line
# of 7.5-point text on the plane's 4-inch axis is about 0.03 of it.
LABEL_GAP = 0.035
# How wide a character of a name is at most, as a share of the plane's 9-inch x axis
# (7.5-point DejaVu Sans: about 0.0076 on average; the margin covers wide letters).
CHARACTER_WIDTH = 0.0085


# From this size on a plane's numbers are written whole with grouped thousands (euros).
LARGE = 10_000


def grouped(value: float, _position: int | None = None) -> str:
    """A tick's number, whole, with its thousands grouped (1,250,000)."""
    return f"{value:,.0f}"


def spread(heights: np.ndarray, gap: float, spans: np.ndarray | None = None) -> np.ndarray:
    """Label heights at least ``gap`` apart, each at or above its point's height.

    Going up from the lowest, a label too close to one placed already is pushed above
    it. ``spans`` (a row ``[left, right]`` per label) limits this to labels side by
    side: by default every label is.
    """
    placed = heights.astype(float).copy()
    done: list[int] = []
    for index in np.argsort(heights, kind="stable"):
        beside = [
            other
            for other in done
            if spans is None
            or (spans[other, 0] < spans[index, 1] and spans[index, 0] < spans[other, 1])
        ]
        for other in sorted(beside, key=lambda other: placed[other]):
            if abs(placed[index] - placed[other]) < gap:
                placed[index] = placed[other] + gap
        done.append(int(index))
    return placed


def morris_chart(
    frame: pd.DataFrame,
    output: str,
    *,
    names: Mapping[str, str],
    output_label: str,
    unit: str,
    lang: str = "en",
    top: int = TOP,
) -> Figure:
    """One output's parameters in Morris' μ*–σ plane, the ``top`` largest named.

    A point far to the right matters much; a point above the line σ = μ* has an effect
    that changes with the other parameters (interactions) or along its range (a
    non-linear effect). The horizontal bars are μ*'s 95% bootstrap intervals.
    """
    words = labels(lang)
    rows = frame[frame["output"] == output].sort_values("mu_star", ascending=False)
    fig = new_figure(5.6)
    ax = fig.add_subplot()
    rest, named = rows.iloc[top:], rows.iloc[:top]
    ax.scatter(rest["mu_star"], rest["sigma"], s=14, color="#a0a7b1", zorder=2)
    ax.errorbar(
        named["mu_star"],
        named["sigma"],
        xerr=named["mu_star_conf"],
        fmt="o",
        color=PALETTE[0],
        ecolor="#9cc3e0",
        markersize=5,
        zorder=3,
    )
    limit = float(max(rows["mu_star"].max(), rows["sigma"].max(), 1e-12)) * 1.08
    # Names of points at about the same height are moved apart, with a line back to
    # their point, so that no two are printed over each other. The gap is a share of
    # the axis, which grows when names are pushed above it.
    sigma, y_top = named["sigma"].to_numpy(dtype=float), limit
    words_of = [names.get(parameter, parameter) for parameter in named["parameter"]]
    left = named["mu_star"].to_numpy(dtype=float) + 0.01 * limit  # where names start
    widths = np.array([len(text) for text in words_of]) * CHARACTER_WIDTH * 1.25 * limit
    spans = np.column_stack([left, left + widths])
    for _ in range(5):
        heights = spread(sigma, gap=LABEL_GAP * y_top, spans=spans)
        y_top = max(limit, float(heights.max(initial=0.0)) + 2 * LABEL_GAP * y_top)
    for row, text, x, height in zip(named.itertuples(), words_of, left, heights, strict=True):
        y = height + 0.012 * y_top
        ax.text(
            x,
            y,
            text,
            fontsize=7.5,
            zorder=4,
            # A light backing: the lines to moved names pass under the others.
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6},
        )
        if abs(height - row.sigma) > 1e-9 * limit:
            ax.plot([row.mu_star, x], [row.sigma, y], lw=0.5, color="#8a919c", zorder=2)
    ax.plot([0, limit], [0, limit], ls="--", lw=0.8, color="#5a6270", label=words["sigma_line"])
    ax.set_xlim(0, limit * 1.25)
    ax.set_ylim(0, y_top)
    if limit >= LARGE:
        # Euros as whole numbers with grouped thousands, not matplotlib's "1e6" offset.
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(FuncFormatter(grouped))
    ax.set_xlabel(words.fill("mu_star_axis", unit=unit))
    ax.set_ylabel(words["sigma_axis"])
    ax.legend(loc="upper left", frameon=False, fontsize=8.5)
    ax.grid(alpha=0.3)
    return titled(fig, words.fill("morris_heading", output=output_label))


def sobol_chart(
    frame: pd.DataFrame,
    output: str,
    *,
    names: Mapping[str, str],
    output_label: str,
    lang: str = "en",
    top: int = TOP,
) -> Figure:
    """One output's first-order and total Sobol' indices with their 95% intervals."""
    words = labels(lang)
    rows = frame[frame["output"] == output]
    if "other" in rows:
        rows = rows[rows["other"].isna()]
    rows = rows.sort_values("ST", ascending=False).iloc[:top].iloc[::-1]
    fig = new_figure(1.2 + 0.38 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    for offset, (key, colour, label) in zip(
        (0.19, -0.19),
        (("S1", PALETTE[0], "first_order"), ("ST", PALETTE[1], "total_order")),
        strict=True,
    ):
        ax.barh(
            y + offset,
            rows[key].clip(lower=0),
            height=0.36,
            xerr=rows[f"{key}_conf"],
            color=colour,
            ecolor="#5a6270",
            label=words[label],
        )
    ax.set_yticks(y, [names.get(p, p) for p in rows["parameter"]], fontsize=8.5)
    ax.set_xlabel(words["sobol_axis"])
    ax.set_xlim(0, max(1.0, float((rows["ST"] + rows["ST_conf"]).max()) * 1.05))
    ax.legend(loc="lower right", frameon=False, fontsize=8.5)
    ax.grid(axis="x", alpha=0.3)
    return titled(fig, words.fill("sobol_heading", output=output_label))


def boxes_chart(
    table: pd.DataFrame,
    ranges: pd.DataFrame,
    *,
    names: Mapping[str, str],
    condition: str,
    levers: Collection[str] = (),
    lang: str = "en",
) -> Figure:
    """PRIM's boxes: for each box the inputs it restricts, within their sampled ranges.

    Args:
        table: ``discovery.csv``.
        ranges: each input's sampled range (``parameter, low, high``).
        names: the inputs in words.
        condition: the condition in words, for the heading.
        levers: the inputs that are levers (marked as such).
        lang: the figure's language.
    """
    words = labels(lang)
    span = ranges.set_index("parameter")
    boxes = list(dict.fromkeys(table["box"]))
    heights = [max(1, int((table["box"] == box).sum())) for box in boxes] or [1]
    fig = new_figure(1.0 + 0.45 * sum(heights) + 0.5 * len(heights))
    axes = fig.subplots(len(heights), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, box in zip(axes, boxes, strict=True):
        rows = table[table["box"] == box].iloc[::-1]
        y = np.arange(len(rows))
        low, high = span.loc[rows["parameter"], "low"], span.loc[rows["parameter"], "high"]
        width = (high - low).replace(0, 1).to_numpy()
        start = (rows["low"].to_numpy() - low.to_numpy()) / width
        end = (rows["high"].to_numpy() - low.to_numpy()) / width
        ax.barh(y, 1, color="#e3e7ec", height=0.6, label=words["box_range"])
        ax.barh(y, end - start, left=start, color=PALETTE[3], height=0.6, label=words["box_limits"])
        for position, row in enumerate(rows.itertuples()):
            ax.text(
                1.01,
                position,
                f"{row.low:.3g} – {row.high:.3g}  ({low.iloc[position]:.3g} – "
                f"{high.iloc[position]:.3g})",
                va="center",
                fontsize=7.5,
            )
        ax.set_yticks(
            y,
            [
                names.get(p, p) + (f" ({words['lever']})" if p in levers else "")
                for p in rows["parameter"]
            ],
            fontsize=8.5,
        )
        ax.set_xlim(0, 1.6)  # room for the limits written right of each bar
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        first = rows.iloc[0]
        ax.set_title(
            words.fill(
                "box_panel",
                box=box,
                coverage=f"{first['coverage']:.0%}",
                density=f"{first['density']:.0%}",
            ),
            loc="left",
            fontsize=9.5,
        )
    axes[-1].set_xlabel(words["box_axis"])
    # Above the first panel, right of its heading: inside, it would cover the limits.
    axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False, fontsize=8)
    return titled(fig, words.fill("box_heading", condition=condition))
