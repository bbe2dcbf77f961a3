"""The report of an analysis: which assumptions matter, or when the policy falls short.

A results directory of a sensitivity analysis or a scenario discovery holds
``analysis.json`` beside ``sensitivity.csv`` or ``discovery.csv`` (:mod:`sim.analysis`).
Its report is one self-contained HTML page, in English or Dutch, like every other
report: a heading and the key findings, the section of the analysis
(:mod:`sim.report.sensitivity`: "Which assumptions matter?", or
:mod:`sim.report.discovery`: "When does the policy fall short?") and what was run.
It reads those small files and the manifest only, never the runs' weekly tables, so
it is quick however many runs the analysis took.

:func:`write_analysis_report` also writes the figures as PNG files in ``figures/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup
from matplotlib.figure import Figure

from sim import __version__
from sim.config.errors import ConfigError
from sim.figures.sensitivity import boxes_chart, morris_chart, sobol_chart
from sim.figures.style import DPI
from sim.report import discovery as discovery_words
from sim.report import formats
from sim.report import sensitivity as sensitivity_words
from sim.report.context import COMMON, ENVIRONMENT
from sim.report.page import WORDS as PAGE_WORDS
from sim.store import read_manifest

ANALYSIS_FILE = "analysis.json"
TABLES = {"sensitivity": "sensitivity.csv", "discovery": "discovery.csv"}
REPORT_FILE = "report.html"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title_sensitivity": "The basisbaan of {municipality}: which assumptions matter",
        "title_discovery": "The basisbaan of {municipality}: when the policy falls short",
        "subtitle": "Analysis “{name}”, {runs} runs, up to {until}. Made on {made}.",
        "intro_sensitivity": (
            "A simulation's answers rest on its assumptions. This report shows which of the "
            "model's uncertain assumptions decide its answers about the basisbaan of "
            "{municipality}, and which hardly matter, so that the effort to pin numbers down "
            "goes where it counts."
        ),
        "intro_discovery": (
            "A policy can fall short when its assumptions turn out otherwise. This report "
            "shows under which combinations of assumptions (and of the levers named) the "
            "basisbaan of {municipality} falls short, so that policy makers know what to "
            "watch."
        ),
        "findings": "Key findings",
        "finding_sensitivity": "{output}: {leading}",
        "run_heading": "2. What was run?",
        "setting": "Setting",
        "value": "Value",
        "r_name": "Analysis",
        "r_description": "Description",
        "r_file": "Experiment file",
        "r_hash": "Experiment hash",
        "r_scenario": "Scenario",
        "r_method": "Method",
        "r_condition": "Condition",
        "r_parameters": "Inputs varied",
        "r_points": "Points",
        "r_replicates": "Replicates per point (common random numbers)",
        "r_runs": "Runs",
        "r_seed": "Master seed",
        "r_until": "Horizon",
        "r_elapsed": "Wall time (first start to finish)",
        "r_run_seconds": "Time in the runs (sum over runs; median per run)",
        "r_workers": "Workers",
        "r_version": "Package version",
        "r_revision": "Git revision",
        "method_morris": "Morris screening: {trajectories} trajectories, {levels} levels",
        "method_sobol": "Sobol' indices: {samples} base samples{second}",
        "second_order": ", with second-order indices",
        "method_discovery": "PRIM on a {sweep} sweep of {samples} samples",
        "inputs_list": "The inputs and their ranges",
        "experiment_text": "The experiment file",
        "seconds": "{value} s",
        "minutes": "{value} min",
    },
    "nl": {
        "title_sensitivity": "De basisbaan van {municipality}: welke aannames doen ertoe",
        "title_discovery": "De basisbaan van {municipality}: wanneer het beleid tekortschiet",
        "subtitle": "Analyse “{name}”, {runs} runs, tot {until}. Gemaakt op {made}.",
        "intro_sensitivity": (
            "De uitkomsten van een simulatie rusten op haar aannames. Dit rapport laat zien "
            "welke onzekere aannames van het model de uitkomsten over de basisbaan van "
            "{municipality} bepalen, en welke nauwelijks uitmaken, zodat de moeite om getallen "
            "vast te stellen gaat naar waar het telt."
        ),
        "intro_discovery": (
            "Beleid kan tekortschieten als de aannames anders uitpakken. Dit rapport laat zien "
            "onder welke combinaties van aannames (en van de genoemde beleidsknoppen) de "
            "basisbaan van {municipality} tekortschiet, zodat beleidsmakers weten waar ze op "
            "moeten letten."
        ),
        "findings": "Belangrijkste bevindingen",
        "finding_sensitivity": "{output}: {leading}",
        "run_heading": "2. Wat is er gedraaid?",
        "setting": "Instelling",
        "value": "Waarde",
        "r_name": "Analyse",
        "r_description": "Omschrijving",
        "r_file": "Experimentbestand",
        "r_hash": "Hash van het experiment",
        "r_scenario": "Scenario",
        "r_method": "Methode",
        "r_condition": "Voorwaarde",
        "r_parameters": "Gevarieerde invoer",
        "r_points": "Punten",
        "r_replicates": "Herhalingen per punt (gemeenschappelijke toevalsgetallen)",
        "r_runs": "Runs",
        "r_seed": "Hoofdzaad (seed)",
        "r_until": "Horizon",
        "r_elapsed": "Doorlooptijd (eerste start tot einde)",
        "r_run_seconds": "Tijd in de runs (som over de runs; mediaan per run)",
        "r_workers": "Processen",
        "r_version": "Pakketversie",
        "r_revision": "Git-revisie",
        "method_morris": "Morris-verkenning: {trajectories} trajecten, {levels} niveaus",
        "method_sobol": "Sobol'-indices: {samples} basissteekproeven{second}",
        "second_order": ", met tweede-orde-indices",
        "method_discovery": "PRIM op een {sweep}-steekproef van {samples} punten",
        "inputs_list": "De invoer en haar marges",
        "experiment_text": "Het experimentbestand",
        "seconds": "{value} s",
        "minutes": "{value} min",
    },
}


@dataclass(frozen=True)
class Analysis:
    """An analysis's results directory, read for its report."""

    directory: Path
    manifest: dict[str, Any]
    analysis: dict[str, Any]
    table: pd.DataFrame

    @property
    def kind(self) -> str:
        """``"sensitivity"`` or ``"discovery"``."""
        return str(self.analysis["kind"])

    @property
    def municipality(self) -> str:
        """The municipality's name for the reader."""
        profile = self.manifest.get("municipality") or {}
        return str(profile.get("display_name") or "Gemeente Groningen")


def is_analysis(directory: str | Path) -> bool:
    """Whether a results directory holds an analysis (its ``analysis.json``)."""
    return (Path(directory) / ANALYSIS_FILE).is_file()


def read_analysis(directory: str | Path) -> Analysis:
    """Read an analysis's results directory.

    Raises:
        ConfigError: a file is missing or not what this project writes.
    """
    directory = Path(directory)
    where = str(directory)
    try:
        manifest = read_manifest(directory)
        analysis = json.loads((directory / ANALYSIS_FILE).read_text(encoding="utf-8"))
        table = pd.read_csv(directory / TABLES[analysis["kind"]])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(
            f"holds an analysis that cannot be read ({error}); run its experiment again to "
            "write it anew",
            source=where,
        ) from None
    return Analysis(directory, manifest, analysis, table)


def figures(result: Analysis, lang: str) -> list[tuple[str, str, Figure, str]]:
    """The analysis's figures: ``(key, title, figure, caption)`` in ``lang``."""
    info, table = result.analysis, result.table
    names = sensitivity_words.PARAMETERS[lang]
    drawn = []
    if result.kind == "sensitivity":
        words = sensitivity_words.WORDS[lang]
        outputs = sensitivity_words.output_words(lang, info.get("target", 250))
        for output in info["outputs"]:
            label = outputs.get(output, output)
            if info["method"] == "morris":
                unit = sensitivity_words.AXIS_UNITS[lang][
                    sensitivity_words.UNITS.get(output, "jobs")
                ]
                fig = morris_chart(
                    table, output, names=names, output_label=label, unit=unit, lang=lang
                )
                caption = words["cap_morris"]
            else:
                fig = sobol_chart(table, output, names=names, output_label=label, lang=lang)
                caption = words["cap_sobol"]
            drawn.append((f"sensitivity_{output}", label, fig, caption))
    elif len(table):
        ranges = pd.DataFrame(
            [
                {"parameter": name, "low": span["low"], "high": span["high"]}
                for name, span in info["ranges"].items()
            ]
        )
        levers = [name for name, span in info["ranges"].items() if span["kind"] == "lever"]
        condition = discovery_words.condition_words(info, lang)
        fig = boxes_chart(table, ranges, names=names, condition=condition, levers=levers, lang=lang)
        drawn.append(("discovery_boxes", condition, fig, discovery_words.WORDS[lang]["cap_boxes"]))
    return drawn


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def build_analysis_page(directory: str | Path, lang: str = "en") -> str:
    """The report of an analysis's results directory, as one self-contained HTML page."""
    result = read_analysis(directory)
    blocks = {
        key: {
            "key": key,
            "alt": title,
            "png": base64.b64encode(_png(fig)).decode("ascii"),
            "caption": caption,
        }
        for key, title, fig, caption in figures(result, lang)
    }
    return _page(result, lang, blocks)


def write_analysis_report(directory: str | Path, lang: str = "en") -> list[Path]:
    """Write the analysis's figures (``figures/*.png``) and ``report.html``."""
    directory = Path(directory)
    result = read_analysis(directory)
    folder = directory / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written, blocks = [], {}
    for key, title, fig, caption in figures(result, lang):
        png = _png(fig)
        path = folder / f"{key}.png"
        path.write_bytes(png)
        written.append(path)
        blocks[key] = {
            "key": key,
            "alt": title,
            "png": base64.b64encode(png).decode("ascii"),
            "caption": caption,
        }
    report = directory / REPORT_FILE
    temporary = report.with_name(f".{report.name}.tmp")
    temporary.write_text(_page(result, lang, blocks), encoding="utf-8")
    temporary.replace(report)
    return [*written, report]


def _page(result: Analysis, lang: str, blocks: dict[str, dict[str, str]]) -> str:
    words = {**COMMON[lang], **PAGE_WORDS[lang], **WORDS[lang]}
    info = result.analysis
    place = result.municipality
    if result.kind == "sensitivity":
        section, findings = _sensitivity_section(result, lang, blocks)
    else:
        section, findings = _discovery_section(result, lang, blocks)
    manifest = result.manifest
    page = ENVIRONMENT.get_template("analysis.html.j2").render(
        lang=lang,
        w=words,
        title=words[f"title_{result.kind}"].format(municipality=place),
        subtitle=words["subtitle"].format(
            name=info["name"],
            runs=formats.format_number(info["runs"], lang),
            until=info["until"],
            made=dt.date.today().isoformat(),
        ),
        intro=words[f"intro_{result.kind}"].format(municipality=place),
        findings=findings,
        section=section,
        run=_run_rows(result, lang, words),
        text=manifest.get("experiment_text", ""),
        inputs=[
            (
                sensitivity_words.PARAMETERS[lang].get(name, name),
                name,
                sensitivity_words.range_text(*bounds, lang),
            )
            for name, bounds in _inputs(info).items()
        ],
        footer=PAGE_WORDS[lang]["footer"].format(
            version=manifest.get("package_version", __version__),
            revision=manifest.get("git_revision", "unknown"),
        ),
    )
    return str(page) + "\n"


def _inputs(info: dict[str, Any]) -> dict[str, tuple[float, float]]:
    if info["kind"] == "sensitivity":
        return {name: (low, high) for name, (low, high) in info["parameters"].items()}
    return {name: (span["low"], span["high"]) for name, span in info["ranges"].items()}


def _sensitivity_section(
    result: Analysis, lang: str, blocks: dict[str, dict[str, str]]
) -> tuple[Markup, list[str]]:
    info, table = result.analysis, result.table
    words = {**COMMON[lang], **sensitivity_words.WORDS[lang]}
    outputs = sensitivity_words.output_words(lang, info.get("target", 250))
    names = sensitivity_words.PARAMETERS[lang]
    parts, findings = [], []
    for output in info["outputs"]:
        summary = sensitivity_words.output_summary(table, output, info, lang)
        level = sensitivity_words._level(output, lang, words)
        spread = info["spread"][output]
        leading_names = sensitivity_words.join_names(
            [names.get(n, n) for n in summary["leading"]] or ["–"], lang
        )
        key = "leading_morris" if info["method"] == "morris" else "leading_sobol"
        leading = (
            words[key].format(names=leading_names) if summary["largest"] else words["no_effect"]
        )
        censored = None
        if output == "year_250_reached" and info.get("censored"):
            censored = words["censored"].format(
                share=formats.format_share(info["censored"], lang),
                target=info.get("target", 250),
                until=info["until"][:4],
            )
        parts.append(
            {
                "output": output,
                "title": outputs.get(output, output),
                "spread": words["spread"].format(
                    low=level(spread["q05"]), high=level(spread["q95"]), median=level(spread["q50"])
                ),
                "censored": censored,
                "leading": leading,
                "little": words["little"].format(count=summary["little"], total=summary["total"])
                if summary["largest"]
                else "",
                "rows": summary["rows"],
                "figure": blocks.get(f"sensitivity_{output}"),
            }
        )
        findings.append(
            WORDS[lang]["finding_sensitivity"].format(
                output=outputs.get(output, output), leading=leading
            )
        )
    intro_key = "intro_morris" if info["method"] == "morris" else "intro_sobol"
    intro = words[intro_key].format(
        count=len(info["parameters"]),
        trajectories=info.get("trajectories"),
        times=formats.format_times(int(info["replicates"]), lang),
        points=formats.format_number(info["points"], lang),
    )
    scenario = words["scenario_note"].format(
        scenario=info["scenario"], description=info.get("scenario_description", "")
    )
    section = ENVIRONMENT.get_template("sensitivity.html.j2").render(
        lang=lang,
        w=words,
        intro=Markup(intro),
        scenario=scenario,
        method=info["method"],
        outputs=parts,
    )
    return Markup(section), findings


def _discovery_section(
    result: Analysis, lang: str, blocks: dict[str, dict[str, str]]
) -> tuple[Markup, list[str]]:
    info, table = result.analysis, result.table
    words = {**COMMON[lang], **discovery_words.WORDS[lang]}
    condition = discovery_words.condition_words(info, lang)
    held = words["held"].format(
        count=formats.format_number(info["of_interest"], lang),
        runs=formats.format_number(info["runs"], lang),
        share=formats.format_share(info["share_of_interest"], lang),
        condition=condition,
    )
    boxes = discovery_words.box_rows(table, info, lang)
    if info["of_interest"] == 0:
        status = words["never"]
    elif info["of_interest"] == info["runs"]:
        status = words["always"]
    elif not boxes:
        status = words["no_box"]
    else:
        status = ""
    intro = words["intro"].format(
        samples=formats.format_number(info["samples"], lang),
        times=formats.format_times(int(info["replicates"]), lang),
        runs=formats.format_number(info["runs"], lang),
        condition=condition,
    )
    section = ENVIRONMENT.get_template("discovery.html.j2").render(
        lang=lang,
        w=words,
        intro=Markup(intro),
        held=held,
        status=status,
        boxes=boxes,
        figure=blocks.get("discovery_boxes"),
    )
    findings = [held, *(box["sentence"] for box in boxes)] + ([status] if status else [])
    return Markup(section), findings


def _run_rows(result: Analysis, lang: str, words: dict[str, str]) -> list[tuple[str, str]]:
    info, manifest = result.analysis, result.manifest
    if info["kind"] == "sensitivity":
        if info["method"] == "morris":
            method = words["method_morris"].format(
                trajectories=info["trajectories"], levels=info["levels"]
            )
        else:
            method = words["method_sobol"].format(
                samples=info["samples"],
                second=words["second_order"] if info.get("second_order") else "",
            )
        inputs, points = len(info["parameters"]), info["points"]
    else:
        method = words["method_discovery"].format(
            sweep=info["sweep_method"], samples=info["samples"]
        )
        inputs, points = len(info["ranges"]), info["samples"]
    seconds = manifest.get("run_seconds") or {}
    elapsed = _elapsed(manifest)
    rows = [
        ("r_name", info["name"]),
        ("r_description", info.get("description", "")),
        ("r_file", str(manifest.get("experiment_file", ""))),
        ("r_hash", str(manifest.get("experiment_hash", ""))),
        ("r_scenario", info["scenario"]),
        ("r_method", method),
        *([("r_condition", info["condition"])] if info["kind"] == "discovery" else []),
        ("r_parameters", formats.format_number(inputs, lang)),
        ("r_points", formats.format_number(points, lang)),
        ("r_replicates", str(info["replicates"])),
        ("r_runs", formats.format_number(info["runs"], lang)),
        ("r_seed", str(info["seed"])),
        ("r_until", info["until"]),
        (
            "r_elapsed",
            words["minutes"].format(value=formats.format_number(elapsed / 60, lang, 1))
            if elapsed is not None
            else formats.MISSING,
        ),
        (
            "r_run_seconds",
            f"{words['seconds'].format(value=formats.format_number(seconds['total'], lang))}; "
            f"{words['seconds'].format(value=formats.format_number(seconds['median'], lang, 2))}"
            if seconds
            else formats.MISSING,
        ),
        ("r_workers", str(manifest.get("workers", formats.MISSING))),
        ("r_version", str(manifest.get("package_version", __version__))),
        ("r_revision", str(manifest.get("git_revision", "unknown"))),
    ]
    return [(words[key], value) for key, value in rows]


def _elapsed(manifest: dict[str, Any]) -> float | None:
    """Seconds from the first start to the finish (None before the analysis finished)."""
    try:
        start = dt.datetime.fromisoformat(str(manifest["started"]))
        end = dt.datetime.fromisoformat(str(manifest["finished"]))
    except (KeyError, ValueError):
        return None
    return (end - start).total_seconds()
