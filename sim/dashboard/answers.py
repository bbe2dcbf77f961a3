"""The dashboard's answers: the report's figure blocks and numbers for a comparison so far.

Each answer is a figure block of the report (:mod:`sim.report`): jobs filled over time
with the observed counts and the target, the chance of 250 by the end of each year,
what limits growth over time, cost per year, who pays, and participants per wijk, each
titled with its finding sentences in the page's language. Beside them the dashboard
shows two numbers of its own: the chance of 250 by the end of the year in which the
scenarios differ most in it, and the difference from the announced policy draw by draw
(common random numbers make it sharp).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sim.dashboard.compute import ANNOUNCED, CHOSEN, Comparison
from sim.dashboard.words import WORDS
from sim.report import costs, limits, reach, who
from sim.report.context import Context, FigureBlock, Missing
from sim.report.formats import format_jobs
from sim.report.results import Results

BLOCKS = (
    reach.employed_figure,
    reach.probability_figure,
    limits.binding_constraints_figure,
    costs.cost_per_year_figure,
    costs.payers_figure,
    who.wijk_map_figure,
)
"""The answers, in the page's order."""


FIRST = 1  # the blocks drawn while draws still arrive: jobs filled over time


@dataclass(frozen=True)
class Answers:
    """What the page shows of a comparison so far.

    Attributes:
        draws: the draws finished in both scenarios.
        chances: shown scenario name -> the chance of 250 jobs by the end of ``year``.
        year: the year the chances differ most (the last year when they never do).
        difference: the draw-by-draw difference in words.
        blocks: figure blocks drawn so far, by the name of their function in :data:`BLOCKS`.
    """

    draws: int
    chances: dict[str, float]
    year: int
    difference: str
    blocks: dict[str, FigureBlock | Missing] = field(default_factory=dict)


def scenario_names(lang: str) -> dict[str, str]:
    """The comparison's scenarios as the page names them."""
    return {ANNOUNCED: WORDS[lang]["announced"], CHOSEN: WORDS[lang]["chosen"]}


def numbers(comparison: Comparison, lang: str) -> tuple[Context, Answers]:
    """The report's context of the draws so far, and the answers' numbers (no figure yet).

    Raises:
        ValueError: no draw has finished in both scenarios.
    """
    results = comparison.results(scenario_names(lang))
    if results is None:
        raise ValueError("no draw has finished in both scenarios yet")
    p250 = reach.p250_table(results)
    by_year = p250.pivot_table(index="year", columns="scenario", values="probability")
    gap = (by_year[results.scenarios[1]] - by_year[results.scenarios[0]]).abs()
    # The year the chances differ most; the last year when they never differ.
    year = int(gap.idxmax()) if gap.max() > 0 else int(by_year.index.max())
    return Context(results, lang), Answers(
        draws=len(comparison.complete()),
        chances={s: float(by_year.loc[year, s]) for s in results.scenarios},
        year=year,
        difference=difference_sentence(results, lang),
    )


def answers(comparison: Comparison, lang: str) -> Answers:
    """Every answer of the comparison so far, drawn (a few seconds)."""
    ctx, shown = numbers(comparison, lang)
    return replace(shown, blocks={block.__name__: block(ctx) for block in BLOCKS})


def paired_differences(results: Results) -> pd.DataFrame:
    """Jobs on 1 January of each year, the chosen minus the announced scenario, per draw.

    Returns:
        Index: the draws; a column per year (the last week on or before 1 January).
    """
    ts = results.timeseries
    announced, chosen = results.scenarios
    years = range(results.start.year + 1, results.end.year + 1)
    columns = {}
    for year in years:
        upto = ts[ts["date"] <= pd.Timestamp(year, 1, 1)]
        last = upto.groupby(["scenario", "replicate"])["employed"].last()
        columns[year] = last.xs(chosen) - last.xs(announced)
    return pd.DataFrame(columns)


def difference_sentence(results: Results, lang: str) -> str:
    """The year the two scenarios differ most (median over draws), in words."""
    diffs = paired_differences(results)
    medians = diffs.median()
    year = int(medians.abs().idxmax()) if medians.abs().max() > 0 else int(diffs.columns[-1])
    low, median, high = np.quantile(diffs[year], [0.05, 0.5, 0.95])
    return WORDS[lang]["difference"].format(
        year=year,
        sign="+" if median > 0 else "",
        median=format_jobs(float(median), lang),
        low=format_jobs(float(low), lang),
        high=format_jobs(float(high), lang),
    )
