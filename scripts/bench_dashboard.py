"""Time the dashboard's computation: posterior draws to 2030, the chosen scenario and the
announced policy, on the dashboard's pool of worker processes.

    python -m scripts.bench_dashboard [--draws 40] [--repeats 5] [--workers 2]

Prints the median over repeats of three timings, each from the request to the last
draw's tables in the page process:

- cold: neither scenario computed before (the page's first answer, both scenarios);
- lever moved: the announced policy already computed, the chosen scenario new (what a
  policy maker waits for after moving a lever);
- to results: turning the finished runs into the report's tables (summary, chance of
  250), which the page does before drawing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from sim.calibration.fit import load_posterior
from sim.cli import POLICY, _resolve_config
from sim.dashboard.compute import Comparison, Engine, comparison_experiment
from sim.experiment import load_experiment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    policy = load_experiment(_resolve_config(None, POLICY)).with_settings(until="2030-12-31")
    posterior = load_posterior(None)
    load0 = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    started = time.perf_counter()
    engine = Engine(args.workers)
    engine.start()
    print(f"{engine.workers} workers started in {time.perf_counter() - started:.1f} s")
    cold, moved, summary = [], [], []
    for repeat in range(args.repeats):
        # A growth no other repeat used, so that nothing of the chosen scenario is cached.
        chosen = {"ceiling_growth_per_year": 60 + 5 * repeat}
        engine = _fresh(engine, args.workers)
        cold.append(_time(engine, comparison_experiment(policy, chosen, posterior, args.draws)))
        chosen = {"ceiling_growth_per_year": 61 + 5 * repeat}
        experiment = comparison_experiment(policy, chosen, posterior, args.draws)
        seconds, comparison = _time(engine, experiment, keep=True)
        moved.append(seconds)
        clock = time.perf_counter()
        comparison.results()
        summary.append(time.perf_counter() - clock)
    engine.close()
    cold_s = [c[0] for c in cold]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average before/while timing: {load0} / {load} on {os.cpu_count()} cores")
    workers = engine.workers
    cold_cpu, moved_cpu = CPU[0::2], CPU[1::2]
    print(
        f"{args.draws} draws to 2030-12-31, median of {args.repeats} (min-max):\n"
        f"  cold, both scenarios:            {_stats(cold_s)}\n"
        f"  lever moved, announced cached:   {_stats(moved)}\n"
        f"  runs to the report's tables:     {_stats(summary)}\n"
        f"workers' processor time (the wall time on {workers} idle cores is at least this / "
        f"{workers}):\n"
        f"  cold, both scenarios:            {_stats(cold_cpu)}\n"
        f"  lever moved, announced cached:   {_stats(moved_cpu)}"
    )


def _fresh(engine: Engine, workers: int | None) -> Engine:
    """A warm engine with an empty cache (the workers stay)."""
    engine.forget()
    return engine


def _time(engine: Engine, experiment, keep: bool = False):
    comparison = Comparison(experiment)
    cpu = _worker_cpu(engine)
    clock = time.perf_counter()
    for spec, tables in engine.stream(experiment):
        comparison.add(spec, tables)
    seconds = time.perf_counter() - clock
    CPU.append(_worker_cpu(engine) - cpu)
    assert len(comparison.complete()) == experiment.replicates
    return (seconds, comparison)


CPU: list[float] = []  # the workers' processor seconds of each timing, in order


def _worker_cpu(engine: Engine) -> float:
    """Processor seconds the engine's workers have used (Linux /proc; 0 elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in engine.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def _stats(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


if __name__ == "__main__":
    main()
