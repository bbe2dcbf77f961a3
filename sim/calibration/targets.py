"""Calibration targets: the observed figures, the statistics a run gives them, the distance.

The observed figures live in ``calibration/targets.toml``: each with its date, value
and source, how a simulated run is compared with it (``statistic``, ``column``), its
scale in the distance (with the reason) and whether it is fitted or only checked; the
figures of FACTS.md that are not targets are listed with the reason. This module reads
and validates that file (through :mod:`sim.config`: errors name the file, the key and
what is allowed), turns a simulated run into the summary statistics the targets compare
with (:func:`summary_statistics`) and computes the distance (:class:`Distance`).

References:
    Toni T, Welch D, Strelkowa N, Ipsen A, Stumpf MPH (2009). Approximate Bayesian
    computation scheme for parameter inference and model selection in dynamical systems.
    J R Soc Interface 6:187-202.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from sim.config.checks import InputTable, check_keys, unknown_name, validate_table
from sim.config.errors import ConfigError, FieldError
from sim.config.read import read_toml
from sim.outcomes import OUTCOMES
from sim.population import POOL_FIGURES, Population, pool_figures
from sim.simulation import Replicate
from sim.timeline import PROGRAMME_START, week_dates, week_of
from sim.wijken import WIJKEN

if TYPE_CHECKING:
    from sim.model import BasisbaanModel

LAST_TARGET_DATE = dt.date(2023, 3, 31)
"""FACTS.md: the calibration uses figures dated up to March 2023; later ones are held back.

A targets file says up to which day its figures may be dated (``observed_until``, this
day when it does not say); a figure that arrives later is added with its date and the
day moved to it (calibration/README.md, "When a new count arrives")."""

# Outcome columns that are numbers (binding_constraint is a label).
NUMERIC_COLUMNS = tuple(name for name in OUTCOMES if name != "binding_constraint")

# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------


class Target(InputTable):
    """One observed figure and how a simulated run is compared with it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    statistic: Literal["value_at", "hours_weighted_mean", "wijk_employed", "pool"]
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
        if self.statistic == "pool":
            if self.column not in POOL_FIGURES:
                raise FieldError(
                    "column",
                    unknown_name(
                        "pool figure",
                        self.column,
                        POOL_FIGURES,
                        allowed_text="the pool's figures of sim/population.py",
                    ),
                )
        elif self.column not in NUMERIC_COLUMNS:
            raise FieldError(
                "column",
                unknown_name(
                    "outcome column",
                    self.column,
                    NUMERIC_COLUMNS,
                    allowed_text="the numeric outcome columns of sim/outcomes.py",
                ),
            )
        if self.date <= PROGRAMME_START:
            raise FieldError(
                "date", f"{self.date} must be after the programme start {PROGRAMME_START}"
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


class NotUsed(InputTable):
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
    observed_until: dt.date = LAST_TARGET_DATE

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
            observed_until=self.observed_until,
        )

    def counts(self) -> list[dict[str, Any]]:
        """The counts of the weekly series among the targets (``value_at``).

        A forecast records them as what was known when it was made: the hand-made
        forecasts of ``basisbaan validate`` start from them.
        """
        return [
            {"quantity": t.column, "date": t.date.isoformat(), "value": float(t.value)}
            for t in self.targets
            if t.statistic == "value_at"
        ]


def parse_targets(data: Mapping[str, Any], source: str = "<targets>") -> Targets:
    """Validate a targets table (as read from TOML)."""
    check_keys(data, ("observed_until", "target", "not_used"), source=source)
    observed_until = data.get("observed_until", LAST_TARGET_DATE)
    if not isinstance(observed_until, dt.date) or isinstance(observed_until, dt.datetime):
        raise ConfigError(
            f"must be a date such as {LAST_TARGET_DATE} (no quotes), got {observed_until!r}",
            source=source,
            key="observed_until",
        )
    rows = data.get("target")
    if not isinstance(rows, list) or not rows:
        raise ConfigError("needs at least one [[target]]", source=source, key="target")
    targets: list[Target] = []
    for i, row in enumerate(rows):
        label = row.get("name", i) if isinstance(row, Mapping) else i
        target = validate_table(Target, row, source=source, where=f"target[{label}]")
        if target.date > observed_until:
            raise ConfigError(
                f"{target.date} is after observed_until ({observed_until}): FACTS.md's "
                "figures end in March 2023 and later ones are held back to test the "
                "forecasts; a new figure moves observed_until to its date",
                source=source,
                key=f"target[{label}].date",
            )
        if any(t.name == target.name for t in targets):
            raise ConfigError(
                "a second target of this name", source=source, key=f"target[{label}].name"
            )
        targets.append(target)
    if not any(t.use == "fit" for t in targets):
        raise ConfigError(
            "no target has use = 'fit'; the distance would be empty", source=source, key="target"
        )
    rows = data.get("not_used", [])
    if not isinstance(rows, list):
        raise ConfigError("must be an array of tables [[not_used]]", source=source, key="not_used")
    not_used = [
        validate_table(NotUsed, row, source=source, where=f"not_used[{i}]")
        for i, row in enumerate(rows)
    ]
    return Targets(
        targets=tuple(targets),
        not_used=tuple(not_used),
        source=source,
        observed_until=observed_until,
    )


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
    participants living in the wijk in the last week ending on or before the date.
    ``pool``: the bijstand pool's figure at the date (:func:`sim.population.pool_figures`;
    the run must draw the whole population, inflow included). A value
    the model cannot give (no participants, so no share) is NaN; the distance rejects it.
    """
    ts = replicate.timeseries
    dates = ts["date"].to_numpy()
    frame = replicate.by_wijk

    def wijk_counts(row: int) -> dict[str, int]:
        this_week = frame["date"].to_numpy() == dates[row]
        return dict(
            zip(frame["wijk"].to_numpy()[this_week], frame["employed"].to_numpy()[this_week],
                strict=True)
        )  # fmt: skip

    return _statistics(
        targets, dates, lambda name: ts[name].to_numpy(float), wijk_counts, replicate.population
    )


def record_statistics(
    model: BasisbaanModel, targets: Targets | tuple[Target, ...]
) -> dict[str, float]:
    """:func:`summary_statistics` of a run from its weekly record, without its tables.

    The same numbers as the tables give (tested); what a calibration evaluation reads
    (written for speed: building the run's tables took 3% of the instructions of an
    evaluation to 2023).
    """
    record, areas = model.record, [area.name for area in model.p.areas]
    dates = week_dates(len(record.rows))

    def wijk_counts(row: int) -> dict[str, int]:
        return dict(zip(areas, record.by_wijk[row], strict=True))

    return _statistics(targets, dates, record.column, wijk_counts, model.population)


def _statistics(
    targets: Targets | tuple[Target, ...],
    dates: np.ndarray,
    series: Callable[[str], np.ndarray],
    wijk_counts: Callable[[int], Mapping[str, int]],
    population: Population | None,
) -> dict[str, float]:
    """The targets' numbers from a run's weeks.

    ``dates`` are the weeks' dates, ``series`` a column by name (as floats),
    ``wijk_counts`` the employed per wijk in a week (by row).
    """
    columns: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        if name not in columns:
            columns[name] = series(name)
        return columns[name]

    stats: dict[str, float] = {}
    by_wijk_rows: dict[int, np.ndarray] = {}
    pool: dict[int, dict[str, float]] = {}
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
        elif target.statistic == "pool":
            if population is None:
                raise ValueError(f"target {target.name} needs the run's population")
            week = week_of(target.date)
            if week not in pool:
                pool[week] = pool_figures(population, week)
            stats[target.name] = pool[week][target.column]
        elif target.statistic == "hours_weighted_mean":
            start = np.datetime64(target.start, "ns")
            first = int(np.searchsorted(dates, start, side="left"))
            weights = column("contract_hours")[first : row + 1]
            values = column(target.column)[first : row + 1]
            total = float(weights.sum())
            stats[target.name] = float(values @ weights) / total if total > 0 else 0.0
        else:
            if row not in by_wijk_rows:
                counts = wijk_counts(row)
                by_wijk_rows[row] = np.array([counts[w] for w in WIJKEN], float)
            stats[target.name] = float(by_wijk_rows[row][WIJKEN.index(target.wijk)])
    return stats


def recorded(targets: Targets | tuple[Target, ...]) -> tuple[tuple[str, ...], bool]:
    """What a run must record for :func:`summary_statistics` of these targets.

    Returns:
        The outcome columns the targets read (a weighted mean also reads
        ``contract_hours``), and whether any target counts the employed per wijk.
    """
    columns = {t.column for t in targets if t.statistic in ("value_at", "hours_weighted_mean")}
    if any(t.statistic == "hours_weighted_mean" for t in targets):
        columns.add("contract_hours")
    return tuple(sorted(columns)), any(t.statistic == "wijk_employed" for t in targets)


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
