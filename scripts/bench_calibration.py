"""Benchmark: a full ABC-SMC calibration (>= 50,000 simulations) against 10 minutes.

Runs the calibration of ``calibration/hanze.toml`` as ``basisbaan calibrate`` does
(pyabc's multicore sampler on all cores, simulations only to the last target date),
times the sampling and the whole command (sampling, predictive check, figures), and
reports simulations per second next to the single-process time of one simulation, and
per generation (pyabc's own sampling times, read from the history).

By default it writes under ``results/calibration/bench/`` and leaves the committed
posterior alone; ``--out results/calibration --posterior calibration/posterior.parquet``
makes the benchmark run the real calibration. ``--scheduler`` runs it on a Dask
cluster instead (pyabc's Dask sampler), as ``basisbaan calibrate --scheduler`` does.

    python -m scripts.bench_calibration [--config FILE] [--out DIR] [--posterior FILE]
        [--workers N | --scheduler tcp://HOST:PORT]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from sim.calibration.fit import DEFAULT_CONFIG, describe, run_calibration
from sim.calibration.settings import load_calibration

LIMIT_SECONDS = 600
MIN_SIMULATIONS = 50_000  # the calibration issue: at least 50,000 simulations in 10 minutes


def single_process_seconds(config: Path, runs: int = 30) -> float:
    """Median seconds of one calibration simulation (prior draws) in this process.

    The simulator takes the sampler's probit-scale numbers, where the prior is a
    standard normal; the process is frozen as the sampler's workers are.
    """
    cal = load_calibration(config)
    simulator = cal.simulator()
    rng = np.random.default_rng(0)
    draws = [{p.name: rng.standard_normal() for p in cal.free} for _ in range(runs + 1)]
    simulator(draws[0])  # warm up
    gc.freeze()
    times = []
    for numbers in draws[1:]:
        started = time.perf_counter()
        simulator(numbers)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def generation_rates(database: Path, abc_id: int) -> list[dict[str, float]]:
    """Per generation of run ``abc_id`` in a pyabc history: simulations, seconds, rate.

    pyabc stores each generation's sampling time; generation -1 is the calibration
    sample of an adaptive distance (absent when nothing was sampled for it). The
    machine's pace shows here, generation by generation.
    """
    import pyabc

    history = pyabc.History(f"sqlite:///{database}", _id=abc_id, create=False)
    populations = history.get_all_populations()
    sampled = populations[(populations["samples"] > 0) & (populations["wall_time"] > 0)]
    return [
        {"t": int(row.t), "simulations": int(row.samples), "seconds": round(row.wall_time, 1),
         "per_second": round(row.samples / row.wall_time, 1)}
        for row in sampled.itertuples()
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--out", type=Path, default=Path("results/calibration/bench"))
    parser.add_argument("--posterior", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--scheduler", default=None, help="Dask scheduler, tcp://HOST:PORT")
    args = parser.parse_args()
    posterior = args.posterior or args.out / "posterior.parquet"

    one = single_process_seconds(args.config)
    load = os.getloadavg()
    started = time.perf_counter()
    result = run_calibration(
        args.config,
        out_dir=args.out,
        posterior_path=posterior,
        workers=args.workers,
        scheduler=args.scheduler,
    )
    total_seconds = time.perf_counter() - started
    generations = generation_rates(result.database, result.abc_id)
    sampling = sum(g["seconds"] for g in generations)
    report = {
        "simulations": result.total_simulations,
        "generations": result.generations,
        "sampler": result.sampler,
        "abc_seconds": round(result.abc_seconds, 1),
        "command_seconds": round(total_seconds, 1),
        "simulations_per_second": round(result.simulations_per_second, 1),
        "single_process_seconds_per_simulation": round(one, 4),
        "by_generation": generations,
        "between_generations_seconds": round(result.abc_seconds - sampling, 1),
        "after_sampling_seconds": round(total_seconds - result.abc_seconds, 1),
        "load_average_before": [round(x, 2) for x in load],
        "cores": os.cpu_count(),
        "final_epsilon": round(result.final_epsilon, 3),
        "passed": result.total_simulations >= MIN_SIMULATIONS and total_seconds <= LIMIT_SECONDS,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for line in describe(result):
        print(line)
    rates = ", ".join(f"{g['per_second']:.0f}" for g in generations)
    print(
        f"by generation: {rates} simulations a second; pyabc between generations "
        f"{report['between_generations_seconds']:.0f} s; predictive check and figures "
        f"{report['after_sampling_seconds']:.0f} s"
    )
    print(
        f"benchmark: {result.total_simulations:,} simulations; sampling {result.abc_seconds:.0f} s "
        f"({result.simulations_per_second:.1f}/s on {result.sampler}; one simulation alone "
        f"{one * 1000:.0f} ms); whole command {total_seconds:.0f} s; "
        f"{'PASS' if report['passed'] else 'FAIL'} (>= {MIN_SIMULATIONS:,} in "
        f"{LIMIT_SECONDS // 60} min); load average before {load[0]:.1f}"
    )
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
