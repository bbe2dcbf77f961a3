"""The report's section "Which assumptions matter": a sensitivity analysis in words.

Reads ``sensitivity.csv`` and ``analysis.json`` (:mod:`sim.analysis`) and, per output,
ranks the parameters by their effect (Morris' μ*) or their share of the variance
(Sobol's total index), says what the leading ones do, and shows the figure of
:mod:`sim.figures.sensitivity`. :data:`PARAMETERS` and :data:`OUTPUTS` hold the words
for the parameters and the outputs in English and Dutch; the scenario-discovery
section (:mod:`sim.report.discovery`) and the figures use the same words.

Tables: :func:`ranked`, :func:`output_summary`; words: :data:`WORDS`; markup:
``templates/sensitivity.html.j2``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.report import formats

SHOWN = 10  # parameters per output in the table
LITTLE = 0.05  # an effect below this share of the largest counts as little

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "1. Which assumptions matter?",
        "intro_morris": (
            "Many of the model's numbers are assumptions, or figures known only within a "
            "margin. This analysis moves each of the {count} uncertain ones across its "
            "range (the Uncertainty column of the model description), one at a time, from "
            "{trajectories} random starting points (the method of Morris). Every point is run "
            "{times} with the same random numbers, so a difference between two "
            "points is the assumption's alone. The <em>effect</em> of an assumption is how much "
            "an answer changes, on average, when it moves across two thirds of its range; "
            "<em>σ</em> says how much that effect itself changes with the other assumptions. "
            "An assumption with a small effect can be left as it is; one with a large effect "
            "is worth pinning down."
        ),
        "intro_sobol": (
            "This analysis varies the {count} assumptions that mattered most in the "
            "screening, all at once, over {points} points (Saltelli's design of Sobol' "
            "indices), each run {times} with the same random numbers. For each "
            "answer it splits the spread over the sampled assumptions into shares: the share "
            "an assumption explains <em>alone</em> (first order) and <em>with its "
            "interactions</em> with the others (total). The intervals are 95% bootstrap "
            "intervals."
        ),
        "scenario_note": "All runs follow the scenario “{scenario}”: {description}",
        "spread": (
            "Over the sampled assumptions this answer (the mean of the replicates of each "
            "point) lies between {low} and {high} in 90% of the points (median {median})."
        ),
        "censored": (
            "In {share} of the runs {target} jobs were not filled by {until}: they count as "
            "one year later."
        ),
        "leading_morris": "Most decisive: {names}.",
        "leading_sobol": "Most of the spread comes from {names}.",
        "little": "Little effect (below 5% of the largest): {count} of the {total} assumptions.",
        "no_effect": "No assumption moves this answer: it is the same in every run.",
        "rank": "#",
        "assumption": "Assumption",
        "range": "Range",
        "effect": "Effect μ*",
        "direction": "A higher value: the answer is",
        "sigma": "σ",
        "first": "Alone (S1)",
        "total": "Total (ST)",
        "up_years": "later",
        "down_years": "earlier",
        "up_eur": "higher",
        "down_eur": "lower",
        "up_million": "higher",
        "down_million": "lower",
        "up_jobs": "more",
        "down_jobs": "fewer",
        "up_points": "more",
        "down_points": "less",
        "mixed": "either way",
        "table_note_morris": (
            "Effect: the mean absolute change of the answer when the assumption moves over "
            "two thirds of its range, with its 95% bootstrap interval. σ larger than the "
            "effect means it depends strongly on the other assumptions."
        ),
        "table_note_sobol": (
            "Shares of the variance of the answer, with 95% bootstrap intervals; the total "
            "includes interactions, so totals can add up to more than 1."
        ),
        "cap_morris": (
            "Each dot is an assumption: to the right, a larger effect; above the dashed line, "
            "an effect that depends on the other assumptions. The most important are named."
        ),
        "cap_sobol": (
            "Per assumption: the share of the spread it explains alone (blue) and with its "
            "interactions (orange), with 95% intervals."
        ),
        "years": "{value} years",
        "eur": "€{value}",
        "million": "€{value} million",
        "jobs": "{value} jobs",
        "points": "{value} pp",
    },
    "nl": {
        "heading": "1. Welke aannames doen ertoe?",
        "intro_morris": (
            "Veel getallen in het model zijn aannames, of cijfers die alleen binnen een marge "
            "bekend zijn. Deze analyse verschuift elk van de {count} onzekere getallen over "
            "zijn marge (de kolom Onzekerheid van de modelbeschrijving), één tegelijk, vanuit "
            "{trajectories} willekeurige beginpunten (de methode van Morris). Elk punt draait "
            "{times} met dezelfde toevalsgetallen, zodat een verschil tussen twee "
            "punten alleen aan de aanname ligt. Het <em>effect</em> van een aanname is hoeveel "
            "een uitkomst gemiddeld verandert als de aanname over twee derde van haar marge "
            "schuift; <em>σ</em> zegt hoeveel dat effect zelf verandert met de andere "
            "aannames. Een aanname met een klein effect kan blijven zoals ze is; een aanname "
            "met een groot effect is het waard om uit te zoeken."
        ),
        "intro_sobol": (
            "Deze analyse varieert de {count} aannames die in de verkenning het meest "
            "uitmaakten, alle tegelijk, over {points} punten (het ontwerp van Saltelli voor "
            "Sobol'-indices), elk {times} met dezelfde toevalsgetallen. Per uitkomst "
            "verdeelt ze de spreiding over de aannames: het deel dat een aanname "
            "<em>alleen</em> verklaart (eerste orde) en <em>samen met</em> de andere "
            "aannames (totaal). De intervallen zijn 95%-bootstrapintervallen."
        ),
        "scenario_note": "Alle runs volgen het scenario “{scenario}”: {description}",
        "spread": (
            "Over de onderzochte aannames ligt deze uitkomst (het gemiddelde van de herhalingen "
            "van elk punt) in 90% van de punten tussen {low} en {high} (mediaan {median})."
        ),
        "censored": (
            "In {share} van de runs waren {target} banen eind {until} niet gevuld: die tellen "
            "als een jaar later."
        ),
        "leading_morris": "Het meest beslissend: {names}.",
        "leading_sobol": "De meeste spreiding komt van {names}.",
        "little": (
            "Weinig effect (minder dan 5% van het grootste): {count} van de {total} aannames."
        ),
        "no_effect": "Geen aanname verandert deze uitkomst: ze is in elke run gelijk.",
        "rank": "#",
        "assumption": "Aanname",
        "range": "Marge",
        "effect": "Effect μ*",
        "direction": "Een hogere waarde: de uitkomst is",
        "sigma": "σ",
        "first": "Alleen (S1)",
        "total": "Totaal (ST)",
        "up_years": "later",
        "down_years": "eerder",
        "up_eur": "hoger",
        "down_eur": "lager",
        "up_million": "hoger",
        "down_million": "lager",
        "up_jobs": "meer",
        "down_jobs": "minder",
        "up_points": "meer",
        "down_points": "minder",
        "mixed": "wisselend",
        "table_note_morris": (
            "Effect: de gemiddelde absolute verandering van de uitkomst als de aanname over "
            "twee derde van haar marge schuift, met het 95%-bootstrapinterval. Een σ groter "
            "dan het effect betekent dat het sterk afhangt van de andere aannames."
        ),
        "table_note_sobol": (
            "Delen van de variantie van de uitkomst, met 95%-bootstrapintervallen; het totaal "
            "telt wisselwerkingen mee, dus de totalen kunnen samen meer dan 1 zijn."
        ),
        "cap_morris": (
            "Elk punt is een aanname: verder naar rechts, een groter effect; boven de "
            "stippellijn, een effect dat afhangt van de andere aannames. De belangrijkste "
            "hebben een naam."
        ),
        "cap_sobol": (
            "Per aanname: het deel van de spreiding dat ze alleen verklaart (blauw) en met "
            "wisselwerkingen (oranje), met 95%-intervallen."
        ),
        "years": "{value} jaar",
        "eur": "€ {value}",
        "million": "€ {value} miljoen",
        "jobs": "{value} banen",
        "points": "{value} procentpunt",
    },
}

# The outputs in words, with how their numbers are written (see _formatter).
OUTPUTS: dict[str, dict[str, str]] = {
    "en": {
        "year_250_reached": "When {target} jobs are filled",
        "reached_250_by_2026": "Whether {target} jobs are filled by the end of 2026",
        "net_cost_per_job_year": "Net cost per job-year",
        "cost_net_cum_2030": "Net cost to the municipality up to the end of 2030",
        "employed_2025_04": "Jobs filled on 1 April 2025",
        "binding_ceiling": "Weeks held back by the jobs funded",
        "binding_budget": "Weeks held back by the budget",
        "binding_tasks": "Weeks held back by a lack of tasks",
        "binding_coaches": "Weeks held back by the intake coaches",
        "binding_candidates": "Weeks held back by the flow of candidates",
    },
    "nl": {
        "year_250_reached": "Wanneer {target} banen gevuld zijn",
        "reached_250_by_2026": "Of {target} banen eind 2026 gevuld zijn",
        "net_cost_per_job_year": "Nettokosten per baanjaar",
        "cost_net_cum_2030": "Nettokosten voor de gemeente tot eind 2030",
        "employed_2025_04": "Gevulde banen op 1 april 2025",
        "binding_ceiling": "Weken geremd door de gefinancierde banen",
        "binding_budget": "Weken geremd door het budget",
        "binding_tasks": "Weken geremd door te weinig taken",
        "binding_coaches": "Weken geremd door de intakeconsulenten",
        "binding_candidates": "Weken geremd door de aanvoer van kandidaten",
    },
}
UNITS = {
    "year_250_reached": "years",
    "reached_250_by_2026": "points",
    "net_cost_per_job_year": "eur",
    "cost_net_cum_2030": "million",
    "employed_2025_04": "jobs",
    **{f"binding_{c}": "points" for c in ("ceiling", "budget", "tasks", "coaches", "candidates")},
}
AXIS_UNITS = {
    "en": {"years": "years", "eur": "EUR", "million": "EUR", "jobs": "jobs", "points": "share"},
    "nl": {"years": "jaar", "eur": "euro", "million": "euro", "jobs": "banen", "points": "deel"},
}

# The parameters in words: the uncertain ones and the levers.
PARAMETERS: dict[str, dict[str, str]] = {
    "en": {
        "share_couples": "couples among the households",
        "share_single_parents": "single parents among the households",
        "share_women": "women among the recipients",
        "share_age_under_27": "recipients under 27",
        "share_age_45_plus": "recipients aged 45 or over",
        "share_on_benefit_over_2_years": "on benefit over 2 years (2020)",
        "share_on_benefit_over_5_years": "on benefit over 5 years (2020)",
        "share_reintegration_route": "recipients in a re-integration route",
        "bijstand_outflow_short": "outflow from bijstand, first 3 years",
        "bijstand_outflow_long": "outflow from bijstand after 3 years",
        "inflow_households_per_year": "inflow into bijstand per year",
        "areas": "contrast between the wijken",
        "pension_margin_years": "margin before state pension age",
        "share_prospect_paid_work": "candidates with a prospect of paid work",
        "share_physical_limitations": "physical limitations too great",
        "share_volunteering": "candidates who volunteer",
        "keep_volunteering": "volunteers who keep volunteering",
        "share_debts": "recipients with problematic debts",
        "cannot_take_step": "cannot or dare not take the step",
        "cannot_factor_couples": "a harder step for couples",
        "cannot_factor_single_parents": "a harder step for single parents",
        "share_willing": "recipients who would like (more) work",
        "willing_onset_per_year": "recipients who come to want work, a year",
        "suitability_correlation": "promise goes with suitability",
        "referrals_per_coach_week": "referrals per coach a week",
        "referral_weight_women": "referral chance of women",
        "referral_weight_single_parents": "referral chance of single parents",
        "referral_weight_couples": "referral chance of couples",
        "referral_weight_age_45_plus": "referral chance of those aged 45+",
        "referral_weight_per_year_on_benefit": "referral chance per year on benefit",
        "referral_selectivity": "the most promising referred first",
        "initial_referrals": "candidates referred before the start",
        "referral_queue_max": "longest queue for intake",
        "partner_referral": "partner offered an intake too",
        "jobs_per_intake_coach": "jobs per intake coach",
        "coach_hiring_weeks": "weeks to hire intake coaches",
        "intake_slots_per_coach": "candidates per coach at once",
        "conversations_per_coach_week": "conversations per coach a week",
        "intake_conversations": "conversations per candidate",
        "weeks_between_conversations": "weeks between conversations",
        "expected_selection_share": "selection share coaches expect",
        "matching_weeks": "weeks from selection to start",
        "organisations_per_wijk": "organisations per wijk",
        "additional_work_hours": "additional work per organisation",
        "additional_work_spread": "spread of the additional work",
        "initial_tasks": "tasks at the start",
        "task_collection_delay_weeks": "weeks before tasks are collected",
        "free_task_buffer": "unused tasks at which collection pauses",
        "task_misfit_per_year": "tasks that stop fitting, a year",
        "share_starting_part_time": "starters with fewer hours",
        "share_asking_more_hours": "part-timers who ask for more hours",
        "hours_ramp_weeks": "weeks until full hours",
        "share_sickness_prone": "participants ever sick",
        "sickness_onset_per_week": "weekly chance of reporting sick",
        "sickness_spell_weeks": "length of a sickness spell",
        "guidance_hours_start": "guidance hours at the start",
        "guidance_decline_per_year": "yearly decline of guidance",
        "guidance_spread": "spread of guidance",
        "share_intensive_guidance": "participants with lasting intensive guidance",
        "exit_regular_job": "leaving for a regular job",
        "exit_sheltered_work": "leaving for sheltered work",
        "exit_self_employed": "leaving to be self-employed",
        "exit_quit": "quitting",
        "early_exit_factor": "leaving in the first three years",
        "mortality_at_50": "mortality at 50",
        "mortality_doubling_years": "years over which mortality doubles",
        "covid_factor": "pace during COVID-19",
        "implementation_pace": "jobs funded against the target",
        "supplement_step_factor": "a smaller step without a contract",
        "supplement_quit_factor": "quitting without a contract",
        "reintegration_outflow_factor": "outflow with re-integration guidance",
        "reintegration_placement_share": "placed at the end of the term",
        "reintegration_guidance_per_year": "extra re-integration guidance cost",
        "intake_coaches_follow_ceiling": "coaches grow with the jobs",
        "task_acquisition_per_week": "tasks collected a week",
        "task_collection_follows_ceiling": "task collection grows with the jobs",
        "tasks_per_week_per_100_jobs": "task collection per 100 jobs funded",
        "ceiling_growth_per_year": "jobs added a year",
        "job_ceiling_max": "the target",
        "budget_net_eur_per_year": "yearly net budget",
        "contributions_per_job_year": "contributions per job-year",
        "subsidies": "subsidies",
        "design": "design",
        "supplement_per_month": "supplement a month",
        "reintegration_max_years": "term of a re-integration job",
    },
    "nl": {
        "share_couples": "stellen onder de huishoudens",
        "share_single_parents": "alleenstaande ouders onder de huishoudens",
        "share_women": "vrouwen onder de ontvangers",
        "share_age_under_27": "ontvangers jonger dan 27",
        "share_age_45_plus": "ontvangers van 45 of ouder",
        "share_on_benefit_over_2_years": "langer dan 2 jaar in de bijstand (2020)",
        "share_on_benefit_over_5_years": "langer dan 5 jaar in de bijstand (2020)",
        "share_reintegration_route": "ontvangers in een re-integratietraject",
        "bijstand_outflow_short": "uitstroom uit de bijstand, eerste 3 jaar",
        "bijstand_outflow_long": "uitstroom uit de bijstand na 3 jaar",
        "inflow_households_per_year": "instroom in de bijstand per jaar",
        "areas": "verschil tussen de wijken",
        "pension_margin_years": "marge voor de AOW-leeftijd",
        "share_prospect_paid_work": "kandidaten met uitzicht op betaald werk",
        "share_physical_limitations": "te grote lichamelijke beperkingen",
        "share_volunteering": "kandidaten met vrijwilligerswerk",
        "keep_volunteering": "vrijwilligers die hun vrijwilligerswerk houden",
        "share_debts": "ontvangers met problematische schulden",
        "cannot_take_step": "kan of durft de stap niet te zetten",
        "cannot_factor_couples": "een zwaardere stap voor stellen",
        "cannot_factor_single_parents": "een zwaardere stap voor alleenstaande ouders",
        "share_willing": "ontvangers die (meer) willen werken",
        "willing_onset_per_year": "ontvangers die alsnog willen werken, per jaar",
        "suitability_correlation": "kansrijkheid hangt samen met geschiktheid",
        "referrals_per_coach_week": "aanmeldingen per consulent per week",
        "referral_weight_women": "kans op aanmelding van vrouwen",
        "referral_weight_single_parents": "kans op aanmelding van alleenstaande ouders",
        "referral_weight_couples": "kans op aanmelding van stellen",
        "referral_weight_age_45_plus": "kans op aanmelding van 45-plussers",
        "referral_weight_per_year_on_benefit": "kans op aanmelding per jaar in de bijstand",
        "referral_selectivity": "de kansrijksten eerst aangemeld",
        "initial_referrals": "aanmeldingen vóór de start",
        "referral_queue_max": "langste wachtrij voor de intake",
        "partner_referral": "partner krijgt ook een intake",
        "jobs_per_intake_coach": "banen per intakeconsulent",
        "coach_hiring_weeks": "weken om intakeconsulenten aan te nemen",
        "intake_slots_per_coach": "kandidaten per consulent tegelijk",
        "conversations_per_coach_week": "gesprekken per consulent per week",
        "intake_conversations": "gesprekken per kandidaat",
        "weeks_between_conversations": "weken tussen gesprekken",
        "expected_selection_share": "selectiekans die consulenten verwachten",
        "matching_weeks": "weken van selectie tot start",
        "organisations_per_wijk": "organisaties per wijk",
        "additional_work_hours": "extra werk per organisatie",
        "additional_work_spread": "spreiding van het extra werk",
        "initial_tasks": "taken bij de start",
        "task_collection_delay_weeks": "weken voordat taken worden opgehaald",
        "free_task_buffer": "ongebruikte taken waarbij het ophalen stopt",
        "task_misfit_per_year": "taken die niet meer passen, per jaar",
        "share_starting_part_time": "starters met minder uren",
        "share_asking_more_hours": "deeltijders die om meer uren vragen",
        "hours_ramp_weeks": "weken tot volledige uren",
        "share_sickness_prone": "deelnemers die ooit ziek zijn",
        "sickness_onset_per_week": "wekelijkse kans op een ziekmelding",
        "sickness_spell_weeks": "duur van een ziekteperiode",
        "guidance_hours_start": "begeleidingsuren bij de start",
        "guidance_decline_per_year": "jaarlijkse afname van de begeleiding",
        "guidance_spread": "spreiding van de begeleiding",
        "share_intensive_guidance": "deelnemers met blijvend intensieve begeleiding",
        "exit_regular_job": "uitstroom naar regulier werk",
        "exit_sheltered_work": "uitstroom naar beschut werk",
        "exit_self_employed": "uitstroom naar werk als zelfstandige",
        "exit_quit": "stoppen",
        "early_exit_factor": "uitstroom in de eerste drie jaar",
        "mortality_at_50": "sterfte op 50-jarige leeftijd",
        "mortality_doubling_years": "jaren waarin de sterfte verdubbelt",
        "covid_factor": "tempo tijdens COVID-19",
        "implementation_pace": "gefinancierde banen ten opzichte van het doel",
        "supplement_step_factor": "een kleinere stap zonder contract",
        "supplement_quit_factor": "stoppen zonder contract",
        "reintegration_outflow_factor": "uitstroom met re-integratiebegeleiding",
        "reintegration_placement_share": "geplaatst aan het eind van de termijn",
        "reintegration_guidance_per_year": "extra kosten re-integratiebegeleiding",
        "intake_coaches_follow_ceiling": "consulenten groeien mee met de banen",
        "task_acquisition_per_week": "opgehaalde taken per week",
        "task_collection_follows_ceiling": "het ophalen van taken groeit mee",
        "tasks_per_week_per_100_jobs": "opgehaalde taken per 100 gefinancierde banen",
        "ceiling_growth_per_year": "banen erbij per jaar",
        "job_ceiling_max": "het doel",
        "budget_net_eur_per_year": "jaarlijks nettobudget",
        "contributions_per_job_year": "bijdragen per baanjaar",
        "subsidies": "subsidies",
        "design": "vorm",
        "supplement_per_month": "toeslag per maand",
        "reintegration_max_years": "termijn van een re-integratiebaan",
    },
}


def output_words(lang: str, target: int) -> dict[str, str]:
    """The outputs in words, with the programme's target filled in."""
    return {name: text.replace("{target}", str(target)) for name, text in OUTPUTS[lang].items()}


def _formatter(output: str, lang: str, words: dict[str, str]) -> Callable[[float], str]:
    """How the numbers of an output (and of its effects) are written."""
    unit = UNITS.get(output, "jobs")

    def write(value: float) -> str:
        if unit == "years":
            text = formats.format_number(value, lang, 2)
        elif unit == "eur":
            text = formats.format_number(value, lang, 0)
        elif unit == "million":
            text = formats.format_number(value / 1e6, lang, 2)
        elif unit == "points":
            text = formats.format_number(100 * value, lang, 1)
        else:
            text = formats.format_number(value, lang, 1)
        return words[unit].format(value=text)

    return write


def _level(output: str, lang: str, words: dict[str, str]) -> Callable[[float], str]:
    """How a value of an output itself is written (a year as a decimal year, a share in %)."""
    unit = UNITS.get(output, "jobs")
    if unit == "years":
        return lambda value: month_of(value, lang)
    if unit == "points":
        return lambda value: formats.format_share(value, lang)
    return _formatter(output, lang, words)


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}


def month_of(decimal_year: float, lang: str) -> str:
    """A decimal year as its month and year ("Nov 2026"), as a policy maker reads a date."""
    year = int(decimal_year)
    month = min(int((decimal_year - year) * 12), 11)
    return f"{MONTHS[lang][month]} {year}"


def range_text(low: float, high: float, lang: str) -> str:
    """An uncertainty range as the report writes it (3 significant digits)."""
    return f"{_short(low, lang)}–{_short(high, lang)}"


def _short(value: float, lang: str) -> str:
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:,.0f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


@dataclass(frozen=True)
class OutputBlock:
    """One output's part of the section: its finding, figure and table."""

    output: str
    title: str
    spread: str
    censored: str | None
    leading: str
    little: str
    rows: list[dict[str, Any]]
    figure: Any


def ranked(frame: pd.DataFrame, output: str) -> pd.DataFrame:
    """One output's parameters, the most important first (μ*, or the total index)."""
    rows = frame[frame["output"] == output]
    if "other" in rows:
        rows = rows[rows["other"].isna()]
    key = "mu_star" if (rows["method"] == "morris").all() else "ST"
    return rows.sort_values(key, ascending=False, kind="stable").reset_index(drop=True)


def output_summary(
    frame: pd.DataFrame,
    output: str,
    analysis: dict[str, Any],
    lang: str,
) -> dict[str, Any]:
    """The numbers behind one output's finding: the leading parameters and the rest.

    Returns:
        ``leading`` (up to three parameter names that together carry most of the
        effect), ``little`` (how many have an effect below 5% of the largest),
        ``total`` and ``rows`` (the :data:`SHOWN` largest, with their words and numbers).
    """
    method = analysis["method"]
    rows = ranked(frame, output)
    key = "mu_star" if method == "morris" else "ST"
    largest = float(rows[key].max()) if len(rows) else 0.0
    words = WORDS[lang]
    names = PARAMETERS[lang]
    write = _formatter(output, lang, words)
    parameters = analysis["parameters"]
    table = []
    for position, row in enumerate(rows.head(SHOWN).itertuples(), start=1):
        entry: dict[str, Any] = {
            "rank": position,
            "name": row.parameter,
            "words": names.get(row.parameter, row.parameter),
            "range": range_text(parameters[row.parameter][0], parameters[row.parameter][1], lang),
        }
        if method == "morris":
            # The sign of the mean effect, when nearly every effect has that sign.
            direction = "mixed"
            unit = UNITS.get(output, "jobs")
            if row.mu >= 0.8 * row.mu_star and row.mu_star > 0:
                direction = f"up_{unit}"
            elif row.mu <= -0.8 * row.mu_star and row.mu_star > 0:
                direction = f"down_{unit}"
            entry.update(
                effect=write(row.mu_star),
                interval=write(row.mu_star_conf),
                sigma=write(row.sigma),
                direction=words[direction],
                value=float(row.mu_star),
            )
        else:
            entry.update(
                first=formats.format_number(row.S1, lang, 2),
                first_interval=formats.format_number(row.S1_conf, lang, 2),
                total=formats.format_number(row.ST, lang, 2),
                total_interval=formats.format_number(row.ST_conf, lang, 2),
                value=float(row.ST),
            )
        table.append(entry)
    leading = _leading(rows[key].to_numpy(dtype=float), list(rows["parameter"])) if largest else []
    return {
        "leading": leading,
        "little": int((rows[key] < LITTLE * largest).sum()) if largest else len(rows),
        "total": len(rows),
        "rows": table,
        "largest": largest,
    }


def _leading(values: Any, names: list[str]) -> list[str]:
    """The first one to three parameters, stopping where the next falls below half the first."""
    chosen = [names[0]]
    for value, name in zip(values[1:3], names[1:3], strict=False):
        if value < 0.5 * values[0]:
            break
        chosen.append(name)
    return chosen


def join_names(names: list[str], lang: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` (en) or ``a, b en c`` (nl)."""
    last = " and " if lang == "en" else " en "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + last + names[-1]
