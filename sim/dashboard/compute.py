"""The dashboard's computation: posterior draws in a process pool, streamed as they finish.

A comparison is a forecast experiment (:func:`sim.forecast.forecast_experiment`) of two
scenarios, the announced policy and the policy maker's choice, with one replicate per
posterior draw: draw k runs with the same parameters and the same seed in both
(common random numbers), so their difference is the policy's alone.

:class:`Engine` owns a pool of worker processes (spawned once, warmed up when the
dashboard starts) and runs a comparison draw by draw. A worker task is one draw with
the scenarios it still needs, so the two scenarios of a draw share its synthetic
population. Finished runs are kept by what defines them (overrides, seed, horizon), so
the announced policy is computed once and a lever moved back costs nothing. At most
one task per worker waits in the queue: a change of lever cancels the tasks not
started and drops the stale stream at once (the few running tasks finish into the
cache). :class:`Comparison` gathers the runs as they arrive and gives, for the draws
finished in both scenarios, the :class:`~sim.report.results.Results` the report's
sections read.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import dataclasses
import hashlib
import json
import multiprocessing as mp
import os
import signal
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.dashboard.levers import ANNOUNCED, CHOSEN
from sim.experiment import Experiment, RunSpec
from sim.forecast import forecast_experiment, forecast_table, p250_table
from sim.report.results import Results
from sim.runner import prepare_worker, run_frames
from sim.store import TABLES, ResultStore, to_parquet_bytes
from sim.summary import summarise

CACHED_RUNS = 4_000  # about 60 kB a run: a few hundred MB at most
POLL_SECONDS = 0.05  # how often a waiting stream looks whether it was cancelled
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies

RunTables = dict[str, pd.DataFrame]
"""One run's tables, as :data:`sim.store.TABLES` names them."""


def comparison_experiment(
    policy: Experiment, chosen: Mapping[str, Any], posterior: pd.DataFrame, draws: int
) -> Experiment:
    """The announced policy of ``policy`` and the chosen overrides, one replicate per draw.

    Args:
        policy: the growth scenarios (``experiments/growth_scenarios.toml``): its base,
            seed and horizon, and its scenario ``announced``.
        chosen: the chosen scenario's overrides on the announced policy.
        posterior: the calibration's weighted posterior.
        draws: the number of posterior draws.
    """
    announced = dict(policy.scenarios[ANNOUNCED])
    comparison = dataclasses.replace(
        policy,
        name="dashboard",
        description="The announced policy against the levers chosen on the dashboard.",
        scenarios={ANNOUNCED: announced, CHOSEN: {**announced, **chosen}},
        scenario_descriptions={
            ANNOUNCED: policy.scenario_descriptions.get(ANNOUNCED, ""),
            CHOSEN: "The levers chosen on the dashboard.",
        },
        sweep=None,
    )
    return forecast_experiment(comparison, posterior, draws)


def run_key(spec: RunSpec, outputs: tuple[str, ...]) -> str:
    """What defines a run's numbers (not its scenario's name): a hash."""
    blob = json.dumps(
        [spec.overrides, spec.seed, spec.until.isoformat(), list(outputs)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def run_draw(specs: list[RunSpec], outputs: tuple[str, ...]) -> list[RunTables]:
    """Run the scenarios of one draw and return their tables (in a worker process).

    The tables are those the store would read back from the run's Parquet parts (equal
    frames; a test compares them), without the round trip through Parquet: a tenth of
    a draw (written for speed).
    """
    return [run_frames(spec, outputs)[0] for spec in specs]


def _warm() -> int:
    return os.getpid()


def start_worker() -> None:
    """Start a worker: ask the system to stop it when the dashboard stops, then prepare it.

    A dashboard stopped by a signal does not always get to shut its pool down; on Linux
    the worker then gets SIGTERM from the kernel instead of waiting forever.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    prepare_worker()


class Engine:
    """A pool of worker processes that runs comparisons and keeps their finished runs.

    Args:
        workers: worker processes (default: all cores).
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: cf.ProcessPoolExecutor | None = None
        self._cache: OrderedDict[str, RunTables] = OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers and import the model in each (about a second, once)."""
        if self._pool is None:
            # Spawned workers: forking a process that holds server threads can deadlock.
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers,
                initializer=start_worker,
                mp_context=mp.get_context("spawn"),
            )
            for future in [self._pool.submit(_warm) for _ in range(self.workers)]:
                future.result()

    def worker_pids(self) -> list[int]:
        """The process ids of the workers (none before :meth:`start`)."""
        pool = self._pool
        return list(pool._processes) if pool is not None and pool._processes else []

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def forget(self) -> None:
        """Drop every finished run (for benchmarks)."""
        with self._lock:
            self._cache.clear()

    def cached(self, spec: RunSpec, outputs: tuple[str, ...]) -> RunTables | None:
        """The tables of a run already done, if any."""
        with self._lock:
            tables = self._cache.get(run_key(spec, outputs))
            if tables is not None:
                self._cache.move_to_end(run_key(spec, outputs))
            return tables

    def _keep(self, specs: list[RunSpec], outputs: tuple[str, ...], tables: list[RunTables]):
        with self._lock:
            for spec, run in zip(specs, tables, strict=True):
                self._cache[run_key(spec, outputs)] = run
            while len(self._cache) > CACHED_RUNS:
                self._cache.popitem(last=False)

    def stream(
        self, experiment: Experiment, cancelled: Callable[[], bool] = lambda: False
    ) -> Iterator[tuple[RunSpec, RunTables]]:
        """Every run of ``experiment`` with its tables, draw by draw as they finish.

        Runs already done come first, from the cache. Two scenarios with the same
        overrides are one run. The stream stops as soon as ``cancelled()`` is true:
        tasks not started are cancelled; running ones finish into the cache.
        """
        self.start()
        assert self._pool is not None
        outputs = experiment.outputs
        by_draw: dict[int, dict[str, list[RunSpec]]] = {}
        for spec in experiment.runs():
            by_draw.setdefault(spec.replicate, {}).setdefault(run_key(spec, outputs), []).append(
                spec
            )
        todo: list[list[list[RunSpec]]] = []  # per draw, the runs to do: the specs each stands for
        for runs in by_draw.values():
            needed = []
            for specs in runs.values():
                tables = self.cached(specs[0], outputs)
                if tables is None:
                    needed.append(specs)
                    continue
                for spec in specs:
                    yield spec, tables
            if needed:
                todo.append(needed)
        pending: dict[cf.Future[list[RunTables]], list[list[RunSpec]]] = {}
        queue = iter(todo)
        window = 2 * self.workers  # one running and one waiting per worker
        while True:
            if cancelled():
                for future in pending:
                    future.cancel()
                return
            for needed in queue:
                first = [specs[0] for specs in needed]
                future = self._pool.submit(run_draw, first, outputs)
                future.add_done_callback(self._keeper(first, outputs))
                pending[future] = needed
                if len(pending) >= window:
                    break
            if not pending:
                return
            done, _ = cf.wait(pending, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
            for future in done:
                needed = pending.pop(future)
                for specs, tables in zip(needed, future.result(), strict=True):
                    for spec in specs:
                        yield spec, tables

    def _keeper(
        self, specs: list[RunSpec], outputs: tuple[str, ...]
    ) -> Callable[[cf.Future[list[RunTables]]], None]:
        def keep(future: cf.Future[list[RunTables]]) -> None:
            if not future.cancelled() and future.exception() is None:
                self._keep(specs, outputs, future.result())

        return keep


@dataclass
class Comparison:
    """The runs of a comparison as they arrive, and its results so far.

    Attributes:
        experiment: the comparison (:func:`comparison_experiment`).
        runs: scenario -> draw -> that run's tables, labelled with the scenario.
    """

    experiment: Experiment
    runs: dict[str, dict[int, RunTables]] = field(default_factory=dict)

    def add(self, spec: RunSpec, tables: RunTables) -> None:
        """Take one finished run (its tables are labelled with the run's scenario and draw)."""
        self.runs.setdefault(spec.scenario, {})[spec.replicate] = {
            name: frame.assign(scenario=spec.scenario, replicate=spec.replicate)
            for name, frame in tables.items()
        }

    @property
    def draws(self) -> int:
        """Posterior draws in the comparison."""
        return self.experiment.replicates

    def complete(self) -> list[int]:
        """The draws finished in every scenario."""
        done = [set(self.runs.get(s, {})) for s in self.experiment.scenarios]
        return sorted(set.intersection(*done)) if done else []

    def tables(self) -> dict[str, pd.DataFrame]:
        """Each table of the draws finished in every scenario, all runs together."""
        draws = self.complete()
        return {
            table: pd.concat(
                [self.runs[s][k][table] for s in self.experiment.scenarios for k in draws],
                ignore_index=True,
            )
            for table in TABLES
        }

    def results(self, names: Mapping[str, str] | None = None) -> Results | None:
        """The results of the draws finished in every scenario (None before the first).

        Args:
            names: scenario -> the name shown for it (default: the scenario's own).
        """
        if not self.complete():
            return None
        names = dict(names or {})
        rename = {s: names.get(s, s) for s in self.experiment.scenarios}
        tables = {
            table: frame.assign(scenario=frame["scenario"].map(rename))
            for table, frame in self.tables().items()
        }
        until = self.experiment.until
        ts = tables["timeseries"]
        identity = self.experiment.identity()
        identity["scenarios"] = {rename[s]: v for s, v in identity["scenarios"].items()}
        summary = summarise(tables["runs"], tables["years"])
        return Results(
            directory=Path("."),
            manifest={
                "name": self.experiment.name,
                "experiment": identity,
                "scenario_descriptions": {
                    rename[s]: text for s, text in self.experiment.scenario_descriptions.items()
                },
                "until": until.isoformat(),
            },
            scenarios=tuple(rename.values()),
            summary=summary,
            pooled=summary,
            timeseries=ts,
            by_wijk=tables["by_wijk"],
            composition=tables["composition"],
            years=tables["years"],
            runs=tables["runs"],
            forecast=forecast_table(ts, until),
            p250=p250_table(ts, until),
            ppc=None,
        )

    def write(self, directory: str | Path) -> Path:
        """Write the finished comparison as a results directory, as ``basisbaan forecast`` does.

        With ``forecast.csv``, ``p250.csv`` and ``summary.csv``, so that
        ``basisbaan report`` (and :func:`sim.report.write_report`) reads it.

        Raises:
            ValueError: some draw has not finished yet.
        """
        if len(self.complete()) < self.draws:
            raise ValueError("the comparison is not finished: wait for every draw")
        experiment = self.experiment
        directory = Path(directory)
        store = ResultStore(directory, experiment)
        done = store.open()
        started = pd.Timestamp.now(tz="UTC").to_pydatetime()
        for spec in experiment.runs():
            if spec.key not in done:
                tables = self.runs[spec.scenario][spec.replicate]
                store.write_run(
                    spec.key,
                    {name: to_parquet_bytes(frame) for name, frame in tables.items()},
                    seconds=float(tables["runs"]["seconds"].iloc[0]),
                )
        store.finish(started=started, workers="dashboard")
        ts = store.load("timeseries")
        forecast_table(ts, experiment.until).to_csv(directory / "forecast.csv", index=False)
        p250_table(ts, experiment.until).to_csv(directory / "p250.csv", index=False)
        summarise(store.load("runs"), store.load("years")).to_csv(
            directory / "summary.csv", index=False
        )
        return directory
