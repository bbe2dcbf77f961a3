"""The speed benchmark: its arithmetic, medians, ratios to the anchor timed in the same run,
the load, a tiny timed run and the anchors it runs."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest

from sim import Params
from sim.bench import (
    CALIBRATION_UNTIL,
    BenchResult,
    _result,
    bench_replicate,
    calibration_evaluation,
    compare_with_anchor,
    time_anchor,
)
from sim.calibration.fit import DEFAULT_CONFIG as HANZE
from sim.calibration.settings import load_calibration
from sim.simulation import DEFAULT_UNTIL
from sim.timeline import weeks_until

from .conftest import SMALL


def test_a_result_is_the_median_and_the_minimum_of_its_runs():
    result = _result([0.3, 0.1, 0.2, 0.5], recipients=100, until=CALIBRATION_UNTIL)
    assert result == BenchResult(
        median_seconds=0.25, min_seconds=0.1, recipients=100, weeks=161, runs=4
    )
    assert result.ns_per_recipient_week == pytest.approx(0.25 / (100 * 161) * 1e9)


@pytest.fixture
def anchors(tmp_path) -> Path:
    """A stand-in numpy anchor that takes no time and says 0.05 s."""
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "numpy_bound.py").write_text("print('warming up')\nprint(0.05)\n")
    return folder


def test_both_runs_are_timed_against_the_anchor_before_each_round_and_at_the_end(anchors):
    comparison = compare_with_anchor(anchors, repeats=2, rounds=2)
    assert comparison.anchor_seconds == (0.05, 0.05, 0.05)
    assert comparison.replicate.runs == comparison.calibration.runs == 2
    assert comparison.evaluation.runs == 2
    # The calibration's evaluations end at its last fitted target (calibration/hanze.toml).
    assert comparison.evaluation_until == max(t.date for t in load_calibration(HANZE).targets.fit)
    assert comparison.evaluation.weeks == weeks_until(comparison.evaluation_until) + 1
    assert comparison.replicate.weeks == weeks_until(DEFAULT_UNTIL) + 1
    assert comparison.calibration.weeks == weeks_until(CALIBRATION_UNTIL) + 1
    assert comparison.ratio(comparison.calibration) == pytest.approx(
        comparison.calibration.median_seconds / 0.05
    )
    assert all(load >= 0 for load in comparison.load_average)
    assert statistics.median(comparison.anchor_seconds) == comparison.anchor_median


def test_nanoseconds_per_recipient_week():
    # 0.5 s for 1,000 recipients over 500 weeks: 0.5 / 500,000 s = 1,000 ns.
    result = BenchResult(median_seconds=0.5, min_seconds=0.4, recipients=1_000, weeks=500)
    assert result.ns_per_recipient_week == pytest.approx(1_000.0)


def test_a_small_benchmark_times_each_repeat_to_2030():
    result = bench_replicate(repeats=2, params=Params().with_overrides(SMALL))
    # One row per week from 1 March 2020 to 31 December 2030, the start included.
    assert result.weeks == weeks_until(DEFAULT_UNTIL) + 1 == 566
    assert 0 < result.min_seconds <= result.median_seconds
    # The people on bijstand at the start of a small town of 1,500 households: some,
    # and at most two per household (a couple).
    assert 0 < result.recipients <= 2 * SMALL["households"]
    assert result.ns_per_recipient_week > 0


def test_an_anchor_is_run_with_the_size_and_its_last_line_is_its_seconds(tmp_path):
    script = tmp_path / "anchor.py"
    script.write_text(
        "import sys\nprint('warming up')\nprint(int(sys.argv[1]) / int(sys.argv[2]))\n",
        encoding="utf-8",
    )
    assert time_anchor(script, 30, 4) == 7.5
    failing = tmp_path / "failing.py"
    failing.write_text("raise SystemExit(3)\n", encoding="utf-8")
    with pytest.raises(Exception, match="returned non-zero exit status 3"):
        time_anchor(failing, 1, 1)


def test_a_calibration_evaluation_draws_from_the_priors_and_gives_the_fitted_statistics():
    evaluate, until = calibration_evaluation()
    calibration = load_calibration(HANZE)
    first = evaluate(3)
    assert set(first) == {t.name for t in calibration.targets.fit}
    assert evaluate(3) == first  # a seed is a prior draw and a run: the same numbers
    assert evaluate(4) != first
    assert until == max(t.date for t in calibration.targets.fit)


def test_the_experiment_bench_runs_every_scenario_on_a_dask_cluster():
    # scripts.bench_experiment's Dask figure is worth something only if the cluster ran
    # every run of the experiment (5 scenarios x the replicates asked).
    pytest.importorskip("distributed")
    from scripts.bench_experiment import SCENARIOS, dask_run

    seconds, runs = dask_run(replicates=2, workers=1, until=dt.date(2020, 3, 15))
    assert runs == SCENARIOS * 2
    assert seconds > 0


def test_the_calibration_bench_reads_each_generations_rate_from_the_history(tmp_path):
    import pyabc

    from scripts.bench_calibration import generation_rates

    database = tmp_path / "history.db"
    abc = pyabc.ABCSMC(
        lambda _: {"x": 0.0},
        pyabc.Distribution(a=pyabc.RV("norm")),
        pyabc.PNormDistance(),
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    history = abc.new(f"sqlite:///{database}", {"x": 1.0})
    particle = pyabc.population.Particle(
        m=0, parameter=pyabc.Parameter(a=0.0), weight=1.0, sum_stat={"x": 0.5}, distance=0.5
    )
    # Two generations: 300 simulations in 6 s, then 500 in 4 s.
    for t, (simulations, seconds) in enumerate([(300, 6.0), (500, 4.0)]):
        population = pyabc.population.Population([particle])
        history.append_population(t, 1.0, population, simulations, ["m"], wall_time=seconds)
    assert generation_rates(database, int(history.id)) == [
        {"t": 0, "simulations": 300, "seconds": 6.0, "per_second": 50.0},
        {"t": 1, "simulations": 500, "seconds": 4.0, "per_second": 125.0},
    ]
    # The row pyabc keeps the observed statistics in (no sampling time) is not a
    # generation, and another run's generations are not this run's.
    assert generation_rates(database, int(history.id) + 1) == []
