"""The outputs registry (sim.outputs): one number per run, from the run's tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.outputs import (
    COLUMN_PREFIX,
    OUTPUTS,
    RunTables,
    never_reached,
    output_columns,
    year_250_reached,
)
from sim.summary import decimal_year, run_tables, summarise

UNTIL = dt.date(2030, 12, 31)


def _tables(employed: list[int], dates: list[str], until: dt.date = UNTIL) -> RunTables:
    ts = pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "employed": employed,
            "cost_gross_eur": 1_000.0,
            "cost_net_eur": 500.0,
            "exited_cum": 0,
            "binding_constraint": ["ceiling", "tasks", "candidates", "tasks"][: len(dates)],
        }
    )
    runs, years = run_tables(ts, target=250)
    return RunTables(ts, runs, years, until)


def test_a_run_that_reaches_250_gives_its_decimal_year():
    tables = _tables([100, 249, 250, 250], ["2026-06-01", "2026-12-27", "2027-01-03", "2030-12-28"])
    assert year_250_reached(tables) == pytest.approx(decimal_year(pd.Timestamp("2027-01-03")))
    assert OUTPUTS["reached_250_by_2026"].function(tables) == 0.0


def test_a_run_that_never_reaches_250_is_censored_one_year_after_the_horizon():
    tables = _tables([100, 120, 130, 140], ["2026-06-01", "2027-01-03", "2029-01-06", "2030-12-28"])
    assert np.isnan(tables.runs["year_250"].iloc[0])  # sim.summary: never
    assert year_250_reached(tables) == pytest.approx(never_reached(UNTIL))
    assert never_reached(UNTIL) > 2031.9  # later than any date a run can reach
    assert OUTPUTS["reached_250_by_2026"].function(tables) == 0.0


def test_censoring_keeps_the_order_of_the_summary():
    # summary.py counts never as +inf: the censored value sorts after every date reached.
    reached = _tables([250] * 4, ["2030-01-05", "2030-06-01", "2030-12-01", "2030-12-28"])
    never = _tables([10] * 4, ["2030-01-05", "2030-06-01", "2030-12-01", "2030-12-28"])
    assert year_250_reached(never) > year_250_reached(reached)
    runs = pd.concat([reached.runs, never.runs]).assign(scenario="s", sample=0, replicate=[0, 1])
    years = pd.concat([reached.years, never.years]).assign(scenario="s", sample=0)
    summary = summarise(runs, years)
    q95 = summary[summary["measure"] == "year_250_reached"]["q95"].item()
    assert q95 == np.inf


def test_employed_on_a_date_is_the_last_week_on_or_before_it():
    tables = _tables([10, 20, 30, 40], ["2025-03-23", "2025-03-30", "2025-04-06", "2030-12-28"])
    assert OUTPUTS["employed_2025_04"].function(tables) == 20


def test_net_cost_per_job_year_divides_the_total_by_the_job_years():
    tables = _tables([52, 52, 52, 52], ["2030-01-05", "2030-01-12", "2030-01-19", "2030-01-26"])
    job_years = 4 * 52 / (365.25 / 7)
    assert OUTPUTS["net_cost_per_job_year"].function(tables) == pytest.approx(2_000 / job_years)


def test_outputs_beyond_the_horizon_are_not_a_number():
    short = dt.date(2025, 12, 31)
    tables = _tables([1, 2, 3, 4], ["2024-01-07", "2024-06-02", "2025-01-05", "2025-12-28"], short)
    columns = output_columns(tables)
    assert set(columns) == {f"{COLUMN_PREFIX}{name}" for name in OUTPUTS}
    assert np.isnan(columns[f"{COLUMN_PREFIX}cost_net_cum_2030"])
    assert np.isnan(columns[f"{COLUMN_PREFIX}reached_250_by_2026"])
    assert columns[f"{COLUMN_PREFIX}employed_2025_04"] == 3  # the week of 5 January 2025


def test_binding_outputs_are_the_share_of_weeks():
    tables = _tables([1, 2, 3, 4], ["2024-01-07", "2024-01-14", "2024-01-21", "2024-01-28"])
    # The start row does not count: tasks, candidates, tasks.
    assert OUTPUTS["binding_tasks"].function(tables) == pytest.approx(2 / 3)
    assert OUTPUTS["binding_candidates"].function(tables) == pytest.approx(1 / 3)


def test_a_real_run_has_every_output(long_run):
    ts = long_run.timeseries
    runs, years = run_tables(ts)
    columns = output_columns(RunTables(ts, runs, years, UNTIL))
    assert all(np.isfinite(value) for value in columns.values())
    assert 2023 < columns[f"{COLUMN_PREFIX}year_250_reached"] < 2032
    assert columns[f"{COLUMN_PREFIX}cost_net_cum_2030"] == pytest.approx(ts["cost_net_eur"].sum())
