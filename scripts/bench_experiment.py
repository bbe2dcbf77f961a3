"""Benchmark of an experiment run: 5 scenarios x 200 replicates to 2030-12-31.

Reports wall time on 1 and 2 workers, the parallel efficiency T1 / (2 x T2), and the
peak memory of the coordinating process for a small and a large run (flat means the
results go to disk, not into a list). Also times the speed anchors of shared/bench in
the same run, so the ratios can be compared across machines.

    python -m scripts.bench_experiment [--replicates 200] [--skip-one-worker]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import psutil

from sim.experiment import load_experiment
from sim.runner import run_experiment

ROOT = Path(__file__).resolve().parents[1]


def timed_run(replicates: int, workers: int) -> tuple[float, float, int, float]:
    """Seconds, peak parent memory (MB), runs and CPU seconds (coordinator and workers)."""
    experiment = load_experiment(ROOT / "experiments" / "growth_scenarios.toml").with_settings(
        replicates=replicates
    )
    process = psutil.Process()
    peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    cpu_before = _cpu_seconds(process)
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        report = run_experiment(
            experiment, Path(directory) / "bench", workers=workers, progress=False
        )
        seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    return seconds, peak / 2**20, report.runs_done, _cpu_seconds(process) - cpu_before


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU time of this process and its finished children (the pool's workers)."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--skip-one-worker", action="store_true")
    args = parser.parse_args()

    _, small_peak, small_runs, _ = timed_run(max(args.replicates // 8, 2), 2)
    two_seconds, two_peak, runs, cpu = timed_run(args.replicates, 2)
    print(f"2 workers: {runs} runs in {two_seconds:.1f} s ({runs / two_seconds:.1f} runs/s)")
    print(
        f"CPU time of coordinator and workers: {cpu:.1f} s ({1000 * cpu / runs:.0f} ms a run): "
        f"{cpu / 2:.1f} s of wall time on two otherwise idle cores"
    )
    print(
        f"parent peak memory: {small_peak:.0f} MB for {small_runs} runs, "
        f"{two_peak:.0f} MB for {runs} runs"
    )
    if not args.skip_one_worker:
        one_seconds, _, _, _ = timed_run(args.replicates, 1)
        efficiency = one_seconds / (2 * two_seconds)
        print(f"1 worker: {one_seconds:.1f} s; parallel efficiency {efficiency:.0%}")


if __name__ == "__main__":
    main()
