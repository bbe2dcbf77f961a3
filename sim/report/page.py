"""The page: heading, key findings, scenarios, contents, the six sections, footer.

:func:`build_page` gives each section the same :class:`~sim.report.context.Context`
and lays the page out with ``templates/page.html.j2`` (its stylesheet is
``templates/report.css``, inlined so the page opens anywhere without network access).
"""

from __future__ import annotations

import datetime as dt

from sim import __version__
from sim.report import certainty, costs, findings, limits, reach, run, who
from sim.report.context import Context
from sim.report.results import Results

SECTIONS = (reach, limits, costs, who, certainty, run)
"""The sections in the order of the page; each has ``WORDS["heading"]`` and ``section``."""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "page_title": "Basisbaan simulation: {name}",
        "heading": "The basisbaan of {municipality}: simulation report",
        "subtitle": "Experiment “{name}”, {runs} runs, up to {until}. Made on {made}.",
        "forecast_subtitle": "Forecast “{name}”, {runs} runs, up to {until}. Made on {made}.",
        "intro": (
            "The basisbaan gives people who have long been on social assistance (bijstand) a "
            "paid job at minimum wage with a contract, doing work in the wijken of {municipality}. "
            "This report shows what a simulation of the programme says about its growth from "
            "its first jobs to {target}, under each scenario side by side."
        ),
        "contents": "Contents",
        "footer": "Made by basisbaan {version} (revision {revision}).",
    },
    "nl": {
        "page_title": "Simulatie basisbaan: {name}",
        "heading": "De basisbaan van {municipality}: simulatierapport",
        "subtitle": "Experiment “{name}”, {runs} runs, tot {until}. Gemaakt op {made}.",
        "forecast_subtitle": "Prognose “{name}”, {runs} runs, tot {until}. Gemaakt op {made}.",
        "intro": (
            "De basisbaan geeft mensen die lang in de bijstand zitten betaald werk tegen het "
            "minimumloon met een arbeidscontract, met werk in de wijken van {municipality}. Dit "
            "rapport laat zien wat een simulatie van het programma zegt over de groei van "
            "de eerste banen naar {target} basisbanen, per scenario naast elkaar."
        ),
        "contents": "Inhoud",
        "footer": "Gemaakt met basisbaan {version} (revisie {revision}).",
    },
}


def build_page(results: Results, lang: str, budget: float | None = None) -> str:
    """The report of ``results`` in ``lang`` as one self-contained HTML page.

    Args:
        results: the results directory, read.
        lang: ``"en"`` or ``"nl"``.
        budget: a yearly net budget (EUR) for every scenario (default: the experiment's).
    """
    ctx = Context(results, lang, budget)
    sections = [module.section(ctx) for module in SECTIONS]
    w = ctx.words(WORDS)
    m = results.manifest
    name = m.get("name", "?")
    subtitle = w["forecast_subtitle" if results.is_forecast else "subtitle"].format(
        name=name, runs=len(results.runs), until=ctx.end_label, made=dt.date.today().isoformat()
    )
    # A section's heading is numbered ("1. When ..."); the list of contents numbers itself.
    contents = [ctx.words(module.WORDS)["heading"].split(" ", 1)[1] for module in SECTIONS]
    page = ctx.render(
        "page.html.j2",
        w,
        title=w["page_title"].format(name=name),
        subtitle=subtitle,
        findings=findings.section(ctx),
        scenarios_table=run.scenarios(ctx),
        contents=contents,
        sections=sections,
        footer=w["footer"].format(
            version=m.get("package_version", __version__),
            revision=m.get("git_revision", "unknown"),
        ),
    )
    return str(page) + "\n"
