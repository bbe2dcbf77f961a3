"""The forecast: the path to 250 jobs under each policy, from the calibrated model.

Parameter sets are drawn from the weighted posterior of the calibration
(``calibration/posterior.parquet``), and with each the way the municipality carries
out the policy (its pace and the delays in hiring coaches and collecting tasks: the
registry's implementation uncertainties, sampled by Latin hypercube within their
ranges). Each draw runs once, with its own seed, from 1 March 2020 (history and future
in one run) under every policy scenario of an experiment file. Draw k is the same in
every scenario, and so is its seed (common random numbers); a scenario that sets one
of these values itself keeps its own. The intervals therefore carry the posterior
spread of the parameters, the uncertainty of the implementation and the randomness of
the runs.

A forecast is an experiment whose replicates carry the draws, so it runs, resumes and
is stored like any experiment; this module adds the forecast's own tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.calibration.fit import posterior_overrides
from sim.config.errors import ConfigError
from sim.experiment import Experiment, typed
from sim.params import Params, uncertain_ranges
from sim.summary import TARGET_JOBS

FORECAST_QUANTITIES = ("employed", "employed_permanent", "exited_cum", "cost_net_eur_cum")
FORECAST_QUANTILES = {"q025": 0.025, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q975": 0.975}
FORECAST_DAY = (4, 1)  # 1 April of each year
FIRST_FORECAST_YEAR = 2024
TIMESERIES_NEEDED = [
    "scenario",
    "replicate",
    "date",
    "employed",
    "employed_permanent",
    "exited_cum",
    "cost_net_eur",
]


def draw_overrides(
    posterior: pd.DataFrame, n: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """``n`` validated parameter overrides drawn from a weighted posterior, with replacement."""
    if n < 1:
        raise ConfigError("must be at least 1", source="--draws")
    draws = posterior_overrides(posterior, n, rng)
    implementation = implementation_draws(n, rng)
    draws = [{**drawn, **way} for drawn, way in zip(draws, implementation, strict=True)]
    for overrides in draws:
        Params.from_mapping(overrides, source="posterior")
    return draws


def implementation_draws(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``n`` ways the policy may be carried out: a Latin hypercube over the ranges."""
    ranges = uncertain_ranges(implementation=True)
    if not ranges:
        return [{} for _ in range(n)]
    low, high = np.array(list(ranges.values())).T
    points = qmc.scale(qmc.LatinHypercube(d=len(ranges), rng=rng).random(n), low, high)
    return [typed(dict(zip(ranges, row, strict=True))) for row in points]


def forecast_experiment(policy: Experiment, posterior: pd.DataFrame, draws: int) -> Experiment:
    """The policy experiment with one replicate per posterior draw (seeded by its seed)."""
    rng = np.random.default_rng(policy.seed)
    return policy.with_draws(draw_overrides(posterior, draws, rng), name=f"forecast_{policy.name}")


def forecast_table(ts: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """``scenario, date, quantity, q025, q10, q50, q90, q975`` on 1 April of each year."""
    ts = ts.sort_values(["scenario", "replicate", "date"])
    ts = ts.assign(cost_net_eur_cum=ts.groupby(["scenario", "replicate"])["cost_net_eur"].cumsum())
    days = [
        dt.date(year, *FORECAST_DAY)
        for year in range(FIRST_FORECAST_YEAR, until.year + 1)
        if dt.date(year, *FORECAST_DAY) <= until
    ]
    rows = []
    for scenario, runs in ts.groupby("scenario", sort=False):
        for day in days:
            upto = runs[runs["date"] <= pd.Timestamp(day)]
            last = upto.groupby("replicate").last()
            for quantity in FORECAST_QUANTITIES:
                values = last[quantity].to_numpy(float)
                row: dict[str, Any] = {"scenario": scenario, "date": day, "quantity": quantity}
                row.update(
                    {name: float(np.quantile(values, q)) for name, q in FORECAST_QUANTILES.items()}
                )
                rows.append(row)
    return pd.DataFrame(rows, columns=["scenario", "date", "quantity", *FORECAST_QUANTILES])


def p250_table(ts: pd.DataFrame, until: dt.date, target: int = TARGET_JOBS) -> pd.DataFrame:
    """``scenario, year, probability``: the share of runs with the target by 31 December.

    The target is 250 jobs in Groningen (hence the name); another municipality's profile
    sets its own (``job_ceiling_max``).
    """
    rows = []
    for scenario, runs in ts.groupby("scenario", sort=False):
        reached = runs[runs["employed"] >= target].groupby("replicate")["date"].min()
        total = runs["replicate"].nunique()
        for year in range(FIRST_FORECAST_YEAR - 1, until.year + 1):
            by = (reached <= pd.Timestamp(year, 12, 31)).sum()
            rows.append({"scenario": scenario, "year": year, "probability": by / total})
    return pd.DataFrame(rows, columns=["scenario", "year", "probability"])
