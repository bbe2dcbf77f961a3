"""Scoring a forecast against later figures: the scores, the observation file, the command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.config.errors import ConfigError
from sim.config.observations import load_observations
from sim.validation import (
    VALIDATION_COLUMNS,
    Count,
    crps,
    inside,
    persistence,
    pit,
    score,
    trend,
)

ROOT = Path(__file__).resolve().parents[1]


# --- the scores --------------------------------------------------------------------------


def crps_by_integral(ensemble: np.ndarray, y: float) -> float:
    """CRPS from its definition: the integral of (F(x) - 1{x >= y})^2 over x.

    F is the ensemble's empirical distribution function. Computed on a fine grid
    (independent of the closed form scoringrules uses).
    """
    low = min(ensemble.min(), y) - 1.0
    high = max(ensemble.max(), y) + 1.0
    x = np.linspace(low, high, 400_001)
    cdf = (ensemble[None, :] <= x[:, None]).mean(axis=1)
    step = (x >= y).astype(float)
    return float(np.trapezoid((cdf - step) ** 2, x))


@pytest.mark.parametrize(
    ("ensemble", "y"),
    [
        ([3.0], 5.0),  # one member: the absolute error, 2
        ([1.0, 2.0, 3.0, 4.0], 2.5),
        ([10.0, 10.0, 12.0], 30.0),  # far outside
        ([0.0, 5.0, 5.0, 9.0, 20.0], 5.0),  # on a tie
    ],
)
def test_crps_matches_a_direct_numerical_integral(ensemble, y):
    members = np.array(ensemble)
    # Grid step 1e-4 of a range under 40: the trapezoid error is below 1e-3.
    assert crps(members, y) == pytest.approx(crps_by_integral(members, y), abs=2e-3)


def test_crps_of_a_single_member_is_the_absolute_error():
    assert crps(np.array([3.0]), 5.0) == pytest.approx(2.0)


def test_pit_counts_ties_half_and_is_zero_or_one_outside():
    assert pit(np.array([1.0, 2.0, 2.0, 3.0]), 2.0) == pytest.approx(0.25 + 0.5 * 0.5)
    assert pit(np.array([1.0, 2.0]), 0.0) == 0.0
    assert pit(np.array([1.0, 2.0]), 9.0) == 1.0


def test_inside_uses_the_central_interval():
    members = np.arange(101.0)  # quantiles are the values themselves
    assert inside(members, 25.0, 0.50)
    assert not inside(members, 24.0, 0.50)
    assert inside(members, 3.0, 0.95)
    assert not inside(members, 2.0, 0.95)


def test_hand_made_forecasts_hold_the_last_count_and_follow_the_line():
    known = [
        Count("employed", dt.date(2021, 1, 1), 25),
        Count("employed", dt.date(2022, 1, 1), 47),
        Count("employed", dt.date(2023, 1, 1), 69),  # a straight line: +22 a year
    ]
    assert persistence(known, "employed") == 69
    day = dt.date(2024, 1, 1)
    # 2023 -> 2024 has 365 days like 2022 -> 2023: one more step of 22.
    assert trend(known, "employed", day) == pytest.approx(91, abs=0.1)
    assert np.isnan(persistence(known, "exited_cum"))
    assert np.isnan(trend(known[:1], "employed", day))


def a_forecast_frame() -> pd.DataFrame:
    """Two scenarios, four runs each, weekly on two dates; employed 10, 20, 30, 40."""
    rows = []
    for scenario, shift in (("a", 0), ("b", 100)):
        for replicate in range(4):
            for day, value in (("2024-03-31", 10 * (replicate + 1)), ("2024-04-07", 0)):
                rows.append(
                    {
                        "scenario": scenario,
                        "replicate": replicate,
                        "date": pd.Timestamp(day),
                        "employed": value + shift,
                        "job_target": 100.0,
                    }
                )
    return pd.DataFrame(rows)


def test_score_takes_each_runs_last_week_on_or_before_the_date():
    from sim.config.observations import Observation

    observation = Observation(
        date=dt.date(2024, 4, 1), quantity="employed", value=25, source="made up"
    )
    known = [Count("employed", dt.date(2023, 3, 1), 56)]
    scored = score(a_forecast_frame(), [observation], origin=dt.date(2023, 3, 31), known=known)
    assert list(scored.columns[: len(VALIDATION_COLUMNS)]) == list(VALIDATION_COLUMNS)
    table = scored.set_index("scenario")
    # Scenario a: runs 10, 20, 30, 40 on 31 March (the week of 7 April is later).
    assert table.loc["a", "pit"] == pytest.approx(0.5)
    assert table.loc["a", "crps"] == pytest.approx(
        crps_by_integral(np.array([10.0, 20, 30, 40]), 25), abs=2e-3
    )
    assert table.loc["b", "pit"] == 0.0
    assert table.loc["a", "crps_persistence"] == pytest.approx(31)
    assert np.isnan(table.loc["a", "crps_trend"])  # one known count draws no line
    assert table.loc["a", "crps_policy"] == pytest.approx(75)


def test_score_refuses_a_figure_the_forecast_was_calibrated_on():
    from sim.config.observations import Observation

    old = Observation(date=dt.date(2023, 3, 1), quantity="employed", value=56, source="VNG")
    with pytest.raises(ValueError, match="not after the forecast's origin"):
        score(a_forecast_frame(), [old], origin=dt.date(2023, 3, 31))


# --- the observation file ------------------------------------------------------------------

GOOD = """
description = "later counts"

[[observation]]
date = 2024-04-01
quantity = "employed"
value = 120
source = "a council letter"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "observed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_observation_file_reads(tmp_path):
    observations = load_observations(write(tmp_path, GOOD))
    assert observations.description == "later counts"
    (only,) = observations.observations
    assert (only.date, only.quantity, only.value) == (dt.date(2024, 4, 1), "employed", 120.0)


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        (
            GOOD.replace('description = "later counts"', 'descripton = "x"'),
            "descripton",
            "description",
        ),
        ('description = "none"\n', "observation", "at least one"),
        ('observation = "employed"\n', "observation", "at least one"),
        (
            GOOD.replace('quantity = "employed"', 'quantity = "employd"'),
            "observation[0].quantity",
            "employed",
        ),
        (
            GOOD.replace("value = 120", "value = -1"),
            "observation[0].value",
            "greater than or equal to 0",
        ),
        (GOOD.replace("value = 120", 'value = "many"'), "observation[0].value", "number"),
        (GOOD.replace("value = 120", "value = inf"), "observation[0].value", "finite"),
        (
            GOOD.replace("date = 2024-04-01", "date = 2019-01-01"),
            "observation[0].date",
            "programme start",
        ),
        (GOOD.replace("date = 2024-04-01", 'date = "April"'), "observation[0].date", "date"),
        (
            GOOD.replace('source = "a council letter"', 'source = ""'),
            "observation[0].source",
            "at least 1",
        ),
        (GOOD.replace('source = "a council letter"\n', ""), "observation[0].source", "required"),
        (GOOD.replace("value = 120", "value = 120\ncount = 3"), "observation[0].count", ""),
    ],
)
def test_every_error_of_the_observation_file_names_file_and_key(tmp_path, text, key, says):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_observations(path)
    error = caught.value
    assert error.source == str(path)
    assert error.key == key
    assert says.lower() in error.message.lower()


def test_a_file_that_is_not_toml_is_refused_with_its_name(tmp_path):
    path = write(tmp_path, "[[observation]\n")
    with pytest.raises(ConfigError) as caught:
        load_observations(path)
    assert caught.value.source == str(path)


# --- the command ---------------------------------------------------------------------------

POLICY = """
name = "small"
description = "one scenario for the validate tests"
seed = 7
until = 2024-12-31
outputs = ["employed", "exited_cum", "job_target"]

[scenarios.announced]
description = "the announced policy"
"""


@pytest.fixture(scope="module")
def forecast_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("validate")
    policy = root / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    out = root / "forecast"
    code = main(
        ["forecast", "--policy", str(policy), "--draws", "3", "--ways", "2", "--seeds", "1",
         "--until", "2024-12-31", "--out", str(out), "--workers", "1", "--no-figures"]
    )  # fmt: skip
    assert code == 0
    return out


def test_validate_scores_a_forecast_and_prints_its_pre_registration(forecast_dir, tmp_path, capsys):
    observed = write(tmp_path, GOOD)
    out = tmp_path / "scored"
    assert (
        main(["validate", str(observed), "--forecast", str(forecast_dir), "--out", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    manifest = json.loads((forecast_dir / "manifest.json").read_text())
    assert manifest["forecast"]["posterior_sha256"] in printed
    assert manifest["forecast"]["made"] in printed
    table = pd.read_csv(out / "validation.csv")
    assert list(table.columns[: len(VALIDATION_COLUMNS)]) == list(VALIDATION_COLUMNS)
    # The PIT again, from the stored runs: each run's last week on or before 1 April 2024.
    ts = pd.read_parquet(forecast_dir / "timeseries.parquet")
    before = ts[ts["date"] <= pd.Timestamp("2024-04-01")].sort_values("date")
    values = before.groupby("replicate")["employed"].last().to_numpy(float)
    expected = np.mean(values < 120) + 0.5 * np.mean(values == 120)
    assert table["pit"].item() == pytest.approx(expected)
    assert (out / "figures" / "validation.png").exists()


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        (("date = 2024-04-01", "date = 2023-01-01"), "observation[0].date", "origin"),
        (("date = 2024-04-01", "date = 2026-01-01"), "observation[0].date", "last week"),
        (
            ('quantity = "employed"', 'quantity = "tasks_free"'),
            "observation[0].quantity",
            "not kept",
        ),
    ],
)
def test_validate_refuses_figures_the_forecast_cannot_be_scored_on(
    forecast_dir, tmp_path, capsys, change, key, says
):
    observed = write(tmp_path, GOOD.replace(*change))
    out = tmp_path / "scored"
    assert (
        main(["validate", str(observed), "--forecast", str(forecast_dir), "--out", str(out)]) == 2
    )
    error = capsys.readouterr().err
    assert str(observed) in error
    assert key in error
    assert says in error
    assert not out.exists()  # nothing half-written


def test_validate_refuses_a_folder_that_holds_no_forecast(tmp_path, capsys):
    observed = write(tmp_path, GOOD)
    assert main(["validate", str(observed), "--forecast", str(tmp_path / "nothing")]) == 2
    assert "nothing" in capsys.readouterr().err
