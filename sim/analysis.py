"""An analysis's results: from the runs in the store to its table, figures and report.

After the ordinary runner has run every point of a sensitivity analysis or a scenario
discovery (:mod:`sim.sensitivity`, :mod:`sim.discovery`), :func:`write_analysis`
reads the ``runs`` table (one small row per run, with the ``param_<name>`` inputs and
the ``output_<name>`` outputs), analyses it and writes, beside the runs:

- ``sensitivity.csv`` (Morris: ``method, output, parameter, mu_star, mu_star_conf,
  sigma, mu``; Sobol': ``method, output, parameter, S1, S1_conf, ST, ST_conf`` and
  ``other, S2, S2_conf`` where second-order indices were asked for), or
  ``discovery.csv`` (``box, parameter, low, high, coverage, density``);
- ``analysis.json``: what was analysed (method or condition, parameters and their
  ranges, runs, the share of runs censored or meeting the condition), which the
  report reads;
- the figures (``figures/``) and ``report.html``.

Only the ``runs`` table is read, so the memory an analysis takes grows with the runs'
count, never with their weeks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.discovery import cases, discover
from sim.experiment import Experiment
from sim.outputs import COLUMN_PREFIX, never_reached
from sim.params import levers
from sim.sensitivity import analyse, point_means
from sim.store import INPUT_PREFIX, read_table

ANALYSIS_FILE = "analysis.json"
SENSITIVITY_FILE = "sensitivity.csv"
DISCOVERY_FILE = "discovery.csv"


def write_analysis(directory: Path, experiment: Experiment, *, figures: bool = True) -> list[Path]:
    """Analyse the finished runs of ``experiment`` in ``directory``; the files written."""
    if experiment.sensitivity is not None:
        written = _sensitivity(directory, experiment)
    elif experiment.discovery is not None:
        written = _discovery(directory, experiment)
    else:
        raise ValueError(f"{experiment.name} is not an analysis")
    if figures:
        from sim.report.analysis import write_analysis_report

        written += write_analysis_report(directory)
    return written


def _sensitivity(directory: Path, experiment: Experiment) -> list[Path]:
    sensitivity = experiment.sensitivity
    assert sensitivity is not None
    columns = ["sample", "replicate", *(f"{COLUMN_PREFIX}{n}" for n in sensitivity.outputs)]
    runs = read_table(directory, "runs", columns=columns)
    runs = runs[runs["sample"] < sensitivity.points]  # see point_means: a shorter design
    means = point_means(runs, sensitivity.outputs, sensitivity.points)
    frame = analyse(sensitivity, means)
    table = directory / SENSITIVITY_FILE
    frame.to_csv(table, index=False)
    described = {
        **_common(experiment, runs),
        **sensitivity.describe(),
        "censored": _censored(runs, experiment)
        if "year_250_reached" in sensitivity.outputs
        else None,
        "spread": {
            name: {
                "q05": float(np.quantile(means[name], 0.05)),
                "q50": float(np.quantile(means[name], 0.5)),
                "q95": float(np.quantile(means[name], 0.95)),
            }
            for name in sensitivity.outputs
        },
    }
    return [table, _write_json(directory, described)]


def _discovery(directory: Path, experiment: Experiment) -> list[Path]:
    discovery = experiment.discovery
    assert discovery is not None
    assert experiment.sweep is not None
    columns = [
        "sample",
        "replicate",
        *(f"{INPUT_PREFIX}{name}" for name in discovery.inputs),
        f"{COLUMN_PREFIX}{discovery.condition.output}",
    ]
    runs = read_table(directory, "runs", columns=columns)
    x, y = cases(discovery, runs)
    boxes = discover(discovery, x, y)
    table = directory / DISCOVERY_FILE
    boxes.table.to_csv(table, index=False)
    lever_names = set(levers())
    described = {
        **_common(experiment, runs),
        **discovery.describe(),
        "of_interest": boxes.of_interest,
        "share_of_interest": boxes.of_interest / boxes.cases,
        "boxes_found": boxes.summary.to_dict(orient="records"),
        "ranges": {
            row.parameter: {
                "low": float(row.low),
                "high": float(row.high),
                "kind": "lever" if row.parameter in lever_names else "uncertainty",
            }
            for row in boxes.ranges.itertuples()
        },
        "sweep_method": experiment.sweep.method,
        # The points analysed: all of the sweep's, or those run so far when an
        # interrupted sweep is analysed as it stands (PRIM needs no complete design).
        "samples": int(runs["sample"].nunique()),
        "samples_planned": len(experiment.samples),
    }
    return [table, _write_json(directory, described)]


def _common(experiment: Experiment, runs: pd.DataFrame) -> dict[str, Any]:
    scenario = next(iter(experiment.scenarios))
    return {
        "name": experiment.name,
        "description": experiment.description,
        "scenario": scenario,
        "scenario_description": experiment.scenario_descriptions.get(scenario, ""),
        "runs": len(runs),
        "replicates": experiment.replicates,
        "seed": experiment.seed,
        "until": experiment.until.isoformat(),
        "target": experiment.params(scenario).job_ceiling_max,
    }


def _censored(runs: pd.DataFrame, experiment: Experiment) -> float:
    """The share of runs that never reach the target (their year is censored)."""
    values = runs[f"{COLUMN_PREFIX}year_250_reached"].to_numpy(dtype=float)
    return float(np.mean(values >= never_reached(experiment.until) - 1e-9))


def _write_json(directory: Path, described: dict[str, Any]) -> Path:
    path = directory / ANALYSIS_FILE
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(described, indent=2, default=str), encoding="utf-8")
    temporary.replace(path)
    return path


def read_analysis(directory: str | Path) -> dict[str, Any] | None:
    """``analysis.json`` of a results directory, or None when it holds no analysis."""
    path = Path(directory) / ANALYSIS_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
