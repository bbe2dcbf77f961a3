"""The key findings at the top of the report: a line per scenario.

When 250 jobs are reached (section 1's sentence), the net cost per job-year over the
run, and the constraint that most often held growth back (section 2's). Table:
:func:`findings_table`; words: :data:`WORDS`; markup: ``templates/findings.html.j2``.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from sim.report import limits, reach
from sim.report.context import Context
from sim.report.formats import format_number
from sim.report.results import Results

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "key_findings": "Key findings",
        "finding": (
            "{reach}; net cost €{per_job} per job-year over the run; growth most often held back "
            "by {constraint}."
        ),
        "intervals_note": (
            "Numbers are medians over runs; intervals in brackets run from the 5th to the 95th "
            "percentile (90% of runs fall inside)."
        ),
    },
    "nl": {
        "key_findings": "De belangrijkste uitkomsten",
        "finding": (
            "{reach}; netto €{per_job} per baanjaar over de hele run; de groei werd het vaakst "
            "geremd door {constraint}."
        ),
        "intervals_note": (
            "Getallen zijn medianen over de runs; intervallen tussen haakjes lopen van het 5e "
            "tot het 95e percentiel (90% van de runs valt erbinnen)."
        ),
    },
}


def findings_table(results: Results) -> pd.DataFrame:
    """Per scenario, the numbers behind the key findings (sweep samples pooled).

    Returns:
        A row per scenario (index): the columns of :func:`sim.report.reach.reach_table`
        (``share``, ``median``, ``low``, ``high``), ``net_per_job_year`` (the median
        over runs of the net cost per job-year over the whole run, EUR; NaN without it)
        and ``constraint`` (what held starts back most often over the whole run).
    """
    table = reach.reach_table(results)
    binding = limits.binding_table(results)
    net, constraint = [], []
    for s in table.index:
        per_job = results.measure("cost_net_per_job_year_eur", s)
        net.append(float("nan") if per_job is None else float(per_job["q50"]))
        constraint.append(limits.top_constraint(limits.shares_of(binding, s, "whole"))[0])
    return table.assign(net_per_job_year=net, constraint=constraint)


def section(ctx: Context) -> Markup:
    """The key findings as HTML."""
    w = ctx.words(WORDS, reach.WORDS)
    labels = limits.LABELS[ctx.lang]
    table = findings_table(ctx.results)
    lines = {
        s: w["finding"].format(
            reach=reach.reach_sentence(table.loc[s], w, ctx.end_label, ctx.lang),
            per_job=format_number(table.loc[s, "net_per_job_year"], ctx.lang),
            constraint=labels.get(table.loc[s, "constraint"], table.loc[s, "constraint"]),
        )
        for s in ctx.scenarios
    }
    return ctx.render("findings.html.j2", w, lines=lines)
