"""Running an experiment: every scenario x sample x replicate, in parallel, into the store.

Runs go to a local process pool (all cores by default), run in this process with one
worker, or go to a Dask distributed cluster when a scheduler address is given. Each
run is self-contained (its seed is in its :class:`~sim.experiment.RunSpec`), so the
numbers are the same bit for bit whichever way and on however many workers they run.
A worker task is one replicate with all its scenarios and a few neighbouring samples,
which share the replicate's synthetic population where they can. Results are written
as each task finishes; at most two tasks per worker are in flight, so memory stays
flat however many runs there are.

Nothing is written before the experiment is known to fit: the results directory is
inspected (another experiment's is refused; damaged runs are found), the Dask
scheduler reached, and the free space checked against what the runs will take. A
worker whose coordinator dies exits (:mod:`sim.lifeline`).
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import gc
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.config.errors import ConfigError
from sim.config.locations import output_folder
from sim.experiment import Experiment, RunSpec
from sim.lifeline import interrupts_ignored, watch_coordinator
from sim.outcomes import OUTCOMES
from sim.outputs import RunTables, output_columns
from sim.params import Params
from sim.simulation import no_detail, run_replicate
from sim.store import Damage, ResultStore, bytes_needed, to_parquet_bytes
from sim.summary import RUN_TABLE_READS, run_tables
from sim.timeline import weeks_until

IN_FLIGHT_PER_WORKER = 2  # batches (see `batches`) per worker
# Neighbouring samples of one replicate run as one worker task (see `batches`); few, so
# that an interrupt drops little unfinished work.
SAMPLES_PER_BATCH = 8
# How long to try to reach a Dask scheduler before giving up.
SCHEDULER_TIMEOUT = "30s"


@dataclass(frozen=True)
class RunOutcome:
    """What a worker sends back: the run's key, its Parquet parts and its timing."""

    key: str
    parts: dict[str, bytes]
    seconds: float


def run_frames(
    spec: RunSpec, outputs: tuple[str, ...], *, detail: bool = True
) -> tuple[dict[str, pd.DataFrame], float]:
    """Run one replicate: its tables, labelled with the run, and the seconds it took.

    ``outputs`` are the weekly columns kept (:attr:`~sim.experiment.Experiment.columns`);
    without ``detail`` the employed per wijk and the composition are left empty
    (:attr:`~sim.experiment.Experiment.detail`). The tables are those of
    :data:`sim.store.TABLES`, as the store keeps them.
    """
    started = time.perf_counter()
    params = Params.from_mapping(spec.overrides)
    # Only what is kept or summarised is recorded each week: the reporters only read
    # the model, so the run is the same (written for speed: an analysis keeps one
    # column of about fifty).
    wanted = {*outputs, *RUN_TABLE_READS}
    recorded = [name for name in OUTCOMES if name in wanted]
    replicate = run_replicate(
        params, spec.seed, spec.until, spec.replicate, outcomes=recorded, detail=detail
    )
    ts = replicate.timeseries
    runs, years = run_tables(ts, target=params.job_ceiling_max)
    # The outputs registry's numbers (sim.outputs), which analyses read from the runs table.
    runs = runs.assign(**output_columns(RunTables(ts, runs, years, spec.until)))
    seconds = time.perf_counter() - started
    labels = {"scenario": spec.scenario, "sample": spec.sample, "replicate": spec.replicate}
    # A sweep's sampled inputs are kept once, in the store's design table, which the
    # runs table joins on ``sample``.
    keep = ["date", *outputs]
    frames = {
        "timeseries": _labelled(ts[keep], {**labels, "seed": spec.seed}),
        **(
            _detail(replicate.by_wijk, replicate.composition, labels) if detail else _empty_detail()
        ),
        "years": _labelled(years, labels),
        "runs": _labelled(runs.assign(seconds=seconds), {**labels, "seed": spec.seed}),
    }
    return frames, seconds


def _labelled(frame: pd.DataFrame, labels: dict[str, Any]) -> pd.DataFrame:
    """The frame with the run's labels in front.

    In one concat: inserting column by column rebuilds the column index each time
    (written for speed).
    """
    front = pd.DataFrame(labels, index=frame.index)
    return pd.concat([front, frame], axis=1)


DETAIL_TABLES = ("by_wijk", "composition")


def _detail(
    by_wijk: pd.DataFrame, composition: pd.DataFrame, labels: dict[str, Any]
) -> dict[str, pd.DataFrame]:
    """The employed per wijk and the composition of a run, labelled."""
    return {
        "by_wijk": _labelled(by_wijk.drop(columns="replicate"), labels),
        "composition": _labelled(composition.drop(columns="replicate"), labels),
    }


@functools.cache
def _empty_detail() -> dict[str, pd.DataFrame]:
    """The detail tables of a run that keeps none, shared: not to be changed.

    Empty and the same for every run, so made once per process (written for speed:
    they took 2.5% of an analysis's run); labels of the types of every run's give the
    same columns.
    """
    return _detail(*no_detail(), {"scenario": "", "sample": 0, "replicate": 0})


@functools.cache
def _empty_detail_parts() -> dict[str, bytes]:
    """The Parquet parts of the empty detail tables, made once per process (speed)."""
    return {table: to_parquet_bytes(frame) for table, frame in _empty_detail().items()}


def execute(spec: RunSpec, outputs: tuple[str, ...], *, detail: bool = True) -> RunOutcome:
    """Run one replicate and turn its tables into Parquet parts (runs in a worker)."""
    frames, seconds = run_frames(spec, outputs, detail=detail)
    parts = {
        table: to_parquet_bytes(frame)
        for table, frame in frames.items()
        if detail or table not in DETAIL_TABLES
    }
    if not detail:
        parts |= _empty_detail_parts()
    return RunOutcome(key=spec.key, parts=parts, seconds=seconds)


def execute_batch(
    specs: list[RunSpec], outputs: tuple[str, ...], detail: bool = True
) -> list[RunOutcome]:
    """Run the runs of one worker task in turn (see `batches`): they share populations."""
    return [execute(spec, outputs, detail=detail) for spec in specs]


def batches(specs: list[RunSpec]) -> list[list[RunSpec]]:
    """Group runs into worker tasks: one replicate, every scenario, a few neighbouring samples.

    The runs of a task share the replicate's seed, so each reuses the synthetic
    population of the run before it when the parameters it depends on are the same:
    every scenario (unless a scenario changes them), and the neighbouring points of a
    Morris trajectory, which move one parameter at a time (written for speed: drawing a
    population is about a tenth of a run). Within a task the runs go by sample, then in
    the experiment's scenario order.
    """
    groups: dict[tuple[int, int], list[RunSpec]] = {}
    for spec in specs:
        groups.setdefault((spec.replicate, spec.sample // SAMPLES_PER_BATCH), []).append(spec)
    return [sorted(group, key=lambda spec: spec.sample) for group in groups.values()]


@dataclass(frozen=True)
class RunReport:
    """How an experiment run went (``redone``: damaged or missing parts found on resume)."""

    directory: Path
    runs_total: int
    runs_skipped: int
    runs_done: int
    seconds: float
    workers: str
    redone: tuple[Damage, ...] = ()


def run_experiment(
    experiment: Experiment,
    directory: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    reserve_bytes: int = 0,
) -> RunReport:
    """Run every unfinished run of ``experiment`` into ``directory``.

    Args:
        experiment: the validated experiment.
        directory: the results directory (created, or resumed if it holds this experiment).
        workers: local worker processes (default: all cores; 1 runs in this process).
        scheduler: a Dask scheduler address (``tcp://host:port``); overrides ``workers``.
        progress: show a progress bar (default: only on a terminal, never under CI).
        reserve_bytes: room to keep free for what is written afterwards (figures, report).

    Raises:
        ConfigError: before anything is written: the directory cannot be used (another
            experiment's, not writable, too little free space) or the scheduler cannot
            be reached.
        StoreError: the directory holds another experiment or is not a results directory.
        OSError: writing failed part way (a full disk); finished runs are kept.
    """
    output_folder(directory)
    store = ResultStore(directory, experiment)
    done, damaged = store.inspect()
    redo = {damage.key for damage in damaged}
    todo = [spec for spec in experiment.runs() if spec.key not in done]
    needed = bytes_needed(len(todo), weeks_until(experiment.until), outputs=False)
    needs_for = f"{len(todo):,} run{'s' if len(todo) != 1 else ''}" + (
        " and the outputs" if reserve_bytes else ""
    )
    output_folder(directory, needs_bytes=needed + reserve_bytes, needs_for=needs_for)
    client = _connect(scheduler) if scheduler else None
    try:
        store.prepare(damaged)
        started = dt.datetime.now(dt.UTC)
        clock = time.perf_counter()
        if progress is None:
            progress = sys.stderr.isatty() and not os.environ.get("CI")
        bar = tqdm(
            total=len(todo) + len(done),
            initial=len(done),
            desc=experiment.name,
            unit="run",
            disable=not progress,
        )
        tasks = batches(todo)
        columns, detail = experiment.columns, experiment.detail
        count = min(workers or os.cpu_count() or 1, len(tasks))
        if client is not None:
            label = f"dask {scheduler}"
            outcomes = _on_dask(tasks, columns, detail, client)
        elif count <= 1:
            label = "1 (in process)"
            outcomes = (
                outcome for task in tasks for outcome in execute_batch(task, columns, detail)
            )
        else:
            label = f"{count} processes"
            outcomes = _in_pool(tasks, columns, detail, count)
        finished = 0
        with bar:
            for outcome in outcomes:
                store.write_run(outcome.key, outcome.parts, outcome.seconds)
                finished += 1
                bar.update()
        store.finish(started=started, workers=label)
    finally:
        if client is not None:
            client.close()
    return RunReport(
        directory=Path(directory),
        runs_total=len(todo) + len(done),
        runs_skipped=len(done),
        runs_done=finished,
        seconds=time.perf_counter() - clock,
        workers=label,
        redone=tuple(damage for damage in damaged if damage.key in redo),
    )


def _connect(address: str) -> Any:
    """A Dask client of the scheduler at ``address``, or a ConfigError saying why not."""
    from distributed import Client

    try:
        return Client(address, timeout=SCHEDULER_TIMEOUT)
    except (OSError, ValueError, TypeError) as error:
        reason = str(error).split("\n", 1)[0] or type(error).__name__
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address}: {reason}", source="--scheduler"
        ) from None


def _bounded(
    submit: Callable[[list[RunSpec]], Any],
    specs: Iterable[list[RunSpec]],
    wait_any: Callable[[set[Any]], tuple[set[Any], set[Any]]],
    window: int,
) -> Iterator[Any]:
    """Keep at most ``window`` batches in flight; yield finished futures as they come."""
    pending: set[Any] = set()
    queue = iter(specs)
    for spec in queue:
        pending.add(submit(spec))
        if len(pending) >= window:
            done, pending = wait_any(pending)
            yield from done
    while pending:
        done, pending = wait_any(pending)
        yield from done


def prepare_worker() -> None:
    """Start a worker: import the model, watch the coordinator, freeze today's objects.

    The worker exits when the coordinator dies, rather than lingering (see
    :mod:`sim.lifeline`).

    Without ``gc.freeze`` each collection walks the ~150,000 objects of numpy, pandas
    and pyarrow, about a tenth of a run (written for speed).
    """
    import sim.model  # noqa: F401

    watch_coordinator()
    gc.freeze()


def _in_pool(
    tasks: list[list[RunSpec]], outputs: tuple[str, ...], detail: bool, workers: int
) -> Iterator[RunOutcome]:
    # Spawned workers: forking a process that holds pyarrow's and tqdm's threads can
    # deadlock (Python warns of it since 3.12).
    pool = cf.ProcessPoolExecutor(
        max_workers=workers, initializer=prepare_worker, mp_context=mp.get_context("spawn")
    )
    # Start every worker now, with Ctrl-C ignored from its first instruction: the pool
    # would otherwise start them one by one as tasks come, and a Ctrl-C while one is
    # still importing prints its traceback. (Each submit starts a worker while fewer
    # than ``workers`` run.)
    with interrupts_ignored():
        for _ in range(workers):
            pool.submit(int)
    try:
        futures = _bounded(
            lambda task: pool.submit(execute_batch, task, outputs, detail),
            tasks,
            lambda pending: cf.wait(pending, return_when=cf.FIRST_COMPLETED),
            IN_FLIGHT_PER_WORKER * workers,
        )
        for future in futures:
            yield from future.result()
    finally:
        # On an interrupt, drop the runs not started; finished ones are already stored.
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(
    tasks: list[list[RunSpec]], columns: tuple[str, ...], detail: bool, client: Any
) -> Iterator[RunOutcome]:
    from distributed import wait

    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))

    def wait_any(pending: set[Any]) -> tuple[set[Any], set[Any]]:
        result = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(result.done), set(result.not_done)

    futures = _bounded(
        lambda task: client.submit(execute_batch, task, columns, detail, pure=False),
        tasks,
        wait_any,
        IN_FLIGHT_PER_WORKER * workers,
    )
    for future in futures:
        outcomes = future.result()
        future.release()
        yield from outcomes
