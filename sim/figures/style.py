"""The look every figure shares: size, scenario colours, titles that state a finding.

Figures are made with ``Figure()`` instead of pyplot, so they never enter pyplot's list
of open figures and are freed like any other object: there is nothing to close and no
global state to set (not even a backend: a bare ``Figure`` draws with Agg when saved).

Scenario colours come from :func:`scenario_colours`: the colour-blind-safe palette of
Okabe and Ito (2008), with black kept for observed figures.

Reference: Okabe, M. and Ito, K. (2008). Color Universal Design (CUD): how to make
figures and presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

DPI = 120
WIDTH = 8.5  # inches: about 1,000 pixels at DPI
BASELINE = "baseline"
TITLE_WIDTH = 100  # characters per title line at the figures' width

# Okabe and Ito without black (kept for observations): blue first for the baseline,
# yellow last because it is faint on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")


def scenario_colours(scenarios: Iterable[str]) -> dict[str, str]:
    """Colours for scenario names, the same in every figure drawn from the same list.

    The baseline always gets the first colour, wherever it is listed; the other names
    get the next colours in the order given. Past seven names the palette repeats.

    Args:
        scenarios: scenario names (duplicates are ignored).

    Returns:
        A hex colour per name.
    """
    names = list(dict.fromkeys(scenarios))
    colours = {BASELINE: PALETTE[0]} if BASELINE in names else {}
    others = [name for name in names if name != BASELINE]
    rest = PALETTE[1:]
    colours.update({name: rest[i % len(rest)] for i, name in enumerate(others)})
    return colours


def new_figure(height: float, width: float = WIDTH) -> Figure:
    """An empty figure, about 1,000 pixels wide by default, laid out by matplotlib."""
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


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


def retitled(fig: Figure, title: str, scenarios: int) -> Figure:
    """A figure titled by the report: its own finding gives way to ``title``.

    In a single-panel figure the panel's title (the figure's own finding) is removed
    and, with more than two scenarios, a line chart's legend moves under the plot. The
    figure grows by the lines the title and a moved legend take, so the plot keeps its
    height.

    Args:
        fig: the figure as drawn.
        title: the heading and one finding per line.
        scenarios: how many scenarios the figure shows.

    Returns:
        The same figure.
    """
    width, height = fig.get_size_inches()
    if len(fig.axes) == 1:
        ax = fig.axes[0]
        ax.set_title("", loc="left")
        if _legend_below(ax, scenarios):
            height += 0.25 * math.ceil((scenarios * 2 + 4) / 3)
    titled(fig, title)
    fig.set_size_inches(width, height + 0.19 * max(len(title_lines(title)) - 1, 0))
    return fig


def _legend_below(ax: Axes, scenarios: int) -> bool:
    """With more than two scenarios, move a line chart's legend under the plot.

    Inside the axes it would cover the early years, where the observed counts are.

    Returns:
        Whether the legend moved.
    """
    legend = ax.get_legend()
    if legend is None or scenarios <= 2 or not ax.lines:
        return False
    pairs = [
        (handle, text.get_text())
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if handle is not None
    ]
    handles, labels = [h for h, _ in pairs], [t for _, t in pairs]
    legend.remove()
    figure = ax.get_figure()
    if figure is not None:
        figure.legend(
            handles, labels, loc="outside lower center", ncols=3, frameon=False, fontsize=9
        )
    return True
