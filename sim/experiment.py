"""Experiment files: scenarios, sweeps and replications declared in TOML.

An experiment names a base configuration (``[params]``, optionally on top of another
file with ``extends``), one or more scenarios (each a set of parameter overrides on
the base), an optional sweep (a grid, or a Latin hypercube or Sobol sample of
parameter ranges drawn with ``scipy.stats.qmc``), the number of replicates, a master
seed, the horizon and the outputs to keep. Everything is validated before anything
runs; errors name the file, the key and what is allowed (``ConfigError``).

Every run is a :class:`RunSpec`: (scenario, sample, replicate) with its seed. Seeds
are spawned from the master seed, one per replicate, and replicate k has the same
seed in every scenario and sample (common random numbers).

A sweep may sample the registry's uncertainties by their ranges (``uncertainties =
"uncertain"`` or a list of names) beside levers given with their own ranges. Two
tables turn an experiment into an analysis of one scenario: ``[sensitivity]``
(:mod:`sim.sensitivity`: SALib's Morris or Sobol' design is the sweep) and
``[discovery]`` on a sweep (:mod:`sim.discovery`: PRIM finds where a condition on an
output holds). An analysis keeps only the weekly columns its file names (``employed``
by default): it reads the outputs of each run from the ``runs`` table.

Sizes are checked before anything is generated: an experiment of more than
:data:`~sim.config.checks.MAX_RUNS` runs (a grid, a sample count or a replicate count
mistyped by a few zeros) is refused with the way to raise the limit (``--max-runs``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from sim.config.checks import (
    MAX_RUNS,
    SEED_LIMIT,
    check_keys,
    folder_name,
    is_number,
    key_path,
    shown,
    string,
    suggestion,
    unknown_name,
    whole_number,
    within_limit,
)
from sim.config.errors import ConfigError
from sim.config.profiles import PROFILES, Profile, load_profile, profile_path
from sim.config.read import read_toml
from sim.discovery import Discovery, parse_discovery
from sim.outcomes import OUTCOMES
from sim.params import Params, check_names, from_number, uncertain_ranges
from sim.sensitivity import (
    Sensitivity,
    check_output,
    check_uncertain_names,
    parse_sensitivity,
)
from sim.simulation import DEFAULT_UNTIL, check_until
from sim.streams import replicate_seeds

EXPERIMENT_KEYS = (
    "name",
    "description",
    "extends",
    "municipality",
    "seed",
    "replicates",
    "until",
    "outputs",
    "params",
    "scenarios",
    "sweep",
    "sensitivity",
    "discovery",
)
SWEEP_KEYS = ("method", "samples", "parameters", "uncertainties")
SWEEP_METHODS = ("grid", "lhs", "sobol")
SCENARIO_RESERVED = ("description",)
# The weekly columns the summary, the figures, the report and the forecast read: kept
# in every run whatever ``outputs`` says, so that what ``run`` promises (summary.csv,
# the figures, report.html) and ``forecast`` can always be made from what was kept.
ALWAYS_KEPT = (
    "employed",
    "employed_permanent",
    "waiting_for_tasks",
    "spoken_cum",
    "started_cum",
    "rejected_paid_work_cum",
    "rejected_health_cum",
    "rejected_volunteering_cum",
    "rejected_other_cum",
    "exited_cum",
    "cost_gross_eur",
    "cost_net_eur",
    "binding_constraint",
    "eligible",
    "referred_cum",
    "job_ceiling",
    "cost_wages_eur",
    "cost_employer_eur",
    "cost_guidance_eur",
    "cost_coaches_eur",
    "contributions_eur",
    "benefits_saved_eur",
    "subsidies_eur",
    "job_target",
    "willing_pool",
    "supplements_eur",
    "exit_regular_job_cum",
)
# What an analysis (sensitivity, discovery) keeps of the weekly series unless its file
# names more: it reads its outputs from the runs table, and thousands of runs' weeks
# would only fill the disk.
ANALYSIS_KEPT = ("employed",)
DEFAULT_SEED = 20200301
DEFAULT_REPLICATES = 20
BASELINE_SCENARIO = "baseline"


@dataclass(frozen=True)
class Sweep:
    """Parameter values to try in every scenario: one dict of overrides per sample.

    ``points`` are the numbers drawn, as the ``param_<name>`` columns record them; they
    differ from the overrides only for a structured parameter such as ``areas``, whose
    number stands for a value (:func:`sim.params.from_number`). Empty: the samples.
    ``method`` is also ``"morris"`` or ``"saltelli"`` for a sensitivity design.
    """

    method: Literal["grid", "lhs", "sobol", "morris", "saltelli"]
    parameters: dict[str, list[float]]
    samples: list[dict[str, Any]]
    points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def values(self) -> list[dict[str, Any]]:
        """The numbers of each sample (``points``, or the samples themselves)."""
        return self.points or self.samples


@dataclass(frozen=True)
class RunSpec:
    """One run of an experiment."""

    scenario: str
    sample: int
    replicate: int
    seed: int
    overrides: dict[str, Any]
    sweep_values: dict[str, Any]
    until: dt.date

    @property
    def key(self) -> str:
        """A file-name-safe identifier, unique within the experiment."""
        return f"{self.scenario}__s{self.sample:04d}__r{self.replicate:05d}"


@dataclass(frozen=True)
class Experiment:
    """A validated experiment."""

    name: str
    description: str
    source: str
    base: dict[str, Any]
    scenarios: dict[str, dict[str, Any]]
    scenario_descriptions: dict[str, str]
    sweep: Sweep | None
    replicates: int
    seed: int
    until: dt.date
    outputs: tuple[str, ...]
    text: str = field(repr=False, default="")
    # The municipality's profile the base starts from (None: the registry's Groningen).
    municipality: Profile | None = None
    # Per-replicate overrides (a forecast's posterior draws): replicate k runs with
    # draws[k] under its scenario's levers. Empty for ordinary experiments.
    draws: tuple[dict[str, Any], ...] = ()
    # Where a forecast's draws came from and how they are nested (sim.forecast.Design):
    # the posterior's hash, the calibration, draws x ways x seeds. Empty otherwise.
    provenance: dict[str, Any] = field(default_factory=dict)
    # An analysis of the one scenario (sim.sensitivity, sim.discovery), or None.
    sensitivity: Sensitivity | None = None
    discovery: Discovery | None = None

    @property
    def is_analysis(self) -> bool:
        """Whether the file is a sensitivity analysis or a scenario discovery."""
        return self.sensitivity is not None or self.discovery is not None

    @property
    def samples(self) -> list[dict[str, Any]]:
        """The sweep's samples, or a single empty one."""
        return self.sweep.samples if self.sweep else [{}]

    @property
    def columns(self) -> tuple[str, ...]:
        """The weekly columns a run keeps: ``outputs`` and :data:`ALWAYS_KEPT`.

        An analysis keeps its ``outputs`` alone (:data:`ANALYSIS_KEPT` by default).
        """
        kept = {*self.outputs} if self.is_analysis else {*self.outputs, *ALWAYS_KEPT}
        return tuple(name for name in OUTCOMES if name in kept)

    @property
    def detail(self) -> bool:
        """Whether a run keeps the employed per wijk and the composition of participants.

        An analysis does not: it reads its runs table alone, and the employed per wijk
        are 7,924 rows a run to 2030 (written for speed and disk space).
        """
        return not self.is_analysis

    @property
    def run_count(self) -> int:
        """Scenarios x samples x replicates."""
        return len(self.scenarios) * len(self.samples) * self.replicates

    def seeds(self) -> list[int]:
        """Replicate seeds spawned from the master seed."""
        return replicate_seeds(self.seed, self.replicates)

    def runs(self) -> list[RunSpec]:
        """Every scenario x sample x replicate, in a fixed order."""
        seeds = self.seeds()
        points = self.sweep.values if self.sweep else self.samples
        runs = []
        for scenario, overrides in self.scenarios.items():
            for sample, values in enumerate(self.samples):
                for replicate, seed in enumerate(seeds):
                    runs.append(
                        RunSpec(
                            scenario=scenario,
                            sample=sample,
                            replicate=replicate,
                            seed=seed,
                            overrides={**self.base, **self._draw(replicate), **overrides, **values},
                            sweep_values=dict(points[sample]),
                            until=self.until,
                        )
                    )
        return runs

    def params(self, scenario: str, sample: int = 0, replicate: int = 0) -> Params:
        """The validated parameters of one scenario (and sweep sample, and draw)."""
        overrides = {
            **self.base,
            **self._draw(replicate),
            **self.scenarios[scenario],
            **self.samples[sample],
        }
        return Params.from_mapping(overrides, source=self.source, where=f"scenarios.{scenario}")

    def _draw(self, replicate: int) -> dict[str, Any]:
        return self.draws[replicate] if self.draws else {}

    def with_draws(
        self,
        draws: list[dict[str, Any]],
        *,
        name: str,
        source: str = "posterior",
        provenance: dict[str, Any] | None = None,
    ) -> Experiment:
        """A copy whose replicate k runs with ``draws[k]`` (one replicate per draw).

        Every draw is checked under every scenario (a draw valid alone can clash with a
        scenario's lever); ``source`` names where the draws came from, ``provenance``
        records it in the experiment's identity (and so in its hash and manifest).
        """
        if not draws:
            raise ConfigError("needs at least one draw", source="--draws")
        experiment = Experiment(
            **{
                **self.__dict__,
                "name": name,
                "draws": tuple(draws),
                "replicates": len(draws),
                "provenance": dict(provenance or {}),
            }
        )
        for scenario in experiment.scenarios:
            for replicate in range(len(draws)):
                try:
                    experiment.params(scenario, replicate=replicate)
                except ConfigError as error:
                    raise ConfigError(
                        f"{error.message} (draw {replicate} under scenario '{scenario}' of "
                        f"{self.source})",
                        source=source,
                        key=error.key.removeprefix(f"scenarios.{scenario}.") if error.key else None,
                    ) from None
        return experiment

    def identity(self) -> dict[str, Any]:
        """What defines the experiment's results: settings and overrides, not prose."""
        return {
            "name": self.name,
            "municipality": self.municipality.name if self.municipality else None,
            "base": _plain(self.base),
            "scenarios": _plain(self.scenarios),
            "sweep": _plain(self.sweep.values) if self.sweep else None,
            "replicates": self.replicates,
            "seed": self.seed,
            "until": self.until.isoformat(),
            "outputs": list(self.outputs),
            "draws": _plain(list(self.draws)) if self.draws else None,
            **({"provenance": _plain(self.provenance)} if self.provenance else {}),
        }

    def digest(self) -> str:
        """A hash of :meth:`identity`: two experiments with the same hash give the same data."""
        blob = json.dumps(self.identity(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def with_settings(
        self,
        *,
        seed: int | None = None,
        replicates: int | None = None,
        until: str | dt.date | None = None,
        max_runs: int = MAX_RUNS,
        samples: int | None = None,
    ) -> Experiment:
        """A copy with the command line's overrides of seed, replicates and horizon.

        ``samples`` draws a sampled sweep or an analysis's design anew at another size:
        Morris trajectories, Sobol' base samples (a power of two) or sweep samples. The
        design keeps the file's seed, as a sweep does under ``--seed``.

        Raises:
            ConfigError: an invalid value, or more runs than ``max_runs``.
        """
        changes: dict[str, Any] = {}
        if samples is not None:
            changes.update(self._resampled(samples, max_runs))
        if seed is not None:
            changes["seed"] = whole_number(seed, at_least=0, at_most=SEED_LIMIT, source="--seed")
        if replicates is not None:
            changes["replicates"] = whole_number(replicates, at_least=1, source="--replications")
        if until is not None:
            changes["until"] = check_until(until, source="--until", key=None)
            for name in self._analysed_outputs():
                check_output(name, "--until", None, changes["until"])
        experiment = Experiment(**{**self.__dict__, **changes})
        if replicates is not None:
            _check_size(experiment, max_runs, source="--replications", key=None)
        if samples is not None:
            _check_size(experiment, max_runs, source="--samples", key=None)
        return experiment

    def _analysed_outputs(self) -> tuple[str, ...]:
        if self.sensitivity is not None:
            return self.sensitivity.outputs
        if self.discovery is not None:
            return (self.discovery.condition.output,)
        return ()

    def _resampled(self, samples: int, max_runs: int) -> dict[str, Any]:
        """The sweep (and sensitivity design) drawn anew with ``samples``."""
        source = "--samples"
        if self.sweep is None or self.sweep.method == "grid":
            raise ConfigError(
                "applies to an analysis or a sampled sweep (lhs or sobol); this experiment has "
                "none",
                source=source,
            )
        count = whole_number(samples, at_least=2, at_most=max_runs, source=source)
        if self.sensitivity is not None:
            if self.sensitivity.method == "sobol" and count & (count - 1):
                raise ConfigError(
                    f"must be a power of two for Sobol' indices, got {count}", source=source
                )
            sensitivity = (
                replace(self.sensitivity, trajectories=count)
                if self.sensitivity.method == "morris"
                else replace(self.sensitivity, samples=count)
            )
            analysed = {**self.base, **next(iter(self.scenarios.values()))}
            return {
                "sensitivity": sensitivity,
                "sweep": _design_sweep(sensitivity, analysed, source, max_runs),
            }
        points = _qmc_samples(self.sweep.method, self.sweep.parameters, count, self.seed)
        sweep = Sweep(
            method=self.sweep.method,
            parameters=self.sweep.parameters,
            samples=[_overrides(point, self.base) for point in points],
            points=[typed(point) for point in points],
        )
        return {"sweep": sweep}


def load_experiment(
    path: str | Path, *, max_runs: int = MAX_RUNS, replicates: int | None = None
) -> Experiment:
    """Read and validate an experiment (or plain config) file.

    Args:
        path: the file.
        max_runs: the most runs (scenarios x samples x replicates) allowed.
        replicates: the command line's replicate count, in place of the file's.
    """
    path = Path(path)
    data, content = read_toml(path)
    return parse_experiment(
        data,
        source=str(path),
        text=content,
        base_dir=path.parent,
        max_runs=max_runs,
        replicates=replicates,
        _seen=(_resolved(path),),
    )


def parse_experiment(
    data: Mapping[str, Any],
    *,
    source: str,
    text: str = "",
    base_dir: Path | None = None,
    max_runs: int = MAX_RUNS,
    replicates: int | None = None,
    _seen: tuple[Path, ...] = (),
    _extended: bool = False,
) -> Experiment:
    """Validate an experiment given as a mapping (the parsed TOML).

    Args:
        data: the file's tables.
        source: the file, for messages.
        text: the file's text, kept in the manifest.
        base_dir: the folder ``extends`` is relative to.
        max_runs: the most runs (scenarios x samples x replicates) allowed.
        replicates: the command line's replicate count, in place of the file's.
        _seen: the files of the ``extends`` chain so far (to report a cycle).
        _extended: parsing a parent for ``extends``: its run count does not matter.
    """
    _check_top_keys(data, source)
    inherited: dict[str, Any] = {}
    parent: Experiment | None = None
    if "extends" in data:
        parent = _parent(data["extends"], source, base_dir, max_runs, _seen)
        inherited = dict(parent.base)
    municipality = parent.municipality if parent else None
    if "municipality" in data:
        municipality = _profile(data["municipality"], source, base_dir)
        inherited = {**inherited, **municipality.overrides}

    name = _name(data, parent, source)
    description = string(data.get("description", ""), source=source, key="description")

    params = data.get("params", {})
    if not isinstance(params, Mapping):
        raise ConfigError(
            f"must be a table of parameters, got {shown(params)}", source=source, key="params"
        )
    base = {**inherited, **params}
    Params.from_mapping(base, source=source, where="params")

    if "scenarios" not in data and parent is not None:
        # An extending file without scenarios keeps its parent's, on the new base.
        scenarios, descriptions = _scenarios(parent.scenarios, base, source)
        descriptions = dict(parent.scenario_descriptions)
    else:
        scenarios, descriptions = _scenarios(data.get("scenarios"), base, source)
    seed = _seed(data, parent, source)
    sweep = _sweep(data.get("sweep"), base, source, seed=seed, max_runs=max_runs)
    replicates_given = whole_number(
        data.get("replicates", parent.replicates if parent else DEFAULT_REPLICATES),
        at_least=1,
        source=source,
        key="replicates",
    )
    if replicates is not None:
        replicates_given = whole_number(replicates, at_least=1, source="--replications")
    until = check_until(data.get("until", parent.until if parent else DEFAULT_UNTIL), source=source)
    outputs = _outputs(data.get("outputs"), source)
    sensitivity: Sensitivity | None = None
    discovery: Discovery | None = None
    if "sensitivity" in data or "discovery" in data:
        analysis = "sensitivity" if "sensitivity" in data else "discovery"
        scenarios, descriptions = _analysed_scenario(
            data[analysis], scenarios, descriptions, source, analysis
        )
        analysed = {**base, **next(iter(scenarios.values()))}
        if "outputs" not in data:
            outputs = ANALYSIS_KEPT
    if "sensitivity" in data:
        for other in ("sweep", "discovery"):
            if other in data:
                raise ConfigError(
                    "a [sensitivity] analysis samples its own points: it takes no "
                    f"[{other}] table (put that in a file of its own)",
                    source=source,
                    key=other,
                )
        sensitivity = parse_sensitivity(
            _without_scenario(data["sensitivity"]),
            source=source,
            seed=seed,
            until=until,
            design=Params.from_mapping(analysed).design,
        )
        sweep = _design_sweep(sensitivity, analysed, source, max_runs)
    if "discovery" in data:
        if sweep is None:
            raise ConfigError(
                'needs a [sweep] of the levers and uncertainties to search (method "lhs", '
                'with uncertainties = "uncertain" and the levers under [sweep.parameters])',
                source=source,
                key="discovery",
            )
        discovery = parse_discovery(
            _without_scenario(data["discovery"]),
            source=source,
            until=until,
            inputs=list(sweep.parameters),
        )
    experiment = Experiment(
        name=name,
        description=description,
        source=source,
        base=base,
        scenarios=scenarios,
        scenario_descriptions=descriptions,
        sweep=sweep,
        replicates=replicates_given,
        seed=seed,
        until=until,
        outputs=outputs,
        text=text,
        municipality=municipality,
        sensitivity=sensitivity,
        discovery=discovery,
    )
    if not _extended:
        if replicates is None:
            _check_size(experiment, max_runs, source=source, key="replicates")
        else:
            _check_size(experiment, max_runs, source="--replications", key=None)
    if sweep is not None:
        for scenario in scenarios:
            for sample in sweep.samples:
                _check_sweep_in_scenario(base, scenarios, scenario, sample, source)
    return experiment


# ---------------------------------------------------------------------------------
def _analysed_scenario(
    table: Any,
    scenarios: dict[str, dict[str, Any]],
    descriptions: dict[str, str],
    source: str,
    analysis: str,
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The one scenario an analysis studies: its ``scenario`` key, or the file's only one."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"must be a table, got {shown(table)}", source=source, key=analysis)
    key = f"{analysis}.scenario"
    if "scenario" in table:
        name = table["scenario"]
        if name not in scenarios:
            raise ConfigError(
                unknown_name("scenario", name, list(scenarios)), source=source, key=key
            )
    elif len(scenarios) == 1:
        name = next(iter(scenarios))
    else:
        raise ConfigError(
            f'an analysis studies one scenario: name it (scenario = "..."); the file has '
            f"{', '.join(scenarios)}",
            source=source,
            key=key,
        )
    return {name: scenarios[name]}, {name: descriptions.get(name, "")}


def _without_scenario(table: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in table.items() if key != "scenario"}


def _design_sweep(
    sensitivity: Sensitivity, analysed: dict[str, Any], source: str, max_runs: int
) -> Sweep:
    """SALib's design as a sweep: each point a sample, run with every replicate seed."""
    within_limit(
        sensitivity.points,
        limit=max_runs,
        parts=f"a {sensitivity.method} design of {sensitivity.points:,} points",
        source=source,
        key="sensitivity." + ("trajectories" if sensitivity.method == "morris" else "samples"),
    )
    names = sensitivity.problem.names
    points = [dict(zip(names, map(float, row), strict=True)) for row in sensitivity.design()]
    return Sweep(
        method="morris" if sensitivity.method == "morris" else "saltelli",
        parameters={n: list(b) for n, b in zip(names, sensitivity.problem.bounds, strict=True)},
        samples=[_overrides(point, analysed) for point in points],
        points=[typed(point) for point in points],
    )


def _overrides(point: Mapping[str, float], current: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter values a sampled point stands for (see :func:`sim.params.from_number`)."""
    return {name: from_number(name, value, current.get(name)) for name, value in point.items()}


def _profile(value: Any, source: str, base_dir: Path | None) -> Profile:
    reference = string(value, source=source, key="municipality")
    path = profile_path(reference, relative_to=base_dir)
    if not path.exists():
        known = sorted(p.stem for p in PROFILES.glob("*.toml"))
        raise ConfigError(
            f"no municipality profile '{reference}' ({path} does not exist); allowed: "
            f"{', '.join(known)}, or the path of a profile file",
            source=source,
            key="municipality",
        )
    return load_profile(path)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the path as written
        return path.absolute()


def _check_top_keys(data: Mapping[str, Any], source: str) -> None:
    """Unknown top-level keys; a parameter there is told to go under [params]."""
    for key in data:
        if key in EXPERIMENT_KEYS:
            continue
        if key in Params.model_fields:
            raise ConfigError(
                "a parameter at the top of the file: put it under [params] (the base of "
                "every scenario) or under a [scenarios.NAME] table",
                source=source,
                key=str(key),
            )
        check_keys((key,), EXPERIMENT_KEYS, source=source)


def _parent(
    value: Any, source: str, base_dir: Path | None, max_runs: int, seen: tuple[Path, ...]
) -> Experiment:
    """The experiment ``extends`` names: read, validated, and not part of a cycle."""
    parent_name = string(value, source=source, key="extends")
    if not parent_name or "\0" in parent_name:
        raise ConfigError(f"{shown(parent_name)} is not a file name", source=source, key="extends")
    parent_path = (base_dir or Path(".")) / parent_name
    resolved = _resolved(parent_path)
    if resolved in seen:
        chain = " -> ".join(path.name for path in (*seen, resolved))
        raise ConfigError(
            f"extends a file that extends this one: a cycle ({chain})",
            source=source,
            key="extends",
        )
    if not parent_path.is_file():
        what = "is a folder, not a file" if parent_path.is_dir() else "not found"
        raise ConfigError(f"{parent_path} {what}", source=source, key="extends")
    parent_data, parent_text = read_toml(parent_path)
    return parse_experiment(
        parent_data,
        source=str(parent_path),
        text=parent_text,
        base_dir=parent_path.parent,
        max_runs=max_runs,
        _seen=(*seen, resolved),
        _extended=True,
    )


def _name(data: Mapping[str, Any], parent: Experiment | None, source: str) -> str:
    if "name" in data:
        return folder_name(data["name"], source=source, key="name")
    if parent is not None:
        return parent.name
    stem = Path(source).stem
    try:
        return folder_name(stem, source=source, key="name")
    except ConfigError as error:
        raise ConfigError(
            f"missing, and the file's name cannot stand in for it: {error.message}",
            source=source,
            key="name",
        ) from None


def _seed(data: Mapping[str, Any], parent: Experiment | None, source: str) -> int:
    seed = data.get("seed", parent.seed if parent else DEFAULT_SEED)
    return whole_number(seed, at_least=0, at_most=SEED_LIMIT, source=source, key="seed")


def _check_size(experiment: Experiment, max_runs: int, *, source: str, key: str | None) -> None:
    """Refuse more runs than ``max_runs``, saying how the count is made up.

    The key names the replicates, unless the sweep's samples in every scenario are
    already too many.
    """
    scenarios, samples = len(experiment.scenarios), len(experiment.samples)
    parts = (
        f"{scenarios:,} scenario{'s' if scenarios != 1 else ''} x {samples:,} "
        f"sample{'s' if samples != 1 else ''} x {experiment.replicates:,} "
        f"replicate{'s' if experiment.replicates != 1 else ''}"
    )
    if experiment.sweep is not None and scenarios * samples > max_runs:
        source = experiment.source
        key = "sweep.samples" if experiment.sweep.method != "grid" else "sweep.parameters"
    within_limit(experiment.run_count, limit=max_runs, parts=parts, source=source, key=key)


def _scenarios(
    table: Any, base: dict[str, Any], source: str
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    if table is None:
        return {BASELINE_SCENARIO: {}}, {BASELINE_SCENARIO: "the base configuration"}
    if not isinstance(table, Mapping) or not table:
        raise ConfigError(
            "must be a non-empty table of [scenarios.NAME]", source=source, key="scenarios"
        )
    allowed = (*SCENARIO_RESERVED, *Params.names())
    scenarios, descriptions = {}, {}
    folded: dict[str, str] = {}
    for name, overrides in table.items():
        where = key_path("scenarios", name)
        # "__" separates the scenario from the sample and replicate in a run's file name.
        folder_name(name, source=source, key=where, also_forbidden=("__",))
        # On macOS and Windows file names ignore case: two such scenarios share files.
        if name.casefold() in folded:
            raise ConfigError(
                f"differs from scenario '{folded[name.casefold()]}' only in upper and lower "
                "case: their files would be the same on macOS and Windows",
                source=source,
                key=where,
            )
        folded[name.casefold()] = name
        if not isinstance(overrides, Mapping):
            raise ConfigError(
                f"must be a table of parameter overrides, got {shown(overrides)}",
                source=source,
                key=where,
            )
        for key in overrides:
            if key not in allowed:
                raise ConfigError(
                    "unknown key"
                    + suggestion(
                        str(key),
                        allowed,
                        allowed_text="description, or a parameter name of sim/params.py "
                        "(the table of docs/ODD.md)",
                    ),
                    source=source,
                    key=key_path(where, key),
                )
        overrides = dict(overrides)
        description = string(
            overrides.pop("description", ""), source=source, key=key_path(where, "description")
        )
        Params.from_mapping({**base, **overrides}, source=source, where=where)
        scenarios[name] = overrides
        descriptions[name] = description
    return scenarios, descriptions


def _sweep(
    table: Any, base: dict[str, Any], source: str, *, seed: int, max_runs: int
) -> Sweep | None:
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise ConfigError(f"must be a table, got {shown(table)}", source=source, key="sweep")
    check_keys(table, SWEEP_KEYS, source=source, where="sweep")
    method = table.get("method", "lhs")
    if method not in SWEEP_METHODS:
        raise ConfigError(
            unknown_name("sweep method", method, SWEEP_METHODS), source=source, key="sweep.method"
        )
    uncertainties = _sweep_uncertainties(table, base, method, source)
    parameters = table.get("parameters", {} if uncertainties else None)
    if not isinstance(parameters, Mapping) or not (parameters or uncertainties):
        raise ConfigError(
            "must be a non-empty table name = [values]", source=source, key="sweep.parameters"
        )
    check_names(parameters, source=source, where="sweep.parameters")
    for name in parameters:
        if name in uncertainties:
            raise ConfigError(
                f"'{name}' is sampled by its uncertainty range already (sweep.uncertainties): "
                "give it in one place",
                source=source,
                key=f"sweep.parameters.{name}",
            )
    values: dict[str, list[float]] = dict(uncertainties)
    for name, spec in parameters.items():
        key = f"sweep.parameters.{name}"
        what = "a list of values" if method == "grid" else "[low, high]"
        if not isinstance(spec, list) or not all(is_number(v) and math.isfinite(v) for v in spec):
            raise ConfigError(
                f"must be {what} of finite numbers, got {shown(spec)}", source=source, key=key
            )
        if method == "grid" and len(spec) < 1:
            raise ConfigError("needs at least one value", source=source, key=key)
        if method != "grid" and (len(spec) != 2 or not spec[0] < spec[1]):
            raise ConfigError(
                f"must be [low, high] with low < high, got {shown(spec)}", source=source, key=key
            )
        for value in spec:
            _check_sweep_value(base, name, value, source)
        values[name] = [float(v) for v in spec]
    if method == "grid":
        if "samples" in table:
            raise ConfigError("a grid takes no sample count", source=source, key="sweep.samples")
        count = math.prod(len(v) for v in values.values())
        sizes = " x ".join(str(len(v)) for v in values.values())
        within_limit(
            count,
            limit=max_runs,
            parts=f"a grid of {sizes} values",
            source=source,
            key="sweep.parameters",
        )
        names = list(values)
        samples = [
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())
        ]
    else:
        count = whole_number(
            table.get("samples"),
            at_least=1,
            at_most=max_runs,
            raise_with="--max-runs",
            source=source,
            key="sweep.samples",
        )
        samples = _qmc_samples(method, values, count, seed)
    return Sweep(
        method=method,
        parameters=values,
        samples=[_overrides(s, base) for s in samples],
        points=[typed(s) for s in samples],
    )


def _sweep_uncertainties(
    table: Mapping[str, Any], base: dict[str, Any], method: str, source: str
) -> dict[str, list[float]]:
    """The registry's uncertainty ranges a sweep samples (``uncertainties``), by name."""
    if "uncertainties" not in table:
        return {}
    key = "sweep.uncertainties"
    if method == "grid":
        raise ConfigError(
            'uncertainties are sampled within their ranges: use method "lhs" or "sobol"',
            source=source,
            key=key,
        )
    value = table["uncertainties"]
    if value == "uncertain":
        ranges = uncertain_ranges(design=Params.from_mapping(base).design)
    else:
        every = uncertain_ranges()
        ranges = {name: every[name] for name in check_uncertain_names(value, source, key)}
    return {name: [low, high] for name, (low, high) in ranges.items()}


def _check_sweep_value(base: dict[str, Any], name: str, value: float, source: str) -> None:
    """A value of a sweep as written, on the base: the message quotes the value given.

    A check across fields names the field a user would change; with the base alone that
    is the swept parameter, unless the base set the other field itself.
    """
    try:
        # Quoted as written: only an integer parameter's value is rounded first, and a
        # structured parameter's number stands for its value.
        written = _overrides({name: value}, base) if name == "areas" else {}
        if Params.model_fields[name].annotation is int:
            written = typed({name: value})
        Params.from_mapping({**base, name: value, **written})
    except ConfigError as error:
        if error.key == name or error.key not in base:
            key = key_path("sweep.parameters", name)
        else:
            key = key_path("params", error.key)
        note = "" if error.key == name else f" (with the sweep's {name} = {value:g})"
        raise ConfigError(f"{error.message}{note}", source=source, key=key) from None


def _check_sweep_in_scenario(
    base: dict[str, Any],
    scenarios: dict[str, dict[str, Any]],
    scenario: str,
    sample: dict[str, Any],
    source: str,
) -> None:
    """Validate a sweep sample on top of a scenario; the key names the table that set it.

    Each alone is valid, so a failure comes from a check across fields: the message
    names the field where it was set (the sweep, the scenario or the base) and says
    which scenario; a field that none of them set points at the sweep.
    """
    try:
        Params.from_mapping({**base, **scenarios[scenario], **sample})
    except ConfigError as error:
        field = error.key or ""
        if field in scenarios[scenario] and field not in sample:
            table = f"scenarios.{scenario}"
        elif field in base and field not in sample:
            table = "params"
        else:
            table = "sweep.parameters"
            if field not in sample:
                field = ""
        raise ConfigError(
            f"{error.message} (a sweep sample in scenario '{scenario}')",
            source=source,
            key=key_path(table, field),
        ) from None


def _qmc_samples(
    method: str, ranges: dict[str, list[float]], count: int, seed: int
) -> list[dict[str, float]]:
    # Imported here: scipy.stats takes about a second to import and only sampled sweeps
    # need it (written for speed: every command starts faster).
    from scipy.stats import qmc

    names = list(ranges)
    if method == "lhs":
        sampler: qmc.QMCEngine = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed))
    else:
        sampler = qmc.Sobol(d=len(names), scramble=True, rng=np.random.default_rng(seed))
    unit = sampler.random(count)
    low = np.array([ranges[n][0] for n in names])
    high = np.array([ranges[n][1] for n in names])
    points = qmc.scale(unit, low, high)
    return [dict(zip(names, map(float, row), strict=True)) for row in points]


def typed(sample: dict[str, float]) -> dict[str, Any]:
    """Round values of integer parameters (the registry says which)."""
    typed: dict[str, Any] = {}
    for name, value in sample.items():
        annotation = Params.model_fields[name].annotation
        typed[name] = round(value) if annotation is int else float(value)
    return typed


def _outputs(value: Any, source: str) -> tuple[str, ...]:
    if value is None:
        return tuple(OUTCOMES)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"must be a list of outcome names, got {shown(value)}", source=source, key="outputs"
        )
    if not value:
        raise ConfigError(
            "must name at least one outcome (leave it out to keep them all)",
            source=source,
            key="outputs",
        )
    for position, name in enumerate(value):
        if name in value[:position]:
            raise ConfigError(f"names '{name}' twice", source=source, key="outputs")
        if name not in OUTCOMES:
            message = unknown_name(
                "outcome",
                name,
                list(OUTCOMES),
                allowed_text="the outcome columns of sim/outcomes.py (docs/ODD.md, Observation)",
            )
            raise ConfigError(message, source=source, key="outputs")
    return tuple(value)


def _plain(value: Any) -> Any:
    """Overrides as JSON-friendly values (dates as ISO strings, schedule keys as str)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
