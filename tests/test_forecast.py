"""The forecast: posterior draws, its tables, and the command from the committed posterior."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.experiment import load_experiment
from sim.forecast import (
    FORECAST_QUANTILES,
    FORECAST_QUANTITIES,
    VARIANCE_COLUMNS,
    Design,
    draw_overrides,
    forecast_experiment,
    forecast_table,
    p250_table,
    variance_components,
)
from sim.params import Params

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "calibration" / "posterior.parquet"


def a_posterior() -> pd.DataFrame:
    posterior = pd.DataFrame(
        {
            "covid_factor": [0.4, 0.6, 0.8],
            "early_exit_factor": [0.05, 0.1, 0.2],
            "weight": [0.0, 0.25, 0.75],
        }
    )
    posterior.attrs["fixed"] = {"matching_weeks": 3}
    return posterior


def test_draws_follow_the_weights_and_carry_the_fixed_overrides():
    draws = draw_overrides(a_posterior(), 400, np.random.default_rng(1))
    factors = [d["covid_factor"] for d in draws]
    assert 0.4 not in factors  # weight 0
    assert 0.65 < factors.count(0.8) / len(factors) < 0.85  # weight 0.75; 400 draws: sd 0.02
    assert all(d["matching_weeks"] == 3 for d in draws)
    assert all(isinstance(Params.from_mapping(d), Params) for d in draws[:5])


def test_a_forecast_is_the_policy_experiment_with_one_replicate_per_draw():
    policy = load_experiment(ROOT / "experiments" / "growth_scenarios.toml")
    experiment = forecast_experiment(policy, a_posterior(), 6)
    assert experiment.replicates == 6
    assert list(experiment.scenarios) == list(policy.scenarios)
    runs = experiment.runs()
    # Draw k is the same in every scenario, and so is its seed.
    for run in runs:
        assert run.overrides["covid_factor"] == experiment.draws[run.replicate]["covid_factor"]
        assert run.seed == experiment.seeds()[run.replicate]
    # A scenario's levers win over the draw; the draw wins over the defaults.
    faster = next(r for r in runs if r.scenario == "faster")
    assert faster.overrides["ceiling_growth_per_year"] == 100
    assert experiment.digest() != policy.digest()


@pytest.fixture(scope="module")
def forecast_dir(tmp_path_factory) -> Path:
    posterior = tmp_path_factory.mktemp("posterior") / "posterior.parquet"
    a_posterior().to_parquet(posterior)
    out = tmp_path_factory.mktemp("forecast") / "f"
    code = main(
        ["forecast", "--draws", "3", "--ways", "2", "--seeds", "2", "--until", "2026-12-31",
         "--out", str(out), "--posterior", str(posterior), "--workers", "2", "--no-figures"]
    )  # fmt: skip
    assert code == 0
    return out


def test_forecast_table_shape_columns_and_monotone_quantiles(forecast_dir):
    table = pd.read_csv(forecast_dir / "forecast.csv")
    assert list(table.columns) == ["scenario", "date", "quantity", *FORECAST_QUANTILES]
    scenarios = table["scenario"].unique()
    assert len(scenarios) == 5
    assert set(table["quantity"]) == set(FORECAST_QUANTITIES)
    assert sorted(table["date"].unique()) == ["2024-04-01", "2025-04-01", "2026-04-01"]
    assert len(table) == 5 * 3 * len(FORECAST_QUANTITIES)
    values = table[list(FORECAST_QUANTILES)].to_numpy()
    assert (np.diff(values, axis=1) >= 0).all()


def test_p250_is_a_probability_that_never_falls(forecast_dir):
    p250 = pd.read_csv(forecast_dir / "p250.csv")
    assert list(p250.columns) == ["scenario", "year", "probability"]
    assert p250["probability"].between(0, 1).all()
    for _, rows in p250.groupby("scenario"):
        assert (rows.sort_values("year")["probability"].diff().dropna() >= 0).all()


def test_forecast_tables_match_the_runs():
    ts = pd.DataFrame(
        {
            "scenario": "s",
            "replicate": np.repeat([0, 1, 2, 3], 3),
            "date": pd.to_datetime(["2024-03-31", "2024-04-07", "2025-12-31"] * 4),
            "employed": [100, 110, 250, 90, 95, 200, 120, 130, 251, 80, 85, 150],
            "employed_permanent": 0,
            "exited_cum": 0,
            "cost_net_eur": 1.0,
        }
    )
    table = forecast_table(ts, dt.date(2025, 12, 31))
    april = table[(table.quantity == "employed") & (table.date == dt.date(2024, 4, 1))]
    assert april["q50"].item() == pytest.approx(np.median([100, 90, 120, 80]))
    p250 = p250_table(ts, dt.date(2025, 12, 31)).set_index("year")["probability"]
    assert p250[2024] == 0
    assert p250[2025] == pytest.approx(0.5)


def test_forecast_works_from_the_committed_posterior(tmp_path):
    assert COMMITTED.exists(), "calibration/posterior.parquet must be committed"
    out = tmp_path / "f"
    assert (
        main(
            ["forecast", "--draws", "3", "--until", "2024-06-30", "--out", str(out), "--no-figures"]
        )
        == 0
    )
    assert (out / "forecast.csv").exists()
    assert (out / "p250.csv").exists()


# --- nested draws and the variance in parts ------------------------------------------------


def test_nested_draws_share_parameters_within_a_draw_and_the_way_within_its_seeds():
    design = Design(draws=4, ways=3, seeds=2)
    draws = draw_overrides(a_posterior(), design, np.random.default_rng(3))
    assert len(draws) == design.runs
    runs = np.array(draws, dtype=object).reshape(4, 3, 2)
    for k in range(4):
        # The parameters of draw k in every way and seed; the implementation of a way in
        # both its seeds, and not the same in two ways.
        assert len({run["covid_factor"] for run in runs[k].ravel()}) == 1
        for way in range(3):
            assert runs[k, way, 0] == runs[k, way, 1]
        paces = [runs[k, way, 0]["implementation_pace"] for way in range(3)]
        assert len(set(paces)) == 3


def test_one_way_and_one_seed_are_the_draws_of_before():
    # The plain number keeps the earlier stream of draws: forecasts made before the
    # design existed draw the same parameter sets.
    a = draw_overrides(a_posterior(), 5, np.random.default_rng(4))
    b = draw_overrides(a_posterior(), Design(5), np.random.default_rng(4))
    assert a == b


def test_variance_components_recover_known_parts():
    # Parameters sd 3, implementation sd 2, chance sd 1 (variances 9, 4, 1), 400 draws x
    # 4 ways x 4 seeds. Tolerances: three standard errors of each estimate (mean squares
    # are scaled chi-squares: sd = E[MS] * sqrt(2 / df)): 2.2, 0.5 and 0.07.
    rng = np.random.default_rng(11)
    draws, ways, seeds = 400, 4, 4
    values = (
        rng.normal(0, 3, draws)[:, None, None]
        + rng.normal(0, 2, (draws, ways))[:, :, None]
        + rng.normal(0, 1, (draws, ways, seeds))
    ).ravel()
    parameters, implementation, chance = variance_components(values, Design(draws, ways, seeds))
    assert parameters == pytest.approx(9, abs=2.2)
    assert implementation == pytest.approx(4, abs=0.5)
    assert chance == pytest.approx(1, abs=0.07)


def test_a_part_the_design_cannot_separate_is_nan_and_counts_above():
    values = np.random.default_rng(2).normal(size=12)
    parameters, implementation, chance = variance_components(values, Design(12))
    assert np.isnan(implementation)
    assert np.isnan(chance)
    assert parameters == pytest.approx(np.var(values, ddof=1))


def test_variance_table_and_the_manifest_of_a_forecast(forecast_dir):
    table = pd.read_csv(forecast_dir / "variance.csv")
    assert list(table.columns) == list(VARIANCE_COLUMNS)
    shares = table[["share_parameters", "share_implementation", "share_chance"]]
    varying = table["total_sd"] > 0
    assert np.allclose(shares[varying].sum(axis=1), 1.0)
    assert (shares[varying] >= 0).all().all()
    manifest = json.loads((forecast_dir / "manifest.json").read_text())
    record = manifest["forecast"]
    assert record["design"] == {"draws": 3, "ways": 2, "seeds": 2}
    posterior = Path(record["posterior"])
    assert record["posterior_sha256"] == hashlib.sha256(posterior.read_bytes()).hexdigest()
    assert dt.datetime.fromisoformat(record["made"]) <= dt.datetime.now(dt.UTC)
