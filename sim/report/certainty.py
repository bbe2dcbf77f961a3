"""Section 5 of the report: how sure are we?

For a forecast, the calibration's fit: every observed target against the 90%
predictive interval of the calibrated model (``ppc.csv``), what the forecast's intervals
hold and leave out, where their spread comes from (parameters, implementation, chance:
``variance.csv``) and, once ``basisbaan validate`` has scored the forecast against
figures observed after it, how it did (``validation.csv``). Without a calibration, a note
that the intervals hold run-to-run randomness only. Tables: :func:`ppc_table`,
:func:`variance_rows`, :func:`validation_rows`; words: :data:`WORDS`; markup:
``templates/certainty.html.j2``.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from sim.figures.calibration import calibration_fit
from sim.figures.validation import validation_figure, variance_parts
from sim.report.context import Context
from sim.report.results import Results

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "5. How sure are we?",
        "no_calibration": (
            "This run used the default parameters (and the overrides of its scenarios); it was "
            "not calibrated. Its intervals show run-to-run randomness only: they leave out the "
            "uncertainty about the parameters themselves, so the true uncertainty is larger."
        ),
        "calibration_intro": (
            "The forecast draws its parameters from the calibration, which fitted the model to "
            "the counts the municipality reported up to March 2023. Below, each observed target "
            "against what the calibrated model predicts for it."
        ),
        "fig_ppc_title": (
            "Calibration fit: {inside} of {total} targets inside their 90% predictive interval"
        ),
        "cap_calibration_fit": (
            "Per target: 90% predictive interval (thin line), 50% (thick), median (open dot) and "
            "the observed value (black diamond); red: observed outside the 90% interval."
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
        "variance_heading": "Where the spread comes from",
        "variance_intro": (
            "Each parameter set drawn from the calibration was carried out in {ways} ways (the "
            "pace of the municipality, the delays in hiring coaches and collecting tasks) and "
            "each way was run {seeds} times. A nested analysis of variance splits the spread "
            "of the forecast into the part from the parameters, from the implementation of "
            "the policy and from chance."
        ),
        "variance_single": (
            "Each parameter set was run once, in one way: the forecast's spread cannot be "
            "split (run with --ways and --seeds of 2 or more)."
        ),
        "fig_variance_title": "Participants: where the spread of the forecast comes from",
        "cap_variance": (
            "Per scenario and 1 April of each year: the share of the variance of the number "
            "of participants from the parameters, the implementation and chance; above each "
            "bar the standard deviation in participants."
        ),
        "variance_table": "Spread of the number of participants, in parts",
        "sd": "Standard deviation",
        "parameters": "Parameters",
        "implementation": "Implementation",
        "chance": "Chance",
        "validation_heading": "Scored against later figures",
        "validation_intro": (
            "Figures observed after the forecast was made (it was calibrated on figures up to "
            "{origin}), against its intervals. PIT: the share of runs below the figure (0.5 "
            "is the middle). CRPS: the forecast's error in participants, lower is better; "
            "beside it the best of three forecasts made by hand (the last count held, the "
            "trend of the counts, the council's target path)."
        ),
        "fig_validation_title": "{inside} of {total} later figures inside the 80% interval",
        "cap_validation": (
            "Per figure and scenario: the forecast's 95%, 80% and 50% intervals and median; "
            "the black line is the observed figure."
        ),
        "quantity": "Figure",
        "value": "Observed",
        "pit": "PIT",
        "in80": "In 80%",
        "crps": "CRPS",
        "crps_hand": "Best by hand",
        "forecast_intervals": (
            "What the intervals include: uncertainty about the parameters (draws from the "
            "calibration's posterior) and run-to-run randomness (who is referred, who drops out, "
            "who falls ill). What they leave out: policy changes beyond the scenario, errors in "
            "the model's structure, and events unlike any in the observed period (such as "
            "COVID-19 in 2020–21). Counts after March 2023 were held back and not used to fit "
            "the model."
        ),
    },
    "nl": {
        "heading": "5. Hoe zeker is dit?",
        "no_calibration": (
            "Deze run gebruikte de standaardparameters (en de afwijkingen van de scenario's); "
            "hij is niet gekalibreerd. De intervallen tonen alleen het toeval van run tot run: "
            "de onzekerheid over de parameters zelf zit er niet in, dus de werkelijke "
            "onzekerheid is groter."
        ),
        "calibration_intro": (
            "De prognose trekt haar parameters uit de kalibratie, die het model aanpaste aan de "
            "aantallen die de gemeente tot maart 2023 meldde. Hieronder elk waargenomen doel "
            "tegenover wat het gekalibreerde model ervoor voorspelt."
        ),
        "fig_ppc_title": (
            "Kalibratie: {inside} van de {total} doelen binnen hun 90%-voorspelinterval"
        ),
        "cap_calibration_fit": (
            "Per doel: 90%-voorspelinterval (dunne lijn), 50% (dik), mediaan (open punt) en de "
            "waargenomen waarde (zwarte ruit); rood: waarneming buiten het 90%-interval."
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
        "variance_heading": "Waar de spreiding vandaan komt",
        "variance_intro": (
            "Elke parameterset uit de kalibratie is op {ways} manieren uitgevoerd (het tempo "
            "van de gemeente, de vertraging bij het aannemen van coaches en het ophalen van "
            "taken) en elke manier is {seeds} keer gedraaid. Een geneste variantieanalyse "
            "splitst de spreiding van de prognose in het deel uit de parameters, uit de "
            "uitvoering van het beleid en uit toeval."
        ),
        "variance_single": (
            "Elke parameterset is één keer gedraaid, op één manier: de spreiding van de "
            "prognose is niet te splitsen (draai met --ways en --seeds van 2 of meer)."
        ),
        "fig_variance_title": "Deelnemers: waar de spreiding van de prognose vandaan komt",
        "cap_variance": (
            "Per scenario en 1 april van elk jaar: het aandeel van de variantie van het aantal "
            "deelnemers uit de parameters, de uitvoering en toeval; boven elke staaf de "
            "standaardafwijking in deelnemers."
        ),
        "variance_table": "Spreiding van het aantal deelnemers, in delen",
        "sd": "Standaardafwijking",
        "parameters": "Parameters",
        "implementation": "Uitvoering",
        "chance": "Toeval",
        "validation_heading": "Getoetst aan latere cijfers",
        "validation_intro": (
            "Cijfers die na het maken van de prognose zijn waargenomen (zij is gekalibreerd op "
            "cijfers tot {origin}), tegenover haar intervallen. PIT: het aandeel runs onder het "
            "cijfer (0,5 is het midden). CRPS: de fout van de prognose in deelnemers, lager is "
            "beter; ernaast de beste van drie prognoses met de hand (het laatste aantal "
            "vastgehouden, de trend van de aantallen, het doelpad van de raad)."
        ),
        "fig_validation_title": "{inside} van de {total} latere cijfers binnen het 80%-interval",
        "cap_validation": (
            "Per cijfer en scenario: de 95%-, 80%- en 50%-intervallen en mediaan van de "
            "prognose; de zwarte lijn is het waargenomen cijfer."
        ),
        "quantity": "Cijfer",
        "value": "Waargenomen",
        "pit": "PIT",
        "in80": "In 80%",
        "crps": "CRPS",
        "crps_hand": "Beste met de hand",
        "forecast_intervals": (
            "Wat de intervallen bevatten: onzekerheid over de parameters (trekkingen uit de "
            "posterior van de kalibratie) en het toeval van run tot run (wie wordt aangemeld, "
            "wie afvalt, wie ziek wordt). Wat ze weglaten: beleidswijzigingen buiten het "
            "scenario, fouten in de opbouw van het model, en gebeurtenissen die in de "
            "waargenomen periode niet voorkwamen (zoals COVID-19 in 2020–21). Aantallen na maart "
            "2023 zijn achtergehouden en niet gebruikt om het model aan te passen."
        ),
    },
}


def ppc_table(results: Results) -> pd.DataFrame | None:
    """The calibration targets against their predictive intervals (None without ``ppc.csv``).

    Returns:
        ``ppc.csv`` with ``inside_90`` read as a boolean (it may be written as
        ``True``/``False`` or ``1``/``0``) and ``decimals``: how many to show, three for
        shares (values between 0 and 1) and none for counts.
    """
    if results.ppc is None:
        return None
    ppc = results.ppc
    observed = ppc["observed"].astype(float)
    return ppc.assign(
        inside_90=ppc["inside_90"].astype(str).str.lower().isin(["true", "1"]),
        decimals=((observed.abs() < 1) & (observed != 0)).map({True: 3, False: 0}),
    )


def variance_rows(results: Results) -> list[dict[str, object]] | None:
    """The spread of the number of participants in parts, per scenario and date.

    None without ``variance.csv``; an empty list when the design could not split it
    (one way and one seed per parameter set: every share but the parameters' is NaN).
    """
    table = results.variance
    if table is None:
        return None
    rows = table[table["quantity"] == "employed"]
    if rows[["share_implementation", "share_chance"]].isna().all().all():
        return []
    return rows.to_dict("records")


def validation_rows(results: Results) -> list[dict[str, object]] | None:
    """The later figures scored (``validation.csv``), with the best hand-made CRPS."""
    table = results.validation
    if table is None:
        return None
    hand = table[["crps_persistence", "crps_trend", "crps_policy"]].min(axis=1, skipna=True)
    return table.assign(crps_hand=hand).to_dict("records")


def _design(results: Results) -> dict[str, int]:
    forecast = results.manifest.get("forecast") or {}
    design = forecast.get("design") or {}
    return {"ways": int(design.get("ways", 1)), "seeds": int(design.get("seeds", 1))}


def section(ctx: Context) -> Markup:
    """Section 5 as HTML."""
    w = ctx.words(WORDS)
    ppc = ppc_table(ctx.results)
    if ppc is None:
        return ctx.render("certainty.html.j2", w, ppc=None)
    inside = int(ppc["inside_90"].sum())
    figure = ctx.figure(
        "calibration_fit",
        w["fig_ppc_title"].format(inside=inside, total=len(ppc)),
        [],
        lambda: calibration_fit(ppc, title="", lang=ctx.lang),
        w["cap_calibration_fit"],
    )
    variance = variance_rows(ctx.results)
    variance_figure = None
    if variance:
        table = ctx.results.variance
        variance_figure = ctx.figure(
            "variance_parts",
            w["fig_variance_title"],
            [],
            lambda: variance_parts(table, quantity="employed", title="", lang=ctx.lang),
            w["cap_variance"],
        )
    validation = validation_rows(ctx.results)
    validation_figure_block = None
    origin = (ctx.results.manifest.get("forecast") or {}).get("observed_until", "2023-03-31")
    scored = ctx.results.validation
    if validation and scored is not None:
        validation_figure_block = ctx.figure(
            "validation",
            w["fig_validation_title"].format(
                inside=int(scored["in80"].astype(str).str.lower().isin(["true", "1"]).sum()),
                total=len(scored),
            ),
            [],
            lambda: validation_figure(scored, title="", lang=ctx.lang),
            w["cap_validation"],
        )
    return ctx.render(
        "certainty.html.j2",
        w,
        ppc=ppc.to_dict("records"),
        figure=figure,
        variance=variance,
        variance_figure=variance_figure,
        design=_design(ctx.results),
        validation=validation,
        validation_figure=validation_figure_block,
        origin=origin,
    )
