"""Calibration logic: targets, summary statistics, distance, priors (no file writing).

The observed figures live in ``calibration/targets.toml``; the free parameters, their
priors, the distance and the ABC-SMC settings in a calibration file such as
``calibration/hanze.toml``. This module reads and validates both (errors are
:class:`~sim.config.errors.ConfigError` naming the file, the key and what is allowed), turns a
simulated run into the summary statistics the targets compare with, and computes the
distance. ``sim.calibrate`` runs pyabc on top of it and writes the results.

Reproducibility: the model seed of an evaluation is a hash of the master seed and the
exact parameter values (:func:`evaluation_seed`), so one parameter vector always gives
the same simulation, whichever process or machine runs it.

References:
    Toni T, Welch D, Strelkowa N, Ipsen A, Stumpf MPH (2009). Approximate Bayesian
    computation scheme for parameter inference and model selection in dynamical systems.
    J R Soc Interface 6:187-202.
    Schaelte Y, Klinger E, Alamoudi E, Hasenauer J (2022). pyABC: Efficient and robust
    easy-to-use approximate Bayesian computation. J Open Source Softw 7(74):4304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.config.checks import check_keys, unknown_name, validate_table
from sim.config.errors import ConfigError, FieldError
from sim.config.read import read_toml
from sim.outcomes import OUTCOMES
from sim.params import Params, check_names, registry
from sim.simulation import Replicate, run_replicate
from sim.timeline import PROGRAMME_START, WEEKS_PER_YEAR, weeks_until
from sim.wijken import WIJKEN

if TYPE_CHECKING:
    import pyabc

LAST_TARGET_DATE = dt.date(2023, 3, 31)
"""FACTS.md: the calibration uses figures dated up to March 2023; later ones are held back."""

SEED_KEY = "seed"
"""The summary statistic holding an evaluation's model seed (stored, never compared)."""

# Outcome columns that are numbers (binding_constraint is a label).
NUMERIC_COLUMNS = tuple(name for name in OUTCOMES if name != "binding_constraint")
# Registry fields that can be free: plain numbers and dates (not schedules, flags, tables).
_FREE_KINDS = {float: "float", int: "int", dt.date: "date"}


# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------


class Target(BaseModel):
    """One observed figure and how a simulated run is compared with it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    statistic: Literal["value_at", "hours_weighted_mean", "wijk_employed"]
    column: str
    date: dt.date
    value: float
    source: str = Field(min_length=1)
    scale: float = Field(gt=0)
    scale_reason: str = Field(min_length=1)
    use: Literal["fit", "check"]
    use_reason: str | None = None
    start: dt.date | None = None
    wijk: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.column not in NUMERIC_COLUMNS:
            raise FieldError(
                "column",
                unknown_name(
                    "outcome column",
                    self.column,
                    NUMERIC_COLUMNS,
                    allowed_text="the numeric outcome columns of sim/outcomes.py",
                ),
            )
        if not PROGRAMME_START < self.date <= LAST_TARGET_DATE:
            raise FieldError(
                "date",
                f"{self.date} must be after the programme start {PROGRAMME_START} and "
                f"no later than {LAST_TARGET_DATE} (later figures are held back for the "
                "forecast test)",
            )
        if self.statistic == "hours_weighted_mean":
            if self.start is None or not PROGRAMME_START <= self.start < self.date:
                raise FieldError(
                    "start",
                    f"a weighted mean needs a start date from {PROGRAMME_START} and "
                    f"before its date {self.date}, got {self.start}",
                )
        elif self.start is not None:
            raise FieldError("start", "only a 'hours_weighted_mean' target has a start date")
        if self.statistic == "wijk_employed":
            if self.wijk not in WIJKEN:
                raise FieldError("wijk", unknown_name("wijk", self.wijk, WIJKEN))
            if self.column != "employed":
                raise FieldError("column", "a 'wijk_employed' target counts 'employed'")
        elif self.wijk is not None:
            raise FieldError("wijk", "only a 'wijk_employed' target names a wijk")
        if self.use == "check" and not self.use_reason:
            raise FieldError("use_reason", "say why a target is only checked, not fitted")
        return self


class NotUsed(BaseModel):
    """A figure of FACTS.md's counts table that is not a target, with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    figure: str = Field(min_length=1)
    date: str = Field(min_length=1)
    source: str = Field(min_length=1)
    reason: str = Field(min_length=1)


@dataclass(frozen=True)
class Targets:
    """The targets of a calibration, in file order."""

    targets: tuple[Target, ...]
    not_used: tuple[NotUsed, ...]
    source: str

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def fit(self) -> tuple[Target, ...]:
        """The targets in the distance."""
        return tuple(t for t in self.targets if t.use == "fit")

    @property
    def last_date(self) -> dt.date:
        """The last target date: simulations need to run no further."""
        return max(t.date for t in self.targets)

    def observed(self) -> dict[str, float]:
        """The observed values by target name."""
        return {t.name: float(t.value) for t in self.targets}

    def by_name(self, name: str) -> Target:
        """The target called ``name``."""
        for target in self.targets:
            if target.name == name:
                return target
        raise KeyError(name)

    def with_values(self, values: Mapping[str, float]) -> Targets:
        """A copy with other observed values (pseudo-data for a recovery check)."""
        return Targets(
            targets=tuple(
                t.model_copy(update={"value": float(values.get(t.name, t.value))})
                for t in self.targets
            ),
            not_used=self.not_used,
            source=f"{self.source} (values replaced)",
        )


def parse_targets(data: Mapping[str, Any], source: str = "<targets>") -> Targets:
    """Validate a targets table (as read from TOML)."""
    check_keys(data, ("target", "not_used"), source=source)
    rows = data.get("target")
    if not isinstance(rows, list) or not rows:
        raise ConfigError("needs at least one [[target]]", source=source, key="target")
    targets: list[Target] = []
    for i, row in enumerate(rows):
        label = row.get("name", i) if isinstance(row, Mapping) else i
        target = validate_table(Target, row, source=source, where=f"target[{label}]")
        if any(t.name == target.name for t in targets):
            raise ConfigError(
                "a second target of this name", source=source, key=f"target[{label}].name"
            )
        targets.append(target)
    if not any(t.use == "fit" for t in targets):
        raise ConfigError(
            "no target has use = 'fit'; the distance would be empty", source=source, key="target"
        )
    not_used = [
        validate_table(NotUsed, row, source=source, where=f"not_used[{i}]")
        for i, row in enumerate(data.get("not_used", []))
    ]
    return Targets(targets=tuple(targets), not_used=tuple(not_used), source=source)


def load_targets(path: str | Path) -> Targets:
    """Read and validate a targets file such as ``calibration/targets.toml``."""
    data, _ = read_toml(path)
    return parse_targets(data, source=str(path))


# ---------------------------------------------------------------------------
# Summary statistics and distance
# ---------------------------------------------------------------------------


def summary_statistics(
    replicate: Replicate, targets: Targets | tuple[Target, ...]
) -> dict[str, float]:
    """The number each target compares with, from one simulated run.

    ``value_at``: the column in the last week ending on or before the date.
    ``hours_weighted_mean``: the column's mean over the weeks ending from ``start`` to
    ``date``, weighted by contract hours (0 when nobody had a contract). ``wijk_employed``:
    participants living in the wijk in the last week ending on or before the date. A value
    the model cannot give (no participants, so no share) is NaN; the distance rejects it.
    """
    ts = replicate.timeseries
    dates = ts["date"].to_numpy()
    columns: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        if name not in columns:
            columns[name] = ts[name].to_numpy(float)
        return columns[name]

    stats: dict[str, float] = {}
    by_wijk_rows: dict[int, np.ndarray] = {}
    for target in targets:
        day = np.datetime64(target.date, "ns")
        row = int(np.searchsorted(dates, day, side="right")) - 1
        if row < 0 or dates[-1] + np.timedelta64(7, "D") <= day:
            raise ValueError(
                f"target {target.name} ({target.date}) is outside the simulated weeks "
                f"{dates[0]}..{dates[-1]}"
            )
        if target.statistic == "value_at":
            stats[target.name] = float(column(target.column)[row])
        elif target.statistic == "hours_weighted_mean":
            start = np.datetime64(target.start, "ns")
            first = int(np.searchsorted(dates, start, side="left"))
            weights = column("contract_hours")[first : row + 1]
            values = column(target.column)[first : row + 1]
            total = float(weights.sum())
            stats[target.name] = float(values @ weights) / total if total > 0 else 0.0
        else:
            if row not in by_wijk_rows:
                frame = replicate.by_wijk
                this_week = frame["date"].to_numpy() == dates[row]
                counts = dict(
                    zip(
                        frame["wijk"].to_numpy()[this_week],
                        frame["employed"].to_numpy()[this_week],
                        strict=True,
                    )
                )
                by_wijk_rows[row] = np.array([counts[w] for w in WIJKEN], float)
            stats[target.name] = float(by_wijk_rows[row][WIJKEN.index(target.wijk)])
    return stats


class Distance:
    """Sum over the "fit" targets of ((simulated - observed) / scale)^2.

    A callable of pyabc's ``distance(x, x_0)`` form (a class, not a closure, so that it
    pickles to worker processes). A missing or non-finite simulated value gives an
    infinite distance (the particle is rejected).
    """

    def __init__(self, targets: Targets):
        self.names = tuple(t.name for t in targets.fit)
        self.scales = tuple(float(t.scale) for t in targets.fit)

    def __call__(self, x: Mapping[str, Any], x_0: Mapping[str, Any]) -> float:
        """The distance of simulated statistics ``x`` from the observed ``x_0``."""
        total = 0.0
        for name, scale in zip(self.names, self.scales, strict=True):
            value = float(x[name]) if name in x else math.nan
            if not math.isfinite(value):
                return math.inf
            total += ((value - float(x_0[name])) / scale) ** 2
        return total

    def contributions(self, x: Mapping[str, Any], x_0: Mapping[str, Any]) -> dict[str, float]:
        """Each fit target's term of the distance."""
        return {
            name: ((float(x[name]) - float(x_0[name])) / scale) ** 2
            for name, scale in zip(self.names, self.scales, strict=True)
        }


# ---------------------------------------------------------------------------
# Free parameters and priors
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeParameter:
    """A calibrated parameter: a uniform prior on ``[low, high]`` in the sampler's numbers.

    pyabc samples numbers; a date parameter is sampled as days after the programme start
    and an integer parameter is rounded to the nearest whole number.
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

    def bounds_as_values(self) -> tuple[Any, Any]:
        """The prior's bounds as registry values (dates for a date parameter)."""
        return self.to_value(self.low), self.to_value(self.high)


class Prior(BaseModel):
    """A uniform prior in a calibration file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float | dt.date
    high: float | dt.date
    reason: str = Field(min_length=1)


class AbcSettings(BaseModel):
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
    workers: int | None = Field(None, ge=1, le=1_024)


class DistanceSettings(BaseModel):
    """Which distance: only the fixed-scale sum of squares (see the calibration README)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["sum_of_squares"]


class PpcSettings(BaseModel):
    """Posterior predictive check: how many fresh simulations from the posterior."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    draws: int = Field(1_000, ge=10, le=1_000_000)


class _ConfigFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    targets: str
    seed: int = Field(ge=0, lt=2**63)
    priors: dict[str, Any]
    fixed: dict[str, Any] = Field(default_factory=dict)
    distance: DistanceSettings
    abc: AbcSettings
    ppc: PpcSettings = PpcSettings()


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
    )


def load_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibration file such as ``calibration/hanze.toml``."""
    path = Path(path)
    data, _ = read_toml(path)
    return parse_calibration(data, source=str(path), base_dir=path.parent)


def prior_distribution(free: tuple[FreeParameter, ...]) -> pyabc.Distribution:
    """The pyabc prior: independent uniforms on each free parameter's numbers."""
    import pyabc

    return pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in free})


def weighted_quantiles(values: Any, weights: Any, levels: Any) -> np.ndarray:
    """Quantiles of a weighted sample (the inverse of its weighted empirical CDF).

    Each value's weight is centred on it (the midpoint convention of ``numpy``'s
    "weibull"-like plotting positions) and levels in between are interpolated; values
    with weight 0 play no part.
    """
    x = np.asarray(values, float)
    w = np.asarray(weights, float)
    x, w = x[w > 0], w[w > 0]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.asarray(levels, float), cdf, x)


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

    def params(self, numbers: Mapping[str, float]) -> Params:
        """The parameter set of sampled numbers."""
        values = {p.name: p.to_value(numbers[p.name]) for p in self.free}
        return Params.from_mapping({**self.fixed, **values})

    def run(self, numbers: Mapping[str, float], seed: int) -> dict[str, float]:
        """Simulate with an explicit seed and return the statistics."""
        params = window_params(self.params(numbers), self.until)
        replicate = run_replicate(params, seed, self.until)
        return summary_statistics(replicate, self.targets)

    def __call__(self, numbers: Mapping[str, float]) -> dict[str, float]:
        """Simulate the sampled numbers with their own seed; statistics and the seed."""
        plain = {p.name: float(numbers[p.name]) for p in self.free}
        seed = evaluation_seed(self.master_seed, plain)
        stats = self.run(plain, seed)
        stats[SEED_KEY] = seed
        return stats
