"""Scenario discovery with PRIM (EMA Workbench): under which conditions a policy fails.

A ``[discovery]`` table on a sweep (levers and uncertainties sampled by Latin
hypercube) names a condition on an output of :data:`sim.outputs.OUTPUTS`:

.. code-block:: toml

    [discovery]
    condition = "year_250_reached >= 2027"   # 250 jobs not filled by the end of 2026
    boxes = 3                                # at most this many boxes
    min_density = 0.8                        # the share of runs in a box that must meet it

Every run is a case: its sampled inputs (the ``param_<name>`` columns of the ``runs``
table) and whether the condition holds for it (its ``output_<name>`` column). PRIM,
the Patient Rule Induction Method (Friedman and Fisher 1999) as EMA Workbench
implements it for scenario discovery (Bryant and Lempert 2010; Kwakkel 2017), peels
the input space down to boxes where the condition holds in most runs. Of each box's
peeling trajectory :func:`discover` keeps the box that covers the most of the cases of
interest while at least ``min_density`` of the runs in it meet the condition (the
densest box when none does), then looks for the next box among the runs left. When
the condition holds in most runs anyway, a box must do better than that: its density
must also be at least halfway from the share of all runs meeting the condition to 1
(:func:`density_needed`), or it would tell nothing apart. A restriction that the
cases do not support is then dropped, the least supported first, as long as its
quasi-p-value (Bryant and Lempert 2010: a one-sided binomial test of whether the box
is denser with the restriction than without it, which EMA Workbench computes) is
above :data:`QP_LIMIT`: with dozens of inputs, peeling also trims edges that chance
made look dense. Each box is reported with its *coverage* (the share of all runs
meeting the condition that fall in it) and its *density* (the share of the runs in it
that meet the condition), and the inputs it restricts, with their limits. Nothing here
is hand-written: EMA Workbench's PRIM peels, pastes and tests.

References: Friedman, J. H. and Fisher, N. I. (1999), Statistics and Computing 9(2);
Bryant, B. P. and Lempert, R. J. (2010), Technological Forecasting and Social Change
77(1); Kwakkel, J. H. (2017), Environmental Modelling & Software 96.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.config.checks import check_keys, is_number, shown, whole_number
from sim.config.errors import ConfigError
from sim.outputs import COLUMN_PREFIX
from sim.sensitivity import check_output
from sim.store import INPUT_PREFIX

# The largest quasi-p-value of a restriction kept (Bryant and Lempert 2010 use 0.05).
QP_LIMIT = 0.05

DISCOVERY_KEYS = (
    "condition",
    "scenario",
    "boxes",
    "min_density",
    "peel_alpha",
    "paste_alpha",
    "mass_min",
)
DISCOVERY_COLUMNS = ("box", "parameter", "low", "high", "coverage", "density")
OPERATORS = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}
_CONDITION = re.compile(
    r"\s*(?P<output>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<operator><=|>=|<|>)\s*"
    r"(?P<threshold>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*"
)
DEFAULT_BOXES = 3
DEFAULT_MIN_DENSITY = 0.8


@dataclass(frozen=True)
class Condition:
    """``output operator threshold``: when a run counts as a case of interest."""

    output: str
    operator: str
    threshold: float

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Whether the condition holds for each value (NaN never meets it)."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return np.asarray(OPERATORS[self.operator](values, self.threshold), dtype=bool)

    def __str__(self) -> str:
        return f"{self.output} {self.operator} {self.threshold:g}"


@dataclass(frozen=True)
class Discovery:
    """A validated ``[discovery]`` table: the condition and PRIM's settings."""

    condition: Condition
    inputs: tuple[str, ...]
    boxes: int = DEFAULT_BOXES
    min_density: float = DEFAULT_MIN_DENSITY
    peel_alpha: float = 0.05
    paste_alpha: float = 0.05
    mass_min: float = 0.05

    def describe(self) -> dict[str, Any]:
        """The analysis as plain values (for ``analysis.json`` and the report)."""
        return {
            "kind": "discovery",
            "condition": str(self.condition),
            "output": self.condition.output,
            "inputs": list(self.inputs),
            "boxes": self.boxes,
            "min_density": self.min_density,
            "peel_alpha": self.peel_alpha,
            "paste_alpha": self.paste_alpha,
            "mass_min": self.mass_min,
        }


def parse_condition(value: Any, *, source: str, key: str, until: dt.date) -> Condition:
    """Read ``"output op number"`` (op one of <, <=, >, >=).

    Raises:
        ConfigError: not of that form, or an output that is not registered (closest
            name suggested) or whose date the runs do not reach.
    """
    if not isinstance(value, str):
        raise ConfigError(
            f'must be a text such as "year_250_reached >= 2027", got {shown(value)}',
            source=source,
            key=key,
        )
    match = _CONDITION.fullmatch(value)
    if match is None:
        raise ConfigError(
            f"must be 'OUTPUT OPERATOR NUMBER' with an operator of {', '.join(OPERATORS)} "
            f'(such as "year_250_reached >= 2027"), got {shown(value)}',
            source=source,
            key=key,
        )
    output = check_output(match["output"], source, key, until)
    return Condition(output, match["operator"], float(match["threshold"]))


def parse_discovery(
    table: Mapping[str, Any], *, source: str, until: dt.date, inputs: Sequence[str]
) -> Discovery:
    """Check a ``[discovery]`` table (its scenario already chosen) and build the analysis.

    Args:
        table: the table as read from TOML, without its ``scenario``.
        source: the file, for messages.
        until: the experiment's horizon.
        inputs: the sweep's parameters: the inputs PRIM may restrict.

    Raises:
        ConfigError: a bad key or value, naming the key and what is allowed.
    """
    where = "discovery"
    check_keys(table, DISCOVERY_KEYS, source=source, where=where)
    if "condition" not in table:
        raise ConfigError(
            'is missing: the condition to explain, such as "year_250_reached >= 2027"',
            source=source,
            key=f"{where}.condition",
        )
    condition = parse_condition(
        table["condition"], source=source, key=f"{where}.condition", until=until
    )
    settings: dict[str, Any] = {
        "boxes": whole_number(
            table.get("boxes", DEFAULT_BOXES), at_least=1, at_most=20, source=source,
            key=f"{where}.boxes",
        ),
    }  # fmt: skip
    for name, low, high, default in (
        ("min_density", 0.0, 1.0, DEFAULT_MIN_DENSITY),
        ("peel_alpha", 0.01, 0.5, 0.05),
        ("paste_alpha", 0.01, 0.5, 0.05),
        ("mass_min", 0.0, 0.5, 0.05),
    ):
        value = table.get(name, default)
        if not is_number(value) or not low <= float(value) <= high:
            raise ConfigError(
                f"must be a number from {low:g} to {high:g}, got {shown(value)}",
                source=source,
                key=f"{where}.{name}",
            )
        settings[name] = float(value)
    return Discovery(condition=condition, inputs=tuple(inputs), **settings)


def cases(discovery: Discovery, runs: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The cases PRIM reads: each run's sampled inputs, and whether the condition holds.

    Args:
        discovery: the analysis.
        runs: the ``runs`` table (``param_<input>`` and ``output_<output>`` columns).
    """
    x = pd.DataFrame({name: runs[f"{INPUT_PREFIX}{name}"].to_numpy() for name in discovery.inputs})
    y = discovery.condition.holds(runs[f"{COLUMN_PREFIX}{discovery.condition.output}"].to_numpy())
    return x, y


@dataclass(frozen=True)
class Boxes:
    """What PRIM found: ``discovery.csv`` and the numbers around it.

    Attributes:
        table: one row per box and restricted input (``box, parameter, low, high,
            coverage, density``).
        summary: one row per box (``box, coverage, density, mass, restricted,
            dense_enough``).
        ranges: each input's sampled range (``parameter, low, high``).
        cases: runs in the analysis.
        of_interest: runs meeting the condition.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    ranges: pd.DataFrame
    cases: int
    of_interest: int


def discover(discovery: Discovery, x: pd.DataFrame, y: np.ndarray) -> Boxes:
    """Find up to ``discovery.boxes`` boxes of inputs where the condition holds (PRIM).

    Args:
        discovery: the analysis.
        x: one row per run, a column per input.
        y: whether the condition holds in each run.
    """
    ranges = pd.DataFrame(
        {"parameter": list(x.columns), "low": x.min().to_numpy(), "high": x.max().to_numpy()}
    )
    y = np.asarray(y, dtype=bool)
    empty = pd.DataFrame(columns=list(DISCOVERY_COLUMNS))
    summary_columns = ["box", "coverage", "density", "mass", "restricted", "dense_enough"]
    if y.all() or not y.any():
        # Nothing to tell apart: the condition holds in every run, or in none.
        return Boxes(empty, pd.DataFrame(columns=summary_columns), ranges, len(y), int(y.sum()))
    needed = density_needed(discovery.min_density, float(y.mean()))
    prim = _prim()
    with _quiet():
        algorithm = prim.Prim(
            # As floats: PRIM's pasting writes a limit between two integers (22.5) into
            # its box of an integer input, which pandas refuses for an int64 column.
            x.reset_index(drop=True).astype(float),
            y.copy(),
            peel_alpha=discovery.peel_alpha,
            paste_alpha=discovery.paste_alpha,
            mass_min=discovery.mass_min,
        )
        rows: list[dict[str, Any]] = []
        summary: list[dict[str, Any]] = []
        for number in range(1, discovery.boxes + 1):
            box = algorithm.find_box()
            if box is None:
                break
            trajectory = box.peeling_trajectory
            restricting = trajectory[trajectory["res_dim"] > 0]
            dense = restricting[restricting["density"] >= needed]
            if not len(dense) and number > 1:
                break  # a later box is kept only when it is dense enough
            if len(dense):
                # The box covering the most cases of interest among the dense enough ones;
                # of equal coverage, the one restricting fewer inputs.
                order = dense.sort_values(["coverage", "res_dim"], ascending=[False, True])
                chosen = int(order.index[0])
            else:
                chosen = int((restricting if len(restricting) else trajectory)["density"].idxmax())
            box.select(chosen)  # the next box is sought among the runs outside this one
            chosen = _drop_unsupported(box, chosen)
            point = box.peeling_trajectory.loc[chosen]
            if number > 1 and point["density"] < needed:
                break  # what is left of a later box once its chance edges are gone
            limits = box.box_lims[chosen]
            restricted = [
                name
                for name in x.columns
                if not np.allclose(
                    limits[name].to_numpy(dtype=float),
                    algorithm.box_init[name].to_numpy(dtype=float),
                )
            ]
            summary.append(
                {
                    "box": number,
                    "coverage": float(point["coverage"]),
                    "density": float(point["density"]),
                    "mass": float(point["mass"]),
                    "restricted": len(restricted),
                    "dense_enough": bool(point["density"] >= needed),
                }
            )
            rows.extend(
                {
                    "box": number,
                    "parameter": name,
                    "low": float(limits[name].iloc[0]),
                    "high": float(limits[name].iloc[1]),
                    "coverage": float(point["coverage"]),
                    "density": float(point["density"]),
                }
                for name in restricted
            )
            if point["density"] < needed:
                break
    table = pd.DataFrame(rows, columns=list(DISCOVERY_COLUMNS)) if rows else empty
    return Boxes(
        table, pd.DataFrame(summary, columns=summary_columns), ranges, len(y), int(y.sum())
    )


def _drop_unsupported(box: Any, entry: int) -> int:
    """Drop a box's restrictions the cases do not support; the entry of what is left.

    A restriction's quasi-p-values (one per restricted side, -1 for a side left open)
    are EMA Workbench's; an input is dropped when every restricted side of it is above
    :data:`QP_LIMIT`, the largest first, and the quasi-p-values of the rest are
    computed anew for the box without it (``drop_restriction`` adds it to the
    trajectory and selects it).
    """
    while True:
        support = {
            name: min(value for value in sides if value >= 0)
            for name, sides in box.p_values[entry].items()
            if any(value >= 0 for value in sides)
        }
        if not support:
            return entry
        name = max(support, key=lambda key: support[key])
        if support[name] <= QP_LIMIT:
            return entry
        box.drop_restriction(name, entry)
        entry = len(box.peeling_trajectory) - 1


def density_needed(min_density: float, base: float) -> float:
    """The density a box must reach: ``min_density``, and halfway from ``base`` to 1.

    ``base`` is the share of all runs meeting the condition; a box no denser than that
    tells nothing apart.
    """
    return max(min_density, (1.0 + base) / 2.0)


def _prim() -> Any:
    """EMA Workbench's PRIM module, imported without its notices about optional extras."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence EMA Workbench's progress log while PRIM runs (its numbers are in the table)."""
    logger = logging.getLogger("EMA")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
