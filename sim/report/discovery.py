"""The report's section "When does the policy fall short?": scenario discovery in words.

Reads ``discovery.csv`` and ``analysis.json`` (:mod:`sim.analysis`): the condition, how
often it held, and each box PRIM found, with the inputs it restricts written as
"below", "above" or "between" within their sampled ranges, levers marked as such.

Tables: :func:`condition_words`, :func:`box_rows`; words: :data:`WORDS`; markup:
``templates/discovery.html.j2``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sim.report import formats
from sim.report.sensitivity import PARAMETERS, output_words, range_text

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "1. When does the policy fall short?",
        "intro": (
            "This analysis samples the uncertain assumptions (each within its range) and the "
            "levers named in the file, {samples} combinations by Latin hypercube, each run "
            "{times} with the same random numbers: {runs} runs in all. It asks in "
            "which runs {condition}, and looks for the combinations of inputs where that "
            "happens in most runs (PRIM, the Patient Rule Induction Method, as in EMA "
            "Workbench). A box is such a combination: its <em>coverage</em> is the share of "
            "all runs that fall short that lie in it; its <em>density</em>, the share of the "
            "runs in it that fall short. A limit that chance alone could have drawn (a "
            "quasi-p-value above 0.05) is dropped from its box."
        ),
        "held": "In {count} of the {runs} runs ({share}) {condition}.",
        "never": "This never happened: there is nothing to explain.",
        "always": "This happened in every run: no input makes a difference.",
        "no_box": "PRIM found no box where this happens in most runs.",
        "box_finding": (
            "Box {box}: {coverage} of the runs that fall short lie in it, and in it {density} "
            "of the runs fall short. It is where {limits}."
        ),
        "box_sparse": " (below the density asked for, {min_density}: a weak pattern)",
        "below": "{name} is at most {high}",
        "above": "{name} is at least {low}",
        "between": "{name} is between {low} and {high}",
        "lever": " (a lever)",
        "box": "Box",
        "input": "Input",
        "limits": "In the box",
        "sampled": "Range sampled",
        "coverage": "Coverage",
        "density": "Density",
        "cap_boxes": (
            "Per box, each input it restricts: the grey bar is the range sampled, the red part "
            "the box; the numbers are the box's limits and, in brackets, the range sampled."
        ),
        "table_note": (
            "Coverage: share of the runs that fall short inside the box. Density: share of "
            "the runs inside the box that fall short."
        ),
        "year_not_before": "{target} jobs are not filled before {date}",
        "year_before": "{target} jobs are filled before {date}",
        "generic": "{output} is {operator} {value}",
        "operators": "<:below|<=:at most|>:above|>=:at least",
        "january": "1 January {year}",
    },
    "nl": {
        "heading": "1. Wanneer schiet het beleid tekort?",
        "intro": (
            "Deze analyse trekt de onzekere aannames (elk binnen haar marge) en de "
            "beleidsknoppen uit het bestand, {samples} combinaties met een Latijns hyperkubus, "
            "elk {times} met dezelfde toevalsgetallen: {runs} runs in totaal. Ze "
            "vraagt in welke runs {condition}, en zoekt de combinaties van invoer waar dat in "
            "de meeste runs gebeurt (PRIM, de Patient Rule Induction Method, zoals in EMA "
            "Workbench). Een box is zo'n combinatie: de <em>dekking</em> is het deel van alle "
            "runs die tekortschieten dat erin ligt; de <em>dichtheid</em>, het deel van de "
            "runs erin dat tekortschiet. Een grens die het toeval alleen had kunnen trekken "
            "(een quasi-p-waarde boven 0,05) valt uit de box weg."
        ),
        "held": "In {count} van de {runs} runs ({share}) {condition}.",
        "never": "Dat gebeurde nooit: er valt niets te verklaren.",
        "always": "Dat gebeurde in elke run: geen invoer maakt verschil.",
        "no_box": "PRIM vond geen box waar dit in de meeste runs gebeurt.",
        "box_finding": (
            "Box {box}: {coverage} van de runs die tekortschieten ligt erin, en daarbinnen "
            "schiet {density} van de runs tekort. Het is waar {limits}."
        ),
        "box_sparse": " (onder de gevraagde dichtheid, {min_density}: een zwak patroon)",
        "below": "{name} hooguit {high} is",
        "above": "{name} minstens {low} is",
        "between": "{name} tussen {low} en {high} ligt",
        "lever": " (een beleidsknop)",
        "box": "Box",
        "input": "Invoer",
        "limits": "In de box",
        "sampled": "Onderzochte marge",
        "coverage": "Dekking",
        "density": "Dichtheid",
        "cap_boxes": (
            "Per box elke invoer die ze beperkt: de grijze balk is de onderzochte marge, het "
            "rode deel de box; de getallen zijn de grenzen van de box en, tussen haakjes, de "
            "onderzochte marge."
        ),
        "table_note": (
            "Dekking: deel van de runs die tekortschieten dat in de box ligt. Dichtheid: deel "
            "van de runs in de box dat tekortschiet."
        ),
        "year_not_before": "{target} banen niet vóór {date} gevuld zijn",
        "year_before": "{target} banen vóór {date} gevuld zijn",
        "generic": "{output} {operator} {value} is",
        "operators": "<:lager dan|<=:hooguit|>:hoger dan|>=:minstens",
        "january": "1 januari {year}",
    },
}


def condition_words(analysis: dict[str, Any], lang: str) -> str:
    """The condition as a clause ("250 jobs are not filled before 1 January 2027")."""
    words = WORDS[lang]
    output, condition = analysis["output"], analysis["condition"]
    operator, value = condition.split()[1], float(condition.split()[2])
    target = analysis.get("target", 250)
    if output == "year_250_reached":
        date = (
            words["january"].format(year=int(value))
            if value.is_integer()
            else formats.format_number(value, lang, 2)
        )
        key = "year_not_before" if operator in (">", ">=") else "year_before"
        return words[key].format(target=target, date=date)
    operators = dict(item.split(":") for item in words["operators"].split("|"))
    return words["generic"].format(
        output=output_words(lang, target).get(output, output).lower(),
        operator=operators[operator],
        value=formats.format_number(value, lang, 2 if not value.is_integer() else 0),
    )


def box_rows(table: pd.DataFrame, analysis: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """One entry per box: its coverage, density, and restrictions in words and numbers."""
    words = WORDS[lang]
    names = PARAMETERS[lang]
    ranges = analysis["ranges"]
    found = {box["box"]: box for box in analysis.get("boxes_found", [])}
    boxes = []
    for number, rows in table.groupby("box", sort=True):
        limits, entries = [], []
        for row in rows.itertuples():
            sampled = ranges[row.parameter]
            name = names.get(row.parameter, row.parameter) + (
                words["lever"] if sampled["kind"] == "lever" else ""
            )
            low, high = _short(row.low, lang), _short(row.high, lang)
            at_low = math.isclose(row.low, sampled["low"], rel_tol=1e-9, abs_tol=1e-12)
            at_high = math.isclose(row.high, sampled["high"], rel_tol=1e-9, abs_tol=1e-12)
            key = "below" if at_low else "above" if at_high else "between"
            limits.append(words[key].format(name=name, low=low, high=high))
            entries.append(
                {
                    "name": row.parameter,
                    "words": name,
                    "limits": f"{low}–{high}",
                    "sampled": range_text(sampled["low"], sampled["high"], lang),
                }
            )
        first = rows.iloc[0]
        dense = found.get(int(number), {}).get("dense_enough", True)
        joined = "; ".join(limits)
        sentence = words["box_finding"].format(
            box=int(number),
            coverage=formats.format_share(first["coverage"], lang),
            density=formats.format_share(first["density"], lang),
            limits=joined,
        )
        if not dense:
            sentence += words["box_sparse"].format(
                min_density=formats.format_share(analysis["min_density"], lang)
            )
        boxes.append(
            {
                "box": int(number),
                "coverage": float(first["coverage"]),
                "density": float(first["density"]),
                "sentence": sentence,
                "inputs": entries,
            }
        )
    return boxes


def _short(value: float, lang: str) -> str:
    return range_text(value, value, lang).split("–")[0]
