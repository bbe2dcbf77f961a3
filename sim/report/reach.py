"""Section 1 of the report: when do we reach 250 jobs?

Jobs filled over time as fan charts with the observed counts, the chance of 250 jobs
by the end of each year, a headline table of jobs on 1 January that matches
``summary.csv`` (a column per scenario and sweep sample) and, for a forecast, the
forecast's table on 1 April of each year. Tables: :func:`reach_table`,
:func:`p250_table`, :func:`headline_table`, :func:`forecast_table`; words:
:data:`WORDS`; markup: ``templates/reach.html.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from sim.figures.experiment import employed_fan
from sim.figures.summaries import reach_probability
from sim.report.context import Context, FigureBlock, Missing
from sim.report.formats import calendar_year, format_share
from sim.report.results import Results
from sim.summary import TARGET_JOBS

FORECAST_QUANTITIES = ("employed", "employed_permanent", "exited_cum", "cost_net_eur_cum")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "1. When do we reach {target} jobs?",
        "intro": (
            "Jobs filled over time, as a band over the runs (the darker band holds half of "
            "the runs, the lighter band 90%), with the counts the municipality reported."
        ),
        "reach_in": "{target} jobs reached in {year} (90% interval {low}–{high})",
        "reach_in_exact": "{target} jobs reached in {year} in at least 90% of runs",
        "reach_median_only": (
            "{target} jobs reached in {year} (median); {share} of runs reach it by {end}"
        ),
        "reach_some": "{target} jobs reached by {end} in only {share} of runs",
        "reach_none": "{target} jobs not reached by {end} in any run",
        "fig_employed_title": "Jobs filled over time",
        "cap_employed_fan": (
            "Lines: median of the runs; bands: 50% and 90% of runs; dashed: the jobs funded "
            "(a budget year at a time); dotted: the council's target (its jobs a year, up "
            "to {target}); black markers: counts the municipality reported (FACTS.md)."
        ),
        "fig_p250_title": "Chance that {target} jobs are filled by the end of each year",
        "p250_finding": "{scenario}: {share} by the end of {year}",
        "cap_reach_probability": (
            "Share of runs in which {target} jobs are filled by 31 December of each year."
        ),
        "p250_source_forecast": "From the forecast's p250.csv.",
        "p250_source_runs": "From summary.csv (measure reached_250_by_year).",
        "headline": "Jobs on 1 January of each year",
        "headline_note": (
            "Median number of people in a basisbaan on 1 January, with the 90% interval "
            "over runs below it; the last rows give the year {target} jobs are reached and the "
            "share of runs that reach it within the horizon. Same numbers as summary.csv."
        ),
        "jan1": "1 January {year}",
        "sample": "sample {sample}",
        "col_year_250": "{target} reached (year)",
        "col_share_250": "runs reaching {target} by {end}",
        "never": "not reached",
        "forecast_table": "Forecast on 1 April of each year",
        "forecast_note": (
            "From forecast.csv: median and 95% interval (2.5th–97.5th percentile) over the "
            "forecast's runs."
        ),
        "quantity": "Quantity",
        "q_employed": "people in a basisbaan",
        "q_employed_permanent": "of whom on a permanent contract",
        "q_exited_cum": "uitstroom since the start (people who left)",
        "q_cost_net_eur_cum": "net cost since the start (€ million)",
    },
    "nl": {
        "heading": "1. Wanneer zijn er {target} basisbanen?",
        "intro": (
            "Ingevulde basisbanen in de tijd, als band over de runs (de donkere band bevat "
            "de helft van de runs, de lichte 90%), met de aantallen die de gemeente meldde."
        ),
        "reach_in": "{target} basisbanen in {year} (90%-interval {low}–{high})",
        "reach_in_exact": "{target} basisbanen in {year} in minstens 90% van de runs",
        "reach_median_only": (
            "{target} basisbanen in {year} (mediaan); {share} van de runs haalt het vóór {end}"
        ),
        "reach_some": "{target} basisbanen vóór {end} in slechts {share} van de runs",
        "reach_none": "{target} basisbanen in geen enkele run gehaald vóór {end}",
        "fig_employed_title": "Ingevulde basisbanen in de tijd",
        "cap_employed_fan": (
            "Lijnen: mediaan van de runs; banden: 50% en 90% van de runs; gestreept: de "
            "gefinancierde banen (per begrotingsjaar); gestippeld: het doel van de raad "
            "(het aantal banen per jaar, tot {target}); zwarte punten: aantallen die de "
            "gemeente meldde (FACTS.md)."
        ),
        "fig_p250_title": "Kans dat er aan het eind van elk jaar {target} basisbanen zijn",
        "p250_finding": "{scenario}: {share} aan het eind van {year}",
        "cap_reach_probability": (
            "Aandeel runs met {target} ingevulde basisbanen op 31 december van elk jaar."
        ),
        "p250_source_forecast": "Uit p250.csv van de prognose.",
        "p250_source_runs": "Uit summary.csv (maat reached_250_by_year).",
        "headline": "Basisbanen op 1 januari van elk jaar",
        "headline_note": (
            "Mediaan van het aantal mensen in een basisbaan op 1 januari, met het "
            "90%-interval over de runs eronder; de laatste rijen geven het jaar waarin {target} "
            "banen gehaald worden en het aandeel runs dat dit binnen de horizon haalt. "
            "Dezelfde getallen als in summary.csv."
        ),
        "jan1": "1 januari {year}",
        "sample": "steekproef {sample}",
        "col_year_250": "{target} gehaald (jaar)",
        "col_share_250": "runs met {target} vóór {end}",
        "never": "niet gehaald",
        "forecast_table": "Prognose op 1 april van elk jaar",
        "forecast_note": (
            "Uit forecast.csv: mediaan en 95%-interval (2,5e–97,5e percentiel) over de runs "
            "van de prognose."
        ),
        "quantity": "Grootheid",
        "q_employed": "mensen in een basisbaan",
        "q_employed_permanent": "van wie met een vast contract",
        "q_exited_cum": "uitstroom sinds de start (mensen die vertrokken)",
        "q_cost_net_eur_cum": "nettokosten sinds de start (€ miljoen)",
    },
}


def reach_table(results: Results) -> pd.DataFrame:
    """Per scenario, when 250 jobs are filled (sweep samples pooled).

    Returns:
        A row per scenario of the results: ``share``, the share of runs with 250 jobs
        by the end of the last year (NaN without a summary row); ``median``, ``low``
        and ``high``, the calendar years of the 50th, 5th and 95th percentile of the
        year 250 is reached (``pd.NA`` where that percentile never gets there).
    """
    rows = []
    pooled = results.pooled
    for scenario in results.scenarios:
        reached = pooled[
            (pooled["measure"] == "reached_250_by_year") & (pooled["scenario"] == scenario)
        ]
        share = float(reached.sort_values("year")["mean"].iloc[-1]) if len(reached) else None
        when = results.measure("year_250_reached", scenario)
        years = {
            name: calendar_year(float(when[q])) if when is not None else None
            for name, q in (("median", "q50"), ("low", "q05"), ("high", "q95"))
        }
        # Without a row for the year, no run is known to reach 250: said as "none".
        rows.append(
            {
                "scenario": scenario,
                "share": share if share is not None and when is not None else float("nan"),
                **years,
            }
        )
    frame = pd.DataFrame(rows, columns=["scenario", "share", "median", "low", "high"])
    return frame.astype({"median": "Int64", "low": "Int64", "high": "Int64"}).set_index("scenario")


def reach_sentence(
    row: pd.Series, words: Mapping[str, str], end: str, lang: str, target: int = TARGET_JOBS
) -> str:
    """When a scenario reaches its target, in words (one row of :func:`reach_table`)."""
    share = float(row["share"])
    if not share > 0:
        return words["reach_none"].format(end=end, target=target)
    median, low, high = (
        None if pd.isna(row[k]) else int(row[k]) for k in ("median", "low", "high")
    )
    if median is None:
        return words["reach_some"].format(end=end, share=format_share(share, lang), target=target)
    if high is None:
        return words["reach_median_only"].format(
            year=median, share=format_share(share, lang), end=end, target=target
        )
    if low == high:
        return words["reach_in_exact"].format(year=median, target=target)
    return words["reach_in"].format(year=median, low=low, high=high, target=target)


def p250_table(results: Results) -> pd.DataFrame:
    """The chance of 250 jobs by the end of each year, per scenario.

    From the forecast's ``p250.csv`` when there is one, else the share of runs of
    ``summary.csv``'s ``reached_250_by_year`` (samples pooled).

    Returns:
        Columns ``scenario``, ``year``, ``probability`` (0-1), in the report's order.
    """
    if results.p250 is not None:
        frame = results.p250
    else:
        rows = results.pooled[results.pooled["measure"] == "reached_250_by_year"]
        frame = rows.rename(columns={"mean": "probability"})
    scenarios = list(results.scenarios)
    frame = frame[frame["scenario"].isin(scenarios)][["scenario", "year", "probability"]]
    frame = frame.astype({"year": int, "probability": float})
    order = {s: k for k, s in enumerate(scenarios)}
    return frame.sort_values(
        ["scenario", "year"], key=lambda c: c.map(order) if c.name == "scenario" else c
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The headline table: jobs on 1 January, and when 250 is reached, from summary.csv.

    Attributes:
        columns: ``(scenario, sample)`` pairs, a column each, in the report's order.
        samples: sweep samples in summary.csv (1 without a sweep).
        years: the years with a 1 January row.
        last_year: the last year, of the share of runs reaching 250.
        cells: summary.csv's rows of ``employed_jan1`` (a row per year),
            ``year_250_reached`` and ``reached_250_by_year`` in the last year, with
            ``mean``, ``q05``, ``q50``, ``q95``, indexed by ``scenario``, ``sample``,
            ``measure`` and ``year`` (-1 for none).
    """

    columns: list[tuple[str, int]]
    samples: int
    years: list[int]
    last_year: int
    cells: pd.DataFrame


def headline_table(results: Results) -> Headline:
    """The headline table of :class:`Headline`, from summary.csv as written."""
    summary = results.summary
    samples = sorted(summary["sample"].unique())
    columns = [
        (s, int(sample))
        for s in results.scenarios
        for sample in samples
        if ((summary["scenario"] == s) & (summary["sample"] == sample)).any()
    ]
    last_year = int(summary[summary["measure"] == "reached_250_by_year"]["year"].max())
    wanted = (summary["measure"].isin(["employed_jan1", "year_250_reached"])) | (
        (summary["measure"] == "reached_250_by_year") & (summary["year"] == last_year)
    )
    cells = summary[wanted].assign(
        sample=summary["sample"].astype(int),
        year=summary["year"].fillna(-1).astype(int),
    )
    # summary.csv has one row of each; should it have more, the first counts.
    cells = cells.drop_duplicates(["scenario", "sample", "measure", "year"])
    jan1 = cells[cells["measure"] == "employed_jan1"]["year"]
    return Headline(
        columns=columns,
        samples=len(samples),
        years=sorted(int(y) for y in jan1.unique() if y != -1),
        last_year=last_year,
        cells=cells.set_index(["scenario", "sample", "measure", "year"])[
            ["mean", "q05", "q50", "q95"]
        ],
    )


def forecast_table(results: Results) -> pd.DataFrame:
    """The forecast on each of its dates (``forecast.csv``), for the report's scenarios.

    The table shows the quantities of :data:`FORECAST_QUANTITIES`; its dates are all
    the forecast's.

    Returns:
        Columns ``scenario``, ``quantity``, ``day`` (a date), ``q025``, ``q50``,
        ``q975``; empty without a forecast.
    """
    if results.forecast is None:
        return pd.DataFrame(columns=["scenario", "quantity", "day", "q025", "q50", "q975"])
    frame = results.forecast[results.forecast["scenario"].isin(results.scenarios)]
    frame = frame.assign(day=pd.to_datetime(frame["date"]).dt.date)
    return frame[["scenario", "quantity", "day", "q025", "q50", "q975"]].reset_index(drop=True)


def employed_figure(ctx: Context) -> FigureBlock | Missing:
    """Jobs filled over time, titled with when each scenario reaches 250 jobs."""
    r = ctx.results
    w = ctx.words(WORDS)
    reach = reach_table(r)
    findings = [
        f"{s}: {reach_sentence(reach.loc[s], w, ctx.end_label, ctx.lang)}" for s in ctx.scenarios
    ]
    return ctx.figure(
        "employed_fan",
        w["fig_employed_title"],
        findings,
        lambda: employed_fan(r.timeseries, title="", lang=ctx.lang, observed_counts=r.is_groningen),
        w["cap_employed_fan"],
        ["employed", "job_ceiling"],
    )


def probability_figure(ctx: Context) -> FigureBlock | Missing:
    """The chance of 250 jobs by the end of each year, titled with the last year's."""
    r = ctx.results
    w = ctx.words(WORDS)
    p250 = p250_table(r)
    last = int(p250["year"].max())
    at_last = p250[p250["year"] == last].groupby("scenario")["probability"].sum()
    source = "p250_source_forecast" if r.p250 is not None else "p250_source_runs"
    return ctx.figure(
        "reach_probability",
        w["fig_p250_title"],
        [
            w["p250_finding"].format(
                scenario=s, share=format_share(float(at_last.get(s, 0.0)), ctx.lang), year=last
            )
            for s in ctx.scenarios
        ],
        lambda: reach_probability(p250, ctx.colours, title="", lang=ctx.lang),
        f"{w['cap_reach_probability']} {w[source]}",
    )


def section(ctx: Context) -> Markup:
    """Section 1 as HTML."""
    r = ctx.results
    w = ctx.words(WORDS)
    employed = employed_figure(ctx)
    probability = probability_figure(ctx)
    headline = headline_table(r)
    forecast = forecast_table(r)
    return ctx.render(
        "reach.html.j2",
        w,
        employed=employed,
        probability=probability,
        headline=headline,
        cells=headline.cells.to_dict("index"),
        forecast=_by_cell(forecast) if r.is_forecast else None,
        forecast_days=sorted(forecast["day"].unique()),
        forecast_rows=[
            (s, q)
            for s in ctx.scenarios
            for q in FORECAST_QUANTITIES
            if ((forecast["scenario"] == s) & (forecast["quantity"] == q)).any()
        ],
    )


def _by_cell(forecast: pd.DataFrame) -> dict[tuple[str, str, object], Mapping[str, float]]:
    """The forecast's quantiles by (scenario, quantity, day), the first row of each."""
    cells: dict[tuple[str, str, object], Mapping[str, float]] = {}
    for row in forecast.to_dict("records"):
        cells.setdefault((row["scenario"], row["quantity"], row["day"]), row)
    return cells
