"""The words of the report, in English and in Dutch, in one place.

:data:`TEXT` maps a language code to a dict of strings; :func:`texts` returns one
language's dict and checks that both languages have the same keys with the same
placeholders, so a missing translation fails loudly instead of showing a key. The
Dutch uses the programme's own words (basisbaan, wijk, begeleiding, instroom,
uitstroom). Names from the data (constraints, rejection reasons, cost items, groups
in the composition table, parties) are translated through :data:`LABELS`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

LANGUAGES = ("en", "nl")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        # --- page -----------------------------------------------------------------------
        "page_title": "Basisbaan simulation: {name}",
        "heading": "The Groningen basisbaan: simulation report",
        "subtitle": "Experiment “{name}”, {runs} runs, up to {until}. Made on {made}.",
        "forecast_subtitle": "Forecast “{name}”, {runs} runs, up to {until}. Made on {made}.",
        "intro": (
            "The basisbaan gives people who have long been on social assistance (bijstand) a "
            "paid job at minimum wage with a contract, doing work in the wijken of Groningen. "
            "This report shows what a simulation of the programme says about its growth from "
            "about 50 jobs to 250, under each scenario side by side."
        ),
        "contents": "Contents",
        "scenarios_heading": "Scenarios",
        "scenario": "Scenario",
        "description": "Description",
        "overrides": "Changes to the base settings",
        "no_overrides": "none (the base settings)",
        "key_findings": "Key findings",
        "finding": (
            "{reach}; net cost €{per_job} per job-year over the run; growth most often held "
            "back by {constraint}."
        ),
        "jan1": "1 January {year}",
        "intervals_note": (
            "Numbers are medians over runs; intervals in brackets run from the 5th to the "
            "95th percentile (90% of runs fall inside)."
        ),
        "footer": "Made by basisbaan {version} (revision {revision}).",
        # --- figure captions: how to read each figure ----------------------------------
        "cap_employed_fan": (
            "Lines: median of the runs; bands: 50% and 90% of runs; dashed: the jobs "
            "ceiling; black markers: counts the municipality reported (FACTS.md)."
        ),
        "cap_reach_probability": (
            "Share of runs in which 250 jobs are filled by 31 December of each year."
        ),
        "cap_intake_funnel": (
            "Median of the runs at the end of the run; paler bars: candidates who dropped "
            "out during the intake conversations, by reason."
        ),
        "cap_binding_constraints": (
            "Left: share of all weeks in which each constraint held starts back; right: the "
            "same per calendar year."
        ),
        "cap_cost_per_year": (
            "Median per year of each cost item (above zero) and of savings and income (below "
            "zero), with gross and net cost, in million euros."
        ),
        "cap_cumulative_net_cost": (
            "Net cost added up since 1 March 2020: median and 90% of runs, in million euros."
        ),
        "cap_cost_by_payer": (
            "Mean over runs of each party's total over the run: costs positive, savings and "
            "income negative. See the assumption below the table."
        ),
        "cap_net_cost_against_budget": (
            "Bars: net cost per year (median of runs); dashed lines: each scenario's yearly "
            "net budget."
        ),
        "cap_composition": (
            "Grey: share among everyone eligible; coloured: share among participants (mean "
            "of runs, with the 90% interval over runs)."
        ),
        "cap_wijk_map": (
            "Schematic map of the 14 areas, north up: median number of participants working "
            "in each area at the end of the run."
        ),
        "cap_calibration_fit": (
            "Per target: 90% predictive interval (thin line), 50% (thick), median (open dot) "
            "and the observed value (black diamond); red: observed outside the 90% interval."
        ),
        # --- section 1 ------------------------------------------------------------------
        "s1": "1. When do we reach 250 jobs?",
        "s1_intro": (
            "Jobs filled over time, as a band over the runs (the darker band holds half of "
            "the runs, the lighter band 90%), with the counts the municipality reported."
        ),
        "reach_in": "250 jobs reached in {year} (90% interval {low}–{high})",
        "reach_in_exact": "250 jobs reached in {year} in at least 90% of runs",
        "reach_median_only": (
            "250 jobs reached in {year} (median); {share} of runs reach it by {end}"
        ),
        "reach_some": "250 jobs reached by {end} in only {share} of runs",
        "reach_none": "250 jobs not reached by {end} in any run",
        "fig_employed_title": "Jobs filled over time",
        "fig_p250_title": "Chance that 250 jobs are filled by the end of each year",
        "p250_finding": "{scenario}: {share} by the end of {year}",
        "p250_source_forecast": "From the forecast's p250.csv.",
        "p250_source_runs": "From summary.csv (measure reached_250_by_year).",
        "headline": "Jobs on 1 January of each year",
        "headline_note": (
            "Median number of people in a basisbaan on 1 January, with the 90% interval "
            "over runs below it; the last rows give the year 250 jobs are reached and the "
            "share of runs that reach it within the horizon. Same numbers as summary.csv."
        ),
        "col_year_250": "250 reached (year)",
        "col_share_250": "runs reaching 250 by {end}",
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
        # --- section 2 ------------------------------------------------------------------
        "s2": "2. What limits growth?",
        "s2_intro": (
            "Every week the model records which constraint held new starts back: too few "
            "candidates, too few intake coaches, too few tasks in the wijken, the jobs "
            "ceiling or the budget. The one that holds most often is the lever to pull."
        ),
        "fig_funnel_title": "Instroom: how many of those spoken to start",
        "funnel_finding": "{scenario}: {started} of {spoken} spoken to started ({share})",
        "fig_binding_title": "What held new starts back",
        "binding_finding": "{scenario}: mostly {constraint} ({share} of weeks)",
        "funnel_table": "Instroom at the end of the run ({end})",
        "funnel_note": (
            "Median over runs. Eligible: people on bijstand who meet the criteria and have "
            "not been referred (at the end). Rejected: dropped out during the intake "
            "conversations, by reason."
        ),
        "stage": "Stage",
        "stage_eligible": "eligible, not referred",
        "stage_referred": "referred",
        "stage_spoken": "spoken to (intake conversations)",
        "stage_rejected": "rejected: {reason}",
        "stage_started": "started a basisbaan",
        "stage_exited": "uitstroom (left again)",
        "stage_employed": "in a basisbaan at the end",
        "binding_table": "Share of weeks each constraint held starts back",
        "binding_note": (
            "Whole run: from summary.csv (mean over runs). Last year: the year up to the "
            "end of the run, where the lever matters now. When several constraints hold in "
            "the same week the model records the first of: ceiling, budget, tasks, coaches, "
            "candidates. Selected candidates who wait for tasks count against the ceiling, "
            "so a shortage of tasks can show as the ceiling."
        ),
        "tasks_hidden": (
            "Note: in {year} on average {waiting} selected candidates waited for tasks, "
            "taking places under the ceiling: tasks held growth back more than the record "
            "shows — collect more tasks in the wijken."
        ),
        "whole_run": "whole run",
        "last_year": "last year",
        "lever": "Lever",
        "lever_advice": "{scenario}: in the last year mostly {constraint} — {lever}.",
        "lever_full": (
            "{scenario}: with {jobs} of {ceiling} jobs filled the programme is at its target "
            "size; the ceiling holds by design, there is no lever to pull."
        ),
        # --- section 3 ------------------------------------------------------------------
        "s3": "3. What does it cost, and who pays?",
        "s3_intro": (
            "Costs follow the cost table of the 2022 council letter (per job-year: wages "
            "€27,387 at 32 hours, employer cost ~€600, guiding organisations €4,000 in the "
            "first year and €3,000 after, municipal coaches €1,500; benefits no longer paid "
            "€14,000), in 2022 euros. Gross cost is wages, employer cost, begeleiding and "
            "coaches less contributions; net cost also subtracts benefits no longer paid and "
            "subsidies."
        ),
        "fig_cost_year_title": "Cost per year",
        "cost_year_finding": "{scenario}: net €{net} million in {year}",
        "fig_cost_cum_title": "Net cost added up since the start",
        "cost_cum_finding": "{scenario}: €{net} million by {end}",
        "cost_table": "Gross and net cost per year",
        "cost_table_note": (
            "Medians over runs (summary.csv). Per job-year: the year's cost divided by the "
            "jobs filled on average that year."
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
        "payers_table": "Who bears the cost and who gains, {start}–{end}",
        "payers_note": (
            "Mean over runs: the total over the whole run in € million, and below it per "
            "job-year in €. Positive: a cost to that party; negative: a saving or income. The "
            "net cost of the model is the municipality's share plus the national benefit "
            "budget's."
        ),
        "party": "Party",
        "fig_payers_title": "Who pays, {start}–{end}",
        "payers_finding": (
            "{scenario}: the municipality pays €{municipality} million; the national benefit "
            "budget saves €{national} million"
        ),
        "payers_assumption": (
            "Assumption (the report's reading of FACTS.md): the municipality bears wages, "
            "employer cost (Thermiek BV), begeleiding by the guiding organisations and its "
            "own coaches, and receives the contributions and subsidies. Benefits no longer "
            "paid are bijstand benefits, which municipalities pay from the national BUIG "
            "budget: this report books that saving with the national benefit budget. The "
            "2022 letter counts it as the municipality's own saving (net cost to the "
            "municipality €19,000 per job); a municipality keeps part of a BUIG surplus, so "
            "the truth lies between the two readings. This follows the remark of the first "
            "social cost-benefit analysis (MKBA) that the benefits do not land with the party "
            "that bears most of the costs. Wijk organisations get the work and contribute "
            "nothing so far (none collected by 2022); the value of the work to the wijken is "
            "not in these numbers."
        ),
        "budget_heading": "Funding gap against the budget",
        "budget_note": (
            "Net cost per year (median over runs) against the yearly net budget set in the "
            "experiment (budget_net_eur_per_year). Gap: net cost above the budget."
        ),
        "no_budget": (
            "No budget line was given (budget_net_eur_per_year is not set in any scenario), "
            "so there is no funding gap to show."
        ),
        "fig_budget_title": "Net cost against the budget",
        "budget_finding_over": "{scenario}: above the budget in {years}",
        "budget_finding_within": "{scenario}: within the budget every year",
        "budget": "budget (€ million)",
        "gap": "gap (€ million)",
        "year": "Year",
        # --- section 4 ------------------------------------------------------------------
        "s4": "4. Who takes part, and where?",
        "s4_intro": (
            "Who started a basisbaan, against everyone who was eligible at some time, and "
            "where participants work: in the 14 wijken and villages of the municipality."
        ),
        "fig_composition_title": "Who takes part, against who could",
        "composition_finding": (
            "{group}: {participants} of participants against {eligible} of eligible ({scenario})"
        ),
        "composition_table": "Composition at the end of the run",
        "composition_note": (
            "Share of each group among everyone who started up to the end of the run, and "
            "among everyone eligible at some time (mean over runs; 90% interval over runs "
            "in brackets). Groups overlap: a person is in several."
        ),
        "group": "Group",
        "eligible": "eligible",
        "fig_wijk_title": "Participants per wijk on {date}",
        "wijk_finding": "{scenario}: most in {wijk} ({count}), fewest in {fewest} ({low})",
        "wijk_table": "Participants per wijk",
        "wijk_note": (
            "Per scenario: median over runs at the end of the run ({end}) and, below it, on "
            "1 January 2022, next to the count the municipality reported on 1 January 2022 "
            "(total 47)."
        ),
        "wijk": "Wijk",
        "observed_2022": "observed 1 Jan 2022",
        # --- section 5 ------------------------------------------------------------------
        "s5": "5. How sure are we?",
        "no_calibration": (
            "This run used the default parameters (and the overrides of its scenarios); it "
            "was not calibrated. Its intervals show run-to-run randomness only: they leave "
            "out the uncertainty about the parameters themselves, so the true uncertainty "
            "is larger."
        ),
        "calibration_intro": (
            "The forecast draws its parameters from the calibration, which fitted the model "
            "to the counts the municipality reported up to March 2023. Below, each observed "
            "target against what the calibrated model predicts for it."
        ),
        "forecast_intervals": (
            "What the intervals include: uncertainty about the parameters (draws from the "
            "calibration's posterior) and run-to-run randomness (who is referred, who "
            "drops out, who falls ill). What they leave out: policy changes beyond the "
            "scenario, errors in the model's structure, and events unlike any in the "
            "observed period (such as COVID-19 in 2020–21). Counts after March 2023 were "
            "held back and not used to fit the model."
        ),
        "fig_ppc_title": (
            "Calibration fit: {inside} of {total} targets inside their 90% predictive interval"
        ),
        "ppc_table": "Calibration targets",
        "ppc_note": "Observed value against the 90% predictive interval of the calibrated model.",
        "target": "Target",
        "date": "Date",
        "observed": "Observed",
        "predicted": "Predicted median (90% interval)",
        "inside": "Inside",
        "yes": "yes",
        "no": "no",
        # --- section 6 ------------------------------------------------------------------
        "s6": "6. What was run?",
        "setting": "Setting",
        "value": "Value",
        "r_name": "experiment",
        "r_file": "experiment file",
        "r_description": "description",
        "r_hash": "experiment hash",
        "r_base": "base settings",
        "r_sweep": "sweep",
        "r_sweep_samples": "{count} samples of {names}",
        "r_replicates": "replicates per scenario",
        "r_seed": "master seed",
        "r_seeds": "replicate seeds",
        "r_until": "horizon",
        "r_runs": "runs finished",
        "r_version": "code version",
        "r_revision": "git revision",
        "r_started": "started",
        "r_finished": "finished",
        "r_seconds": "run time (total of all runs)",
        "r_workers": "workers",
        "r_results": "results directory",
        "r_report": "report made",
        "experiment_text": "The experiment file as run",
        "none": "none",
        "sweep_note": (
            "This experiment sweeps parameters: figures and per-scenario tables pool all "
            "{count} samples; the headline table has a column per sample."
        ),
        "sample": "sample {sample}",
        "not_available": "Not available: {what}",
        "missing_columns": "the run did not keep {columns}",
    },
    "nl": {
        # --- page -----------------------------------------------------------------------
        "page_title": "Simulatie basisbaan: {name}",
        "heading": "De Groningse basisbaan: simulatierapport",
        "subtitle": "Experiment “{name}”, {runs} runs, tot {until}. Gemaakt op {made}.",
        "forecast_subtitle": "Prognose “{name}”, {runs} runs, tot {until}. Gemaakt op {made}.",
        "intro": (
            "De basisbaan geeft mensen die lang in de bijstand zitten betaald werk tegen het "
            "minimumloon met een arbeidscontract, met werk in de wijken van Groningen. Dit "
            "rapport laat zien wat een simulatie van het programma zegt over de groei van "
            "ongeveer 50 naar 250 basisbanen, per scenario naast elkaar."
        ),
        "contents": "Inhoud",
        "scenarios_heading": "Scenario's",
        "scenario": "Scenario",
        "description": "Beschrijving",
        "overrides": "Afwijkingen van de basisinstellingen",
        "no_overrides": "geen (de basisinstellingen)",
        "key_findings": "De belangrijkste uitkomsten",
        "finding": (
            "{reach}; netto €{per_job} per baanjaar over de hele run; de groei werd het "
            "vaakst geremd door {constraint}."
        ),
        "jan1": "1 januari {year}",
        "intervals_note": (
            "Getallen zijn medianen over de runs; intervallen tussen haakjes lopen van het "
            "5e tot het 95e percentiel (90% van de runs valt erbinnen)."
        ),
        "footer": "Gemaakt met basisbaan {version} (revisie {revision}).",
        # --- figure captions: how to read each figure ----------------------------------
        "cap_employed_fan": (
            "Lijnen: mediaan van de runs; banden: 50% en 90% van de runs; gestreept: het "
            "plafond aan banen; zwarte punten: aantallen die de gemeente meldde (FACTS.md)."
        ),
        "cap_reach_probability": (
            "Aandeel runs met 250 ingevulde basisbanen op 31 december van elk jaar."
        ),
        "cap_intake_funnel": (
            "Mediaan van de runs aan het eind van de run; lichtere balken: kandidaten die "
            "tijdens de intakegesprekken afvielen, naar reden."
        ),
        "cap_binding_constraints": (
            "Links: aandeel van alle weken waarin elke beperking starters tegenhield; rechts: "
            "hetzelfde per kalenderjaar."
        ),
        "cap_cost_per_year": (
            "Mediaan per jaar van elke kostenpost (boven nul) en van besparingen en "
            "inkomsten (onder nul), met bruto- en nettokosten, in miljoenen euro's."
        ),
        "cap_cumulative_net_cost": (
            "Nettokosten opgeteld sinds 1 maart 2020: mediaan en 90% van de runs, in "
            "miljoenen euro's."
        ),
        "cap_cost_by_payer": (
            "Gemiddelde over de runs van het totaal van elke partij over de run: kosten "
            "positief, besparingen en inkomsten negatief. Zie de aanname onder de tabel."
        ),
        "cap_net_cost_against_budget": (
            "Balken: nettokosten per jaar (mediaan van de runs); gestreepte lijnen: het "
            "jaarlijkse nettobudget van elk scenario."
        ),
        "cap_composition": (
            "Grijs: aandeel onder iedereen in de doelgroep; gekleurd: aandeel onder de "
            "deelnemers (gemiddelde van de runs, met het 90%-interval over de runs)."
        ),
        "cap_wijk_map": (
            "Schematische kaart van de 14 gebieden, noorden boven: mediaan aantal deelnemers "
            "dat aan het eind van de run in elk gebied werkt."
        ),
        "cap_calibration_fit": (
            "Per doel: 90%-voorspelinterval (dunne lijn), 50% (dik), mediaan (open punt) en "
            "de waargenomen waarde (zwarte ruit); rood: waarneming buiten het 90%-interval."
        ),
        # --- section 1 ------------------------------------------------------------------
        "s1": "1. Wanneer zijn er 250 basisbanen?",
        "s1_intro": (
            "Ingevulde basisbanen in de tijd, als band over de runs (de donkere band bevat "
            "de helft van de runs, de lichte 90%), met de aantallen die de gemeente meldde."
        ),
        "reach_in": "250 basisbanen in {year} (90%-interval {low}–{high})",
        "reach_in_exact": "250 basisbanen in {year} in minstens 90% van de runs",
        "reach_median_only": (
            "250 basisbanen in {year} (mediaan); {share} van de runs haalt het vóór {end}"
        ),
        "reach_some": "250 basisbanen vóór {end} in slechts {share} van de runs",
        "reach_none": "250 basisbanen in geen enkele run gehaald vóór {end}",
        "fig_employed_title": "Ingevulde basisbanen in de tijd",
        "fig_p250_title": "Kans dat er aan het eind van elk jaar 250 basisbanen zijn",
        "p250_finding": "{scenario}: {share} aan het eind van {year}",
        "p250_source_forecast": "Uit p250.csv van de prognose.",
        "p250_source_runs": "Uit summary.csv (maat reached_250_by_year).",
        "headline": "Basisbanen op 1 januari van elk jaar",
        "headline_note": (
            "Mediaan van het aantal mensen in een basisbaan op 1 januari, met het "
            "90%-interval over de runs eronder; de laatste rijen geven het jaar waarin 250 "
            "banen gehaald worden en het aandeel runs dat dit binnen de horizon haalt. "
            "Dezelfde getallen als in summary.csv."
        ),
        "col_year_250": "250 gehaald (jaar)",
        "col_share_250": "runs met 250 vóór {end}",
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
        # --- section 2 ------------------------------------------------------------------
        "s2": "2. Wat remt de groei?",
        "s2_intro": (
            "Het model houdt elke week bij wat nieuwe starters tegenhield: te weinig "
            "kandidaten, te weinig intakecoaches, te weinig taken in de wijken, het plafond "
            "aan banen of het budget. Wat het vaakst remt, is de knop om aan te draaien."
        ),
        "fig_funnel_title": "Instroom: hoeveel gesproken kandidaten starten",
        "funnel_finding": (
            "{scenario}: {started} van {spoken} gesproken kandidaten gestart ({share})"
        ),
        "fig_binding_title": "Wat hield nieuwe starters tegen",
        "binding_finding": "{scenario}: vooral {constraint} ({share} van de weken)",
        "funnel_table": "Instroom aan het eind van de run ({end})",
        "funnel_note": (
            "Mediaan over de runs. Doelgroep: mensen in de bijstand die aan de criteria "
            "voldoen en (aan het eind) niet zijn aangemeld. Afgevallen: gestopt tijdens de "
            "intakegesprekken, naar reden."
        ),
        "stage": "Fase",
        "stage_eligible": "doelgroep, niet aangemeld",
        "stage_referred": "aangemeld",
        "stage_spoken": "gesproken (intakegesprekken)",
        "stage_rejected": "afgevallen: {reason}",
        "stage_started": "gestart in een basisbaan",
        "stage_exited": "uitstroom (weer vertrokken)",
        "stage_employed": "in een basisbaan aan het eind",
        "binding_table": "Aandeel weken waarin elke beperking starters tegenhield",
        "binding_note": (
            "Hele run: uit summary.csv (gemiddelde over de runs). Laatste jaar: het jaar tot "
            "het eind van de run, waar de knop nu telt. Als in dezelfde week meerdere "
            "beperkingen gelden, noteert het model de eerste van: plafond, budget, taken, "
            "coaches, kandidaten. Geselecteerde kandidaten die op taken wachten tellen mee "
            "voor het plafond, dus een tekort aan taken kan als plafond verschijnen."
        ),
        "tasks_hidden": (
            "Let op: in {year} wachtten gemiddeld {waiting} geselecteerde kandidaten op "
            "taken, op plaatsen onder het plafond: taken remden de groei meer dan de "
            "registratie laat zien — haal meer taken op in de wijken."
        ),
        "whole_run": "hele run",
        "last_year": "laatste jaar",
        "lever": "Knop",
        "lever_advice": "{scenario}: in het laatste jaar vooral {constraint} — {lever}.",
        "lever_full": (
            "{scenario}: met {jobs} van {ceiling} banen ingevuld heeft het programma zijn "
            "beoogde omvang; het plafond remt zoals bedoeld, er is geen knop om aan te draaien."
        ),
        # --- section 3 ------------------------------------------------------------------
        "s3": "3. Wat kost het, en wie betaalt?",
        "s3_intro": (
            "De kosten volgen de kostentabel uit de raadsbrief van 2022 (per baanjaar: "
            "loonkosten €27.387 bij 32 uur, werkgeverskosten ~€600, begeleidende "
            "organisaties €4.000 in het eerste jaar en €3.000 daarna, gemeentelijke coaches "
            "€1.500; niet meer betaalde uitkeringen €14.000), in euro's van 2022. "
            "Brutokosten zijn loon, werkgeverskosten, begeleiding en coaches min bijdragen; "
            "nettokosten trekken daar ook de niet meer betaalde uitkeringen en subsidies "
            "van af."
        ),
        "fig_cost_year_title": "Kosten per jaar",
        "cost_year_finding": "{scenario}: netto €{net} miljoen in {year}",
        "fig_cost_cum_title": "Nettokosten opgeteld sinds de start",
        "cost_cum_finding": "{scenario}: €{net} miljoen tot {end}",
        "cost_table": "Bruto- en nettokosten per jaar",
        "cost_table_note": (
            "Medianen over de runs (summary.csv). Per baanjaar: de kosten van het jaar "
            "gedeeld door het gemiddeld aantal ingevulde banen in dat jaar."
        ),
        "measure": "Maat",
        "m_gross": "bruto (€ miljoen)",
        "m_net": "netto (€ miljoen)",
        "m_gross_per_job_year": "bruto per baanjaar (€)",
        "m_net_per_job_year": "netto per baanjaar (€)",
        "items_table": "Kosten per post, {start}–{end}",
        "items_note": (
            "Gemiddelde over de runs: het totaal over de hele run in € miljoen, en daaronder "
            "per baanjaar in €. Besparingen en inkomsten staan negatief."
        ),
        "per_job_year_value": "€{value} per baanjaar",
        "item": "Post",
        "gross_total": "brutokosten",
        "net_total": "nettokosten",
        "payers_table": "Wie draagt de kosten en wie wint, {start}–{end}",
        "payers_note": (
            "Gemiddelde over de runs: het totaal over de hele run in € miljoen, en daaronder "
            "per baanjaar in €. Positief: kosten voor die partij; negatief: een besparing of "
            "inkomsten. De nettokosten van het model zijn het deel van de gemeente plus dat "
            "van het landelijke uitkeringsbudget."
        ),
        "party": "Partij",
        "fig_payers_title": "Wie betaalt, {start}–{end}",
        "payers_finding": (
            "{scenario}: de gemeente betaalt €{municipality} miljoen; het landelijke "
            "uitkeringsbudget bespaart €{national} miljoen"
        ),
        "payers_assumption": (
            "Aanname (de lezing van FACTS.md in dit rapport): de gemeente draagt het loon, "
            "de werkgeverskosten (Thermiek BV), de begeleiding door de begeleidende "
            "organisaties en haar eigen coaches, en ontvangt de bijdragen en subsidies. De "
            "niet meer betaalde uitkeringen zijn bijstandsuitkeringen, die gemeenten betalen "
            "uit het landelijke BUIG-budget: dit rapport boekt die besparing bij het "
            "landelijke uitkeringsbudget. De raadsbrief van 2022 rekent haar tot de "
            "besparing van de gemeente zelf (nettokosten voor de gemeente €19.000 per baan); "
            "een gemeente houdt een deel van een BUIG-overschot, dus de werkelijkheid ligt "
            "tussen beide lezingen. Dit volgt de opmerking van de eerste maatschappelijke "
            "kosten-batenanalyse (MKBA) dat de baten niet terechtkomen bij de partij die de "
            "meeste kosten draagt. Wijkorganisaties krijgen het werk en dragen tot nu toe "
            "niets bij (tot 2022 niets geïnd); de waarde van het werk voor de wijken zit niet "
            "in deze getallen."
        ),
        "budget_heading": "Financieringstekort ten opzichte van het budget",
        "budget_note": (
            "Nettokosten per jaar (mediaan over de runs) tegenover het jaarlijkse "
            "nettobudget uit het experiment (budget_net_eur_per_year). Tekort: nettokosten "
            "boven het budget."
        ),
        "no_budget": (
            "Er is geen budget opgegeven (budget_net_eur_per_year staat in geen enkel "
            "scenario), dus er is geen financieringstekort te tonen."
        ),
        "fig_budget_title": "Nettokosten tegenover het budget",
        "budget_finding_over": "{scenario}: boven het budget in {years}",
        "budget_finding_within": "{scenario}: elk jaar binnen het budget",
        "budget": "budget (€ miljoen)",
        "gap": "tekort (€ miljoen)",
        "year": "Jaar",
        # --- section 4 ------------------------------------------------------------------
        "s4": "4. Wie doet mee, en waar?",
        "s4_intro": (
            "Wie met een basisbaan begon, tegenover iedereen die ooit tot de doelgroep "
            "hoorde, en waar deelnemers werken: in de 14 wijken en dorpen van de gemeente."
        ),
        "fig_composition_title": "Wie doet mee, tegenover wie mee kon doen",
        "composition_finding": (
            "{group}: {participants} van de deelnemers tegenover {eligible} van de doelgroep "
            "({scenario})"
        ),
        "composition_table": "Samenstelling aan het eind van de run",
        "composition_note": (
            "Aandeel van elke groep onder iedereen die tot het eind van de run startte, en "
            "onder iedereen die ooit tot de doelgroep hoorde (gemiddelde over de runs; "
            "90%-interval over de runs tussen haakjes). Groepen overlappen: iemand valt in "
            "meerdere."
        ),
        "group": "Groep",
        "eligible": "doelgroep",
        "fig_wijk_title": "Deelnemers per wijk op {date}",
        "wijk_finding": "{scenario}: de meeste in {wijk} ({count}), de minste in {fewest} ({low})",
        "wijk_table": "Deelnemers per wijk",
        "wijk_note": (
            "Per scenario: mediaan over de runs aan het eind van de run ({end}) en daaronder "
            "op 1 januari 2022, naast het aantal dat de gemeente op 1 januari 2022 meldde "
            "(totaal 47)."
        ),
        "wijk": "Wijk",
        "observed_2022": "gemeld 1 jan 2022",
        # --- section 5 ------------------------------------------------------------------
        "s5": "5. Hoe zeker is dit?",
        "no_calibration": (
            "Deze run gebruikte de standaardparameters (en de afwijkingen van de "
            "scenario's); hij is niet gekalibreerd. De intervallen tonen alleen het toeval "
            "van run tot run: de onzekerheid over de parameters zelf zit er niet in, dus de "
            "werkelijke onzekerheid is groter."
        ),
        "calibration_intro": (
            "De prognose trekt haar parameters uit de kalibratie, die het model aanpaste aan "
            "de aantallen die de gemeente tot maart 2023 meldde. Hieronder elk waargenomen "
            "doel tegenover wat het gekalibreerde model ervoor voorspelt."
        ),
        "forecast_intervals": (
            "Wat de intervallen bevatten: onzekerheid over de parameters (trekkingen uit de "
            "posterior van de kalibratie) en het toeval van run tot run (wie wordt "
            "aangemeld, wie afvalt, wie ziek wordt). Wat ze weglaten: beleidswijzigingen "
            "buiten het scenario, fouten in de opbouw van het model, en gebeurtenissen die "
            "in de waargenomen periode niet voorkwamen (zoals COVID-19 in 2020–21). "
            "Aantallen na maart 2023 zijn achtergehouden en niet gebruikt om het model aan "
            "te passen."
        ),
        "fig_ppc_title": (
            "Kalibratie: {inside} van de {total} doelen binnen hun 90%-voorspelinterval"
        ),
        "ppc_table": "Kalibratiedoelen",
        "ppc_note": (
            "Waargenomen waarde tegenover het 90%-voorspelinterval van het gekalibreerde model."
        ),
        "target": "Doel",
        "date": "Datum",
        "observed": "Waargenomen",
        "predicted": "Voorspelde mediaan (90%-interval)",
        "inside": "Binnen",
        "yes": "ja",
        "no": "nee",
        # --- section 6 ------------------------------------------------------------------
        "s6": "6. Wat is er gedraaid?",
        "setting": "Instelling",
        "value": "Waarde",
        "r_name": "experiment",
        "r_file": "experimentbestand",
        "r_description": "beschrijving",
        "r_hash": "hash van het experiment",
        "r_base": "basisinstellingen",
        "r_sweep": "variatie van parameters",
        "r_sweep_samples": "{count} steekproeven van {names}",
        "r_replicates": "herhalingen per scenario",
        "r_seed": "hoofdseed",
        "r_seeds": "seeds van de herhalingen",
        "r_until": "horizon",
        "r_runs": "voltooide runs",
        "r_version": "codeversie",
        "r_revision": "git-revisie",
        "r_started": "gestart",
        "r_finished": "klaar",
        "r_seconds": "rekentijd (alle runs samen)",
        "r_workers": "rekenprocessen",
        "r_results": "resultatenmap",
        "r_report": "rapport gemaakt",
        "experiment_text": "Het experimentbestand zoals gedraaid",
        "none": "geen",
        "sweep_note": (
            "Dit experiment varieert parameters: figuren en tabellen per scenario voegen "
            "alle {count} steekproeven samen; de hoofdtabel heeft een kolom per steekproef."
        ),
        "sample": "steekproef {sample}",
        "not_available": "Niet beschikbaar: {what}",
        "missing_columns": "de run bewaarde {columns} niet",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # constraints
        "ceiling": "the jobs ceiling",
        "budget": "the budget",
        "tasks": "too few tasks in the wijken",
        "coaches": "too few intake coaches",
        "candidates": "too few candidates",
        # levers
        "lever_ceiling": "raise the ceiling: allow more jobs a year",
        "lever_budget": "raise the budget",
        "lever_tasks": "collect more tasks: talk with more wijk organisations",
        "lever_coaches": "add intake coaches",
        "lever_candidates": "refer more candidates to the intake",
        # rejection reasons
        "paid_work": "still a prospect of paid work",
        "health": "physical limitations too great",
        "volunteering": "prefers current volunteering",
        "other": "cannot or dare not take the step",
        # cost items
        "wages": "wages",
        "employer": "employer cost (Thermiek BV)",
        "guidance": "begeleiding by guiding organisations",
        "coaches_cost": "municipal coaches",
        "contributions": "contributions of wijk organisations",
        "benefits_saved": "benefits no longer paid",
        "subsidies": "subsidies",
        # parties
        "municipality": "municipality",
        "national": "national benefit budget (BUIG)",
        "wijk_organisations": "wijk organisations",
        "subsidy_providers": "subsidy providers (e.g. Nationaal Programma Groningen)",
        "net_model": "net cost (municipality + benefit budget)",
        # composition groups
        "women": "women",
        "aged 45+": "aged 45+",
        "aged 27-44": "aged 27–44",
        "single": "single",
        "single parent": "single parents",
        "couple": "couples",
        "debts": "with debts",
    },
    "nl": {
        "ceiling": "het plafond aan banen",
        "budget": "het budget",
        "tasks": "te weinig taken in de wijken",
        "coaches": "te weinig intakecoaches",
        "candidates": "te weinig kandidaten",
        "lever_ceiling": "verhoog het plafond: sta meer banen per jaar toe",
        "lever_budget": "verhoog het budget",
        "lever_tasks": "haal meer taken op: spreek meer wijkorganisaties",
        "lever_coaches": "zet meer intakecoaches in",
        "lever_candidates": "meld meer kandidaten aan voor de intake",
        "paid_work": "nog perspectief op betaald werk",
        "health": "fysieke beperkingen te groot",
        "volunteering": "houdt liever het huidige vrijwilligerswerk",
        "other": "kan of durft de stap niet te zetten",
        "wages": "loonkosten",
        "employer": "werkgeverskosten (Thermiek BV)",
        "guidance": "begeleiding door begeleidende organisaties",
        "coaches_cost": "gemeentelijke coaches",
        "contributions": "bijdragen van wijkorganisaties",
        "benefits_saved": "niet meer betaalde uitkeringen",
        "subsidies": "subsidies",
        "municipality": "gemeente",
        "national": "landelijk uitkeringsbudget (BUIG)",
        "wijk_organisations": "wijkorganisaties",
        "subsidy_providers": "subsidiegevers (o.a. Nationaal Programma Groningen)",
        "net_model": "nettokosten (gemeente + uitkeringsbudget)",
        "women": "vrouwen",
        "aged 45+": "45 jaar en ouder",
        "aged 27-44": "27–44 jaar",
        "single": "alleenstaanden",
        "single parent": "alleenstaande ouders",
        "couple": "samenwonenden en gehuwden",
        "debts": "met schulden",
    },
}


def texts(lang: str) -> dict[str, str]:
    """The report's strings in one language, with the data labels merged in.

    Args:
        lang: ``"en"`` or ``"nl"``.

    Returns:
        A dict of strings; values with ``{name}`` fields are ``str.format`` templates.

    Raises:
        ValueError: for an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language '{lang}'; choose one of {', '.join(LANGUAGES)}")
    return {**TEXT[lang], **{f"label:{k}": v for k, v in LABELS[lang].items()}}


def label(t: Mapping[str, str], name: str) -> str:
    """A data label (constraint, reason, item, party, group) in the report's language."""
    return t.get(f"label:{name}", name)


def fields(template: str) -> set[str]:
    """The placeholder names of a format template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
