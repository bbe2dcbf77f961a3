"""Speed benchmarks of one run, against the shared speed anchors timed in the same run.

Three runs are timed, each over fresh seeds (so every run draws its population, as a
calibration does): one replicate to 2030-12-31, one simulation to the calibration
horizon 2023-03-31, and one evaluation of the shipped calibration (a draw from its
priors, run as pyabc runs it: to the last fitted target, recording what the targets read,
without the inflow that cannot reach them). The numpy anchor of ``shared/bench`` is
timed between them, several times, so that the ratios compare medians taken under the
same load of the machine.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.model import BasisbaanModel
from sim.params import Params
from sim.simulation import DEFAULT_UNTIL, run_replicate, simulate
from sim.timeline import weeks_until

CALIBRATION_UNTIL = dt.date(2023, 3, 31)  # the last calibration target (sim.calibration)


@dataclass(frozen=True)
class BenchResult:
    """Timings of one kind of run (seconds over ``runs`` seeds)."""

    median_seconds: float
    min_seconds: float
    recipients: int
    weeks: int
    runs: int = 0

    @property
    def ns_per_recipient_week(self) -> float:
        """Nanoseconds per person on bijstand at the start and per week."""
        return self.median_seconds / (self.recipients * self.weeks) * 1e9


def recipients_at_start(params: Params | None = None) -> int:
    """People on bijstand on 1 March 2020 (the anchors simulate as many)."""
    pop = BasisbaanModel(params or Params(), rng=0).population
    return int(((pop.bijstand_from <= 0) & (pop.bijstand_to > 0)).sum())


def _timed(run: Callable[[int], object], repeats: int, first_seed: int = 1) -> list[float]:
    times = []
    for seed in range(first_seed, first_seed + repeats):
        started = time.perf_counter()
        run(seed)
        times.append(time.perf_counter() - started)
    return times


def _result(times: list[float], recipients: int, until: dt.date) -> BenchResult:
    return BenchResult(
        median_seconds=statistics.median(times),
        min_seconds=min(times),
        recipients=recipients,
        weeks=weeks_until(until) + 1,
        runs=len(times),
    )


def bench_replicate(
    repeats: int = 15, params: Params | None = None, until: dt.date = DEFAULT_UNTIL
) -> BenchResult:
    """Time ``simulate`` (model, population, time series) over ``repeats`` seeds."""
    params = params or Params()
    simulate(params, seed=0, until=until)  # warm up imports and caches
    gc.freeze()  # as the experiment workers do (sim.runner.prepare_worker)
    times = _timed(lambda seed: simulate(params, seed=seed, until=until), repeats)
    return _result(times, recipients_at_start(params), until)


def time_anchor(script: Path, recipients: int, weeks: int) -> float:
    """Run one of ``shared/bench``'s anchors; it prints its own seconds."""
    out = subprocess.run(
        [sys.executable, str(script), str(recipients), str(weeks)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Comparison:
    """Three kinds of run against the numpy anchor: replicate, horizon, evaluation."""

    replicate: BenchResult
    calibration: BenchResult
    evaluation: BenchResult  # one evaluation of the shipped calibration (a prior draw)
    anchor_seconds: tuple[float, ...]  # the numpy anchor, each time it was timed
    load_average: tuple[float, float]  # 1-minute load before and after
    evaluation_until: dt.date  # where the calibration's evaluations end

    @property
    def anchor_median(self) -> float:
        """Median seconds of the numpy anchor."""
        return statistics.median(self.anchor_seconds)

    def ratio(self, result: BenchResult) -> float:
        """A run's median seconds over the anchor's median."""
        return result.median_seconds / self.anchor_median


def compare_with_anchor(anchors: Path, repeats: int = 15, rounds: int = 3) -> Comparison:
    """Time both runs in ``rounds`` rounds, the numpy anchor before each and at the end.

    Each round times ``repeats / rounds`` seeds of each run (new seeds every round).
    """
    evaluate, evaluation_until = calibration_evaluation()
    params = Params()
    load_before = os.getloadavg()[0]
    recipients = recipients_at_start(params)
    weeks = weeks_until(DEFAULT_UNTIL) + 1
    script = anchors / "numpy_bound.py"
    for until in (DEFAULT_UNTIL, CALIBRATION_UNTIL):
        run_replicate(params, seed=0, until=until)  # warm up imports and caches
    evaluate(0)
    gc.freeze()
    per_round = max(1, -(-repeats // rounds))
    full: list[float] = []
    horizon: list[float] = []
    evaluations: list[float] = []
    anchor: list[float] = []
    for round_ in range(rounds):
        first = 1 + round_ * per_round
        anchor.append(time_anchor(script, recipients, weeks))
        full += _timed(lambda seed: run_replicate(params, seed, DEFAULT_UNTIL), per_round, first)
        horizon += _timed(  # other seeds: each draws its population, as in a calibration
            lambda seed: run_replicate(params, seed, CALIBRATION_UNTIL), per_round, 10**6 + first
        )
        evaluations += _timed(evaluate, per_round, 2 * 10**6 + first)
    anchor.append(time_anchor(script, recipients, weeks))
    return Comparison(
        replicate=_result(full, recipients, DEFAULT_UNTIL),
        calibration=_result(horizon, recipients, CALIBRATION_UNTIL),
        evaluation=_result(evaluations, recipients, evaluation_until),
        anchor_seconds=tuple(anchor),
        load_average=(load_before, os.getloadavg()[0]),
        evaluation_until=evaluation_until,
    )


def calibration_evaluation(
    config: Path | None = None,
) -> tuple[Callable[[int], dict[str, float]], dt.date]:
    """What pyabc evaluates in the calibration ``config`` (default: calibration/hanze.toml).

    Returns a function of a seed that draws numbers from the priors (from that seed) and
    runs them as :class:`~sim.calibration.settings.Simulator` does, and the date the
    runs end.
    """
    from sim.calibration.fit import DEFAULT_CONFIG
    from sim.calibration.settings import load_calibration

    calibration = load_calibration(config or DEFAULT_CONFIG)
    simulator = calibration.simulator()

    def evaluate(seed: int) -> dict[str, float]:
        draw = np.random.default_rng(seed).uniform(size=len(calibration.free)).tolist()
        numbers = {
            p.name: p.low + u * (p.high - p.low)
            for p, u in zip(calibration.free, draw, strict=True)
        }
        return simulator.run(numbers, seed)

    return evaluate, max(t.date for t in calibration.targets.fit)
