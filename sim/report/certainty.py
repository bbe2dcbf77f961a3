"""Section 5 of the report: how sure are we?

For a forecast, the calibration's fit: every observed target against the 90%
predictive interval of the calibrated model (``ppc.csv``), and what the forecast's
intervals hold and leave out. Without a calibration, a note that the intervals hold
run-to-run randomness only. Table: :func:`ppc_table`; words: :data:`WORDS`; markup:
``templates/certainty.html.j2``.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from sim.figures.calibration import calibration_fit
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
    return ctx.render("certainty.html.j2", w, ppc=ppc.to_dict("records"), figure=figure)
