"""Benchmark of an experiment run: 5 scenarios x 200 replicates to 2030-12-31.

Reports, in one run of the script:

- the whole command ``basisbaan run experiments/growth_scenarios.toml --replications 200
  --workers 2`` (a subprocess, timed from outside: start-up, runs, summary, figures,
  report), with the runs' share as the command itself reports it;
- wall time of the runs alone on 1 and 2 workers, and the parallel efficiency
  T1 / (2 x T2);
- wall time of the runs on a Dask LocalCluster of 1 and 2 worker processes, and its
  parallel efficiency;
- the peak memory of the coordinating process for 1,000 and 10,000 runs (flat means
  the results go to disk, not into a list). These runs stop at ``--memory-until``
  (one week), so that 10,000 of them fit in minutes: the coordinator's work per run
  (receiving the parts, writing them, the index) does not depend on the weeks run;
- the 1-minute load average before and after, and the cores: the machine is shared,
  so the figures are only comparable with others measured under the same load.

    python -m scripts.bench_experiment [--replicates 200] [--skip-one-worker] [--skip-dask]
        [--memory-runs 1000 10000] [--memory-until 2020-03-08]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from sim.experiment import Experiment, load_experiment
from sim.runner import run_experiment

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENT = ROOT / "experiments" / "growth_scenarios.toml"
SCENARIOS = 5  # in growth_scenarios.toml


def _experiment(replicates: int, until: dt.date | None) -> Experiment:
    """The benchmarked experiment with ``replicates`` replicates, to ``until`` if given."""
    experiment = load_experiment(EXPERIMENT).with_settings(replicates=replicates)
    return experiment if until is None else experiment.with_settings(until=until)


def timed_run(
    replicates: int, workers: int, until: dt.date | None = None
) -> tuple[float, float, int, float, float]:
    """Seconds, peak parent memory (MB), runs, CPU seconds (coordinator and workers), and
    the parent's memory (MB) before the runs."""
    experiment = _experiment(replicates, until)
    process = psutil.Process()
    peak = before = process.memory_info().rss
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
    cpu = _cpu_seconds(process) - cpu_before
    return seconds, peak / 2**20, report.runs_done, cpu, before / 2**20


def dask_run(replicates: int, workers: int, until: dt.date | None = None) -> tuple[float, int]:
    """Seconds and runs of the experiment on a Dask LocalCluster of ``workers`` processes.

    One thread a worker, as the process pool runs; the cluster's start and stop are not
    timed.
    """
    from distributed import LocalCluster

    experiment = _experiment(replicates, until)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        tempfile.TemporaryDirectory() as directory,
    ):
        started = time.perf_counter()
        report = run_experiment(
            experiment,
            Path(directory) / "bench",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
        seconds = time.perf_counter() - started
    return seconds, report.runs_done


def whole_command(replicates: int, workers: int) -> tuple[float, float | None]:
    """Seconds of the whole ``basisbaan run`` command, and of its runs as it reports them."""
    with tempfile.TemporaryDirectory() as directory:
        command = [
            sys.executable, "-m", "sim.cli", "run", str(EXPERIMENT),
            "--replications", str(replicates), "--workers", str(workers),
            "--out", str(Path(directory) / "run"),
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
    runs = re.search(r"runs in ([0-9.]+) s", done.stdout)
    return seconds, float(runs.group(1)) if runs else None


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU time of this process and its finished children (the pool's workers)."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--skip-one-worker", action="store_true")
    parser.add_argument("--skip-command", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--memory-runs", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--memory-until", type=dt.date.fromisoformat, default="2020-03-08")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores; load average (1 min) {load_before:.1f} at the start")

    if not args.skip_command:
        seconds, runs_seconds = whole_command(args.replicates, 2)
        runs_part = f" (runs {runs_seconds:.1f} s)" if runs_seconds is not None else ""
        print(
            f"whole command, {SCENARIOS * args.replicates} runs on 2 workers: "
            f"{seconds:.1f} s{runs_part}"
        )

    two_seconds, _, runs, cpu, _ = timed_run(args.replicates, 2)
    print(f"2 workers: {runs} runs in {two_seconds:.1f} s ({runs / two_seconds:.1f} runs/s)")
    print(
        f"CPU time of coordinator and workers: {cpu:.1f} s ({1000 * cpu / runs:.0f} ms a run): "
        f"{cpu / 2:.1f} s of wall time on two otherwise idle cores"
    )
    if not args.skip_one_worker:
        one_seconds, *_ = timed_run(args.replicates, 1)
        efficiency = one_seconds / (2 * two_seconds)
        print(f"1 worker: {one_seconds:.1f} s; parallel efficiency {efficiency:.0%}")

    if not args.skip_dask:
        one, runs = dask_run(args.replicates, 1)
        two, _ = dask_run(args.replicates, 2)
        print(
            f"Dask LocalCluster: {runs} runs in {one:.1f} s on 1 worker, {two:.1f} s on 2; "
            f"parallel efficiency {one / (2 * two):.0%}"
        )

    for total in args.memory_runs:
        seconds, peak, runs, _, before = timed_run(max(total // SCENARIOS, 1), 2, args.memory_until)
        print(
            f"coordinator peak memory: {peak:.0f} MB ({before:.0f} MB before) for {runs} runs "
            f"to {args.memory_until} (2 workers, {seconds:.0f} s)"
        )
    print(f"load average (1 min) {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
