"""Simulation-based calibration of the calibration (Talts et al. 2018).

Does the ABC-SMC of :mod:`sim.calibration.fit` give posteriors that mean what they
say? Draw a "true" parameter vector from the prior, simulate the fitted targets from
it with the model, calibrate on those synthetic figures exactly as on the real ones
(same priors, distance, proposals and epsilon schedule; a smaller population and
budget, from the ``[sbc]`` table), and see where the truth falls in its posterior.
Over many data sets the truth's posterior quantile (its *rank*) is uniform for a
calibrated method: the 50% interval holds it half the time and the 90% interval 90%.
Coverage above that means posteriors too wide (conservative), below too narrow
(overconfident).

Each data set is its own single-core calibration, so the data sets run in parallel in
a process pool and every one is reproducible from the master seed and its index,
whatever the number of workers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.settings import Calibration
from sim.lifeline import watch_coordinator

SBC_COLUMNS = (
    "dataset",
    "parameter",
    "truth",
    "rank",
    "in50",
    "in90",
    "q05",
    "q50",
    "q95",
    "ess",
    "simulations",
    "generations",
)


@dataclass(frozen=True)
class SbcJob:
    """One synthetic data set: the calibration to repeat and where its seeds come from."""

    calibration: Calibration
    index: int


def small_calibration(cal: Calibration) -> Calibration:
    """The calibration with the ``[sbc]`` table's population size and budget."""
    abc = cal.abc.model_copy(
        update={
            "population_size": cal.sbc.population_size,
            "max_total_simulations": cal.sbc.max_total_simulations,
            "max_generations": cal.sbc.max_generations,
            "max_walltime_minutes": None,
        }
    )
    return replace(cal, abc=abc)


def true_numbers(cal: Calibration, index: int) -> tuple[dict[str, float], int]:
    """Data set ``index``'s true parameter numbers (a prior draw) and its model seed."""
    rng = np.random.default_rng(np.random.SeedSequence([cal.seed, 0x5BC, index]))
    numbers = {p.name: float(rng.uniform(p.low, p.high)) for p in cal.free}
    return numbers, int(rng.integers(0, 2**62))


def weighted_rank(values: np.ndarray, weights: np.ndarray, truth: float) -> float:
    """The posterior's probability below the truth (ties count half): its rank in 0..1."""
    below = weights[values < truth].sum()
    equal = weights[values == truth].sum()
    return float((below + 0.5 * equal) / weights.sum())


def calibrate_dataset(job: SbcJob) -> list[dict[str, Any]]:
    """Simulate data set ``job.index`` from its true parameters, calibrate, rank the truth."""
    import pyabc

    from sim.calibration.fit import abc_smc, effective_sample_size, weighted_quantiles
    from sim.calibration.history import written_in_bulk

    watch_coordinator()  # in a pool worker: exit if the coordinating process dies
    cal = job.calibration
    truth, seed = true_numbers(cal, job.index)
    observed = cal.simulator().run(truth, seed)
    abc = abc_smc(cal, pyabc.sampler.SingleCoreSampler())
    with tempfile.TemporaryDirectory(prefix="sbc-") as folder:
        abc.new(f"sqlite:///{Path(folder) / 'sbc.db'}", observed)
        history = written_in_bulk(abc)
        # pyabc's proposals come from numpy's legacy global generator in this process.
        np.random.seed(np.random.SeedSequence([cal.seed, 0x5BC, job.index, 1]).generate_state(1))  # noqa: NPY002
        abc.run(
            minimum_epsilon=cal.abc.minimum_epsilon,
            max_nr_populations=cal.abc.max_generations,
            min_acceptance_rate=cal.abc.min_acceptance_rate,
            max_total_nr_simulations=cal.abc.max_total_simulations,
        )
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        simulations = int(history.total_nr_simulations)
        generations = int(history.max_t) + 1
    weights = np.asarray(weights, float)
    ess = effective_sample_size(weights)
    rows = []
    for p in cal.free:
        # Ranks on the sampler's continuous numbers: an integer or date parameter is
        # rounded only inside the model, so its posterior has no ties at the truth.
        values = np.asarray(p.from_sampler(frame[p.name].to_numpy(float)), float)
        rank = weighted_rank(values, weights, truth[p.name])
        q05, q50, q95 = weighted_quantiles(values, weights, [0.05, 0.5, 0.95])
        rows.append(
            {
                "dataset": job.index,
                "parameter": p.name,
                "truth": truth[p.name],
                "rank": rank,
                "in50": bool(0.25 <= rank <= 0.75),
                "in90": bool(0.05 <= rank <= 0.95),
                "q05": float(q05),
                "q50": float(q50),
                "q95": float(q95),
                "ess": ess,
                "simulations": simulations,
                "generations": generations,
            }
        )
    return rows


def run_sbc(
    cal: Calibration,
    *,
    datasets: int | None = None,
    workers: int = 1,
    done: Sequence[int] = (),
    on_result: Callable[[list[dict[str, Any]]], None] | None = None,
) -> pd.DataFrame:
    """Calibrate ``datasets`` synthetic data sets (default: the ``[sbc]`` table's).

    Args:
        cal: the calibration to check (its ``[sbc]`` table sizes each data set's run).
        datasets: how many data sets (indices 0..datasets-1).
        workers: data sets calibrated at once, one process each.
        done: indices already calibrated (skipped: a resumed check).
        on_result: called with each data set's rows as it finishes (to save them).

    Returns:
        One row per data set and free parameter (:data:`SBC_COLUMNS`), in index order.
    """
    small = small_calibration(cal)
    count = cal.sbc.datasets if datasets is None else datasets
    jobs = [SbcJob(small, i) for i in range(count) if i not in set(done)]
    rows: list[dict[str, Any]] = []
    for result in _map(jobs, workers):
        rows.extend(result)
        if on_result is not None:
            on_result(result)
    table = pd.DataFrame(rows, columns=list(SBC_COLUMNS))
    return table.sort_values(["dataset", "parameter"], kind="stable").reset_index(drop=True)


def _map(jobs: Sequence[SbcJob], workers: int) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1 or len(jobs) <= 1:
        yield from map(calibrate_dataset, jobs)
        return
    from sim.calibration.fit import _fork_context

    with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
        yield from pool.map(calibrate_dataset, jobs)


def coverage(table: pd.DataFrame) -> dict[str, Any]:
    """The ``sbc`` section of ``diagnostics.json``: data sets and the two coverages."""
    per_parameter = table.groupby("parameter")[["in50", "in90"]].mean()
    return {
        "datasets": int(table["dataset"].nunique()),
        "coverage50": round(float(table["in50"].mean()), 4),
        "coverage90": round(float(table["in90"].mean()), 4),
        "per_parameter": {
            name: {"coverage50": round(float(r.in50), 4), "coverage90": round(float(r.in90), 4)}
            for name, r in per_parameter.iterrows()
        },
        "population_size": int(table.attrs.get("population_size", 0)) or None,
        "simulations_median": int(table.groupby("dataset")["simulations"].first().median()),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_sbc_section(path: str | Path, section: dict[str, Any]) -> Path:
    """Put the ``sbc`` section into ``diagnostics.json``, keeping everything else."""
    path = Path(path)
    existing: dict[str, Any] = {}
    if path.exists():
        existing = json.loads(path.read_text(encoding="utf-8"))
    existing["sbc"] = section
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


# ---------------------------------------------------------------------------
# The command: basisbaan sbc
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SbcResult:
    """What ``basisbaan sbc`` did and wrote."""

    table: pd.DataFrame
    section: dict[str, Any]
    files: tuple[Path, ...]
    seconds: float


def check_calibration(
    config_path: str | Path,
    *,
    out_dir: str | Path = Path("results") / "calibration",
    datasets: int | None = None,
    workers: int = 1,
    resume: bool = False,
) -> SbcResult:
    """Run the simulation-based calibration of a calibration file and write its results.

    Each finished data set is appended at once to ``OUT/sbc.partial.csv`` (an interrupt
    loses only the data sets in progress; ``resume`` skips the ones there). At the end:
    ``OUT/sbc.csv`` and a copy beside the calibration file (``calibration/sbc.csv``), the
    ``sbc`` section of the ``diagnostics.json`` beside it, and the rank histograms
    ``sbc_ranks.png`` in ``figures/`` beside it.

    Raises:
        ConfigError: a bad file, or ``resume`` on data sets of another calibration.
    """
    import time

    from sim.calibration.settings import load_calibration
    from sim.config.errors import ConfigError
    from sim.config.locations import output_file, output_folder
    from sim.figures.calibration import sbc_ranks
    from sim.figures.style import DPI

    cal = load_calibration(config_path)
    out = Path(out_dir)
    output_folder(out)
    beside = Path(cal.source).parent
    partial = out / "sbc.partial.csv"
    stamp = out / "sbc.partial.json"
    identity = {"fingerprint": cal.fingerprint(), "sbc": cal.sbc.model_dump()}
    for path in (out / "sbc.csv", beside / "sbc.csv", beside / "diagnostics.json"):
        output_file(path)
    done: pd.DataFrame | None = None
    if resume and partial.exists():
        if not stamp.exists() or json.loads(stamp.read_text(encoding="utf-8")) != identity:
            raise ConfigError(
                f"{partial} holds data sets of another calibration or [sbc] table; "
                "run without --resume to start again",
                source=str(config_path),
            )
        done = pd.read_csv(partial)
    else:
        out.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        stamp.write_text(json.dumps(identity), encoding="utf-8")

    def save(rows: list[dict[str, Any]]) -> None:
        frame = pd.DataFrame(rows, columns=list(SBC_COLUMNS))
        frame.to_csv(partial, mode="a", header=not partial.exists(), index=False)

    clock = time.perf_counter()
    finished = () if done is None else tuple(int(i) for i in done["dataset"].unique())
    fresh = run_sbc(cal, datasets=datasets, workers=workers, done=finished, on_result=save)
    table = pd.concat([t for t in (done, fresh) if t is not None and len(t)], ignore_index=True)
    count = cal.sbc.datasets if datasets is None else datasets
    table = table[table["dataset"] < count]
    table = table.sort_values(["dataset", "parameter"], kind="stable").reset_index(drop=True)
    table.attrs["population_size"] = cal.sbc.population_size
    section = coverage(table)
    files = []
    for path in (out / "sbc.csv", beside / "sbc.csv"):
        temporary = path.with_name(f".{path.name}.tmp")
        table.to_csv(temporary, index=False, float_format="%.6g")
        os.replace(temporary, path)
        files.append(path)
    files.append(write_sbc_section(beside / "diagnostics.json", section))
    figures = beside / "figures"
    figures.mkdir(exist_ok=True)
    figure_path = figures / "sbc_ranks.png"
    temporary = figures / ".sbc_ranks.tmp.png"
    sbc_ranks(table).savefig(temporary, dpi=DPI, bbox_inches="tight")
    os.replace(temporary, figure_path)
    files.append(figure_path)
    partial.unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)
    return SbcResult(table, section, tuple(files), time.perf_counter() - clock)
