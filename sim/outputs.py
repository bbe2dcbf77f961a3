"""The outputs of a run: the numbers analyses compare, declared once.

A weekly *outcome* (:mod:`sim.outcomes`) is a column of a run's time series; an
*output* is one number per run, a named module-level function of the run's tables
(:class:`RunTables`: the weekly time series and the ``runs`` and ``years`` tables of
:func:`sim.summary.run_tables`). :data:`OUTPUTS` is the registry: the same functions
serve every sensitivity analysis (:mod:`sim.sensitivity`) and every scenario discovery
(:mod:`sim.discovery`), and a file names them, never defines them.

Each run's outputs are worked out in the worker that ran it, from tables it has at
hand, and stored beside its summary in the ``runs`` table as ``output_<name>``
columns (:func:`output_columns`), so an analysis of thousands of runs reads one small
row per run.

**Runs that never reach the target.** ``year_250_reached`` gives them the horizon's
decimal year plus one (:func:`never_reached`): a censored value. :mod:`sim.summary`
counts such runs as +inf (never), which orders them after every date reached; the
censored value keeps that order, but is finite, so that means over replicates,
variances and elementary effects exist. One year beyond the horizon, rather than
more, keeps a run that misses the target from weighing more in a variance than a run
that reaches it a year late; each analysis says how many runs were censored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.constraints import CONSTRAINTS
from sim.summary import decimal_year

COLUMN_PREFIX = "output_"


@dataclass(frozen=True)
class RunTables:
    """One run's tables, as the worker that ran it has them.

    Attributes:
        timeseries: the weekly rows (``date``, ``employed``, ...).
        runs: the run's row of :func:`sim.summary.run_tables`.
        years: the run's rows per calendar year of :func:`sim.summary.run_tables`.
        until: the run's horizon.
    """

    timeseries: pd.DataFrame
    runs: pd.DataFrame
    years: pd.DataFrame
    until: dt.date


@dataclass(frozen=True)
class Output:
    """A registered output: its function, unit, meaning and the horizon it needs."""

    function: Callable[[RunTables], float]
    unit: str
    meaning: str
    needs_until: dt.date | None = None


def never_reached(until: dt.date) -> float:
    """The censored ``year_250_reached`` of a run that never reaches the target."""
    return decimal_year(pd.Timestamp(until)) + 1.0


def year_250_reached(tables: RunTables) -> float:
    """When the target (250 jobs) was first filled, as a decimal year (censored, above)."""
    year = float(tables.runs["year_250"].iloc[0])
    return year if np.isfinite(year) else never_reached(tables.until)


def reached_250_by_2026(tables: RunTables) -> float:
    """1 if the target was filled by 31 December 2026, else 0."""
    return float(year_250_reached(tables) < 2027.0)


def net_cost_per_job_year(tables: RunTables) -> float:
    """Net cost to the municipality per job-year over the whole run (EUR)."""
    job_years = float(tables.runs["job_years_total"].iloc[0])
    return float(tables.runs["cost_net_total_eur"].iloc[0]) / job_years if job_years else np.nan


def cost_net_cum_2030(tables: RunTables) -> float:
    """Cumulative net cost to the municipality from the start to 31 December 2030 (EUR)."""
    row = tables.years[tables.years["year"] == 2030]
    return float(row["cost_net_cum_eur"].iloc[0]) if len(row) else np.nan


def employed_2025_04(tables: RunTables) -> float:
    """Jobs filled on 1 April 2025 (the last week on or before it)."""
    return _employed_on(tables, dt.date(2025, 4, 1))


def _employed_on(tables: RunTables, day: dt.date) -> float:
    dates = tables.timeseries["date"].to_numpy(dtype="datetime64[D]")
    week = int(np.searchsorted(dates, np.datetime64(day), "right")) - 1
    return float(tables.timeseries["employed"].iloc[week]) if week >= 0 else np.nan


def binding_ceiling(tables: RunTables) -> float:
    """Share of the run's weeks in which the jobs funded held starts back."""
    return _binding(tables, "ceiling")


def binding_budget(tables: RunTables) -> float:
    """Share of the run's weeks in which the yearly budget held starts back."""
    return _binding(tables, "budget")


def binding_tasks(tables: RunTables) -> float:
    """Share of the run's weeks in which a lack of tasks held starts back."""
    return _binding(tables, "tasks")


def binding_coaches(tables: RunTables) -> float:
    """Share of the run's weeks in which the intake coaches held starts back."""
    return _binding(tables, "coaches")


def binding_candidates(tables: RunTables) -> float:
    """Share of the run's weeks in which the flow of candidates held starts back."""
    return _binding(tables, "candidates")


def _binding(tables: RunTables, constraint: str) -> float:
    return float(tables.runs[f"binding_{constraint}"].iloc[0])


OUTPUTS: dict[str, Output] = {
    "year_250_reached": Output(
        year_250_reached,
        "decimal year",
        "when 250 jobs (the target) are first filled; runs that never fill them count as "
        "one year after the horizon",
    ),
    "reached_250_by_2026": Output(
        reached_250_by_2026,
        "0 or 1 (a share over replicates)",
        "whether 250 jobs are filled by the end of 2026",
        needs_until=dt.date(2026, 12, 31),
    ),
    "net_cost_per_job_year": Output(
        net_cost_per_job_year, "EUR per job-year", "net cost per job-year over the whole run"
    ),
    "cost_net_cum_2030": Output(
        cost_net_cum_2030,
        "EUR",
        "net cost to the municipality from the start to the end of 2030",
        needs_until=dt.date(2030, 12, 31),
    ),
    "employed_2025_04": Output(
        employed_2025_04, "jobs", "jobs filled on 1 April 2025", needs_until=dt.date(2025, 4, 1)
    ),
    **{
        f"binding_{constraint}": Output(
            function,
            "share of weeks",
            f"share of the weeks in which '{constraint}' held starts back",
        )
        for constraint, function in zip(
            CONSTRAINTS,
            (binding_ceiling, binding_budget, binding_tasks, binding_coaches, binding_candidates),
            strict=True,
        )
    },
}


def output_columns(tables: RunTables) -> dict[str, float]:
    """Every registered output of one run, as ``output_<name>`` columns.

    An output whose horizon the run does not reach is NaN (an analysis refuses to
    name it, see :func:`check_horizon`).
    """
    return {
        f"{COLUMN_PREFIX}{name}": (
            np.nan
            if output.needs_until is not None and tables.until < output.needs_until
            else output.function(tables)
        )
        for name, output in OUTPUTS.items()
    }
