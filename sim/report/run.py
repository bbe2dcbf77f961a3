"""Section 6 of the report: what was run?

The scenarios with their overrides (also shown at the top of the page), the
experiment's settings, seeds and code version, and the experiment file as run. Tables:
:func:`scenario_table`, :func:`run_table`; words: :data:`WORDS`; markup:
``templates/run.html.j2`` and ``templates/scenarios.html.j2``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from sim.report.context import Context
from sim.report.results import Results

SEEDS_SHOWN = 10  # replicate seeds listed before the rest is counted

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "6. What was run?",
        "description": "Description",
        "overrides": "Changes to the base settings",
        "no_overrides": "none (the base settings)",
        "sweep_note": (
            "This experiment sweeps parameters: figures and per-scenario tables pool all {count} "
            "samples; the headline table has a column per sample."
        ),
        "setting": "Setting",
        "value": "Value",
        "r_name": "experiment",
        "r_description": "description",
        "r_file": "experiment file",
        "r_hash": "experiment hash",
        "r_municipality": "municipality",
        "r_profile": "{name} (profile {file}; {count} figures)",
        "r_assumptions": "figures marked as assumptions (replace with local figures)",
        "r_base": "base settings (beyond the profile)",
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
    },
    "nl": {
        "heading": "6. Wat is er gedraaid?",
        "description": "Beschrijving",
        "overrides": "Afwijkingen van de basisinstellingen",
        "no_overrides": "geen (de basisinstellingen)",
        "sweep_note": (
            "Dit experiment varieert parameters: figuren en tabellen per scenario voegen alle "
            "{count} steekproeven samen; de hoofdtabel heeft een kolom per steekproef."
        ),
        "setting": "Instelling",
        "value": "Waarde",
        "r_name": "experiment",
        "r_description": "beschrijving",
        "r_file": "experimentbestand",
        "r_hash": "hash van het experiment",
        "r_municipality": "gemeente",
        "r_profile": "{name} (profiel {file}; {count} gegevens)",
        "r_assumptions": "gegevens die aannames zijn (vervang ze door lokale cijfers)",
        "r_base": "basisinstellingen (naast het profiel)",
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
    },
}


def scenario_table(results: Results) -> pd.DataFrame:
    """The scenarios as run.

    Returns:
        A row per scenario, in the report's order: ``scenario``, ``description`` and
        ``overrides`` (a dict of the scenario's changes to the base settings).
    """
    declared = results.manifest["experiment"].get("scenarios") or {}
    descriptions = results.manifest.get("scenario_descriptions") or {}
    return pd.DataFrame(
        [
            {
                "scenario": s,
                "description": descriptions.get(s, ""),
                "overrides": dict(declared.get(s) or {}),
            }
            for s in results.scenarios
        ],
        columns=["scenario", "description", "overrides"],
    )


@dataclass(frozen=True)
class Run:
    """What was run, from the manifest: the settings of the table, in its order.

    Fields missing from the manifest are empty strings (``runs_total`` is ``?``).
    """

    name: str
    description: str
    file: str
    hash: str
    base: dict[str, Any]
    municipality: dict[str, Any]  # the profile as the manifest records it ({} for none)
    sweep: tuple[int, list[str]] | None  # samples and the parameters swept
    replicates: object
    seed: object
    seeds: list[int]
    until: object
    runs_finished: int
    runs_total: object
    version: str
    revision: str
    started: str
    finished: str
    seconds: float | None  # run time of all runs together
    workers: object
    directory: str
    made: str  # when the report was made
    text: str  # the experiment file as run


def run_table(results: Results) -> Run:
    """The settings of the run, read from the manifest."""
    m = results.manifest
    experiment = m["experiment"]
    profile = m.get("municipality") or {}
    sweep = experiment.get("sweep")
    seconds = (m.get("run_seconds") or {}).get("total")
    return Run(
        name=m.get("name", ""),
        description=m.get("description", ""),
        file=m.get("experiment_file", ""),
        hash=m.get("experiment_hash", ""),
        base={
            key: value
            for key, value in (experiment.get("base") or {}).items()
            if key not in set(profile.get("figures", []))
        },
        municipality=profile,
        sweep=(len(sweep), list(sweep[0])) if sweep else None,
        replicates=m.get("replicates", experiment.get("replicates", "")),
        seed=m.get("master_seed", experiment.get("seed", "")),
        seeds=list(m.get("seeds") or []),
        until=m.get("until", experiment.get("until", "")),
        runs_finished=len(results.runs),
        runs_total=m.get("runs_total", "?"),
        version=m.get("package_version", ""),
        revision=m.get("git_revision", ""),
        started=str(m.get("started", "")).replace("T", " "),
        finished=str(m.get("finished", "")).replace("T", " "),
        seconds=None if seconds is None else float(seconds),
        workers=m.get("workers", ""),
        directory=str(results.directory.resolve()),
        made=dt.datetime.now().isoformat(timespec="seconds").replace("T", " "),
        text=m.get("experiment_text") or json.dumps(experiment, indent=2),
    )


def scenarios(ctx: Context) -> Markup:
    """The table of scenarios (at the top of the page and in section 6) as HTML."""
    return ctx.render(
        "scenarios.html.j2",
        ctx.words(WORDS),
        rows=scenario_table(ctx.results).to_dict("records"),
        samples=ctx.results.samples,
    )


def section(ctx: Context) -> Markup:
    """Section 6 as HTML."""
    run = run_table(ctx.results)
    seeds = ", ".join(str(s) for s in run.seeds[:SEEDS_SHOWN])
    if len(run.seeds) > SEEDS_SHOWN:
        seeds += f", … ({len(run.seeds)})"
    return ctx.render(
        "run.html.j2", ctx.words(WORDS), run=run, seeds=seeds, scenarios_table=scenarios(ctx)
    )
