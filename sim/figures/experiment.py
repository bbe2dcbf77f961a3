"""Figures of runs and experiments: tidy tables in, matplotlib figures out.

Every figure function takes the tidy weekly tables that runs write (the
``timeseries`` and ``by_wijk`` tables of :mod:`sim.simulation` or of an experiment,
with a ``scenario`` column and, for sweeps, a ``sample`` column) and a language
(``lang``, its words from :mod:`sim.figures.labels`), and returns a
:class:`matplotlib.figure.Figure`:

- :func:`employed_fan`: jobs filled over time, with the job ceiling and the observed counts;
- :func:`intake_funnel`: referred, spoken to, rejected by reason, started, still employed;
- :func:`cost_per_year`: the cost items per calendar year, with gross and net cost;
- :func:`cumulative_net_cost`: the net cost added up over time;
- :func:`binding_constraints`: what held new starts back, overall and per year;
- :func:`wijk_map`: participants per area on a schematic tile map.

A run is one (scenario, sample, replicate); medians and bands are taken across the runs
of a scenario. Titles state a finding computed from the data. Scenario colours come from
:func:`sim.figures.style.scenario_colours`; black is kept for observed figures. Only
:func:`save_figures` writes files.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim.constraints import CONSTRAINTS
from sim.figures.labels import Labels, labels
from sim.figures.style import BASELINE, DPI, new_figure, scenario_colours
from sim.figures.tiles import tile_layout
from sim.observed import EMPLOYED_BY_WIJK_2022, EMPLOYED_BY_WIJK_DATE, observed
from sim.timeline import PROGRAMME_START
from sim.wijken import Area

TARGET_JOBS = 250  # FACTS.md, Mar 2023: at least +50 jobs a year, up to 250
NET_COST_PER_JOB_2022 = 19_000  # FACTS.md, 2022 letter: net cost per job per year (EUR)
OBSERVED_NEAR = pd.Timedelta(days=14)  # a model week this close to an observation shows it
FAN = (0.05, 0.25, 0.5, 0.75, 0.95)  # the 90% band, the 50% band and the median
BAND_90 = (0.05, 0.5, 0.95)

# Constraint colours; the words are in sim.figures.labels ("constraint_<name>").
CONSTRAINT_COLOURS: dict[str, str] = {
    "ceiling": "#8C8C8C",
    "budget": "#CC79A7",
    "tasks": "#009E73",
    "coaches": "#E69F00",
    "candidates": "#56B4E9",
}
_UNKNOWN_CONSTRAINT = "#333333"


class _CostItem(NamedTuple):
    column: str  # also the key of its words in sim.figures.labels
    sign: int  # +1 a cost, -1 income or a saving (drawn below zero)
    colour: str


COST_ITEMS: tuple[_CostItem, ...] = (
    _CostItem("cost_wages_eur", 1, "#0072B2"),
    _CostItem("cost_employer_eur", 1, "#56B4E9"),
    _CostItem("cost_guidance_eur", 1, "#009E73"),
    _CostItem("cost_coaches_eur", 1, "#E69F00"),
    _CostItem("supplements_eur", 1, "#999999"),
    _CostItem("contributions_eur", -1, "#CC79A7"),
    _CostItem("benefits_saved_eur", -1, "#D55E00"),
    _CostItem("subsidies_eur", -1, "#F0E442"),
)

# The stages of the intake, top to bottom; each column is also the key of its words.
FUNNEL: tuple[str, ...] = (
    "referred_cum",
    "spoken_cum",
    "rejected_paid_work_cum",
    "rejected_health_cum",
    "rejected_volunteering_cum",
    "rejected_other_cum",
    "started_cum",
    "employed",
)


# ----------------------------------------------------------------------------------
# Shared helpers: runs, dates, bands, years
# ----------------------------------------------------------------------------------
def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with a string ``scenario`` (a single run's table has none) and real dates."""
    if "scenario" not in frame:
        frame = frame.assign(scenario=BASELINE)
    return frame.assign(scenario=frame["scenario"].astype(str), date=pd.to_datetime(frame["date"]))


def _run_keys(frame: pd.DataFrame) -> list[str]:
    """The columns that identify one run."""
    return [key for key in ("scenario", "sample", "replicate") if key in frame]


def _scenarios(frame: pd.DataFrame) -> list[str]:
    """Scenario names in order of appearance, the baseline first."""
    names = list(pd.unique(frame["scenario"]))
    return sorted(names, key=lambda name: name != BASELINE)  # stable: keeps the order


def _runs(frame: pd.DataFrame) -> int:
    """The number of runs in a frame (of one scenario, or the most of any scenario)."""
    per_scenario = frame.groupby(_run_keys(frame)).size().groupby(level="scenario").size()
    return int(per_scenario.max())


def _at(frame: pd.DataFrame, at: str | dt.date | None) -> tuple[pd.Timestamp, pd.DataFrame]:
    """Each run's rows at its last date on or before ``at`` (default: its last date).

    Returns:
        The latest of those dates, and the rows.

    Raises:
        ValueError: no row is on or before ``at``.
    """
    if at is not None:
        first = frame["date"].min()
        frame = frame[frame["date"] <= pd.Timestamp(at)]
        if frame.empty:
            raise ValueError(f"no week on or before {at}: the runs start on {first:%Y-%m-%d}")
    last = frame.groupby(_run_keys(frame))["date"].transform("max")
    rows = frame[frame["date"] == last]
    return rows["date"].max(), rows


def _bands(
    frame: pd.DataFrame, column: str, quantiles: Sequence[float] = FAN, by: str = "date"
) -> pd.DataFrame:
    """Quantiles of a column across runs at each date (or other ``by``): a column per quantile."""
    grouped = frame.groupby(by)[column]
    return pd.DataFrame({q: grouped.quantile(q) for q in quantiles})


def _per_year(frame: pd.DataFrame, sums: Sequence[str], means: Sequence[str] = ()) -> pd.DataFrame:
    """Per run and calendar year: totals of weekly flows, means of stocks, weeks counted."""
    keys = _run_keys(frame)
    grouped = frame.groupby([*(frame[key] for key in keys), frame["date"].dt.year.rename("year")])
    table = grouped[list(sums)].sum()
    for column in means:
        table[column] = grouped[column].mean()
    table["weeks"] = grouped.size()
    return table.reset_index()


def _year_labels(years: Iterable[int], weeks: Iterable[float]) -> list[str]:
    """Year tick labels: ``*`` marks a part year, ``+`` a year with 53 weekly rows."""
    return [
        f"{y}{'*' if w < 52 else '+' if w > 52 else ''}" for y, w in zip(years, weeks, strict=True)
    ]


def _count(value: float) -> str:
    """A (median) count: whole numbers without decimals."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _draw_fan(ax: Axes, bands: pd.DataFrame, colour: str, label: str, rank: int = 0) -> None:
    """Median line with the 90% band, and the 50% band when the quantiles include it.

    Lines of lower ``rank`` lie on top, so the baseline stays visible where scenarios
    share their common random numbers and coincide.
    """
    ax.fill_between(bands.index, bands[0.05], bands[0.95], color=colour, alpha=0.15, lw=0)
    if 0.25 in bands:
        ax.fill_between(bands.index, bands[0.25], bands[0.75], color=colour, alpha=0.3, lw=0)
    ax.plot(bands.index, bands[0.5], color=colour, lw=2, label=label, zorder=3 - rank / 100)


def _band_handles(quantiles: Sequence[float], words: Labels) -> list[Patch]:
    """Grey legend entries explaining the bands."""
    handles = [Patch(color="grey", alpha=0.15, label=words["band_90"])]
    if 0.25 in quantiles:
        handles.append(Patch(color="grey", alpha=0.45, label=words["band_50"]))
    return handles


# ----------------------------------------------------------------------------------
# Jobs filled over time
# ----------------------------------------------------------------------------------
def employed_fan(
    ts: pd.DataFrame,
    *,
    title: str | None = None,
    target: int = TARGET_JOBS,
    lang: str = "en",
    observed_counts: bool = True,
) -> Figure:
    """Jobs filled over time per scenario: median, 50% and 90% of runs.

    The jobs funded (median across runs) are dashed and the council's target path dotted;
    observed counts of FACTS.md are black markers: participants in a basisbaan (dots)
    and the first starters of June 2020 (open triangle).

    Args:
        ts: weekly time series of one or more runs.
        title: replaces the default title, which says when ``target`` jobs are filled.
        target: the number of jobs the title reports on.
        lang: the language of the figure's words (``"en"`` or ``"nl"``).
        observed_counts: draw Groningen's observed counts (FACTS.md); False for
            another municipality.

    Returns:
        The figure.
    """
    words = labels(lang)
    ts = _from_opening(_tidy(ts))
    scenarios = _scenarios(ts)
    colours = scenario_colours(scenarios)
    fig = new_figure(6.0)
    ax = fig.add_subplot()
    for rank, name in enumerate(scenarios):
        _draw_fan(ax, _bands(ts[ts["scenario"] == name], "employed"), colours[name], name, rank)
    levels = [("job_ceiling", "--")] + ([("job_target", ":")] if "job_target" in ts else [])
    for column, style in levels:
        _draw_levels(ax, ts, scenarios, colours, column, style)
    if observed_counts:
        _draw_observed_counts(ax, words)
    handles, _ = ax.get_legend_handles_labels()
    # One legend entry per kind of line, in grey, below the plot so that it hides no data.
    kinds = [
        Line2D([], [], ls=style, color="grey", label=words[column]) for column, style in levels
    ]
    fig.legend(
        handles=[*handles, *kinds, *_band_handles(FAN, words)],
        loc="outside lower center",
        ncol=4,
        fontsize=8.5,
        frameon=False,
    )
    ax.set_xlabel(words["date"])
    ax.set_ylabel(words["employed_axis"])
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if title is None:
        title = "\n".join(
            f"{name}: {_reach_finding(ts[ts['scenario'] == name], target, words)}"
            for name in scenarios
        )
    ax.set_title(title, loc="left")
    return fig


def _draw_levels(
    ax: Axes,
    ts: pd.DataFrame,
    scenarios: list[str],
    colours: dict[str, str],
    column: str,
    style: str,
) -> None:
    """The median jobs funded or target: one grey line if all scenarios share it, else one each.

    The lines carry no legend entry of their own: the legend explains the line style.
    """
    curves = {
        name: ts[ts["scenario"] == name].groupby("date")[column].median() for name in scenarios
    }
    first = curves[scenarios[0]]
    if all(curve.equals(first) for curve in curves.values()):
        ax.plot(first.index, first, ls=style, color="grey", lw=1.2)
        return
    for name, curve in curves.items():
        ax.plot(curve.index, curve, ls=style, color=colours[name], lw=1.2, alpha=0.8)


def _from_opening(ts: pd.DataFrame) -> pd.DataFrame:
    """The weeks from half a year before the programme opens (its first funded jobs)."""
    if "job_ceiling" not in ts:
        return ts
    funded = ts.loc[ts["job_ceiling"] > 0, "date"]
    if funded.empty:
        return ts
    return ts[ts["date"] >= funded.min() - pd.Timedelta(weeks=26)]


def is_groningen(areas: Sequence[Area] | None) -> bool:
    """Whether these are Groningen's areas (so that its observed counts apply)."""
    return areas is None or {a.name for a in areas} == set(EMPLOYED_BY_WIJK_2022)


def _draw_observed_counts(ax: Axes, words: Labels) -> None:
    """Observed participants (dots) and the June 2020 starters (open triangle)."""
    for column, marker, face, label in (
        ("employed", "o", "black", words["observed"]),
        ("started_cum", "^", "white", words["observed_starters"]),
    ):
        points = observed(column)
        dates = [pd.Timestamp(point.date) for point in points]
        values = [point.value for point in points]
        ax.plot(dates, values, ls="", marker=marker, mfc=face, mec="black", ms=6, label=label)
        for date, value in zip(dates, values, strict=True):
            ax.annotate(
                f"{value:.0f}", (date, value), xytext=(-4, 6), textcoords="offset points",
                ha="right", fontsize=8,
            )  # fmt: skip


def _reach_years(frame: pd.DataFrame, target: int) -> np.ndarray:
    """Per run, the year employment first reached ``target`` (infinity if it never did)."""
    keys = _run_keys(frame)
    runs = frame.groupby(keys).size().index
    first = frame[frame["employed"] >= target].groupby(keys)["date"].min()
    return first.dt.year.reindex(runs).astype(float).fillna(np.inf).to_numpy()


def _reach_finding(frame: pd.DataFrame, target: int, words: Labels) -> str:
    """When ``target`` jobs are filled: in the median run, and by 90% of runs."""
    years = _reach_years(frame, target)
    end = frame["date"].max().year
    share = float(np.isfinite(years).mean())
    if share == 0:
        _, rows = _at(frame, None)
        median_jobs = f"{rows['employed'].median():.0f}"
        return words.fill("reach_never", target=target, end=end, median=median_jobs)
    # An order statistic, so that "90% of runs" names a year some run actually had.
    median, p90 = np.quantile(years, [0.5, 0.9], method="inverted_cdf")
    if not np.isfinite(median):
        return words.fill("reach_few", target=target, end=end, share=f"{share:.0%}")
    tail = (
        words.fill("reach_p90", year=f"{p90:.0f}")
        if np.isfinite(p90)
        else words.fill("reach_share", share=f"{share:.0%}", end=end)
    )
    return words.fill("reach_filled", target=target, year=f"{median:.0f}", tail=tail)


# ----------------------------------------------------------------------------------
# Intake funnel
# ----------------------------------------------------------------------------------
def intake_funnel(
    ts: pd.DataFrame,
    *,
    at: str | dt.date | None = None,
    lang: str = "en",
    observed_counts: bool = True,
) -> Figure:
    """Referred, spoken to, rejected by reason, started and still employed, up to a date.

    Bars are medians across runs of each scenario's cumulative counts at ``at``, with
    their values written beside them. Observed counts dated within two weeks of ``at``
    (the 2022 letter's funnel of 1 January 2022, or a count of participants) are drawn
    as black lines across the bars and named in the stage labels. Counts observed at
    another date are not shown: they would not compare like with like.

    Args:
        ts: weekly time series of one or more runs.
        at: the date (default: the last date of the runs).
        lang: the language of the figure's words (``"en"`` or ``"nl"``).
        observed_counts: draw Groningen's observed counts (FACTS.md); False for
            another municipality.

    Returns:
        The figure. Each bar's gid is ``funnel:<scenario>:<column>``.
    """
    words = labels(lang)
    ts = _tidy(ts)
    date, rows = _at(ts, at)
    scenarios = _scenarios(rows)
    colours = scenario_colours(scenarios)
    columns = list(FUNNEL)
    medians = rows.groupby("scenario")[columns].median().loc[scenarios]
    seen = _observed_near(date, columns) if observed_counts else {}
    xmax = max(float(medians.to_numpy().max()), *seen.values(), 1.0)

    fig = new_figure(1.4 + 0.34 * len(FUNNEL) * len(scenarios) ** 0.7)
    ax = fig.add_subplot()
    height = 0.8 / len(scenarios)
    for i, name in enumerate(scenarios):
        offset = (i - (len(scenarios) - 1) / 2) * height
        _draw_funnel_bars(ax, medians.loc[name], offset, height, colours[name], seen, xmax)
    for stage, column in enumerate(columns):
        if column in seen:
            ax.plot([seen[column]] * 2, [stage - 0.45, stage + 0.45], color="black", lw=2.5)
    stages = [
        words.fill("stage_observed", stage=words[column], count=f"{seen[column]:.0f}")
        if column in seen
        else words[column]
        for column in FUNNEL
    ]
    ax.set_yticks(range(len(FUNNEL)), stages)
    ax.invert_yaxis()
    ax.set_xlim(0, xmax * 1.12)
    ax.set_xlabel(words.fill("funnel_axis", day=words.day(date), runs=_runs(rows)))
    ax.grid(axis="x", alpha=0.3)
    handles, _ = ax.get_legend_handles_labels()
    if seen:
        handles.append(Line2D([], [], color="black", lw=2.5, label=words["observed"]))
    if len(handles) > 1:
        ax.legend(handles=handles, loc="lower right", fontsize=9)
    fig.suptitle(_funnel_finding(medians, date, words), x=0.02, ha="left", fontsize=11)
    return fig


def _draw_funnel_bars(
    ax: Axes,
    counts: pd.Series,
    offset: float,
    height: float,
    colour: str,
    seen: dict[str, float],
    xmax: float,
) -> None:
    """One scenario's bar per stage, its number beside it; drop-outs paler."""
    for stage, column in enumerate(FUNNEL):
        width = float(counts[column])
        y = stage + offset
        ax.barh(
            y, width, height=0.9 * height, color=colour,
            alpha=0.55 if column.startswith("rejected") else 1.0,
            gid=f"funnel:{counts.name}:{column}", label=counts.name if stage == 0 else None,
        )  # fmt: skip
        ax.text(_label_x(width, seen.get(column), xmax), y, _count(width), va="center", fontsize=8)


def _observed_near(date: pd.Timestamp, columns: Sequence[str]) -> dict[str, float]:
    """Observed values of these columns dated within two weeks of ``date``."""
    return {
        column: point.value
        for column in columns
        for point in observed(column)
        if abs(pd.Timestamp(point.date) - date) <= OBSERVED_NEAR
    }


def _label_x(width: float, seen: float | None, xmax: float) -> float:
    """Where a bar's number goes: after the bar, and after an observed line that is close."""
    pad = 0.01 * xmax
    if seen is not None and width <= seen <= width + 0.06 * xmax:
        return seen + pad
    return width + pad


def _funnel_finding(medians: pd.DataFrame, date: pd.Timestamp, words: Labels) -> str:
    """The share of candidates spoken to who started, a line per scenario."""
    shares = medians["started_cum"] / medians["spoken_cum"].where(medians["spoken_cum"] > 0)
    lines = [
        f"{name}: {share:.0%}" if np.isfinite(share) else words.fill("nobody_spoken", scenario=name)
        for name, share in shares.items()
    ]
    head = words.fill("funnel_heading", day=words.day(date))
    return "\n".join([head, *lines])


# ----------------------------------------------------------------------------------
# Costs
# ----------------------------------------------------------------------------------
def cost_per_year(ts: pd.DataFrame, *, lang: str = "en") -> Figure:
    """The cost items per calendar year, per scenario, with gross and net cost.

    Costs (wages, employer, guidance, coaches) are stacked above zero; contributions,
    benefits no longer paid and subsidies below it. Items that are zero throughout are
    left out. Each bar and marker is the median across runs of that year's total;
    medians of parts need not add up exactly to the median of the whole.

    Args:
        ts: weekly time series of one or more runs.
        lang: the language of the figure's words (``"en"`` or ``"nl"``).

    Returns:
        The figure (million EUR per year).
    """
    words = labels(lang)
    ts = _tidy(ts)
    scenarios = _scenarios(ts)
    items = [item for item in COST_ITEMS if item.column in ts and (ts[item.column] != 0).any()]
    sums = [item.column for item in items] + ["cost_gross_eur", "cost_net_eur"]
    years = _per_year(ts, sums, means=["employed"])
    years["net_per_job"] = years["cost_net_eur"] / years["employed"].where(years["employed"] > 0)
    medians = years.groupby(["scenario", "year"]).median(numeric_only=True)

    # At most three panels a row, so that year labels and titles stay readable.
    ncols = min(3, len(scenarios))
    nrows = -(-len(scenarios) // ncols)
    fig = new_figure(4.6 + 0.45 * len(scenarios) + 2.6 * (nrows - 1))
    grid = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    axes = list(grid.ravel())
    for ax, name in zip(axes, scenarios, strict=False):
        _draw_cost_bars(ax, medians.loc[name], items, words, rotate=ncols > 1)
        ax.set_title(name)
    for ax in axes[len(scenarios) :]:
        ax.set_visible(False)
    low, high = axes[0].get_ylim()
    pad = 0.08 * (high - low)
    axes[0].set_ylim(low - pad, high + pad)  # shared: no bar touches the frame
    for row in grid:
        row[0].set_ylabel(words["cost_axis"])

    # The items first, then the gross and net cost lines.
    handles, names = axes[0].get_legend_handles_labels()
    totals = {words["gross_cost"], words["net_cost"]}
    lines_last = sorted(range(len(names)), key=lambda i: names[i] in totals)
    fig.legend(
        handles=[handles[i] for i in lines_last], loc="outside lower center", ncol=3, fontsize=9
    )
    findings = [_cost_finding(name, medians.loc[name], words) for name in scenarios]
    fig.suptitle(
        "\n".join([*findings, words["years_note"]]),
        x=0.02, ha="left", fontsize=11,
    )  # fmt: skip
    return fig


def _draw_cost_bars(
    ax: Axes, years: pd.DataFrame, items: list[_CostItem], words: Labels, rotate: bool
) -> None:
    """Stacked cost items of one scenario, with gross and net cost as markers."""
    x = np.arange(len(years))
    above, below = np.zeros(len(x)), np.zeros(len(x))
    for item in items:
        values = item.sign * years[item.column].to_numpy() / 1e6
        bottom = above if item.sign > 0 else below
        ax.bar(
            x, values, bottom=bottom.copy(), width=0.75, color=item.colour,
            label=words[item.column],
        )  # fmt: skip
        bottom += values
    ax.plot(x, years["cost_gross_eur"] / 1e6, "o-", color="black", ms=4, label=words["gross_cost"])
    ax.plot(
        x, years["cost_net_eur"] / 1e6, "D--", color="black", mfc="white", ms=4,
        label=words["net_cost"],
    )  # fmt: skip
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, _year_labels(years.index, years["weeks"]), rotation=90 if rotate else 0)
    ax.grid(axis="y", alpha=0.3)


def _cost_finding(name: str, years: pd.DataFrame, words: Labels) -> str:
    """Net cost in the last full year, in total and per filled job."""
    full = years[years["weeks"] >= 52]
    year = int(full.index.max() if not full.empty else years.index.max())
    row = years.loc[year]
    per_job = row["net_per_job"]
    job = words.fill("cost_per_job", value=f"{per_job / 1e3:.1f}") if np.isfinite(per_job) else ""
    return words.fill(
        "cost_finding",
        scenario=name,
        net=f"{row['cost_net_eur'] / 1e6:.1f}",
        year=year,
        per_job=job,
        facts=f"{NET_COST_PER_JOB_2022 / 1e3:.0f}",
    )


def cumulative_net_cost(ts: pd.DataFrame, *, lang: str = "en") -> Figure:
    """The net cost added up since the start, per scenario: median and 90% of runs.

    Args:
        ts: weekly time series of one or more runs.
        lang: the language of the figure's words (``"en"`` or ``"nl"``).

    Returns:
        The figure (million EUR).
    """
    words = labels(lang)
    ts = _tidy(ts).sort_values("date", kind="stable")
    ts["net_cum_meur"] = ts.groupby(_run_keys(ts))["cost_net_eur"].cumsum() / 1e6
    scenarios = _scenarios(ts)
    colours = scenario_colours(scenarios)
    fig = new_figure(5.0)
    ax = fig.add_subplot()
    for rank, name in enumerate(scenarios):
        bands = _bands(ts[ts["scenario"] == name], "net_cum_meur", BAND_90)
        _draw_fan(ax, bands, colours[name], name, rank)
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, *_band_handles(BAND_90, words)], loc="upper left", fontsize=9)
    ax.set_xlabel(words["date"])
    ax.set_ylabel(words["net_cum_axis"])
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    ax.grid(alpha=0.3)
    date, rows = _at(ts, None)
    ends = _bands(rows, "net_cum_meur", BAND_90, by="scenario")
    lines = [
        words.fill(
            "net_cum_finding",
            scenario=name,
            median=f"{ends.loc[name, 0.5]:.1f}",
            low=f"{ends.loc[name, 0.05]:.1f}",
            high=f"{ends.loc[name, 0.95]:.1f}",
        )
        for name in scenarios
    ]
    heading = words.fill("net_cum_heading", day=words.day(date))
    ax.set_title("\n".join([heading, *lines]), loc="left")
    return fig


# ----------------------------------------------------------------------------------
# Binding constraints
# ----------------------------------------------------------------------------------
def binding_constraints(ts: pd.DataFrame, *, lang: str = "en") -> Figure:
    """What held new starts back: share of weeks per constraint, overall and per year.

    Left, one stacked bar per scenario over all weeks of all runs; right, per scenario,
    the shares in each calendar year. The first row of a run (the starting state, not a
    week of the programme) is left out.

    Args:
        ts: weekly time series of one or more runs.
        lang: the language of the figure's words (``"en"`` or ``"nl"``).

    Returns:
        The figure.
    """
    words = labels(lang)
    ts = _tidy(ts)
    weeks = ts[ts["date"] > pd.Timestamp(PROGRAMME_START)]
    scenarios = _scenarios(weeks)
    constraint = weeks["binding_constraint"].astype(str)
    # The distinct names, not a set of every week's (written for speed: a million weeks).
    present = set(constraint.unique().tolist())
    order = [c for c in CONSTRAINTS if c in present] + sorted(present - set(CONSTRAINTS))
    overall = pd.crosstab(weeks["scenario"], constraint, normalize="index")
    overall = overall.reindex(index=scenarios, columns=order, fill_value=0.0)
    year = weeks["date"].dt.year.rename("year")
    yearly = pd.crosstab([weeks["scenario"], year], constraint, normalize="index")
    yearly = yearly.reindex(columns=order, fill_value=0.0)

    fig = new_figure(2.4 + 1.6 * len(scenarios))
    grid = fig.add_gridspec(len(scenarios), 2, width_ratios=(1, 1.5))
    _draw_constraint_shares(fig.add_subplot(grid[:, 0]), overall, words)
    right = None
    for i, name in enumerate(scenarios):
        right = fig.add_subplot(grid[i, 1], sharex=right)
        _draw_constraint_years(right, yearly.loc[name], words, last=i == len(scenarios) - 1)
        right.set_title(name, fontsize=10)
    handles = [Patch(color=_constraint_colour(c), label=_constraint_label(c, words)) for c in order]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(order), fontsize=9)
    fig.suptitle(
        "\n".join(
            [
                words["binding_heading"],
                *(_constraint_finding(name, overall.loc[name], words) for name in scenarios),
            ]
        ),
        x=0.02, ha="left", fontsize=11,
    )  # fmt: skip
    return fig


def _constraint_colour(constraint: str) -> str:
    return CONSTRAINT_COLOURS.get(constraint, _UNKNOWN_CONSTRAINT)


def _constraint_label(constraint: str, words: Labels) -> str:
    """The constraint's words; a name the figures do not know is shown as it is."""
    return words.get(f"constraint_{constraint}", constraint)


def _draw_constraint_shares(ax: Axes, overall: pd.DataFrame, words: Labels) -> None:
    """One stacked horizontal bar per scenario, shares written on wide segments."""
    y = np.arange(len(overall))
    left = np.zeros(len(overall))
    for constraint in overall.columns:
        share = overall[constraint].to_numpy() * 100
        ax.barh(y, share, left=left, color=_constraint_colour(constraint), height=0.6)
        for row, start, width in zip(range(len(y)), left, share, strict=True):
            if width >= 8:
                ax.text(
                    start + width / 2, row, f"{width:.0f}%", ha="center", va="center", fontsize=8
                )
        left += share
    ax.set_yticks(y, [textwrap.fill(name, 14) for name in overall.index])
    ax.set_ylim(len(y) - 0.2, -0.8)  # top down; keeps a lone bar from filling the panel
    ax.set_xlim(0, 100)
    ax.set_xlabel(words["shares_axis"])
    ax.set_title(words["all_weeks"], fontsize=10)


def _draw_constraint_years(ax: Axes, yearly: pd.DataFrame, words: Labels, last: bool) -> None:
    """Stacked bars per calendar year of one scenario."""
    bottom = np.zeros(len(yearly))
    for constraint in yearly.columns:
        share = yearly[constraint].to_numpy() * 100
        ax.bar(yearly.index, share, bottom=bottom, color=_constraint_colour(constraint))
        bottom += share
    ax.set_ylim(0, 100)
    ax.set_ylabel(words["weeks_axis"])
    ax.set_xticks(yearly.index)
    ax.tick_params(axis="x", labelbottom=last, labelsize=8)
    if last:
        ax.set_xlabel(words["calendar_year"])


def _constraint_finding(name: str, shares: pd.Series, words: Labels) -> str:
    """The constraint that bound most often, and the runner-up."""
    top = shares.sort_values(ascending=False)
    text = words.fill(
        "binding_finding",
        scenario=name,
        constraint=_constraint_label(top.index[0], words),
        share=f"{top.iloc[0]:.0%}",
    )
    if len(top) > 1 and top.iloc[1] > 0:
        text += words.fill(
            "binding_then",
            constraint=_constraint_label(top.index[1], words),
            share=f"{top.iloc[1]:.0%}",
        )
    return text


# ----------------------------------------------------------------------------------
# Map of the areas
# ----------------------------------------------------------------------------------
def wijk_map(
    by_wijk: pd.DataFrame,
    *,
    at: str | dt.date | None = None,
    lang: str = "en",
    areas: Sequence[Area] | None = None,
) -> Figure:
    """Participants per area on a schematic tile map, one panel per scenario.

    Each tile is an area (north up; see :func:`sim.figures.tiles.tile_layout`),
    coloured by the median across runs of participants working there at ``at``, with
    the number written on it. For Groningen's areas, within two weeks of 1 January 2022
    the observed count is written below it.

    Args:
        by_wijk: participants per area per week of one or more runs.
        at: the date (default: the last date of the runs).
        lang: the language of the figure's words (``"en"`` or ``"nl"``).
        areas: the municipality's areas (default: Groningen's).

    Returns:
        The figure. Each tile's gid is ``wijk:<name>``.
    """
    words = labels(lang)
    by_wijk = _tidy(by_wijk)
    date, rows = _at(by_wijk, at)
    scenarios = _scenarios(rows)
    medians = rows.groupby(["scenario", "wijk"])["employed"].median()
    totals = rows.groupby(_run_keys(rows))["employed"].sum().groupby(level="scenario").median()
    tiles = tile_layout(areas)
    seen = (
        EMPLOYED_BY_WIJK_2022
        if abs(date - pd.Timestamp(EMPLOYED_BY_WIJK_DATE)) <= OBSERVED_NEAR
        and set(tiles) == set(EMPLOYED_BY_WIJK_2022)
        else None
    )
    ncols = min(len(scenarios), 2)
    nrows = math.ceil(len(scenarios) / ncols)
    fig = new_figure(1.0 + nrows * (5.6 if ncols == 1 else 4.4))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    norm = Normalize(0, max(float(medians.max()), *(seen or {}).values(), 1.0))
    cmap = colormaps["YlGnBu"]
    for ax, name in zip(axes, scenarios, strict=False):  # a 2-column grid may have one spare
        _draw_tiles(
            ax, tiles, medians.loc[name], norm, cmap, seen, words, fontsize=8 if ncols == 1 else 6.5
        )
        ax.set_title(_wijk_finding(name, medians.loc[name], totals[name], seen, words), fontsize=9)
    for ax in axes[len(scenarios) :]:
        ax.remove()
    fig.colorbar(
        ScalarMappable(norm, cmap), ax=axes[: len(scenarios)].tolist(), location="bottom",
        shrink=0.5, aspect=40, label=words["wijk_colourbar"],
    )  # fmt: skip
    # Constrained layout's default margin let the colour bar's label hang below the
    # bottom edge once there are rows of panels: about 9 points of margin keep it in.
    layout = fig.get_layout_engine()
    if isinstance(layout, ConstrainedLayoutEngine):
        layout.set(h_pad=0.12)
    source = words["wijk_source"] if seen else ""
    fig.suptitle(
        words.fill("wijk_heading", day=words.day(date), runs=_runs(rows), source=source),
        x=0.02, ha="left", fontsize=11,
    )  # fmt: skip
    return fig


def _draw_tiles(
    ax: Axes,
    tiles: dict[str, tuple[int, int]],
    values: pd.Series,
    norm: Normalize,
    cmap: Colormap,
    seen: dict[str, int] | None,
    words: Labels,
    fontsize: float,
) -> None:
    """The tiles of one scenario, north up, in a frameless square-celled panel."""
    for wijk, (col, row) in tiles.items():
        value = float(values.get(wijk, 0.0))
        count = None if seen is None else seen[wijk]
        _draw_tile(ax, wijk, (col, row), value, cmap(norm(value)), count, words, fontsize)
    cols = [col for col, _ in tiles.values()]
    rows = [row for _, row in tiles.values()]
    ax.set_xlim(min(cols), max(cols) + 1)
    ax.set_ylim(-max(rows) - 1, -min(rows))
    ax.set_aspect("equal")
    ax.axis("off")


def _draw_tile(
    ax: Axes,
    wijk: str,
    cell: tuple[int, int],
    value: float,
    colour: tuple[float, float, float, float],
    seen: int | None,
    words: Labels,
    fontsize: float,
) -> None:
    """One tile: the area's name, the median (gid ``wijk-count:<name>``), the observed count."""
    gap = 0.06
    col, row = cell
    ax.add_patch(
        Rectangle(
            (col + gap / 2, -row - 1 + gap / 2), 1 - gap, 1 - gap, facecolor=colour,
            edgecolor="white", gid=f"wijk:{wijk}",
        )
    )  # fmt: skip
    luminance = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    style: dict[str, Any] = {"ha": "center", "color": "white" if luminance < 0.5 else "black"}
    x, y = col + 0.5, -row - 0.5
    name = textwrap.fill(wijk.replace("/", "/ "), 11, break_long_words=False)
    ax.text(x, y + 0.44, name, va="top", fontsize=fontsize, linespacing=0.95, **style)
    ax.text(
        x, y - 0.12, _count(value), va="center", fontsize=fontsize + 4, weight="bold",
        gid=f"wijk-count:{wijk}", **style,
    )  # fmt: skip
    if seen is not None:
        ax.text(
            x, y - 0.36, words.fill("wijk_tile_observed", count=seen), va="center",
            fontsize=fontsize,
            gid=f"wijk-observed:{wijk}", **style,
        )  # fmt: skip


def _wijk_finding(
    name: str, values: pd.Series, total: float, seen: dict[str, int] | None, words: Labels
) -> str:
    """The total and the busiest area; against the observed counts when given."""
    if seen is not None:
        close = sum(abs(values.get(wijk, 0.0) - count) <= 2 for wijk, count in seen.items())
        return words.fill(
            "wijk_against_observed",
            scenario=name,
            total=f"{total:.0f}",
            observed=sum(seen.values()),
            close=close,
            areas=len(seen),
        )
    top = values.idxmax()
    return words.fill(
        "wijk_most", scenario=name, total=f"{total:.0f}", wijk=top, count=_count(values[top])
    )


# ----------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------
FIGURES: dict[str, tuple[Callable[..., Figure], str]] = {
    "employed.png": (employed_fan, "timeseries"),
    "funnel.png": (intake_funnel, "timeseries"),
    "cost_per_year.png": (cost_per_year, "timeseries"),
    "cumulative_net_cost.png": (cumulative_net_cost, "timeseries"),
    "binding_constraints.png": (binding_constraints, "timeseries"),
    "wijk_map.png": (wijk_map, "by_wijk"),
}
"""File name -> the figure function and the table it draws."""


def save_figures(
    ts: pd.DataFrame,
    by_wijk: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "en",
    areas: Sequence[Area] | None = None,
    target: int = TARGET_JOBS,
) -> list[Path]:
    """Draw every figure and write it as PNG into ``out_dir`` (created if missing).

    Args:
        ts: weekly time series of one or more runs.
        by_wijk: participants per area per week of the same runs.
        out_dir: the directory to write to.
        lang: the language of the figures' words (``"en"`` or ``"nl"``).
        areas: the municipality's areas (default: Groningen's); Groningen's observed
            counts are drawn only for Groningen's areas.
        target: the jobs the programme aims for (Groningen's 250 by default).

    Returns:
        The paths written, in the order of :data:`FIGURES`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"timeseries": ts, "by_wijk": by_wijk}
    groningen = is_groningen(areas)
    extra: dict[str, dict[str, Any]] = {
        "employed.png": {"observed_counts": groningen, "target": target},
        "funnel.png": {"observed_counts": groningen},
        "wijk_map.png": {"areas": areas},
    }
    paths = []
    for filename, (draw, table) in FIGURES.items():
        # One figure at a time; each is freed once saved, as no pyplot registry holds it.
        path = out / filename
        draw(tables[table], lang=lang, **extra.get(filename, {})).savefig(path, dpi=DPI)
        paths.append(path)
    return paths
