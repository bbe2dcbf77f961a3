"""Shared fixtures: small and baseline runs, built once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import Params
from sim.simulation import run_replicate
from sim.streams import replicate_seeds

REPO = Path(__file__).resolve().parents[1]

# A small town: 1,500 households keep runs to a few milliseconds while every
# mechanism (referral, intake, tasks, exits) still acts.
SMALL = {"households": 1_500, "inflow_households_per_year": 170}


@pytest.fixture(scope="session")
def small_params() -> Params:
    return Params().with_overrides(SMALL)


@pytest.fixture(scope="session")
def baseline_runs() -> pd.DataFrame:
    """20 replicates of the default baseline to 2023-04-01 (the observed period)."""
    frames = [
        run_replicate(Params(), seed, "2023-04-01", replicate).timeseries
        for replicate, seed in enumerate(replicate_seeds(1, 20))
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def long_run():
    """One default replicate to 2030 (tables of run_replicate)."""
    return run_replicate(Params(), 7, "2030-12-31")


def value_at(frame: pd.DataFrame, day: str, column: str) -> pd.Series:
    """Per replicate, the column's value in the last week ending on or before ``day``."""
    rows = frame[frame["date"] <= pd.Timestamp(day)]
    return rows.groupby("replicate")[column].last()
