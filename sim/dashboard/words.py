"""The dashboard's words, in Dutch (the default for policy users) and English.

The answers' headings and finding sentences are the report's (:mod:`sim.report`) and
the figures' (:mod:`sim.figures.labels`); this module holds what only the dashboard
says: the levers, their help, the buttons and the status line.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Basisbaan: wat als?",
        "subtitle": (
            "Verschuif de knoppen en zie de weg naar 250 basisbanen, met de onzekerheid, naast "
            "het aangekondigde beleid (raadsbesluit maart 2023)."
        ),
        "announced": "aangekondigd beleid",
        "chosen": "uw keuze",
        "levers": "Knoppen",
        "target_heading": "Doel",
        "target_jobs": "Doel: aantal basisbanen",
        "grow_to_target": "Gelijkmatig groeien tot het doel",
        "target_year": "Doel bereikt eind",
        "target_help": (
            "Gelijkmatig: elk jaar evenveel banen erbij vanaf 2023, zodat het doelpad van de "
            "raad het doel eind van het gekozen jaar haalt ((doel − {start}) / aantal jaren; "
            "250 eind 2026 is +50 per jaar, het aangekondigde beleid). Uit: stel de groei per "
            "jaar zelf in."
        ),
        "growth_by_year": "Banen erbij per jaar",
        "coaches_heading": "Intakecoaches",
        "coaches_follow": "Coaches groeien mee met de gefinancierde banen",
        "jobs_per_coach": "Banen per coach",
        "coaches_by_year": "Coaches per jaar (minimaal, of precies als ze niet meegroeien)",
        "tasks_heading": "Taken ophalen in de wijken",
        "tasks_follow": "Taken ophalen groeit mee met de banen",
        "tasks_per_100": "Taken per week per 100 banen",
        "tasks_by_year": "Taken per week (minimaal, of precies als het niet meegroeit)",
        "money_heading": "Geld",
        "contributions_by_year": "Bijdragen van werkgevende partijen (€ per baanjaar)",
        "budget_on": "Een jaarlijks nettobudget",
        "budget": "Nettobudget per jaar (€)",
        "subsidies_by_year": "Subsidies (€, ontvangen op 1 oktober)",
        "draws": "Trekkingen uit de posterior",
        "draws_help": (
            "Elke trekking is een parameterset uit de kalibratie met een eigen seed; "
            "trekking k draait met dezelfde seed in beide scenario's (common random numbers)."
        ),
        "reset": "Terug naar het aangekondigde beleid",
        "save": "Bewaar als experiment",
        "saved": "Bewaard: {path} (draai met: basisbaan run {path})",
        "report": "Open rapport",
        "report_wait": "Het rapport kan zodra alle trekkingen klaar zijn.",
        "report_written": "Rapport geschreven: {path}",
        "report_link": "Open het rapport",
        "computing": "Bezig: {done} van {total} trekkingen klaar",
        "done": "Klaar: {total} trekkingen, {seconds} s",
        "fix_levers": "Pas eerst de knoppen aan die rood zijn.",
        "out_of_range": "moet tussen {low} en {high} liggen",
        "at_least": "moet minstens {low} zijn",
        "year_value": "{year}: ",
        "combination": "Deze combinatie kan niet: {message}",
        "difference_heading": "Verschil met het aangekondigde beleid, trekking voor trekking",
        "difference": (
            "Basisbanen op 1 januari {year}: uw keuze {sign}{median} ten opzichte van het "
            "aangekondigde beleid (90% van de trekkingen: {low} tot {high})."
        ),
        "chance": "Kans op 250 basisbanen eind {year}",
        "up_close": "Eén run van dichtbij",
        "dashboard": "Wat als?",
        "up_close_intro": (
            "Eén run van uw keuze, week voor week (Mesa SolaraViz): kies de trekking, "
            "druk op Reset en daarna op Step of ▶."
        ),
        "up_close_week": (
            "Week eindigend op {date}: {employed} in een basisbaan; nu remt: {constraint}."
        ),
        "queue_title": "Wachtrijen",
        "queue_axis": "mensen",
        "waiting_for_intake": "wachten op intake",
        "in_intake": "in intake",
        "selected_waiting": "geselecteerd, nog niet gestart",
        "waiting_for_tasks": "wachten op taken",
        "scenario": "Scenario",
        "draw": "Trekking",
        "language": "Taal",
    },
    "en": {
        "title": "Basisbaan: what if?",
        "subtitle": (
            "Move the levers and see the path to 250 jobs, with its uncertainty, beside the "
            "announced policy (the council's decision of March 2023)."
        ),
        "announced": "announced policy",
        "chosen": "your choice",
        "levers": "Levers",
        "target_heading": "Target",
        "target_jobs": "Target: number of jobs",
        "grow_to_target": "Grow evenly to the target",
        "target_year": "Target reached by the end of",
        "target_help": (
            "Evenly: the same number of jobs added each year from 2023, so that the council's "
            "target path reaches the target at the end of the chosen year ((target − {start}) / "
            "number of years; 250 by the end of 2026 is +50 a year, the announced policy). "
            "Off: set the growth of each year yourself."
        ),
        "growth_by_year": "Jobs added per year",
        "coaches_heading": "Intake coaches",
        "coaches_follow": "Coaches grow with the jobs funded",
        "jobs_per_coach": "Jobs per coach",
        "coaches_by_year": "Coaches per year (at least, or exactly when they do not follow)",
        "tasks_heading": "Task collection in the wijken",
        "tasks_follow": "Task collection grows with the jobs",
        "tasks_per_100": "Tasks per week per 100 jobs",
        "tasks_by_year": "Tasks per week (at least, or exactly when it does not follow)",
        "money_heading": "Money",
        "contributions_by_year": "Contributions of work-providing parties (€ per job-year)",
        "budget_on": "A yearly net budget",
        "budget": "Net budget per year (€)",
        "subsidies_by_year": "Subsidies (€, received on 1 October)",
        "draws": "Posterior draws",
        "draws_help": (
            "Each draw is a parameter set from the calibration with its own seed; draw k runs "
            "with the same seed in both scenarios (common random numbers)."
        ),
        "reset": "Back to the announced policy",
        "save": "Save as experiment",
        "saved": "Saved: {path} (run it with: basisbaan run {path})",
        "report": "Open report",
        "report_wait": "The report can be written once every draw has finished.",
        "report_written": "Report written: {path}",
        "report_link": "Open the report",
        "computing": "Computing: {done} of {total} draws done",
        "done": "Done: {total} draws, {seconds} s",
        "fix_levers": "First correct the levers shown in red.",
        "out_of_range": "must be between {low} and {high}",
        "at_least": "must be at least {low}",
        "year_value": "{year}: ",
        "combination": "This combination is not possible: {message}",
        "difference_heading": "Difference from the announced policy, draw by draw",
        "difference": (
            "Jobs on 1 January {year}: your choice {sign}{median} against the announced policy "
            "(90% of draws: {low} to {high})."
        ),
        "chance": "Chance of 250 jobs by the end of {year}",
        "up_close": "One run up close",
        "dashboard": "What if?",
        "up_close_intro": (
            "One run of your choice, week by week (Mesa SolaraViz): choose the draw, press "
            "Reset, then Step or ▶."
        ),
        "up_close_week": (
            "Week ending {date}: {employed} in a basisbaan; holding starts back: {constraint}."
        ),
        "queue_title": "Queues",
        "queue_axis": "people",
        "waiting_for_intake": "waiting for intake",
        "in_intake": "in intake",
        "selected_waiting": "selected, not yet started",
        "waiting_for_tasks": "waiting for tasks",
        "scenario": "Scenario",
        "draw": "Draw",
        "language": "Language",
    },
}
