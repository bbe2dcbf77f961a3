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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.stats import qmc

from sim.config.checks import (
    check_keys,
    folder_name,
    is_number,
    key_path,
    string,
    unknown_name,
    whole_number,
)
from sim.config.errors import ConfigError
from sim.config.profiles import PROFILES, Profile, load_profile, profile_path
from sim.config.read import read_toml
from sim.outcomes import OUTCOMES
from sim.params import Params, check_names
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
)
SWEEP_KEYS = ("method", "samples", "parameters")
SWEEP_METHODS = ("grid", "lhs", "sobol")
SCENARIO_RESERVED = ("description",)
DEFAULT_SEED = 20200301
DEFAULT_REPLICATES = 20
BASELINE_SCENARIO = "baseline"


@dataclass(frozen=True)
class Sweep:
    """Parameter values to try in every scenario: one dict of overrides per sample."""

    method: Literal["grid", "lhs", "sobol"]
    parameters: dict[str, list[float]]
    samples: list[dict[str, Any]]


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

    @property
    def samples(self) -> list[dict[str, Any]]:
        """The sweep's samples, or a single empty one."""
        return self.sweep.samples if self.sweep else [{}]

    def seeds(self) -> list[int]:
        """Replicate seeds spawned from the master seed."""
        return replicate_seeds(self.seed, self.replicates)

    def runs(self) -> list[RunSpec]:
        """Every scenario x sample x replicate, in a fixed order."""
        seeds = self.seeds()
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
                            sweep_values=dict(values),
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

    def with_draws(self, draws: list[dict[str, Any]], *, name: str) -> Experiment:
        """A copy whose replicate k runs with ``draws[k]`` (one replicate per draw)."""
        if not draws:
            raise ConfigError("needs at least one draw", source="--draws")
        return Experiment(
            **{**self.__dict__, "name": name, "draws": tuple(draws), "replicates": len(draws)}
        )

    def identity(self) -> dict[str, Any]:
        """What defines the experiment's results: settings and overrides, not prose."""
        return {
            "name": self.name,
            "municipality": self.municipality.name if self.municipality else None,
            "base": _plain(self.base),
            "scenarios": _plain(self.scenarios),
            "sweep": _plain(self.sweep.samples) if self.sweep else None,
            "replicates": self.replicates,
            "seed": self.seed,
            "until": self.until.isoformat(),
            "outputs": list(self.outputs),
            "draws": _plain(list(self.draws)) if self.draws else None,
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
    ) -> Experiment:
        """A copy with the command line's overrides of seed, replicates and horizon."""
        changes: dict[str, Any] = {}
        if seed is not None:
            changes["seed"] = whole_number(seed, at_least=0, source="--seed")
        if replicates is not None:
            changes["replicates"] = whole_number(replicates, at_least=1, source="--replications")
        if until is not None:
            changes["until"] = check_until(until, source="--until")
        return Experiment(**{**self.__dict__, **changes})


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment (or plain config) file."""
    path = Path(path)
    data, content = read_toml(path)
    return parse_experiment(data, source=str(path), text=content, base_dir=path.parent)


def parse_experiment(
    data: Mapping[str, Any],
    *,
    source: str,
    text: str = "",
    base_dir: Path | None = None,
    _seen: tuple[Path, ...] = (),
) -> Experiment:
    """Validate an experiment given as a mapping (the parsed TOML)."""
    check_keys(data, EXPERIMENT_KEYS, source=source)
    inherited: dict[str, Any] = {}
    parent: Experiment | None = None
    if "extends" in data:
        parent_name = string(data["extends"], source=source, key="extends")
        parent_path = (base_dir or Path(".")) / parent_name
        if parent_path.resolve() in _seen:
            raise ConfigError("extends itself (a cycle)", source=source, key="extends")
        parent_data, parent_text = read_toml(parent_path)
        parent = parse_experiment(
            parent_data,
            source=str(parent_path),
            text=parent_text,
            base_dir=parent_path.parent,
            _seen=(*_seen, parent_path.resolve()),
        )
        inherited = dict(parent.base)
    municipality = parent.municipality if parent else None
    if "municipality" in data:
        municipality = _profile(data["municipality"], source, base_dir)
        inherited = {**inherited, **municipality.overrides}

    name = folder_name(
        data.get("name", parent.name if parent else Path(source).stem), source=source, key="name"
    )
    description = string(data.get("description", ""), source=source, key="description")

    params = data.get("params", {})
    if not isinstance(params, Mapping):
        raise ConfigError("must be a table of parameters", source=source, key="params")
    base = {**inherited, **params}
    Params.from_mapping(base, source=source, where="params")

    if "scenarios" not in data and parent is not None:
        # An extending file without scenarios keeps its parent's, on the new base.
        scenarios, descriptions = _scenarios(parent.scenarios, base, source)
        descriptions = dict(parent.scenario_descriptions)
    else:
        scenarios, descriptions = _scenarios(data.get("scenarios"), base, source)
    sweep = _sweep(data.get("sweep"), base, source, seed=_seed(data, parent, source))
    if sweep is not None:
        for scenario in scenarios:
            for sample in (sweep.samples[0], sweep.samples[-1]):
                _check_sweep_in_scenario(base, scenarios, scenario, sample, source)

    replicates = whole_number(
        data.get("replicates", parent.replicates if parent else DEFAULT_REPLICATES),
        at_least=1,
        source=source,
        key="replicates",
    )
    until = check_until(data.get("until", parent.until if parent else DEFAULT_UNTIL), source=source)
    outputs = _outputs(data.get("outputs"), source)
    return Experiment(
        name=name,
        description=description,
        source=source,
        base=base,
        scenarios=scenarios,
        scenario_descriptions=descriptions,
        sweep=sweep,
        replicates=replicates,
        seed=_seed(data, parent, source),
        until=until,
        outputs=outputs,
        text=text,
        municipality=municipality,
    )


# ---------------------------------------------------------------------------------
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


def _seed(data: Mapping[str, Any], parent: Experiment | None, source: str) -> int:
    seed = data.get("seed", parent.seed if parent else DEFAULT_SEED)
    return whole_number(seed, at_least=0, source=source, key="seed")


def _scenarios(
    table: Any, base: dict[str, Any], source: str
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    if table is None:
        return {BASELINE_SCENARIO: {}}, {BASELINE_SCENARIO: "the base configuration"}
    if not isinstance(table, Mapping) or not table:
        raise ConfigError(
            "must be a non-empty table of [scenarios.NAME]", source=source, key="scenarios"
        )
    scenarios, descriptions = {}, {}
    for name, overrides in table.items():
        where = f"scenarios.{name}"
        if not isinstance(overrides, Mapping):
            raise ConfigError("must be a table of parameter overrides", source=source, key=where)
        # "__" separates the scenario from the sample and replicate in a run's file name.
        folder_name(name, source=source, key=where, also_forbidden=("__",))
        overrides = dict(overrides)
        description = overrides.pop("description", "")
        Params.from_mapping({**base, **overrides}, source=source, where=where)
        scenarios[name] = overrides
        descriptions[name] = str(description)
    return scenarios, descriptions


def _sweep(table: Any, base: dict[str, Any], source: str, *, seed: int) -> Sweep | None:
    if table is None:
        return None
    if not isinstance(table, Mapping):
        raise ConfigError("must be a table", source=source, key="sweep")
    check_keys(table, SWEEP_KEYS, source=source, where="sweep")
    method = table.get("method", "lhs")
    if method not in SWEEP_METHODS:
        raise ConfigError(
            unknown_name("sweep method", method, SWEEP_METHODS), source=source, key="sweep.method"
        )
    parameters = table.get("parameters")
    if not isinstance(parameters, Mapping) or not parameters:
        raise ConfigError(
            "must be a non-empty table name = [values]", source=source, key="sweep.parameters"
        )
    check_names(parameters, source=source, where="sweep.parameters")
    values: dict[str, list[float]] = {}
    for name, spec in parameters.items():
        key = f"sweep.parameters.{name}"
        if not isinstance(spec, list) or not all(is_number(v) for v in spec):
            raise ConfigError("must be a list of numbers", source=source, key=key)
        if method == "grid" and len(spec) < 1:
            raise ConfigError("needs at least one value", source=source, key=key)
        if method != "grid" and (len(spec) != 2 or not spec[0] < spec[1]):
            raise ConfigError("must be [low, high] with low < high", source=source, key=key)
        values[name] = [float(v) for v in spec]
    if method == "grid":
        if "samples" in table:
            raise ConfigError("a grid takes no sample count", source=source, key="sweep.samples")
        names = list(values)
        samples = [
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())
        ]
    else:
        count = whole_number(table.get("samples"), at_least=1, source=source, key="sweep.samples")
        samples = _qmc_samples(method, values, count, seed)
    samples = [typed(sample) for sample in samples]
    for name in values:
        for sample in (min(samples, key=lambda s: s[name]), max(samples, key=lambda s: s[name])):
            Params.from_mapping({**base, **sample}, source=source, where="sweep.parameters")
    return Sweep(method=method, parameters=values, samples=samples)


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
    which scenario.
    """
    try:
        Params.from_mapping({**base, **scenarios[scenario], **sample})
    except ConfigError as error:
        field = error.key or ""
        if field in sample:
            table = "sweep.parameters"
        elif field in scenarios[scenario]:
            table = f"scenarios.{scenario}"
        else:
            table = "params"
        raise ConfigError(
            f"{error.message} (a sweep sample in scenario '{scenario}')",
            source=source,
            key=key_path(table, field),
        ) from None


def _qmc_samples(
    method: str, ranges: dict[str, list[float]], count: int, seed: int
) -> list[dict[str, float]]:
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
        raise ConfigError("must be a list of outcome names", source=source, key="outputs")
    for name in value:
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
