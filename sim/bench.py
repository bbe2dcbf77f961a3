"""Speed benchmark of one replicate, against the shared speed anchors in the same run."""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sim.model import BasisbaanModel
from sim.params import Params
from sim.simulation import DEFAULT_UNTIL, simulate
from sim.timeline import weeks_until


@dataclass(frozen=True)
class BenchResult:
    """Timings of one replicate from 2020-03-01 to 2030-12-31."""

    median_seconds: float
    min_seconds: float
    recipients: int
    weeks: int

    @property
    def ns_per_recipient_week(self) -> float:
        """Nanoseconds per person on bijstand at the start and per week."""
        return self.median_seconds / (self.recipients * self.weeks) * 1e9


def bench_replicate(repeats: int = 15, params: Params | None = None) -> BenchResult:
    """Time ``simulate`` (model, population, time series) over ``repeats`` seeds."""
    params = params or Params()
    simulate(params, seed=0)  # warm up imports and caches
    gc.freeze()  # as the experiment workers do (sim.runner.prepare_worker)
    times = []
    for seed in range(1, repeats + 1):
        started = time.perf_counter()
        simulate(params, seed=seed)
        times.append(time.perf_counter() - started)
    model = BasisbaanModel(params, rng=0)
    pop = model.population
    on_bijstand = int(((pop.bijstand_from <= 0) & (pop.bijstand_to > 0)).sum())
    return BenchResult(
        median_seconds=statistics.median(times),
        min_seconds=min(times),
        recipients=on_bijstand,
        weeks=weeks_until(DEFAULT_UNTIL) + 1,
    )


def time_anchor(script: Path, recipients: int, weeks: int) -> float:
    """Run one of ``shared/bench``'s anchors; it prints its own seconds."""
    out = subprocess.run(
        [sys.executable, str(script), str(recipients), str(weeks)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])
