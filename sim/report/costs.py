"""Section 3 of the report: what does it cost, and who pays?

Gross and net cost per year and per job-year, the cost items and each party's share
over the run (following the cost table of FACTS.md), and a funding gap when a budget
is given. Tables: :func:`cost_year_table`, :func:`run_costs`, :func:`items_table`,
:func:`cost_by_party` and :func:`payers_table`, :func:`budget_table`; words:
:data:`WORDS` and the names of cost items and parties in :data:`LABELS`; markup:
``templates/costs.html.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from markupsafe import Markup

from sim.figures.experiment import cost_per_year, cumulative_net_cost
from sim.figures.summaries import cost_against_other_places, cost_by_payer, net_cost_against_budget
from sim.report.context import Context, FigureBlock, Missing
from sim.report.formats import format_jobs, format_millions, format_number
from sim.report.results import RUN_KEYS, Results
from sim.timeline import WEEKS_PER_YEAR

# The cost items of the weekly record: item -> column.
COST_ITEMS = {
    "wages": "cost_wages_eur",
    "employer": "cost_employer_eur",
    "guidance": "cost_guidance_eur",
    "coaches_cost": "cost_coaches_eur",
    "supplements": "supplements_eur",
    "contributions": "contributions_eur",
    "benefits_saved": "benefits_saved_eur",
    "subsidies": "subsidies_eur",
}
SAVINGS = ("contributions", "benefits_saved", "subsidies")  # shown as negative
# Items every run records; the supplements came with the designs (older results lack
# them, and they are zero in the contract design).
REQUIRED_ITEMS = tuple(v for k, v in COST_ITEMS.items() if k != "supplements")
# Other places, for comparison only (FACTS.md, "Other places"): name, low, high in EUR per
# participant-year. Measured elsewhere and otherwise: shown beside the model, never fitted.
COMPARATORS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "en": (
        ("Amstelveen 2021: €20,000 net per job-year", 20_000.0, 20_000.0),
        ("Marienthal (AT): €29,841 per participant-year", 29_841.0, 29_841.0),
        ("France TZCLD: €11,300-13,700 net per FTE-year", 11_300.0, 13_700.0),
    ),
    "nl": (
        ("Amstelveen 2021: €20.000 netto per baanjaar", 20_000.0, 20_000.0),
        ("Marienthal (AT): €29.841 per deelnemersjaar", 29_841.0, 29_841.0),
        ("Frankrijk TZCLD: €11.300-13.700 netto per fte-jaar", 11_300.0, 13_700.0),
    ),
}
PARTIES = ("municipality", "national", "wijk_organisations", "subsidy_providers")
# The rows of the cost year table: (words, summary.csv measure; None: from the years table).
COST_YEAR_ROWS = (
    ("m_gross", "cost_gross_eur"),
    ("m_net", "cost_net_eur"),
    ("m_gross_per_job_year", None),
    ("m_net_per_job_year", "cost_net_per_job_year_eur"),
)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "3. What does it cost, and who pays?",
        "intro": (
            "Costs follow the cost table of the 2022 council letter (per job-year: wages €27,387 "
            "at 32 hours, employer cost ~€600, guiding organisations €4,000 in the first year "
            "and €3,000 after, municipal coaches €1,500; benefits no longer paid €14,000), in "
            "2022 euros. Gross cost is wages, employer cost, begeleiding and coaches less "
            "contributions; net cost also subtracts benefits no longer paid and subsidies."
        ),
        "fig_cost_year_title": "Cost per year",
        "cost_year_finding": "{scenario}: net €{net} million in {year}",
        "cap_cost_per_year": (
            "Median per year of each cost item (above zero) and of savings and income (below "
            "zero), with gross and net cost, in million euros."
        ),
        "fig_cost_cum_title": "Net cost added up since the start",
        "cost_cum_finding": "{scenario}: €{net} million by {end}",
        "cap_cumulative_net_cost": (
            "Net cost added up since 1 March 2020: median and 90% of runs, in million euros."
        ),
        "cost_table": "Gross and net cost per year",
        "cost_table_note": (
            "Medians over runs (summary.csv). Per job-year: the year's cost divided by the jobs "
            "filled on average that year."
        ),
        "measure": "Measure",
        "m_gross": "gross (€ million)",
        "m_net": "net (€ million)",
        "m_gross_per_job_year": "gross per job-year (€)",
        "m_net_per_job_year": "net per job-year (€)",
        "items_table": "Cost by item, {start}–{end}",
        "items_note": (
            "Mean over runs: the total over the whole run in € million, and below it per "
            "job-year in €. Savings and income are shown as negative."
        ),
        "per_job_year_value": "€{value} per job-year",
        "item": "Item",
        "gross_total": "gross cost",
        "net_total": "net cost",
        "fig_payers_title": "Who pays, {start}–{end}",
        "payers_finding": (
            "{scenario}: the municipality pays €{municipality} million; the national benefit "
            "budget saves €{national} million"
        ),
        "cap_cost_by_payer": (
            "Mean over runs of each party's total over the run: costs positive, savings and "
            "income negative. See the assumption below the table."
        ),
        "payers_table": "Who bears the cost and who gains, {start}–{end}",
        "payers_note": (
            "Mean over runs: the total over the whole run in € million, and below it per "
            "job-year in €. Positive: a cost to that party; negative: a saving or income. The "
            "net cost of the model is the municipality's share plus the national benefit "
            "budget's."
        ),
        "party": "Party",
        "comparison_heading": "Per participant and per outflow, beside other places",
        "fig_comparison_title": "Net cost per participant-year, beside other places",
        "comparison_finding": (
            "{scenario}: €{per_year} a participant-year; {outflow} left for a regular job"
        ),
        "cap_comparison": (
            "Bars: the median over runs of the net cost per participant-year, with 90% of "
            "runs; grey lines and band: other places (FACTS.md), measured elsewhere and "
            "otherwise, for orientation only."
        ),
        "c_started": "started",
        "c_regular_job": "left for a regular job",
        "c_per_year": "net cost per participant-year",
        "c_per_outflow": "net cost per outflow to a regular job",
        "comparison_note": (
            "Medians over runs, over the whole run. Net cost: the municipality's and the "
            "benefit budget's positions together. Per outflow: the net cost over the run "
            "divided by the participants who left for a regular job."
        ),
        "payers_assumption": (
            "Assumption (the report's reading of FACTS.md): the municipality bears wages, "
            "employer cost (Thermiek BV), begeleiding by the guiding organisations and its own "
            "coaches, and receives the contributions and subsidies. Benefits no longer paid are "
            "bijstand benefits, which municipalities pay from the national BUIG budget: this "
            "report books that saving with the national benefit budget. The 2022 letter counts "
            "it as the municipality's own saving (net cost to the municipality €19,000 per job); "
            "a municipality keeps part of a BUIG surplus, so the truth lies between the two "
            "readings. This follows the remark of the first social cost-benefit analysis (MKBA) "
            "that the benefits do not land with the party that bears most of the costs. Wijk "
            "organisations get the work and contribute nothing so far (none collected by 2022); "
            "the value of the work to the wijken is not in these numbers."
        ),
        "budget_heading": "Funding gap against the budget",
        "no_budget": (
            "No budget line was given (budget_net_eur_per_year is not set in any scenario), so "
            "there is no funding gap to show."
        ),
        "fig_budget_title": "Net cost against the budget",
        "budget_finding_over": "{scenario}: above the budget in {years}",
        "budget_finding_within": "{scenario}: within the budget every year",
        "cap_net_cost_against_budget": (
            "Bars: net cost per year (median of runs); dashed lines: each scenario's yearly net "
            "budget."
        ),
        "budget": "budget (€ million)",
        "gap": "gap (€ million)",
        "budget_note": (
            "Net cost per year (median over runs) against the yearly net budget set in the "
            "experiment (budget_net_eur_per_year). Gap: net cost above the budget."
        ),
    },
    "nl": {
        "heading": "3. Wat kost het, en wie betaalt?",
        "intro": (
            "De kosten volgen de kostentabel uit de raadsbrief van 2022 (per baanjaar: "
            "loonkosten €27.387 bij 32 uur, werkgeverskosten ~€600, begeleidende organisaties "
            "€4.000 in het eerste jaar en €3.000 daarna, gemeentelijke coaches €1.500; niet meer "
            "betaalde uitkeringen €14.000), in euro's van 2022. Brutokosten zijn loon, "
            "werkgeverskosten, begeleiding en coaches min bijdragen; nettokosten trekken daar "
            "ook de niet meer betaalde uitkeringen en subsidies van af."
        ),
        "fig_cost_year_title": "Kosten per jaar",
        "cost_year_finding": "{scenario}: netto €{net} miljoen in {year}",
        "cap_cost_per_year": (
            "Mediaan per jaar van elke kostenpost (boven nul) en van besparingen en inkomsten "
            "(onder nul), met bruto- en nettokosten, in miljoenen euro's."
        ),
        "fig_cost_cum_title": "Nettokosten opgeteld sinds de start",
        "cost_cum_finding": "{scenario}: €{net} miljoen tot {end}",
        "cap_cumulative_net_cost": (
            "Nettokosten opgeteld sinds 1 maart 2020: mediaan en 90% van de runs, in miljoenen "
            "euro's."
        ),
        "cost_table": "Bruto- en nettokosten per jaar",
        "cost_table_note": (
            "Medianen over de runs (summary.csv). Per baanjaar: de kosten van het jaar gedeeld "
            "door het gemiddeld aantal ingevulde banen in dat jaar."
        ),
        "measure": "Maat",
        "m_gross": "bruto (€ miljoen)",
        "m_net": "netto (€ miljoen)",
        "m_gross_per_job_year": "bruto per baanjaar (€)",
        "m_net_per_job_year": "netto per baanjaar (€)",
        "items_table": "Kosten per post, {start}–{end}",
        "items_note": (
            "Gemiddelde over de runs: het totaal over de hele run in € miljoen, en daaronder per "
            "baanjaar in €. Besparingen en inkomsten staan negatief."
        ),
        "per_job_year_value": "€{value} per baanjaar",
        "item": "Post",
        "gross_total": "brutokosten",
        "net_total": "nettokosten",
        "fig_payers_title": "Wie betaalt, {start}–{end}",
        "payers_finding": (
            "{scenario}: de gemeente betaalt €{municipality} miljoen; het landelijke "
            "uitkeringsbudget bespaart €{national} miljoen"
        ),
        "cap_cost_by_payer": (
            "Gemiddelde over de runs van het totaal van elke partij over de run: kosten "
            "positief, besparingen en inkomsten negatief. Zie de aanname onder de tabel."
        ),
        "payers_table": "Wie draagt de kosten en wie wint, {start}–{end}",
        "payers_note": (
            "Gemiddelde over de runs: het totaal over de hele run in € miljoen, en daaronder per "
            "baanjaar in €. Positief: kosten voor die partij; negatief: een besparing of "
            "inkomsten. De nettokosten van het model zijn het deel van de gemeente plus dat van "
            "het landelijke uitkeringsbudget."
        ),
        "party": "Partij",
        "comparison_heading": "Per deelnemer en per uitstroom, naast andere plaatsen",
        "fig_comparison_title": "Nettokosten per deelnemersjaar, naast andere plaatsen",
        "comparison_finding": (
            "{scenario}: €{per_year} per deelnemersjaar; {outflow} uitgestroomd naar regulier werk"
        ),
        "cap_comparison": (
            "Balken: de mediaan over de runs van de nettokosten per deelnemersjaar, met 90% "
            "van de runs; grijze lijnen en band: andere plaatsen (FACTS.md), elders en anders "
            "gemeten, alleen ter oriëntatie."
        ),
        "c_started": "gestart",
        "c_regular_job": "uitgestroomd naar regulier werk",
        "c_per_year": "nettokosten per deelnemersjaar",
        "c_per_outflow": "nettokosten per uitstroom naar regulier werk",
        "comparison_note": (
            "Medianen over de runs, over de hele run. Nettokosten: de posities van de "
            "gemeente en het uitkeringsbudget samen. Per uitstroom: de nettokosten over de "
            "run gedeeld door de deelnemers die naar regulier werk uitstroomden."
        ),
        "payers_assumption": (
            "Aanname (de lezing van FACTS.md in dit rapport): de gemeente draagt het loon, de "
            "werkgeverskosten (Thermiek BV), de begeleiding door de begeleidende organisaties en "
            "haar eigen coaches, en ontvangt de bijdragen en subsidies. De niet meer betaalde "
            "uitkeringen zijn bijstandsuitkeringen, die gemeenten betalen uit het landelijke "
            "BUIG-budget: dit rapport boekt die besparing bij het landelijke uitkeringsbudget. "
            "De raadsbrief van 2022 rekent haar tot de besparing van de gemeente zelf "
            "(nettokosten voor de gemeente €19.000 per baan); een gemeente houdt een deel van "
            "een BUIG-overschot, dus de werkelijkheid ligt tussen beide lezingen. Dit volgt de "
            "opmerking van de eerste maatschappelijke kosten-batenanalyse (MKBA) dat de baten "
            "niet terechtkomen bij de partij die de meeste kosten draagt. Wijkorganisaties "
            "krijgen het werk en dragen tot nu toe niets bij (tot 2022 niets geïnd); de waarde "
            "van het werk voor de wijken zit niet in deze getallen."
        ),
        "budget_heading": "Financieringstekort ten opzichte van het budget",
        "no_budget": (
            "Er is geen budget opgegeven (budget_net_eur_per_year staat in geen enkel scenario), "
            "dus er is geen financieringstekort te tonen."
        ),
        "fig_budget_title": "Nettokosten tegenover het budget",
        "budget_finding_over": "{scenario}: boven het budget in {years}",
        "budget_finding_within": "{scenario}: elk jaar binnen het budget",
        "cap_net_cost_against_budget": (
            "Balken: nettokosten per jaar (mediaan van de runs); gestreepte lijnen: het "
            "jaarlijkse nettobudget van elk scenario."
        ),
        "budget": "budget (€ miljoen)",
        "gap": "tekort (€ miljoen)",
        "budget_note": (
            "Nettokosten per jaar (mediaan over de runs) tegenover het jaarlijkse nettobudget "
            "uit het experiment (budget_net_eur_per_year). Tekort: nettokosten boven het budget."
        ),
    },
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "wages": "wages",
        "employer": "employer cost (Thermiek BV)",
        "guidance": "begeleiding by guiding organisations",
        "coaches_cost": "municipal coaches",
        "supplements": "supplements on top of the benefit",
        "contributions": "contributions of wijk organisations",
        "benefits_saved": "benefits no longer paid",
        "subsidies": "subsidies",
        "municipality": "municipality",
        "national": "national benefit budget (BUIG)",
        "wijk_organisations": "wijk organisations",
        "subsidy_providers": "subsidy providers (e.g. Nationaal Programma Groningen)",
        "net_model": "net cost (municipality + benefit budget)",
    },
    "nl": {
        "wages": "loonkosten",
        "employer": "werkgeverskosten (Thermiek BV)",
        "guidance": "begeleiding door begeleidende organisaties",
        "coaches_cost": "gemeentelijke coaches",
        "supplements": "toeslagen bovenop de uitkering",
        "contributions": "bijdragen van wijkorganisaties",
        "benefits_saved": "niet meer betaalde uitkeringen",
        "subsidies": "subsidies",
        "municipality": "gemeente",
        "national": "landelijk uitkeringsbudget (BUIG)",
        "wijk_organisations": "wijkorganisaties",
        "subsidy_providers": "subsidiegevers (o.a. Nationaal Programma Groningen)",
        "net_model": "nettokosten (gemeente + uitkeringsbudget)",
    },
}


def full_years(results: Results) -> list[int]:
    """The calendar years the runs cover from their first week to their last."""
    dates = pd.to_datetime(results.timeseries["date"])
    first, last = dates.min(), dates.max()
    return [
        y
        for y in range(first.year, last.year + 1)
        if first <= pd.Timestamp(y, 1, 7) and last >= pd.Timestamp(y, 12, 24)
    ]


def cost_year_table(results: Results) -> pd.DataFrame:
    """Gross and net cost per year, in total and per job-year, per scenario.

    Medians over runs: from the pooled summary (summary.csv's measures) and, for gross
    cost per job-year, which the summary does not hold, from the ``years`` table (each
    run's year cost divided by its job-years).

    Returns:
        A row per scenario, row of :data:`COST_YEAR_ROWS` and year: ``scenario``,
        ``row``, ``measure`` (the summary's; missing for gross per job-year), ``year``
        and ``value`` (EUR; NaN where there is none).
    """
    years = results.years.copy()
    years["cost_gross_per_job_year_eur"] = years["cost_gross_eur"] / years["job_years"].where(
        years["job_years"] > 0
    )
    gross_per_job = years.groupby(["scenario", "year"])["cost_gross_per_job_year_eur"].median()
    all_years = sorted(int(y) for y in years["year"].unique())
    rows = []
    for s in results.scenarios:
        for row, measure in COST_YEAR_ROWS:
            for y in all_years:
                if measure is None:
                    value = float(gross_per_job.get((s, y), float("nan")))
                else:
                    found = results.measure(measure, s, y)
                    value = float("nan") if found is None else float(found["q50"])
                rows.append(
                    {"scenario": s, "row": row, "measure": measure, "year": y, "value": value}
                )
    return pd.DataFrame(rows, columns=["scenario", "row", "measure", "year", "value"])


def run_costs(results: Results) -> pd.DataFrame:
    """Per run: totals of each cost item, gross, net and job-years (EUR, years)."""
    ts = results.timeseries
    items = [c for c in COST_ITEMS.values() if c in ts.columns]
    sums = ts.groupby(RUN_KEYS, sort=False)[
        [*items, "cost_gross_eur", "cost_net_eur", "employed"]
    ].sum()
    sums["job_years"] = sums.pop("employed") / WEEKS_PER_YEAR
    return sums.reset_index()


def items_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Each cost item, gross and net cost over the run, per scenario: mean over runs.

    Args:
        costs: :func:`run_costs`.

    Returns:
        A row per scenario and line (the items of :data:`COST_ITEMS`, then
        ``gross_total`` and ``net_total``): ``total`` (EUR over the run) and
        ``per_job_year`` (EUR; the mean over runs of each run's total per job-year).
        Savings and income (:data:`SAVINGS`) are negative.
    """
    items = {k: v for k, v in COST_ITEMS.items() if v in costs.columns}
    columns = [*items.values(), "cost_gross_eur", "cost_net_eur"]
    means = costs.groupby("scenario").mean(numeric_only=True)
    per_job = costs.assign(**{c: costs[c] / costs["job_years"] for c in columns})
    per_job_means = per_job.groupby("scenario").mean(numeric_only=True)
    lines = [(k, v, -1 if k in SAVINGS else 1) for k, v in items.items()]
    lines += [("gross_total", "cost_gross_eur", 1), ("net_total", "cost_net_eur", 1)]
    rows = [
        {
            "scenario": s,
            "line": key,
            "total": sign * float(means.loc[s, column]),
            "per_job_year": sign * float(per_job_means.loc[s, column]),
        }
        for s in means.index
        for key, column, sign in lines
    ]
    return pd.DataFrame(rows, columns=["scenario", "line", "total", "per_job_year"])


def cost_by_party(costs: pd.DataFrame) -> pd.DataFrame:
    """Each party's net position (cost +, saving or income -) from the cost items, EUR.

    The report's reading of FACTS.md (cost table of the 2022 letter and the remark of the
    first MKBA that the benefits do not land with the party that bears most costs): the
    municipality pays wages, employer cost, guidance, its coaches and (in the
    supplement design) the supplements, and receives the contributions and subsidies;
    the benefits no longer paid are saved on the bijstand budget (BUIG) that the
    national government gives municipalities; wijk organisations
    pay the contributions; subsidy providers pay the subsidies. The municipality's and
    the benefit budget's positions add up to the model's net cost.

    Args:
        costs: one row per run (or year) with the columns of :data:`COST_ITEMS`,
            ``cost_net_eur`` and ``job_years``, and any label columns.

    Returns:
        The label columns, one column per party of :data:`PARTIES`, ``net_model`` (the
        model's net cost) and ``job_years``.
    """
    # Items the runs did not record (results of older versions) count as zero.
    c = {k: costs[v] if v in costs.columns else 0.0 for k, v in COST_ITEMS.items()}
    labels = [k for k in RUN_KEYS if k in costs.columns]
    return pd.DataFrame(
        {
            **{k: costs[k] for k in labels},
            "municipality": c["wages"]
            + c["employer"]
            + c["guidance"]
            + c["coaches_cost"]
            + c["supplements"]
            - c["contributions"]
            - c["subsidies"],
            "national": -c["benefits_saved"],
            "wijk_organisations": c["contributions"],
            "subsidy_providers": c["subsidies"],
            "net_model": costs["cost_net_eur"],
            "job_years": costs["job_years"],
        }
    )


def comparison_table(results: Results) -> pd.DataFrame:
    """Per scenario: participants, outflow to regular work, and net cost per year and outflow.

    Returns:
        A row per scenario (index): ``started`` and ``regular_job`` (medians over runs
        at the end: everyone who started, and those who left for a regular job),
        ``per_year`` (the median over runs of the net cost per participant-year), with
        ``low`` and ``high`` (its 5th and 95th percentiles), and ``per_outflow`` (the
        median over runs of the net cost per outflow to a regular job; NaN where the
        median run has none).
    """
    costs = run_costs(results)
    ends = results.end_values(["started_cum", "exit_regular_job_cum"])
    runs = costs.merge(ends, on=[k for k in RUN_KEYS if k in costs and k in ends])
    per_year = runs["cost_net_eur"] / runs["job_years"].where(runs["job_years"] > 0)
    outflow = runs["exit_regular_job_cum"]
    per_outflow = runs["cost_net_eur"] / outflow.where(outflow > 0)
    table = runs.assign(per_year=per_year, per_outflow=per_outflow).groupby("scenario")
    return pd.DataFrame(
        {
            "started": table["started_cum"].median(),
            "regular_job": table["exit_regular_job_cum"].median(),
            "per_year": table["per_year"].median(),
            "low": table["per_year"].quantile(0.05),
            "high": table["per_year"].quantile(0.95),
            "per_outflow": table["per_outflow"].median(),
        }
    ).reindex(results.scenarios)


def payers_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Each party's position over the run, per scenario: mean over runs.

    Args:
        costs: :func:`run_costs`.

    Returns:
        A row per scenario and party (:data:`PARTIES`, then ``net_model``): ``total``
        (EUR over the run; cost +, saving or income -) and ``per_job_year`` (EUR).
    """
    payers = cost_by_party(costs)
    parties = [*PARTIES, "net_model"]
    means = payers.groupby("scenario").mean(numeric_only=True)
    per_job = payers.assign(**{p: payers[p] / payers["job_years"] for p in parties})
    per_job_means = per_job.groupby("scenario").mean(numeric_only=True)
    rows = [
        {
            "scenario": s,
            "party": p,
            "total": float(means.loc[s, p]),
            "per_job_year": float(per_job_means.loc[s, p]),
        }
        for s in means.index
        for p in parties
    ]
    return pd.DataFrame(rows, columns=["scenario", "party", "total", "per_job_year"])


def budgets(results: Results, override: float | None = None) -> dict[str, float]:
    """Scenario -> yearly net budget (EUR) where one is given.

    Args:
        results: the results (the experiment's ``budget_net_eur_per_year``, per scenario).
        override: one budget for every scenario, given on the command line.
    """
    if override is not None:
        return dict.fromkeys(results.scenarios, float(override))
    experiment = results.manifest["experiment"]
    base = experiment.get("base") or {}
    scenarios = experiment.get("scenarios") or {}
    found = {}
    for s in results.scenarios:
        value = {**base, **(scenarios.get(s) or {})}.get("budget_net_eur_per_year")
        if value is not None:
            found[s] = float(value)
    return found


def net_cost_per_year(results: Results) -> pd.DataFrame:
    """Net cost per year (median over runs), a row per year and a column per scenario."""
    net = results.years.pivot_table(
        index="year", columns="scenario", values="cost_net_eur", aggfunc="median"
    )
    return net[[s for s in results.scenarios if s in net.columns]]


def budget_table(results: Results, budget: Mapping[str, float]) -> pd.DataFrame:
    """Net cost per year against each scenario's budget.

    Args:
        results: the results.
        budget: scenario -> yearly net budget (EUR), for the scenarios that have one.

    Returns:
        A row per scenario with a budget and year: ``scenario``, ``year``, ``net``
        (median over runs), ``budget``, ``gap`` (net minus budget; negative: within).
    """
    net = net_cost_per_year(results)
    rows = [
        {
            "scenario": s,
            "year": int(y),
            "net": float(net.loc[y, s]),
            "budget": budget[s],
            "gap": float(net.loc[y, s]) - budget[s],
        }
        for s in results.scenarios
        if s in budget
        for y in net.index
    ]
    return pd.DataFrame(rows, columns=["scenario", "year", "net", "budget", "gap"])


def cost_per_year_figure(ctx: Context) -> FigureBlock | Missing:
    """The cost items per year, titled with each scenario's net cost in the last full year."""
    r = ctx.results
    w = ctx.words(WORDS)
    full = full_years(r)
    cost_year = full[-1] if full else int(r.end.year)
    year_findings = []
    for s in ctx.scenarios:
        net = r.measure("cost_net_eur", s, cost_year)
        year_findings.append(
            w["cost_year_finding"].format(
                scenario=s,
                net=format_millions(None if net is None else net["q50"], ctx.lang),
                year=cost_year,
            )
        )
    return ctx.figure(
        "cost_per_year",
        w["fig_cost_year_title"],
        year_findings,
        lambda: cost_per_year(r.timeseries, lang=ctx.lang),
        w["cap_cost_per_year"],
        [*REQUIRED_ITEMS, "cost_gross_eur", "cost_net_eur", "employed"],
    )


def payers_figure(ctx: Context, payers: pd.DataFrame | None = None) -> FigureBlock | Missing:
    """Who pays over the run, titled with the municipality's cost and the benefits saved.

    Args:
        ctx: the report's context.
        payers: :func:`payers_table`, when already computed.
    """
    r = ctx.results
    if not r.has(*REQUIRED_ITEMS):
        return ctx.missing(*REQUIRED_ITEMS)
    w = ctx.words(WORDS)
    labels = LABELS[ctx.lang]
    start, end = int(r.start.year), int(r.end.year)
    payers = payers_table(run_costs(r)) if payers is None else payers
    means = payers.set_index(["scenario", "party"])["total"]
    chart = pd.DataFrame(
        {s: [float(means[s, p]) / 1e6 for p in PARTIES] for s in ctx.scenarios},
        index=[labels.get(p, p) for p in PARTIES],
    )
    return ctx.figure(
        "cost_by_payer",
        w["fig_payers_title"].format(start=start, end=end),
        [
            w["payers_finding"].format(
                scenario=s,
                municipality=format_millions(float(means[s, "municipality"]), ctx.lang),
                national=format_millions(-float(means[s, "national"]), ctx.lang),
            )
            for s in ctx.scenarios
        ],
        lambda: cost_by_payer(
            chart,
            ctx.colours,
            title="",
            period=(start, end),
            lang=ctx.lang,
            number=lambda value: format_number(value, ctx.lang, 2),
        ),
        w["cap_cost_by_payer"],
    )


def section(ctx: Context) -> Markup:
    """Section 3 as HTML."""
    r = ctx.results
    w = ctx.words(WORDS)
    start, end = int(r.start.year), int(r.end.year)
    cum_findings = []
    for s in ctx.scenarios:
        cum = r.measure("cost_net_cum_eur", s, end)
        cum_findings.append(
            w["cost_cum_finding"].format(
                scenario=s,
                net=format_millions(None if cum is None else cum["q50"], ctx.lang),
                end=ctx.end_label,
            )
        )
    per_year = cost_per_year_figure(ctx)
    cumulative = ctx.figure(
        "cumulative_net_cost",
        w["fig_cost_cum_title"],
        cum_findings,
        lambda: cumulative_net_cost(r.timeseries, lang=ctx.lang),
        w["cap_cumulative_net_cost"],
        ["cost_net_eur"],
    )
    cost_years = cost_year_table(r)
    values: dict[str, object] = {
        "per_year": per_year,
        "cumulative": cumulative,
        "cost_rows": COST_YEAR_ROWS,
        "cost_years": sorted(cost_years["year"].unique()),
        "costs": cost_years.set_index(["scenario", "row", "year"]).to_dict("index"),
        "start": start,
        "end": end,
    }
    if r.has(*REQUIRED_ITEMS):
        costs = run_costs(r)
        payers = payers_table(costs)
        items = items_table(costs)
        values["items"] = items.set_index(["scenario", "line"]).to_dict("index")
        # Lines of items that cost something in some scenario (no supplements row in
        # the contract design), then the totals.
        shown = items[items["total"] != 0]["line"]
        values["lines"] = [
            *(k for k in COST_ITEMS if k in set(shown) or k != "supplements"),
            "gross_total",
            "net_total",
        ]
        values["payers"] = payers.set_index(["scenario", "party"]).to_dict("index")
        values["parties"] = PARTIES
        values["payers_figure"] = payers_figure(ctx, payers)
        if r.has("started_cum", "exit_regular_job_cum"):
            values.update(_comparison_part(ctx, w))
    else:
        values["items"] = ctx.missing(*REQUIRED_ITEMS)
    values.update(_budget_part(ctx, w))
    return ctx.render("costs.html.j2", w, LABELS, **values)


def _comparison_part(ctx: Context, w: Mapping[str, str]) -> dict[str, object]:
    """The net cost per participant-year and per outflow, beside other places."""
    table = comparison_table(ctx.results)
    comparators = COMPARATORS[ctx.lang]
    findings = [
        w["comparison_finding"].format(
            scenario=s,
            per_year=format_number(float(table.loc[s, "per_year"]), ctx.lang),
            outflow=format_jobs(float(table.loc[s, "regular_job"]), ctx.lang),
        )
        for s in ctx.scenarios
    ]
    figure = ctx.figure(
        "cost_against_other_places",
        w["fig_comparison_title"],
        findings,
        lambda: cost_against_other_places(
            table, ctx.colours, title="", comparators=comparators, lang=ctx.lang
        ),
        w["cap_comparison"],
    )
    return {"comparison": table.to_dict("index"), "comparison_figure": figure}


def _budget_part(ctx: Context, w: Mapping[str, str]) -> dict[str, object]:
    """The funding gap's figure and table, when a budget is given."""
    budget = budgets(ctx.results, ctx.budget)
    if not budget:
        return {"budget": None}
    table = budget_table(ctx.results, budget)
    findings = []
    for s in ctx.scenarios:
        if s not in budget:
            continue
        mine = table[table["scenario"] == s]
        over = [int(y) for y in mine[mine["gap"] > 0]["year"]]
        findings.append(
            w["budget_finding_over"].format(scenario=s, years=", ".join(map(str, over)))
            if over
            else w["budget_finding_within"].format(scenario=s)
        )
    net = net_cost_per_year(ctx.results)
    figure = ctx.figure(
        "net_cost_against_budget",
        w["fig_budget_title"],
        findings,
        lambda: net_cost_against_budget(
            net / 1e6,
            {s: b / 1e6 for s, b in budget.items()},
            ctx.colours,
            title="",
            lang=ctx.lang,
        ),
        w["cap_net_cost_against_budget"],
    )
    return {"budget": table.to_dict("records"), "budget_figure": figure}
