"""Scoring a forecast against figures observed after it was made (out of sample).

For each observed figure and each scenario of a forecast, the forecast's runs give an
ensemble of values of the quantity on that date (each run's last week on or before it).
The figure is scored by:

- ``pit``: where it falls in the ensemble, the probability integral transform (the
  share of runs below it, counting runs equal to it half: the counts are whole
  numbers); over many figures a calibrated forecast gives uniform PITs;
- ``in50``, ``in80``, ``in95``: whether it lies inside the central 50/80/95% intervals;
- ``crps``: the continuous ranked probability score of the ensemble (lower is better;
  in the units of the quantity), by ``scoringrules`` (Gneiting & Raftery 2007);

and against three forecasts a policy maker could make by hand, each a single number
whose CRPS is its absolute error: ``crps_persistence`` (the last count known when the
forecast was made, held), ``crps_trend`` (the straight line through the counts known
then) and ``crps_policy`` (the policy's own target path, for the number of
participants). The counts known then are those the calibration was fitted on, as its
posterior recorded them (FACTS.md's for the committed one, :mod:`sim.observed`); a
quantity without them gets no persistence or trend score (NaN).

:func:`validate_forecast` is ``basisbaan validate``: it reads a forecast's folder and an
observation file, checks that every figure is later than the forecast's origin (the last
day of the figures it was calibrated on), and writes ``validation.csv`` and its figure.

References:
    Gneiting T, Raftery AE (2007). Strictly proper scoring rules, prediction, and
    estimation. J Am Stat Assoc 102(477):359-378.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scoringrules

from sim.config.errors import ConfigError
from sim.config.observations import Observation, load_observations
from sim.experiment import ALWAYS_KEPT
from sim.observed import OBSERVED

LAST_FACTS_DATE = dt.date(2023, 3, 31)
"""FACTS.md lists figures up to March 2023: the origin of a forecast calibrated on it."""

VALIDATION_COLUMNS = (
    "date",
    "quantity",
    "value",
    "scenario",
    "pit",
    "in50",
    "in80",
    "in95",
    "crps",
    "crps_persistence",
    "crps_trend",
    "crps_policy",
)
INTERVALS = {"in50": 0.50, "in80": 0.80, "in95": 0.95}
QUANTILES = (0.025, 0.10, 0.25, 0.50, 0.75, 0.90, 0.975)  # kept for the figure


def ensemble_at(ts: pd.DataFrame, scenario: str, quantity: str, day: dt.date) -> np.ndarray:
    """Each run's value of ``quantity`` in its last week ending on or before ``day``."""
    runs = ts[(ts["scenario"] == scenario) & (ts["date"] <= pd.Timestamp(day))]
    keys = [k for k in ("sample", "replicate") if k in runs.columns]
    return runs.sort_values("date").groupby(keys)[quantity].last().to_numpy(float)


def pit(ensemble: np.ndarray, value: float) -> float:
    """The mid-PIT: the share of the ensemble below ``value``, ties counted half."""
    below = float(np.mean(ensemble < value))
    equal = float(np.mean(ensemble == value))
    return below + 0.5 * equal


def inside(ensemble: np.ndarray, value: float, level: float) -> bool:
    """Whether ``value`` lies inside the ensemble's central ``level`` interval."""
    low, high = np.quantile(ensemble, [(1 - level) / 2, 1 - (1 - level) / 2])
    return bool(low <= value <= high)


def crps(ensemble: np.ndarray, value: float) -> float:
    """The CRPS of an ensemble forecast for one observed value (``scoringrules``)."""
    return float(scoringrules.crps_ensemble(value, np.asarray(ensemble, float)))


@dataclass(frozen=True)
class Count:
    """A count known when the forecast was made (for the hand-made forecasts)."""

    quantity: str
    date: dt.date
    value: float


def persistence(known: Sequence[Count], quantity: str) -> float:
    """The last known count of ``quantity`` (NaN without one)."""
    points = sorted((c for c in known if c.quantity == quantity), key=lambda c: c.date)
    return float(points[-1].value) if points else float("nan")


def trend(known: Sequence[Count], quantity: str, day: dt.date) -> float:
    """The least-squares line through the known counts of ``quantity``, at ``day``.

    At least 0 (a count); NaN with fewer than two counts on different dates.
    """
    points = [c for c in known if c.quantity == quantity]
    if len({c.date for c in points}) < 2:
        return float("nan")
    x = np.array([c.date.toordinal() for c in points], float)
    y = np.array([c.value for c in points], float)
    slope, intercept = np.polyfit(x, y, 1)
    return max(float(slope * day.toordinal() + intercept), 0.0)


def facts_counts() -> tuple[Count, ...]:
    """The counts of FACTS.md up to March 2023 (:mod:`sim.observed`)."""
    return tuple(Count(o.column, o.date, float(o.value)) for o in OBSERVED)


def policy_path(ts: pd.DataFrame, scenario: str, quantity: str, day: dt.date) -> float:
    """The policy's own target on ``day`` (the median over runs), for participants only."""
    if quantity != "employed" or "job_target" not in ts.columns:
        return float("nan")
    return float(np.median(ensemble_at(ts, scenario, "job_target", day)))


def score(
    ts: pd.DataFrame,
    observations: Sequence[Observation],
    *,
    origin: dt.date,
    known: Sequence[Count] = (),
) -> pd.DataFrame:
    """Score every observation in every scenario of a forecast's time series.

    Args:
        ts: the forecast's weekly time series (``scenario``, ``replicate``, ``date`` and
            the observed quantities, with ``job_target`` for the policy path).
        observations: the figures observed after the forecast's origin.
        origin: the last day of the figures the forecast was calibrated on; every
            observation must be later.
        known: the counts known at the origin, for the persistence and trend forecasts
            (only those dated on or before ``origin`` are used).

    Returns:
        The rows of ``validation.csv`` (:data:`VALIDATION_COLUMNS`), then the ensemble's
        quantiles (``q025`` ... ``q975``) for the figure.

    Raises:
        ValueError: an observation on or before the origin or after the last week.
    """
    known = [c for c in known if c.date <= origin]
    rows = []
    last_week = pd.Timestamp(ts["date"].max())
    for obs in observations:
        if obs.date <= origin:
            raise ValueError(
                f"the observation of {obs.quantity} on {obs.date} is not after the forecast's "
                f"origin {origin}: the forecast was calibrated on figures up to that day"
            )
        if pd.Timestamp(obs.date) > last_week + pd.Timedelta(days=6):
            raise ValueError(
                f"the observation of {obs.quantity} on {obs.date} is after the forecast's "
                f"last week ({last_week.date()})"
            )
        hand = {
            "crps_persistence": persistence(known, obs.quantity),
            "crps_trend": trend(known, obs.quantity, obs.date),
        }
        for scenario in pd.unique(ts["scenario"]):
            ensemble = ensemble_at(ts, scenario, obs.quantity, obs.date)
            policy = policy_path(ts, scenario, obs.quantity, obs.date)
            row = {
                "date": obs.date,
                "quantity": obs.quantity,
                "value": obs.value,
                "scenario": scenario,
                "pit": pit(ensemble, obs.value),
                **{k: inside(ensemble, obs.value, level) for k, level in INTERVALS.items()},
                "crps": crps(ensemble, obs.value),
                **{k: abs(v - obs.value) for k, v in hand.items()},
                "crps_policy": abs(policy - obs.value),
            }
            quantiles = np.quantile(ensemble, QUANTILES)
            row.update(
                {
                    f"q{round(q * 1000):03d}": float(v)
                    for q, v in zip(QUANTILES, quantiles, strict=True)
                }
            )
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# basisbaan validate: reading a forecast, writing validation.csv
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """What ``basisbaan validate`` scored and wrote."""

    table: pd.DataFrame
    origin: dt.date
    posterior_sha256: str | None
    made: str | None
    written: tuple[Path, ...]


def forecast_record(manifest: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    """A forecast's pre-registration from its manifest (ConfigError if it is no forecast)."""
    record = manifest.get("forecast")
    if not isinstance(record, Mapping):
        raise ConfigError(
            "is not a forecast made with a recorded posterior (its manifest has no "
            "'forecast' record); run `basisbaan forecast` first",
            source=source,
        )
    return record


def origin_and_counts(record: Mapping[str, Any]) -> tuple[dt.date, tuple[Count, ...]]:
    """The forecast's origin and the counts known then, as its posterior recorded them.

    A posterior that recorded neither was calibrated on FACTS.md: the origin is the last
    day FACTS.md allows (31 March 2023) and the counts are those of :mod:`sim.observed`.
    """
    until = record.get("observed_until")
    origin = dt.date.fromisoformat(until) if until else LAST_FACTS_DATE
    recorded = record.get("observed")
    if not recorded:
        return origin, facts_counts()
    counts = tuple(
        Count(str(c["quantity"]), dt.date.fromisoformat(str(c["date"])), float(c["value"]))
        for c in recorded
    )
    return origin, counts


def validate_forecast(
    observed: str | Path,
    forecast: str | Path,
    out: str | Path | None = None,
    *,
    figures: bool = True,
) -> Validation:
    """Score a forecast against an observation file; write ``validation.csv`` (and more).

    Args:
        observed: the observation file (``[[observation]]`` tables).
        forecast: the forecast's results directory.
        out: where ``validation.csv`` and the figure go (default: the forecast's folder;
            the report there is then written again with its validation section).
        figures: draw ``figures/validation.png`` (and rewrite the report).

    Raises:
        ConfigError: a bad observation file, a folder that holds no forecast, a quantity
            the forecast did not keep, an observation not after the forecast's origin or
            after its last week. Nothing is written then.
    """
    from sim.config.locations import output_folder
    from sim.store import StoreError, read_manifest, read_table

    observations = load_observations(observed)
    directory = Path(forecast)
    try:
        manifest = read_manifest(directory)
    except StoreError as error:
        raise ConfigError(str(error), source=str(directory)) from None
    record = forecast_record(manifest, str(directory / "manifest.json"))
    origin, counts = origin_and_counts(record)
    kept = set(manifest.get("experiment", {}).get("outputs", [])) | set(ALWAYS_KEPT)
    for i, obs in enumerate(observations.observations):
        where = f"observation[{i}]"
        if obs.quantity not in kept:
            raise ConfigError(
                f"'{obs.quantity}' was not kept by this forecast (its columns: "
                f"{', '.join(sorted(kept))})",
                source=observations.source,
                key=f"{where}.quantity",
            )
        if obs.date <= origin:
            raise ConfigError(
                f"{obs.date} is not after the forecast's origin {origin}: the forecast was "
                "calibrated on the figures up to that day, so this one is not new to it",
                source=observations.source,
                key=f"{where}.date",
            )
    quantities = sorted({obs.quantity for obs in observations.observations})
    columns = ["scenario", "replicate", "date", *quantities]
    if "job_target" in kept and "job_target" not in columns:
        columns.append("job_target")
    ts = read_table(directory, "timeseries", columns=columns)
    last_week = pd.Timestamp(ts["date"].max())
    for i, obs in enumerate(observations.observations):
        if pd.Timestamp(obs.date) > last_week + pd.Timedelta(days=6):
            raise ConfigError(
                f"{obs.date} is after the forecast's last week ({last_week.date()})",
                source=observations.source,
                key=f"observation[{i}].date",
            )
    table = score(ts, observations.observations, origin=origin, known=counts)
    target = output_folder(out if out is not None else directory)
    written = [_write_csv(table, target / "validation.csv")]
    if figures:
        written.append(_draw(table, target / "figures" / "validation.png"))
        if Path(target).resolve() == directory.resolve() and (directory / "report.html").exists():
            from sim.report import write_report

            written.append(write_report(directory))
    return Validation(
        table=table,
        origin=origin,
        posterior_sha256=record.get("posterior_sha256"),
        made=record.get("made"),
        written=tuple(written),
    )


def _write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write whole or not at all: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    table.to_csv(temporary, index=False)
    os.replace(temporary, path)
    return path


def _draw(table: pd.DataFrame, path: Path) -> Path:
    from sim.figures.style import DPI
    from sim.figures.validation import validation_figure

    inside = int(table["in80"].sum())
    figure = validation_figure(
        table,
        title=f"{inside} of {len(table)} later figures (and scenarios) inside the forecast's "
        "80% interval",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp.png")
    figure.savefig(temporary, dpi=DPI)
    os.replace(temporary, path)
    return path
