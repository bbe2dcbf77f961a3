"""The words of every figure, in English and in Dutch, in one place.

Each figure function takes ``lang`` and draws its axis labels, legends, titles and
finding sentences from :func:`labels` directly: nothing is translated after drawing.
Values with ``{name}`` fields are ``str.format`` templates; both languages must have
the same keys and the same fields (a test checks). The Dutch uses the programme's own
words (basisbaan, wijk, instroom, uitstroom), as the report does.

Numbers inside figures keep one format in both languages (a decimal point, ``%`` after
the number), as they always have; only words and month names change.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

LANGUAGES = ("en", "nl")

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # --- shared --------------------------------------------------------------------
        "date": "date",
        "observed": "observed (FACTS.md)",
        "band_90": "90% of runs",
        "band_50": "50% of runs",
        # --- jobs filled over time -----------------------------------------------------
        "employed_axis": "participants in a basisbaan (jobs filled)",
        "job_ceiling": "jobs funded",
        "ceiling_of": "funded: {scenario}",
        "job_target": "council's target",
        "target_of": "target: {scenario}",
        "observed_starters": "observed starters, Jun 2020 (FACTS.md)",
        "reach_never": "{target} jobs not reached by {end} (median {median})",
        "reach_few": "{target} jobs reached by {end} in only {share} of runs",
        "reach_p90": "90% of runs by {year}",
        "reach_share": "{share} of runs by {end}",
        "reach_filled": "{target} jobs filled in {year} in the median run ({tail})",
        # --- intake funnel -----------------------------------------------------------------
        "referred_cum": "referred",
        "spoken_cum": "spoken to",
        "rejected_paid_work_cum": "rejected: prospect of paid work",
        "rejected_health_cum": "rejected: physical limitations",
        "rejected_volunteering_cum": "rejected: keeps volunteering",
        "rejected_other_cum": "rejected: other reasons",
        "started_cum": "started",
        "employed": "still employed",
        "stage_observed": "{stage}\n(observed {count})",
        "funnel_axis": "people by {day} (median of {runs} runs per scenario)",
        "funnel_heading": (
            "Of the candidates spoken to by {day}, started (FACTS.md, Jan 2022: about 1 in 3)"
        ),
        "nobody_spoken": "{scenario}: nobody spoken to",
        # --- costs ---------------------------------------------------------------------------
        "cost_wages_eur": "wages",
        "cost_employer_eur": "employer cost (Thermiek BV)",
        "cost_guidance_eur": "guiding organisations",
        "cost_coaches_eur": "municipal coaches",
        "supplements_eur": "supplements",
        "contributions_eur": "contributions of work providers",
        "benefits_saved_eur": "benefits no longer paid",
        "subsidies_eur": "subsidies",
        "gross_cost": "gross cost",
        "net_cost": "net cost",
        "cost_axis": "million EUR per year\n(costs above zero, savings below)",
        "cost_finding": (
            "{scenario}: net cost €{net} million in {year}{per_job} "
            "(FACTS.md 2022: €{facts}k per job)"
        ),
        "cost_per_job": ", €{value}k per filled job",
        "years_note": "Years: * part year, + 53 weekly rows.",
        "net_cum_axis": "cumulative net cost (million EUR)",
        "net_cum_heading": "Net cost to the municipality by {day}",
        "net_cum_finding": "{scenario}: €{median} million (90% of runs €{low}–{high} million)",
        # --- binding constraints ---------------------------------------------------------
        "constraint_ceiling": "jobs funded",
        "constraint_budget": "budget",
        "constraint_tasks": "no fitting tasks",
        "constraint_coaches": "intake coaches",
        "constraint_candidates": "candidates (none ready)",
        "shares_axis": "share of all weeks (%)",
        "all_weeks": "all weeks",
        "weeks_axis": "% of weeks",
        "calendar_year": "calendar year",
        "binding_heading": "What held new starts back",
        "binding_finding": "{scenario}: {constraint} most often ({share} of weeks)",
        "binding_then": ", then {constraint} ({share})",
        # --- map of the areas ------------------------------------------------------------
        "wijk_colourbar": "participants working in the area (median of runs)",
        "wijk_tile_observed": "obs. {count}",
        "wijk_against_observed": (
            "{scenario}\n{total} in total (observed {observed}); {close} of {areas} areas within ±2"
        ),
        "wijk_most": "{scenario}\n{total} in total, most in {wijk} ({count})",
        "wijk_heading": "Participants by area on {day} (median of {runs} runs{source})",
        "wijk_source": "; observed counts of 1 Jan 2022 from FACTS.md",
        # --- figures of summarised tables (the report's) ---------------------------------
        "p250_axis": "by 31 December of year",
        "p250_share_axis": "runs with the target filled (%)",
        "per_participant_year_axis": (
            "net cost per participant-year (EUR; bars: median, 90% of runs)"
        ),
        "other_places": "other places (FACTS.md; measured elsewhere and otherwise)",
        "payers_axis": "€ million over {start}–{end} (cost +, saving −)",
        "composition_axis": "share of the group (%)",
        "eligible_bars": "eligible (everyone who could take part)",
        "budget_axis": "€ million per year",
        "budget_line": "budget {scenario}",
        # --- calibration -----------------------------------------------------------------
        "ppc_axis": "value (count or share)",
        "ppc_observed": "observed",
        "ppc_interval": "90% predictive interval",
        "posterior": "posterior",
        "prior": "prior",
        "registry_default": "registry default",
        "marginals_heading": (
            "Posterior marginals ({name}; {particles} particles, weighted); x-axis spans the prior"
        ),
        "ppc_heading": (
            "Posterior predictive: 50% (thick) and 90% (thin) intervals, median (white); "
            "observed (diamond, red if outside 90%)"
        ),
        "ppc_wijk_axis": "participants living in the wijk, 1 Jan 2022 (observed total {total})",
        "ppc_wijk_heading": (
            "Participants by wijk: 50% / 90% predictive intervals, observed (diamond)\n"
            "checked, not fitted (the wijk weights are not calibrated)"
        ),
        "ppc_band_90": "90%",
        "ppc_band_50": "50%",
        "ppc_median": "median",
        "ppc_series_heading": "{column}: posterior predictive",
        "generation": "generation",
        "epsilon_axis": "epsilon (distance threshold)",
        "acceptance_axis": "acceptance rate",
        "progress_heading": "ABC-SMC progress: {simulations} simulations",
    },
    "nl": {
        "date": "datum",
        "observed": "gemeld (FACTS.md)",
        "band_90": "90% van de runs",
        "band_50": "50% van de runs",
        "employed_axis": "deelnemers in een basisbaan (ingevulde banen)",
        "job_ceiling": "gefinancierde banen",
        "ceiling_of": "gefinancierd: {scenario}",
        "job_target": "doel van de raad",
        "target_of": "doel: {scenario}",
        "observed_starters": "gemelde starters, jun 2020 (FACTS.md)",
        "reach_never": "{target} banen niet gehaald tot en met {end} (mediaan {median})",
        "reach_few": "{target} banen tot en met {end} in slechts {share} van de runs gehaald",
        "reach_p90": "90% van de runs uiterlijk in {year}",
        "reach_share": "{share} van de runs tot en met {end}",
        "reach_filled": "{target} banen ingevuld in {year} in de mediane run ({tail})",
        "referred_cum": "aangemeld",
        "spoken_cum": "gesproken",
        "rejected_paid_work_cum": "afgevallen: perspectief op betaald werk",
        "rejected_health_cum": "afgevallen: fysieke beperkingen",
        "rejected_volunteering_cum": "afgevallen: houdt vrijwilligerswerk",
        "rejected_other_cum": "afgevallen: andere redenen",
        "started_cum": "gestart",
        "employed": "nog in dienst",
        "stage_observed": "{stage}\n(gemeld {count})",
        "funnel_axis": "mensen op {day} (mediaan van {runs} runs per scenario)",
        "funnel_heading": (
            "Van de kandidaten gesproken tot {day} gestart (FACTS.md, jan 2022: ongeveer 1 op 3)"
        ),
        "nobody_spoken": "{scenario}: niemand gesproken",
        "cost_wages_eur": "loonkosten",
        "cost_employer_eur": "werkgeverskosten (Thermiek BV)",
        "cost_guidance_eur": "begeleidende organisaties",
        "cost_coaches_eur": "gemeentelijke coaches",
        "supplements_eur": "toeslagen",
        "contributions_eur": "bijdragen van werkgevende partijen",
        "benefits_saved_eur": "niet meer betaalde uitkeringen",
        "subsidies_eur": "subsidies",
        "gross_cost": "brutokosten",
        "net_cost": "nettokosten",
        "cost_axis": "miljoen euro per jaar\n(kosten boven, besparingen onder nul)",
        "cost_finding": (
            "{scenario}: nettokosten €{net} miljoen in {year}{per_job} "
            "(FACTS.md 2022: €{facts}k per baan)"
        ),
        "cost_per_job": ", €{value}k per ingevulde baan",
        "years_note": "Jaren: * deel van een jaar, + 53 weekrijen.",
        "net_cum_axis": "opgetelde nettokosten (miljoen euro)",
        "net_cum_heading": "Nettokosten voor de gemeente tot {day}",
        "net_cum_finding": (
            "{scenario}: €{median} miljoen (90% van de runs €{low}–{high} miljoen)"
        ),
        "constraint_ceiling": "gefinancierde banen",
        "constraint_budget": "budget",
        "constraint_tasks": "geen passende taken",
        "constraint_coaches": "intakecoaches",
        "constraint_candidates": "kandidaten (niemand klaar)",
        "shares_axis": "aandeel van alle weken (%)",
        "all_weeks": "alle weken",
        "weeks_axis": "% van de weken",
        "calendar_year": "kalenderjaar",
        "binding_heading": "Wat hield nieuwe starters tegen",
        "binding_finding": "{scenario}: vaakst {constraint} ({share} van de weken)",
        "binding_then": ", daarna {constraint} ({share})",
        "wijk_colourbar": "deelnemers die in het gebied werken (mediaan van de runs)",
        "wijk_tile_observed": "gem. {count}",
        "wijk_against_observed": (
            "{scenario}\n{total} in totaal (gemeld {observed}); {close} van de {areas} "
            "gebieden binnen ±2"
        ),
        "wijk_most": "{scenario}\n{total} in totaal, de meeste in {wijk} ({count})",
        "wijk_heading": "Deelnemers per gebied op {day} (mediaan van {runs} runs{source})",
        "wijk_source": "; gemelde aantallen van 1 jan 2022 uit FACTS.md",
        "p250_axis": "op 31 december van het jaar",
        "p250_share_axis": "runs met het doel ingevuld (%)",
        "per_participant_year_axis": (
            "nettokosten per deelnemersjaar (EUR; balken: mediaan, 90% van de runs)"
        ),
        "other_places": "andere plaatsen (FACTS.md; elders en anders gemeten)",
        "payers_axis": "€ miljoen over {start}–{end} (kosten +, besparing −)",
        "composition_axis": "aandeel van de groep (%)",
        "eligible_bars": "doelgroep (iedereen die mee kon doen)",
        "budget_axis": "€ miljoen per jaar",
        "budget_line": "budget {scenario}",
        "ppc_axis": "waarde (aantal of aandeel)",
        "ppc_observed": "waargenomen",
        "ppc_interval": "90%-voorspelinterval",
        "posterior": "posterior",
        "prior": "prior",
        "registry_default": "standaardwaarde van het register",
        "marginals_heading": (
            "Marginale posteriors ({name}; {particles} deeltjes, gewogen); de x-as beslaat de prior"
        ),
        "ppc_heading": (
            "Posterior-voorspelling: 50%- (dik) en 90%-interval (dun), mediaan (wit); "
            "waargenomen (ruit, rood als buiten 90%)"
        ),
        "ppc_wijk_axis": "deelnemers die in de wijk wonen, 1 jan 2022 (gemeld totaal {total})",
        "ppc_wijk_heading": (
            "Deelnemers per wijk: 50%- en 90%-voorspelintervallen, waargenomen (ruit)\n"
            "gecontroleerd, niet gefit (de wijkgewichten zijn niet gekalibreerd)"
        ),
        "ppc_band_90": "90%",
        "ppc_band_50": "50%",
        "ppc_median": "mediaan",
        "ppc_series_heading": "{column}: posterior-voorspelling",
        "generation": "generatie",
        "epsilon_axis": "epsilon (afstandsdrempel)",
        "acceptance_axis": "acceptatiegraad",
        "progress_heading": "Voortgang ABC-SMC: {simulations} simulaties",
    },
}


@dataclass(frozen=True)
class Labels:
    """The words of the figures in one language."""

    lang: str
    words: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def get(self, key: str, default: str) -> str:
        """A word, or ``default`` when there is none (a name the figures do not know)."""
        return self.words.get(key, default)

    def fill(self, key: str, **values: object) -> str:
        """A template of this language filled with values."""
        return self.words[key].format(**values)

    def day(self, date: dt.date | pd.Timestamp) -> str:
        """A date as '1 Jan 2022' (English) or '1 jan 2022' (Dutch)."""
        return f"{date.day} {MONTHS[self.lang][date.month - 1]} {date.year}"


def labels(lang: str) -> Labels:
    """The figures' words in one language.

    Args:
        lang: ``"en"`` or ``"nl"``.

    Raises:
        ValueError: for an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown figure language '{lang}'; choose one of {', '.join(LANGUAGES)}")
    return Labels(lang, LABELS[lang])


def fields(template: str) -> set[str]:
    """The placeholder names of a format template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
