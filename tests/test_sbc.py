"""Simulation-based calibration (sim.calibration.sbc) on a small town and two parameters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim.calibration.sbc as sbc
from sim.calibration.settings import load_calibration
from sim.cli import main
from sim.config.errors import ConfigError

from .conftest import TWO_PRIORS_IN_A_TOWN

TARGETS = """
[[target]]
name = "paid_work"
statistic = "value_at"
column = "rejected_paid_work_cum"
date = 2021-07-01
value = 0
source = "simulated"
scale = 6.0
scale_reason = "about the spread between runs"
use = "fit"

[[target]]
name = "spoken"
statistic = "value_at"
column = "spoken_cum"
date = 2021-07-01
value = 0
source = "simulated"
scale = 10.0
scale_reason = "about the spread between runs"
use = "fit"
"""


def _calibration(folder: Path, *, datasets: int, population: int, budget: int) -> Path:
    """Two parameters the two counts identify, in a town of 1,500 households."""
    (folder / "targets.toml").write_text(TARGETS, encoding="utf-8")
    path = folder / "small.toml"
    path.write_text(
        f"""
name = "small"
targets = "targets.toml"
seed = 7
{TWO_PRIORS_IN_A_TOWN}
[distance]
kind = "sum_of_squares"
[abc]
population_size = 10
max_total_simulations = 10
max_generations = 2
[sbc]
datasets = {datasets}
population_size = {population}
max_total_simulations = {budget}
max_generations = 6
""",
        encoding="utf-8",
    )
    return path


def test_the_rank_is_the_posterior_share_below_the_truth():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    assert sbc.weighted_rank(values, weights, 0.5) == 0.0
    assert sbc.weighted_rank(values, weights, 2.5) == pytest.approx(0.3)
    assert sbc.weighted_rank(values, weights, 3.0) == pytest.approx(0.3 + 0.15)  # half a tie
    assert sbc.weighted_rank(values, weights * 7, 9.0) == pytest.approx(1.0)


def test_true_values_are_prior_draws_fixed_by_seed_and_index(tmp_path):
    cal = load_calibration(_calibration(tmp_path, datasets=2, population=10, budget=10))
    draws = [sbc.true_numbers(cal, i)[0]["cannot_take_step"] for i in range(2000)]
    assert sbc.true_numbers(cal, 5) == sbc.true_numbers(cal, 5)
    assert sbc.true_numbers(cal, 5) != sbc.true_numbers(cal, 6)
    # Uniform on the prior 0..0.6; 1e-3 is the chance of refusing a correct draw.
    assert stats.kstest(draws, stats.uniform(0.0, 0.6).cdf).pvalue > 1e-3


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sbc")
    path = _calibration(folder, datasets=12, population=30, budget=150)
    return sbc.check_calibration(path, out_dir=folder / "out", workers=2), folder


def test_the_small_calibration_covers_the_truth_as_often_as_it_says(checked):
    """12 data sets x 2 parameters: the truth is inside the 90% interval about 90% of the time.

    A posterior that ignored its weights, or ranks against another prior, falls short.
    The bounds are binomial: a calibrated method falls to them or below with a chance
    under 0.1%. A small ABC run errs wide (its epsilon stays large), so coverage above
    the nominal is expected and not refused.
    """
    result, _ = checked
    n = len(result.table)
    assert n == 24

    def floor(level: float) -> int:
        return max(k for k in range(n) if stats.binom.cdf(k, n, level) < 1e-3)

    assert result.section["coverage90"] * n > floor(0.9)
    assert result.section["coverage50"] * n > floor(0.5)


def test_sbc_writes_its_table_diagnostics_and_figure(checked):
    _, folder = checked
    table = pd.read_csv(folder / "sbc.csv")
    assert list(table.columns) == list(sbc.SBC_COLUMNS)
    assert table["rank"].between(0, 1).all()
    assert (table["in50"] == table["rank"].between(0.25, 0.75)).all()
    assert (table["in90"] == table["rank"].between(0.05, 0.95)).all()
    assert (table["q05"] <= table["q95"]).all()
    diagnostics = json.loads((folder / "diagnostics.json").read_text(encoding="utf-8"))
    assert diagnostics["sbc"]["datasets"] == 12
    assert diagnostics["sbc"]["coverage90"] == pytest.approx(table["in90"].mean(), abs=1e-4)
    assert (folder / "figures" / "sbc_ranks.png").stat().st_size > 10_000
    assert not (folder / "out" / "sbc.partial.csv").exists()


def test_the_same_data_sets_on_one_worker_or_two(checked, tmp_path):
    """Each data set is seeded by the master seed and its index, not by the pool."""
    result, _ = checked
    path = _calibration(tmp_path, datasets=12, population=30, budget=150)
    first = sbc.run_sbc(load_calibration(path), datasets=2, workers=1)
    pd.testing.assert_frame_equal(first, result.table[result.table["dataset"] < 2])


def test_an_interrupted_check_resumes_from_its_finished_data_sets(tmp_path, monkeypatch):
    path = _calibration(tmp_path, datasets=2, population=10, budget=20)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sim.figures.calibration.sbc_ranks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sbc.check_calibration(path, out_dir=tmp_path / "out")
    kept = pd.read_csv(tmp_path / "out" / "sbc.partial.csv")
    assert sorted(kept["dataset"].unique()) == [0, 1]
    monkeypatch.undo()

    def again(job):
        raise AssertionError(f"data set {job.index} was calibrated twice")

    monkeypatch.setattr(sbc, "calibrate_dataset", again)
    result = sbc.check_calibration(path, out_dir=tmp_path / "out", resume=True)
    assert sorted(result.table["dataset"].unique()) == [0, 1]


def test_resume_refuses_data_sets_of_another_calibration(tmp_path, monkeypatch):
    path = _calibration(tmp_path, datasets=2, population=10, budget=20)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sbc.partial.csv").write_text(",".join(sbc.SBC_COLUMNS) + "\n", encoding="utf-8")
    (out / "sbc.partial.json").write_text('{"fingerprint": "other"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="another calibration"):
        sbc.check_calibration(path, out_dir=out, resume=True)


def test_the_command_refuses_fewer_than_two_data_sets(tmp_path, capsys):
    path = _calibration(tmp_path, datasets=2, population=10, budget=20)
    assert main(["sbc", str(path), "--datasets", "1", "--out", str(tmp_path / "out")]) == 2
    assert "--datasets" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
