"""Global sensitivity analysis with SALib: which assumptions decide the answers.

A ``[sensitivity]`` table turns an experiment file into an analysis:

.. code-block:: toml

    [sensitivity]
    method = "morris"          # "morris" (screening) or "sobol" (variance-based indices)
    trajectories = 20          # morris; "samples" (a power of two) for sobol
    parameters = "uncertain"   # every registry parameter with an uncertainty range, or names
    outputs = ["year_250_reached", "net_cost_per_job_year"]   # names of sim.outputs.OUTPUTS

:func:`parse_sensitivity` checks the table (unknown keys, methods, parameters and
outputs are refused with the closest name suggested, before anything is written) and
returns a :class:`Sensitivity`. Its :meth:`~Sensitivity.design` is SALib's sample:
Morris trajectories (Morris 1991, with 4 levels by default) or Saltelli's extension
of the Sobol' sequence (Saltelli 2002; ``samples`` x (k + 2) points, or (2k + 2)
with second-order indices). The experiment runs each point as a sweep sample, every
point with the same replicate seeds (common random numbers), through the ordinary
runner and store; :func:`analyse` then averages each output over the replicates of a
point and hands the means to SALib: ``mu_star`` (the mean absolute elementary effect,
with its bootstrap interval), ``sigma`` and ``mu`` for Morris (Campolongo et al. 2007);
first-order (Saltelli 2010) and total (Jansen 1999) indices with bootstrap intervals
for Sobol'. Nothing here is hand-written: SALib samples and SALib analyses.

Elementary effects are in the output's own unit per step of two thirds of a
parameter's uncertainty range (SALib's step for 4 levels), so they compare across
parameters: "moving this assumption across most of its range moves the year 250 is
reached by this much".

References: Morris, M. D. (1991), Technometrics 33(2); Campolongo, F., Cariboni, J.
and Saltelli, A. (2007), Environmental Modelling & Software 22(10); Saltelli, A.
(2002), Computer Physics Communications 145(2); Saltelli, A. et al. (2010), Computer
Physics Communications 181(2); Jansen, M. J. W. (1999), Computer Physics
Communications 117; Herman, J. and Usher, W. (2017), SALib, Journal of Open Source
Software 2(9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.config.checks import check_keys, shown, unknown_name, whole_number
from sim.config.errors import ConfigError
from sim.outputs import COLUMN_PREFIX, OUTPUTS
from sim.params import Params, registry, uncertain_ranges

SENSITIVITY_KEYS = (
    "method",
    "trajectories",
    "levels",
    "samples",
    "second_order",
    "parameters",
    "outputs",
    "scenario",
)
METHODS = ("morris", "sobol")
DEFAULT_OUTPUTS = (
    "year_250_reached",
    "net_cost_per_job_year",
    "cost_net_cum_2030",
    "employed_2025_04",
    "binding_candidates",
    "binding_tasks",
)
DEFAULT_TRAJECTORIES = 20
DEFAULT_LEVELS = 4
RESAMPLES = 1_000  # bootstrap resamples for the intervals
CONFIDENCE = 0.95
MORRIS_COLUMNS = ("method", "output", "parameter", "mu_star", "mu_star_conf", "sigma", "mu")
SOBOL_COLUMNS = ("method", "output", "parameter", "S1", "S1_conf", "ST", "ST_conf")
SECOND_ORDER_COLUMNS = ("other", "S2", "S2_conf")


@dataclass(frozen=True)
class Problem:
    """SALib's problem: the parameters and their ranges (registry order)."""

    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]

    def salib(self) -> dict[str, Any]:
        """The problem as SALib takes it."""
        return {
            "num_vars": len(self.names),
            "names": list(self.names),
            "bounds": [list(bound) for bound in self.bounds],
        }


@dataclass(frozen=True)
class Sensitivity:
    """A validated ``[sensitivity]`` table.

    Attributes:
        method: ``"morris"`` or ``"sobol"``.
        problem: the parameters varied and their uncertainty ranges.
        outputs: the outputs analysed (names of :data:`sim.outputs.OUTPUTS`).
        seed: the seed of the design and of the bootstrap (the experiment's).
        trajectories: Morris trajectories.
        levels: Morris grid levels.
        samples: Sobol' base samples (a power of two).
        second_order: whether Sobol' second-order indices are asked for.
    """

    method: Literal["morris", "sobol"]
    problem: Problem
    outputs: tuple[str, ...]
    seed: int
    trajectories: int = DEFAULT_TRAJECTORIES
    levels: int = DEFAULT_LEVELS
    samples: int = 0
    second_order: bool = False

    @property
    def points(self) -> int:
        """How many points the design has (runs per replicate)."""
        k = len(self.problem.names)
        if self.method == "morris":
            return self.trajectories * (k + 1)
        return self.samples * (2 * k + 2 if self.second_order else k + 2)

    def design(self) -> np.ndarray:
        """SALib's sample: one row per point, one column per parameter (unrounded)."""
        if self.method == "morris":
            from SALib.sample import morris

            return morris.sample(
                self.problem.salib(), self.trajectories, num_levels=self.levels, seed=self.seed
            )
        from SALib.sample import sobol

        return sobol.sample(
            self.problem.salib(),
            self.samples,
            calc_second_order=self.second_order,
            scramble=True,
            seed=self.seed,
        )

    def describe(self) -> dict[str, Any]:
        """The analysis as plain values (for ``analysis.json`` and the report)."""
        return {
            "kind": "sensitivity",
            "method": self.method,
            "outputs": list(self.outputs),
            "parameters": {
                name: list(bound)
                for name, bound in zip(self.problem.names, self.problem.bounds, strict=True)
            },
            "trajectories": self.trajectories if self.method == "morris" else None,
            "levels": self.levels if self.method == "morris" else None,
            "samples": self.samples if self.method == "sobol" else None,
            "second_order": self.second_order,
            "points": self.points,
        }


# ---------------------------------------------------------------------------------
# Reading the table
# ---------------------------------------------------------------------------------


def parse_sensitivity(
    table: Any, *, source: str, seed: int, until: dt.date, design: str = "contract"
) -> Sensitivity:
    """Check a ``[sensitivity]`` table and build the analysis.

    Args:
        table: the table as read from TOML.
        source: the file, for messages.
        seed: the experiment's master seed (the design's and the bootstrap's seed).
        until: the experiment's horizon (an output needs its date reached).
        design: the analysed scenario's design: ``parameters = "uncertain"`` leaves out
            the parameters that act only under another design.

    Raises:
        ConfigError: a bad key or value, naming the key and what is allowed.
    """
    where = "sensitivity"
    if not isinstance(table, Mapping):
        raise ConfigError(f"must be a table, got {shown(table)}", source=source, key=where)
    check_keys(table, SENSITIVITY_KEYS, source=source, where=where)
    method = table.get("method", "morris")
    if method not in METHODS:
        raise ConfigError(
            unknown_name("sensitivity method", method, METHODS),
            source=source,
            key=f"{where}.method",
        )
    size_key, other_key = (
        ("trajectories", "samples") if method == "morris" else ("samples", "trajectories")
    )
    for key in (other_key, *(("levels",) if method == "sobol" else ("second_order",))):
        if key in table:
            raise ConfigError(
                f"is not a setting of method '{method}' (use '{size_key}')"
                if key == other_key
                else f"is not a setting of method '{method}'",
                source=source,
                key=f"{where}.{key}",
            )
    problem = Problem(*_parameters(table.get("parameters", "uncertain"), source, design))
    outputs = check_outputs(
        table.get("outputs", list(DEFAULT_OUTPUTS)), source, f"{where}.outputs", until
    )
    settings: dict[str, Any] = {}
    if method == "morris":
        settings["trajectories"] = whole_number(
            table.get("trajectories", DEFAULT_TRAJECTORIES),
            at_least=2,
            source=source,
            key=f"{where}.trajectories",
        )
        levels = whole_number(
            table.get("levels", DEFAULT_LEVELS), at_least=2, at_most=100, source=source,
            key=f"{where}.levels",
        )  # fmt: skip
        if levels % 2:
            raise ConfigError(
                f"must be even (Morris' step of levels / (2 (levels - 1)) lands on the grid "
                f"only then), got {levels}",
                source=source,
                key=f"{where}.levels",
            )
        settings["levels"] = levels
    else:
        if "samples" not in table:
            raise ConfigError(
                "method 'sobol' needs 'samples' (a power of two, such as 256)",
                source=source,
                key=f"{where}.samples",
            )
        samples = whole_number(table["samples"], at_least=2, source=source, key=f"{where}.samples")
        if samples & (samples - 1):
            below = 1 << (samples.bit_length() - 1)
            raise ConfigError(
                f"must be a power of two (Sobol' sequences balance only then), got {samples}; "
                f"the nearest are {below} and {below * 2}",
                source=source,
                key=f"{where}.samples",
            )
        settings["samples"] = samples
        second = table.get("second_order", False)
        if not isinstance(second, bool):
            raise ConfigError(
                f"must be true or false, got {shown(second)}",
                source=source,
                key=f"{where}.second_order",
            )
        settings["second_order"] = second
    return Sensitivity(method=method, problem=problem, outputs=outputs, seed=seed, **settings)


def _parameters(
    value: Any, source: str, design: str
) -> tuple[tuple[str, ...], tuple[tuple[float, float], ...]]:
    """The parameters named (or every uncertain one) with their uncertainty ranges."""
    key = "sensitivity.parameters"
    ranges = uncertain_ranges(design=design) if value == "uncertain" else None
    if ranges is None:
        names = check_uncertain_names(value, source, key)
        every = uncertain_ranges()
        ranges = {name: every[name] for name in Params.names() if name in names}
    if len(ranges) < 2:
        raise ConfigError("needs at least two parameters to compare", source=source, key=key)
    return tuple(ranges), tuple(ranges.values())


def check_uncertain_names(value: Any, source: str, key: str) -> list[str]:
    """A list of parameter names, each with an uncertainty range.

    Raises:
        ConfigError: not a list of strings, an unknown name (closest suggested), a name
            twice, or a parameter without an uncertainty range (a lever or a fixed value).
    """
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f'must be "uncertain" or a list of parameter names, got {shown(value)}',
            source=source,
            key=key,
        )
    rows = {row["name"]: row for row in registry()}
    for position, name in enumerate(value):
        if name in value[:position]:
            raise ConfigError(f"names '{name}' twice", source=source, key=key)
        if name not in rows:
            raise ConfigError(
                unknown_name(
                    "parameter",
                    name,
                    Params.names(),
                    allowed_text="the parameter names of sim/params.py (the table of docs/ODD.md)",
                ),
                source=source,
                key=key,
            )
        row = rows[name]
        if row["uncertain"] is None:
            why = (
                "a policy lever, not an uncertainty" if row["lever"] else f"fixed ({row['fixed']})"
            )
            raise ConfigError(
                f"'{name}' has no uncertainty range: it is {why}; the parameters with one "
                "are listed in the Uncertainty column of docs/ODD.md",
                source=source,
                key=key,
            )
    return list(value)


def check_outputs(value: Any, source: str, key: str, until: dt.date) -> tuple[str, ...]:
    """A list of output names of :data:`sim.outputs.OUTPUTS` whose date the runs reach."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"must be a non-empty list of output names, got {shown(value)}", source=source, key=key
        )
    for position, name in enumerate(value):
        if name in value[:position]:
            raise ConfigError(f"names '{name}' twice", source=source, key=key)
        check_output(name, source, key, until)
    return tuple(value)


def check_output(name: Any, source: str, key: str | None, until: dt.date) -> str:
    """One output name: registered, and its date within the horizon."""
    if name not in OUTPUTS:
        raise ConfigError(
            unknown_name(
                "output",
                name,
                list(OUTPUTS),
                allowed_text=f"{', '.join(OUTPUTS)} (sim/outputs.py)",
            ),
            source=source,
            key=key,
        )
    needs = OUTPUTS[name].needs_until
    if needs is not None and until < needs:
        raise ConfigError(
            f"output '{name}' needs the runs to reach {needs}, but 'until' is {until}",
            source=source,
            key=key,
        )
    return str(name)


# ---------------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------------


def point_means(runs: pd.DataFrame, outputs: Sequence[str], points: int) -> pd.DataFrame:
    """Each output averaged over the replicates of each point (one row per point).

    Args:
        runs: the ``runs`` table of the analysis (``sample``, ``replicate`` and the
            ``output_<name>`` columns).
        outputs: the outputs analysed.
        points: how many points the design has.

    Raises:
        ValueError: a point without runs, or points with different replicate counts
            (the design is incomplete: run the experiment again to finish it).
    """
    columns = [f"{COLUMN_PREFIX}{name}" for name in outputs]
    # Points beyond the design are left out: a Morris design of fewer trajectories is
    # the first points of a longer one (SALib draws trajectory after trajectory from
    # the same seed), so an interrupted run is analysed on its complete trajectories
    # with --samples set to their count.
    grouped = runs[runs["sample"] < points].groupby("sample")
    counts = grouped.size()
    missing = sorted(set(range(points)) - set(counts.index))
    if missing or counts.min() != counts.max():
        raise ValueError(
            f"the design is incomplete ({len(missing)} of {points} points without runs, "
            f"{counts.min()} to {counts.max()} replicates a point): run it again to finish it"
        )
    means = grouped[columns].mean().sort_index()
    means.columns = list(outputs)
    return means


def analyse(sensitivity: Sensitivity, means: pd.DataFrame) -> pd.DataFrame:
    """SALib's indices of every output, as a tidy table (one row per output and parameter).

    Args:
        sensitivity: the analysis.
        means: one row per design point (in design order), a column per output.

    Returns:
        Morris: ``method, output, parameter, mu_star, mu_star_conf, sigma, mu``. Sobol:
        ``method, output, parameter, S1, S1_conf, ST, ST_conf`` and, with second-order
        indices, rows with ``other, S2, S2_conf`` for each pair.
    """
    problem = sensitivity.problem.salib()
    frames = []
    for output in sensitivity.outputs:
        y = means[output].to_numpy(dtype=float)
        if not np.isfinite(y).all():
            raise ValueError(f"output '{output}' is not a number in every point")
        if sensitivity.method == "morris":
            frames.append(_morris(sensitivity, problem, output, y))
        else:
            frames.append(_sobol(sensitivity, problem, output, y))
    return pd.concat(frames, ignore_index=True)


def _morris(
    sensitivity: Sensitivity, problem: dict[str, Any], output: str, y: np.ndarray
) -> pd.DataFrame:
    from SALib.analyze import morris

    indices = morris.analyze(
        problem,
        sensitivity.design(),
        y,
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        num_levels=sensitivity.levels,
        seed=sensitivity.seed,
    )
    return pd.DataFrame(
        {
            "method": "morris",
            "output": output,
            "parameter": problem["names"],
            "mu_star": np.asarray(indices["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(indices["mu_star_conf"], dtype=float),
            "sigma": np.asarray(indices["sigma"], dtype=float),
            "mu": np.asarray(indices["mu"], dtype=float),
        },
        columns=list(MORRIS_COLUMNS),
    )


def _sobol(
    sensitivity: Sensitivity, problem: dict[str, Any], output: str, y: np.ndarray
) -> pd.DataFrame:
    names = problem["names"]
    k = len(names)
    if np.ptp(y) == 0:
        # No parameter moves the output: every index is zero (SALib would divide by 0).
        zeros = np.zeros(k)
        indices: dict[str, Any] = {
            "S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros,
            "S2": np.zeros((k, k)), "S2_conf": np.zeros((k, k)),
        }  # fmt: skip
    else:
        from SALib.analyze import sobol

        indices = sobol.analyze(
            problem,
            y,
            calc_second_order=sensitivity.second_order,
            num_resamples=RESAMPLES,
            conf_level=CONFIDENCE,
            seed=sensitivity.seed,
        )
    frame = pd.DataFrame(
        {
            "method": "sobol",
            "output": output,
            "parameter": names,
            **{key: np.asarray(indices[key], dtype=float) for key in SOBOL_COLUMNS[3:]},
        },
        columns=list(SOBOL_COLUMNS),
    )
    if not sensitivity.second_order:
        return frame
    pairs = [
        {
            "method": "sobol",
            "output": output,
            "parameter": names[j],
            "other": names[m],
            "S2": float(indices["S2"][j][m]),
            "S2_conf": float(indices["S2_conf"][j][m]),
        }
        for j in range(k)
        for m in range(j + 1, k)
    ]
    return pd.concat([frame, pd.DataFrame(pairs)], ignore_index=True)


def ranking(frame: pd.DataFrame, output: str) -> pd.DataFrame:
    """One output's parameters, the most important first (by mu_star, or by ST)."""
    rows = frame[(frame["output"] == output)]
    if "other" in rows:
        rows = rows[rows["other"].isna()]
    key = "mu_star" if (rows["method"] == "morris").all() else "ST"
    return rows.sort_values(key, ascending=False, kind="stable").reset_index(drop=True)
