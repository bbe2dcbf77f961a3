"""Calibration settings: the free parameters and their priors, ABC-SMC settings, the simulator.

A calibration file such as ``calibration/hanze.toml`` names the targets file, the free
parameters with their uniform priors (each with a reason, inside the registry's range),
fixed overrides, the distance, the ABC-SMC settings (population size, stopping rule)
and the posterior predictive check. This module reads and validates it (through
:mod:`sim.config`: errors name the file, the key and what is allowed) into a
:class:`Calibration`, and gives pyabc the model as it sees it: :class:`Simulator`, a
picklable function from sampled numbers to the targets' summary statistics.
:mod:`sim.calibration.fit` runs pyabc with it and writes the results.

Reproducibility: the model seed of an evaluation is a hash of the master seed and the
exact parameter values (:func:`evaluation_seed`), so one parameter vector always gives
the same simulation, whichever process or machine runs it.

References:
    Schaelte Y, Klinger E, Alamoudi E, Hasenauer J (2022). pyABC: Efficient and robust
    easy-to-use approximate Bayesian computation. J Open Source Softw 7(74):4304.
    Prangle D (2017). Adapting the ABC distance function. Bayesian Anal 12(1):289-309.
    Schaelte Y, Hasenauer J (2023). Informative and adaptive distances and summary
    statistics in sequential approximate Bayesian computation. PLoS ONE 18(5):e0285836.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import math
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, field_validator

from sim.calibration.targets import Targets, load_targets, record_statistics, recorded
from sim.config.checks import SEED_LIMIT, InputTable, check_keys, folder_name, validate_table
from sim.config.errors import ConfigError
from sim.config.read import read_toml
from sim.lifeline import watch_coordinator
from sim.outcomes import WeeklyRecord
from sim.params import Params, check_names, registry
from sim.simulation import run_model
from sim.timeline import PROGRAMME_START, WEEKS_PER_YEAR, weeks_until

if TYPE_CHECKING:
    import pyabc

SEED_KEY = "seed"
"""The summary statistic holding an evaluation's model seed (stored, never compared)."""

# Registry fields that can be free: plain numbers and dates (not schedules, flags, tables).
_FREE_KINDS = {float: "float", int: "int", dt.date: "date"}


# ---------------------------------------------------------------------------
# Free parameters and priors
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeParameter:
    """A calibrated parameter: a uniform prior on ``[low, high]`` in the sampler's numbers.

    A date parameter's number is days after the programme start and an integer
    parameter's number is rounded to the nearest whole number.

    pyabc itself samples each number on the probit scale of its range,
    ``z = Phi^-1((number - low) / (high - low))``, where the uniform prior is a standard
    normal distribution. On the numbers' own scale the Gaussian kernels of ABC-SMC's
    proposal lose mass beyond the prior's bounds, in every dimension at once near a
    corner, and the importance weights (prior / proposal) of particles near several
    bounds grew by a factor two per bound: the effective sample fell to a few percent of
    the particles. A standard normal prior has no bounds and the shape of the kernels.
    """

    name: str
    kind: Literal["float", "int", "date"]
    low: float
    high: float
    reason: str

    def to_value(self, number: float) -> float | int | dt.date:
        """The registry value of a sampled number."""
        if self.kind == "date":
            return PROGRAMME_START + dt.timedelta(days=round(float(number)))
        if self.kind == "int":
            return round(float(number))
        return float(number)

    def to_number(self, value: Any) -> float:
        """The sampler's number of a registry value."""
        if self.kind == "date":
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
            return float((day - PROGRAMME_START).days)
        return float(value)

    def from_sampler(self, z: Any) -> Any:
        """The number (``low..high``) of the sampler's probit-scale value(s) ``z``."""
        from scipy.special import ndtr

        return self.low + (self.high - self.low) * ndtr(z)

    def to_sampler(self, number: Any) -> Any:
        """The sampler's probit-scale value of a number strictly inside ``low..high``."""
        from scipy.special import ndtri

        return ndtri((np.asarray(number, float) - self.low) / (self.high - self.low))

    def bounds_as_values(self) -> tuple[Any, Any]:
        """The prior's bounds as registry values (dates for a date parameter)."""
        return self.to_value(self.low), self.to_value(self.high)


class Prior(InputTable):
    """A uniform prior in a calibration file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float | dt.date
    high: float | dt.date
    reason: str = Field(min_length=1)


class AbcSettings(InputTable):
    """ABC-SMC settings: the population size and the stopping rule (any criterion stops)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    population_size: int = Field(ge=10, le=100_000)
    max_total_simulations: int = Field(ge=1)
    max_generations: int = Field(ge=1, le=1_000)
    min_acceptance_rate: float = Field(0.0, ge=0, lt=1)
    minimum_epsilon: float = Field(0.0, ge=0)
    max_walltime_minutes: float | None = Field(None, gt=0)
    epsilon_quantile: float = Field(0.5, gt=0, lt=1)
    transition: Literal["multivariate_normal", "local"] = "multivariate_normal"
    # Multiplies the proposal's covariance (Silverman's rule of thumb times the particles'
    # covariance): below 1 the proposal follows the last generation more closely.
    transition_scaling: float = Field(1.0, gt=0, le=10)
    # Share of the proposals drawn from the prior itself (defensive importance sampling,
    # sim.calibration.proposals): bounds the importance weights; 0 proposes from the
    # kernel alone.
    prior_share: float = Field(0.0, ge=0, lt=1)
    workers: int | None = Field(None, ge=1, le=1_024)


class DistanceSettings(InputTable):
    """Which distance between simulated and observed statistics (calibration/README.md).

    ``sum_of_squares``: the fixed scales of the targets file. ``adaptive``: pyabc's
    AdaptivePNormDistance, each target scaled anew every generation by the spread of
    its simulated values (Prangle 2017). ``info_weighted``: pyabc's
    InfoWeightedPNormDistance, scaled so and also weighted by how much the target
    tells about the parameters, from a regression of the parameters on the statistics
    refitted in the generations ``info_generations`` (Schaelte & Hasenauer 2023).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["sum_of_squares", "adaptive", "info_weighted"]
    scale: Literal["mad", "rmsd", "std"] = "rmsd"
    max_weight_ratio: float | None = Field(100.0, gt=1)
    info_generations: tuple[int, ...] = (1, 3)


class PpcSettings(InputTable):
    """Posterior predictive check: how many fresh simulations from the posterior."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    draws: int = Field(1_000, ge=10, le=1_000_000)


class SbcSettings(InputTable):
    """Simulation-based calibration (Talts et al. 2018): data sets and their size.

    How many synthetic data sets, and how big a calibration of each: smaller than the
    real one, with the same distance, proposals and epsilon schedule.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    datasets: int = Field(20, ge=2, le=10_000)
    population_size: int = Field(300, ge=10, le=100_000)
    max_total_simulations: int = Field(4_000, ge=1)
    max_generations: int = Field(12, ge=1, le=1_000)


class _ConfigFile(InputTable):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    targets: str = Field(min_length=1)
    seed: int = Field(ge=0, le=SEED_LIMIT)
    priors: dict[str, Any]
    fixed: dict[str, Any] = Field(default_factory=dict)
    distance: DistanceSettings
    abc: AbcSettings
    ppc: PpcSettings = PpcSettings()
    sbc: SbcSettings = SbcSettings()

    @field_validator("name")
    @classmethod
    def _file_name(cls, name: str) -> str:
        # The name becomes the history's file names (NAME.db, NAME.runs.json).
        try:
            return folder_name(name, source=None)
        except ConfigError as error:
            raise ValueError(error.message) from None


@dataclass(frozen=True)
class Calibration:
    """A validated calibration: targets, free parameters, fixed overrides and ABC settings."""

    name: str
    source: str
    seed: int
    targets: Targets
    free: tuple[FreeParameter, ...]
    fixed: dict[str, Any]
    distance: DistanceSettings
    abc: AbcSettings
    ppc: PpcSettings
    description: str = ""
    sbc: SbcSettings = field(default_factory=SbcSettings)

    @property
    def names(self) -> tuple[str, ...]:
        """The free parameters' names."""
        return tuple(p.name for p in self.free)

    def params(self, numbers: Mapping[str, float]) -> Params:
        """The parameter set of sampled numbers (on top of the fixed overrides)."""
        return self.simulator().params(numbers)

    def simulator(self) -> Simulator:
        """The pyabc model of this calibration."""
        return Simulator(self.free, self.fixed, self.targets, self.seed)

    def fingerprint(self) -> str:
        """A digest of everything that decides the calibration's numbers (for resume)."""
        identity = {
            "seed": self.seed,
            "targets": [t.model_dump(mode="json") for t in self.targets],
            "free": [(p.name, p.kind, p.low, p.high) for p in self.free],
            "fixed": {k: str(v) for k, v in sorted(self.fixed.items())},
            "distance": self.distance.model_dump(mode="json"),
            "population_size": self.abc.population_size,
            "epsilon_quantile": self.abc.epsilon_quantile,
            "transition": self.abc.transition,
            "transition_scaling": self.abc.transition_scaling,
            "prior_share": self.abc.prior_share,
            "sampler_scale": "probit",
        }
        return hashlib.sha256(repr(identity).encode()).hexdigest()[:16]


def _free_kind(name: str) -> Literal["float", "int", "date"] | None:
    annotation = Params.model_fields[name].annotation
    return _FREE_KINDS.get(annotation)  # type: ignore[return-value, arg-type]


def _registry_range(name: str) -> str:
    row = next(r for r in registry() if r["name"] == name)
    return row["range"] or "any value"


def free_parameter(
    name: str, prior: Prior, *, source: str, fixed: Mapping[str, Any]
) -> FreeParameter:
    """Check one prior against the registry and make the free parameter."""
    key = f"priors.{name}"
    kind = _free_kind(name)
    if kind is None:
        raise ConfigError(
            "only a number or date parameter can be free (not a schedule, flag or table)",
            source=source,
            key=key,
        )
    if kind == "date":
        if not (isinstance(prior.low, dt.date) and isinstance(prior.high, dt.date)):
            raise ConfigError(
                "a date parameter needs date bounds such as 2022-03-01", source=source, key=key
            )
    elif isinstance(prior.low, dt.date) or isinstance(prior.high, dt.date):
        raise ConfigError("a number parameter needs number bounds", source=source, key=key)
    for bound in ("low", "high"):
        value = getattr(prior, bound)
        try:
            Params.from_mapping({**fixed, name: value})
        except ConfigError as error:
            raise ConfigError(
                f"{value} is outside the registry's allowed range {_registry_range(name)} "
                f"({error.message})",
                source=source,
                key=f"{key}.{bound}",
            ) from None
    parameter = FreeParameter(name=name, kind=kind, low=0.0, high=0.0, reason=prior.reason)
    low, high = parameter.to_number(prior.low), parameter.to_number(prior.high)
    if not low < high:
        raise ConfigError(
            f"low ({prior.low}) must be below high ({prior.high})", source=source, key=key
        )
    return FreeParameter(name=name, kind=kind, low=low, high=high, reason=prior.reason)


def parse_calibration(data: Mapping[str, Any], *, source: str, base_dir: Path) -> Calibration:
    """Validate a calibration table (as read from TOML); the targets path is relative to it."""
    check_keys(data, tuple(_ConfigFile.model_fields), source=source)
    # The settings tables first, on their own: an unknown key in them then gets the
    # closest-name hint rather than pydantic's "extra inputs are not permitted".
    for table, model in (
        ("abc", AbcSettings),
        ("distance", DistanceSettings),
        ("ppc", PpcSettings),
        ("sbc", SbcSettings),
    ):
        if isinstance(data.get(table), Mapping):
            validate_table(model, data[table], source=source, where=table)
    config = validate_table(_ConfigFile, data, source=source)
    Params.from_mapping(config.fixed, source=source, where="fixed")
    if not config.priors:
        raise ConfigError("needs at least one free parameter", source=source, key="priors")
    check_names(config.priors, source=source, where="priors")
    free = []
    for name, table in config.priors.items():
        if name in config.fixed:
            raise ConfigError("is both free and fixed", source=source, key=f"priors.{name}")
        prior = validate_table(Prior, table, source=source, where=f"priors.{name}")
        free.append(free_parameter(name, prior, source=source, fixed=config.fixed))
    targets_path = Path(config.targets)
    if not targets_path.is_absolute():
        targets_path = base_dir / targets_path
    if "\0" in config.targets or not targets_path.is_file():
        what = "is a folder, not a file" if targets_path.is_dir() else "not found"
        raise ConfigError(f"{targets_path} {what}", source=source, key="targets")
    return Calibration(
        name=config.name,
        source=source,
        seed=config.seed,
        targets=load_targets(targets_path),
        free=tuple(free),
        fixed=dict(config.fixed),
        distance=config.distance,
        abc=config.abc,
        ppc=config.ppc,
        description=config.description,
        sbc=config.sbc,
    )


def load_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibration file such as ``calibration/hanze.toml``."""
    path = Path(path)
    data, _ = read_toml(path)
    return parse_calibration(data, source=str(path), base_dir=path.parent)


def prior_distribution(free: tuple[FreeParameter, ...]) -> pyabc.Distribution:
    """The pyabc prior on the sampler's scale: a standard normal for each parameter.

    A standard normal ``z`` maps to a uniform number on ``low..high`` by
    :meth:`FreeParameter.from_sampler`, so this is the calibration file's uniform prior.
    """
    import pyabc

    from sim.calibration.proposals import StandardNormal

    return pyabc.Distribution(**{p.name: StandardNormal() for p in free})


# ---------------------------------------------------------------------------
# The model as pyabc sees it
# ---------------------------------------------------------------------------


def inflow_matters(params: Params, until: dt.date) -> bool:
    """Whether anyone who enters bijstand after the start can be referred by ``until``.

    Newcomers become eligible only after ``eligible_min_years_on_benefit`` years on
    benefit, so with 3 years nobody who arrives after 1 March 2020 is eligible before
    week 157 (2023-03-26): up to the last target date (2023-03-01, week 156) the
    inflow cannot change any target.
    """
    first_eligible_week = math.ceil(params.eligible_min_years_on_benefit * WEEKS_PER_YEAR)
    return first_eligible_week <= weeks_until(until)


def window_params(params: Params, until: dt.date) -> Params:
    """The parameters a calibration run uses up to ``until``: the same model, less work.

    When the inflow into bijstand cannot reach the programme by ``until``
    (:func:`inflow_matters`), the run draws no inflow households: the targets then have
    the same distribution as in the full model (every person's traits are independent
    draws, and newcomers never enter the referral queue before ``until``), while a run
    to 2023 takes about a third less time, most of which went to drawing 26 years of
    newcomers. Not bit-identical: the random streams are consumed differently. The
    posterior predictive check runs the full model.
    """
    if params.inflow_households_per_year == 0 or inflow_matters(params, until):
        return params
    return params.model_copy(update={"inflow_households_per_year": 0.0})


def evaluation_seed(master_seed: int, numbers: Mapping[str, float]) -> int:
    """The model seed of one evaluation: a hash of the master seed and the exact values.

    The same parameter vector gives the same simulation in any process, on any machine,
    in any order of evaluation; different vectors get unrelated seeds.
    """
    digest = hashlib.sha256(struct.pack("<Q", master_seed))
    for name in sorted(numbers):
        digest.update(name.encode())
        digest.update(struct.pack("<d", float(numbers[name])))
    return int.from_bytes(digest.digest()[:8], "little") >> 1


_frozen_in: int | None = None  # the process whose objects were frozen


def _freeze_once() -> None:
    """Freeze the objects a sampler's worker holds, once (as ``sim.runner.prepare_worker``).

    pyabc forks its workers from the calibration process: without ``gc.freeze`` each
    collection walks the ~300,000 objects of pyabc, pandas and SQLAlchemy, about a
    tenth of a run (written for speed).
    """
    global _frozen_in
    if _frozen_in != os.getpid():
        _frozen_in = os.getpid()
        gc.freeze()


class Simulator:
    """One pyabc evaluation: parameters -> a run to the last target date -> statistics.

    A class rather than a closure so that it pickles to worker processes and Dask
    workers. The statistics carry the model seed under :data:`SEED_KEY`, so every
    accepted particle in the history can be re-run exactly.
    """

    def __init__(
        self,
        free: tuple[FreeParameter, ...],
        fixed: Mapping[str, Any],
        targets: Targets,
        master_seed: int,
    ):
        self.free = free
        self.fixed = dict(fixed)
        self.targets = targets
        self.master_seed = master_seed
        self.until = targets.last_date
        # Only what the fitted targets read is recorded (the run is the same); worked
        # out once, not at every evaluation.
        self.fit_until = max(t.date for t in targets.fit)
        self.outcomes, self.by_wijk = recorded(targets.fit)

    def params(self, numbers: Mapping[str, float]) -> Params:
        """The parameter set of sampled numbers."""
        values = {p.name: p.to_value(numbers[p.name]) for p in self.free}
        return Params.from_mapping({**self.fixed, **values})

    def run(self, numbers: Mapping[str, float], seed: int) -> dict[str, float]:
        """Simulate with an explicit seed and return the fitted targets' statistics.

        The checked targets are left to the posterior predictive check, which runs the
        full model (a run here may draw no inflow households: :func:`window_params`).
        """
        params = window_params(self.params(numbers), self.fit_until)
        record = WeeklyRecord(self.outcomes, by_wijk=self.by_wijk)
        model = run_model(params, seed, self.fit_until, record)
        return record_statistics(model, self.targets.fit)

    def __call__(self, numbers: Mapping[str, float]) -> dict[str, float]:
        """Simulate a particle (probit scale) with its own seed; statistics and the seed."""
        if watch_coordinator():  # in a sampler's worker: exit if the calibration process dies
            _freeze_once()
        plain = {p.name: float(p.from_sampler(numbers[p.name])) for p in self.free}
        seed = evaluation_seed(self.master_seed, plain)
        stats = self.run(plain, seed)
        stats[SEED_KEY] = seed
        return stats
