"""Running a calibration: ABC-SMC with pyabc, its history, the posterior and the checks.

:func:`run_calibration` reads a calibration file (``calibration/hanze.toml``), runs
ABC-SMC on the model (pyabc's multicore sampler by default; its Dask sampler with a
scheduler address; one worker runs in this process) with the history in a SQLite
database under ``results/calibration/`` so a run can be inspected and resumed, and then
writes:

- the weighted posterior sample, ``calibration/posterior.parquet`` (one column per free
  parameter and ``weight``; committed, so forecasts work on a fresh checkout);
- ``results/calibration/ppc.csv``: every target's 5/25/50/75/95% posterior predictive
  quantiles from fresh simulations, and whether the observed value is inside the 90%
  interval;
- figures: the posterior marginals, every target's 50% and 90% predictive intervals
  against the observed value, and the ABC progress.

:func:`load_posterior` and :func:`posterior_params` give forecasts their parameter sets.

Determinism (see calibration/README.md): every simulation's model seed is a hash of the
master seed and its parameters, so any particle re-runs exactly. With one worker
(pyabc's single-core sampler) the whole calibration is bit-reproducible. pyabc's
multicore and Dask samplers reseed their workers from the operating system and accept
whichever particles finish first, so their runs are not reproducible, whatever the
number of workers.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import errno
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.calibration.settings import (
    SEED_KEY,
    Calibration,
    FreeParameter,
    load_calibration,
    prior_distribution,
)
from sim.calibration.targets import Distance, Targets, record_statistics, recorded
from sim.config.checks import whole_number
from sim.config.errors import ConfigError
from sim.config.locations import output_file, output_folder
from sim.config.read import read_parquet
from sim.figures.calibration import save_figures
from sim.lifeline import watch_coordinator
from sim.outcomes import WeeklyRecord
from sim.params import Params, check_names
from sim.simulation import run_model
from sim.streams import stable_key

if TYPE_CHECKING:
    import pyabc

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO_ROOT / "calibration" / "hanze.toml"
DEFAULT_POSTERIOR = REPO_ROOT / "calibration" / "posterior.parquet"
DEFAULT_OUT = Path("results") / "calibration"
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
PPC_SERIES = ("employed", "spoken_cum")  # time series kept from the predictive runs
DASK_BATCH = 10  # evaluations per Dask task: a run takes ~30 ms, a task round trip ~ms
PPC_CHUNK = 20


@dataclass(frozen=True)
class CalibrationResult:
    """What a calibration did and wrote."""

    name: str
    database: Path
    abc_id: int
    posterior_path: Path
    ppc_path: Path
    figures: list[Path]
    generations: int  # pyabc's t = 0, 1, ...: the calibration sample (t = -1) not counted
    total_simulations: int
    abc_seconds: float
    sampler: str
    final_epsilon: float
    resumed: bool
    ppc: pd.DataFrame = field(repr=False)

    @property
    def simulations_per_second(self) -> float:
        """Simulations per wall-clock second of the ABC-SMC part (NaN if nothing ran)."""
        return self.total_simulations / self.abc_seconds if self.abc_seconds > 0 else float("nan")

    @property
    def outside_90(self) -> list[str]:
        """Targets whose observed value lies outside their 90% predictive interval."""
        return self.ppc.loc[~self.ppc["inside_90"], "target"].tolist()


def describe(result: CalibrationResult) -> list[str]:
    """Lines for the command line: what ran, how fast, what was written, what misfits."""
    rate = result.simulations_per_second
    speed = f"{rate:.1f} simulations/s" if np.isfinite(rate) else "nothing left to run"
    lines = [
        f"{result.name}: {result.generations} generations after the calibration sample, "
        f"{result.total_simulations:,} "
        f"simulations ({speed}, {result.abc_seconds:.0f} s on {result.sampler}); final "
        f"epsilon {result.final_epsilon:.2f}; history {result.database} (run {result.abc_id})",
        f"  posterior -> {result.posterior_path}",
        f"  predictive check -> {result.ppc_path}",
        *(f"  figure -> {path}" for path in result.figures),
    ]
    outside = result.outside_90
    lines.append(
        "  every target inside its 90% predictive interval"
        if not outside
        else f"  outside the 90% predictive interval: {', '.join(outside)}"
    )
    return lines


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def run_calibration(
    config_path: str | Path = DEFAULT_CONFIG,
    *,
    scheduler: str | None = None,
    resume: bool = False,
    out_dir: str | Path = DEFAULT_OUT,
    posterior_path: str | Path | None = None,
    workers: int | None = None,
    figures: bool = True,
    calibration: Calibration | None = None,
) -> CalibrationResult:
    """Calibrate with ABC-SMC and write the posterior, the predictive check and figures.

    Args:
        config_path: the calibration file.
        scheduler: a Dask scheduler address (``tcp://host:port``): sample on its workers.
        resume: continue the latest run of this calibration in ``out_dir`` (it must have
            been started from the same targets, priors, seed and settings); a finished
            run only has its outputs written again.
        out_dir: where the history database, ``ppc.csv`` and the figures go.
        posterior_path: where the posterior goes (default: ``posterior.parquet`` beside the
            calibration file).
        workers: local processes (default: the file's ``abc.workers``, else all cores);
            1 samples in this process, reproducibly.
        figures: draw the figures.
        calibration: an already validated calibration (e.g. on pseudo-data) to use instead
            of reading ``config_path``; the path still names it in messages.
    """
    from sqlalchemy.exc import OperationalError

    cal = calibration or load_calibration(config_path)
    if workers is not None:
        whole_number(workers, at_least=1, source="--workers")
    out = Path(out_dir)
    database = out / f"{cal.name}.db"
    runs_file = out / f"{cal.name}.runs.json"
    posterior_file = (
        Path(posterior_path) if posterior_path else Path(cal.source).parent / "posterior.parquet"
    )
    output_folder(out)
    output_file(posterior_file)
    runs = _read_runs(runs_file)
    if resume:
        abc_id = _resumable(runs, cal, runs_file)
    out.mkdir(parents=True, exist_ok=True)

    count = workers or cal.abc.workers or os.cpu_count() or 1
    sampler, label, client = _sampler(scheduler, count)
    abc = abc_smc(cal, sampler)
    url = f"sqlite:///{database.resolve()}"
    try:
        if resume:
            abc.load(url, abc_id)
        else:
            abc.new(url, {t.name: float(t.value) for t in cal.targets.fit})
            abc_id = int(abc.history.id)
            runs[str(abc_id)] = {
                "fingerprint": cal.fingerprint(),
                "config": str(cal.source),
                "seed": cal.seed,
                "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            _write_runs(runs_file, runs)
        from sim.calibration.history import written_in_bulk  # imports pyabc

        history = written_in_bulk(abc)
        clock = time.perf_counter()
        simulations_before = int(history.total_nr_simulations) if resume else 0
        remaining = _remaining_generations(history, cal)
        if remaining > 0:
            # pyabc draws proposals from numpy's legacy global generator in the sampling
            # process: seeded here, a single-core run is reproducible (also when resumed).
            start = np.random.SeedSequence([cal.seed, history.max_t + 1]).generate_state(1)
            np.random.seed(start)  # noqa: NPY002 (pyabc's generator, not ours)
            abc.run(
                minimum_epsilon=cal.abc.minimum_epsilon,
                max_nr_populations=remaining,
                min_acceptance_rate=cal.abc.min_acceptance_rate,
                max_total_nr_simulations=cal.abc.max_total_simulations,
                max_walltime=(
                    dt.timedelta(minutes=cal.abc.max_walltime_minutes)
                    if cal.abc.max_walltime_minutes
                    else None
                ),
            )
        abc_seconds = time.perf_counter() - clock
        simulations_run = int(history.total_nr_simulations) - simulations_before
        posterior = posterior_frame(history, cal)
        populations = history.get_all_populations()
        generations = int(history.max_t) + 1
        total = int(history.total_nr_simulations)
        final_epsilon = float(populations["epsilon"].iloc[-1])
        posterior.attrs.update(
            {"abc_id": abc_id, "generations": generations, "total_simulations": total,
             "final_epsilon": final_epsilon}
        )  # fmt: skip
        save_posterior(posterior, posterior_file)
        diagnostics_file = posterior_file.with_name("diagnostics.json")
        write_diagnostics(diagnostics_file, abc_diagnostics(cal, posterior, populations))
        draws = posterior_predictive(cal, posterior, scheduler=client, workers=count)
    except OperationalError as error:
        raise _history_fault(error, database) from error
    finally:
        if client is not None:
            client.close()
    table = ppc_table(cal.targets, draws)
    ppc_path = out / "ppc.csv"
    table.to_csv(ppc_path, index=False)
    draws.drop(columns=[f"series_{c}" for c in PPC_SERIES]).to_parquet(out / "ppc_draws.parquet")
    # The committed copy beside the posterior: a forecast's report on a fresh checkout
    # shows the predictive check of the posterior it drew from.
    beside = posterior_file.parent / "ppc.csv"
    temporary = beside.with_name(".ppc.csv.tmp")
    table.to_csv(temporary, index=False)
    os.replace(temporary, beside)
    written: list[Path] = []
    if figures:
        written = save_figures(cal, posterior, table, draws, populations, out / "figures")
        written += _copied(written, posterior_file.parent / "figures")
    return CalibrationResult(
        name=cal.name,
        database=database,
        abc_id=abc_id,
        posterior_path=posterior_file,
        ppc_path=ppc_path,
        figures=written,
        generations=generations,
        total_simulations=total,
        abc_seconds=abc_seconds if simulations_run else 0.0,
        sampler=label,
        final_epsilon=final_epsilon,
        resumed=resume,
        ppc=table,
    )


def _copied(files: Sequence[Path], folder: Path) -> list[Path]:
    """The figures also beside the posterior, copied rather than drawn twice (each whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for file in files:
        copy = folder / file.name
        if copy.resolve() == file.resolve():
            continue
        temporary = copy.with_name(f".{file.name}.tmp")
        shutil.copyfile(file, temporary)
        os.replace(temporary, copy)
        copies.append(copy)
    return copies


def abc_smc(cal: Calibration, sampler: Any) -> pyabc.ABCSMC:
    """Pyabc's ABC-SMC of a calibration: its model, priors, distance, epsilon, proposals."""
    import pyabc

    from sim.calibration.proposals import SingleModel

    prior = prior_distribution(cal.free)
    return pyabc.ABCSMC(
        models=cal.simulator(),
        parameter_priors=prior,
        model_prior=SingleModel(),
        distance_function=abc_distance(cal),
        population_size=cal.abc.population_size,
        sampler=sampler,
        eps=pyabc.QuantileEpsilon(alpha=cal.abc.epsilon_quantile),
        transitions=proposal(cal, prior),
    )


def proposal(cal: Calibration, prior: pyabc.Distribution) -> pyabc.Transition:
    """The proposal kernel the file asks for, with its share of draws from the prior."""
    import pyabc

    from sim.calibration.proposals import MultivariateNormalKernel, PriorMixture

    kernel = (
        pyabc.LocalTransition(scaling=cal.abc.transition_scaling)
        if cal.abc.transition == "local"
        else MultivariateNormalKernel(scaling=cal.abc.transition_scaling)
    )
    # Without a prior share, the kernel alone: a mixture would still draw a uniform per
    # proposal and so change the numbers of files written before the share existed.
    return PriorMixture(kernel, prior, cal.abc.prior_share) if cal.abc.prior_share else kernel


def abc_distance(cal: Calibration) -> Any:
    """The distance the calibration file asks for (:class:`DistanceSettings`)."""
    settings = cal.distance
    if settings.kind == "sum_of_squares":
        return Distance(cal.targets)
    import pyabc
    from pyabc.distance import scale
    from pyabc.predictor import LinearPredictor

    scale_function = {
        "mad": scale.median_absolute_deviation,
        "rmsd": scale.root_mean_square_deviation,
        "std": scale.standard_deviation,
    }[settings.scale]
    if settings.kind == "adaptive":
        return pyabc.AdaptivePNormDistance(
            p=2, scale_function=scale_function, max_scale_weight_ratio=settings.max_weight_ratio
        )
    return pyabc.InfoWeightedPNormDistance(
        p=2,
        predictor=LinearPredictor(),
        scale_function=scale_function,
        fit_info_ixs=set(settings.info_generations),
        max_scale_weight_ratio=settings.max_weight_ratio,
        max_info_weight_ratio=settings.max_weight_ratio,
    )


def _history_fault(error: Any, database: Path) -> OSError:
    """A history database that cannot be written (a full disk) as the OSError it is.

    SQLite reports a full disk or a lost permission through SQLAlchemy's
    ``OperationalError``; the command line turns an OSError into one line (exit 1) that
    says the finished generations are kept.
    """
    reason = str(error.orig) if error.orig is not None else str(error).split("\n", 1)[0]
    return OSError(
        errno.EIO, f"the calibration history cannot be written ({reason})", str(database)
    )


def _sampler(scheduler: str | None, workers: int) -> tuple[pyabc.sampler.Sampler, str, Any]:
    from pyabc.sampler import (
        DaskDistributedSampler,
        MulticoreEvalParallelSampler,
        SingleCoreSampler,
    )

    if scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout="30s")
        except OSError as error:
            raise ConfigError(
                f"cannot reach the Dask scheduler: {error}", source="--scheduler"
            ) from None
        sampler = DaskDistributedSampler(dask_client=client, batch_size=DASK_BATCH)
        return sampler, f"dask {scheduler}", client
    if workers == 1:
        return SingleCoreSampler(), "1 (in process)", None
    return MulticoreEvalParallelSampler(n_procs=workers), f"{workers} processes", None


def _remaining_generations(history: pyabc.History, cal: Calibration) -> int:
    """Generations still to run under the stopping rule (0: the run is finished)."""
    done = int(history.max_t) + 1
    if done == 0:
        return cal.abc.max_generations
    last = history.get_all_populations().iloc[-1]
    finished = (
        done >= cal.abc.max_generations
        or int(history.total_nr_simulations) >= cal.abc.max_total_simulations
        or float(last["epsilon"]) <= cal.abc.minimum_epsilon
        or int(last["particles"]) / max(int(last["samples"]), 1) < cal.abc.min_acceptance_rate
    )
    return 0 if finished else cal.abc.max_generations - done


def _read_runs(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"cannot be read: {error}", source=str(path)) from None


def _write_runs(path: Path, runs: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")


def _resumable(runs: Mapping[str, Mapping[str, Any]], cal: Calibration, path: Path) -> int:
    if not runs:
        raise ConfigError(
            "no calibration run to resume here; run without --resume first", source=str(path)
        )
    abc_id = max(int(key) for key in runs)
    if runs[str(abc_id)].get("fingerprint") != cal.fingerprint():
        raise ConfigError(
            f"run {abc_id} was started with other targets, priors, seed or settings; "
            "run without --resume to start a new one",
            source=str(path),
        )
    return abc_id


# ---------------------------------------------------------------------------
# The posterior
# ---------------------------------------------------------------------------


def posterior_frame(history: pyabc.History, cal: Calibration) -> pd.DataFrame:
    """The last generation as registry values (dates as dates) with weights summing to 1."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    columns: dict[str, Any] = {}
    for p in cal.free:
        values = p.from_sampler(frame[p.name].to_numpy(float))
        columns[p.name] = [p.to_value(v) for v in values] if p.kind != "float" else values
    posterior = pd.DataFrame(columns)
    w = np.asarray(weights, float)
    posterior["weight"] = w / w.sum()
    posterior.attrs = {
        "calibration": cal.name,
        # What was known when the calibration was made: the day its figures end and the
        # counts among them (a forecast records both; `basisbaan validate` reads them).
        "observed_until": cal.targets.observed_until.isoformat(),
        "observed": cal.targets.counts(),
        "config": repo_relative(cal.source),
        "fingerprint": cal.fingerprint(),
        "seed": cal.seed,
        "fixed": json.loads(json.dumps(cal.fixed, default=str)),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return posterior


def repo_relative(path: str | Path) -> str:
    """A path inside the repository relative to its root (others as given)."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else str(path)


def save_posterior(posterior: pd.DataFrame, path: str | Path) -> Path:
    """Write a posterior sample to Parquet (its attrs travel in the file's metadata)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    posterior.to_parquet(path, index=False)
    return path


def load_posterior(path: str | Path | None = None) -> pd.DataFrame:
    """Read a posterior sample: one column per free parameter plus ``weight`` (sum 1).

    Every row is checked as a parameter set (with the calibration's fixed overrides),
    so that a forecast never starts on a value the registry refuses.

    Args:
        path: the Parquet file (default: the committed ``calibration/posterior.parquet``).

    Raises:
        ConfigError: naming the file (and the column): missing, not Parquet, no weights,
            weights that are not finite or all 0, an unknown parameter or a value the
            registry refuses.
    """
    path = Path(path) if path is not None else DEFAULT_POSTERIOR
    source = str(path)
    if not path.exists():
        raise ConfigError("no posterior here; run `basisbaan calibrate` to make one", source=source)
    posterior = read_parquet(path)
    if "weight" not in posterior.columns:
        raise ConfigError("has no 'weight' column", source=source)
    check_names({c: None for c in posterior.columns if c != "weight"}, source=source)
    try:
        weights = posterior["weight"].to_numpy(float)
    except (TypeError, ValueError):
        raise ConfigError("weights must be numbers", source=source, key="weight") from None
    if (
        len(weights) == 0
        or not np.all(np.isfinite(weights))
        or np.any(weights < 0)
        or weights.sum() <= 0
    ):
        raise ConfigError("weights must be finite, >= 0 and not all 0", source=source, key="weight")
    attrs = dict(posterior.attrs)
    fixed = attrs.get("fixed", {})
    if not isinstance(fixed, Mapping):
        raise ConfigError("its fixed overrides are not a table", source=source, key="fixed")
    Params.from_mapping(fixed, source=source, where="fixed")
    names = [c for c in posterior.columns if c != "weight"]
    for row, record in enumerate(posterior[names].to_dict("records")):
        values = {name: _plain(value) for name, value in record.items()}
        Params.from_mapping({**fixed, **values}, source=source, where=f"row {row}")
    posterior = posterior.assign(weight=weights / weights.sum())
    posterior.attrs = attrs
    return posterior


def posterior_overrides(
    posterior: pd.DataFrame, n: int, rng: np.random.Generator | int | None = None
) -> list[dict[str, Any]]:
    """Draw ``n`` parameter overrides from a weighted posterior (with replacement, by weight).

    Each is the calibration's fixed overrides (``attrs["fixed"]``) plus one posterior row,
    as plain values.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    weights = posterior["weight"].to_numpy(float)
    rows = generator.choice(len(posterior), size=n, p=weights / weights.sum())
    fixed = dict(posterior.attrs.get("fixed", {}))
    names = [c for c in posterior.columns if c != "weight"]
    return [
        {**fixed, **{name: _plain(posterior[name].iloc[row]) for name in names}}
        for row in rows.tolist()
    ]


def posterior_params(
    posterior: pd.DataFrame, n: int, rng: np.random.Generator | int | None = None
) -> list[Params]:
    """Draw ``n`` parameter sets from a weighted posterior (see :func:`posterior_overrides`)."""
    return [
        Params.from_mapping(overrides, source="posterior")
        for overrides in posterior_overrides(posterior, n, rng)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def weighted_quantiles(values: Any, weights: Any, levels: Any) -> np.ndarray:
    """Quantiles of a weighted sample (the inverse of its weighted empirical CDF).

    Each value's weight is centred on it (the midpoint convention of ``numpy``'s
    "weibull"-like plotting positions) and levels in between are interpolated; values
    with weight 0 play no part.
    """
    x = np.asarray(values, float)
    w = np.asarray(weights, float)
    x, w = x[w > 0], w[w > 0]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.asarray(levels, float), cdf, x)


# ---------------------------------------------------------------------------
# Diagnostics
# ---------------------------------------------------------------------------


def effective_sample_size(weights: Any) -> float:
    """Kish's effective sample size of weighted particles: (sum w)^2 / sum w^2."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / (w**2).sum()) if w.sum() > 0 else 0.0


def weighted_correlations(posterior: pd.DataFrame, names: Sequence[str]) -> dict[str, Any]:
    """The weighted Pearson correlations of the free parameters, as nested dicts."""
    columns = [
        posterior[n].map(lambda v: v.toordinal() if isinstance(v, dt.date) else v).to_numpy(float)
        for n in names
    ]
    # At least 2-d: with one free parameter np.cov gives a single number.
    cov = np.atleast_2d(np.cov(np.vstack(columns), aweights=posterior["weight"].to_numpy(float)))
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    return {
        a: {b: round(float(corr[i, j]), 4) for j, b in enumerate(names)}
        for i, a in enumerate(names)
    }


def abc_diagnostics(
    cal: Calibration, posterior: pd.DataFrame, populations: pd.DataFrame
) -> dict[str, Any]:
    """What a reviewer checks first: size, effective sample, how far each prior moved.

    ``parameters``: per free parameter its prior bounds and posterior 5/50/95% quantiles
    (registry values: dates as dates) and ``shrinkage``, one minus the posterior 90%
    width over the prior width (0: nothing learnt).
    """
    weights = posterior["weight"].to_numpy(float)
    parameters = {}
    for p in cal.free:
        numbers = np.array([p.to_number(v) for v in posterior[p.name]], float)
        q05, q50, q95 = weighted_quantiles(numbers, weights, [0.05, 0.5, 0.95])
        low, high = p.bounds_as_values()
        parameters[p.name] = {
            "prior_low": _json_value(low),
            "prior_high": _json_value(high),
            **{
                key: _json_value(p.to_value(v) if p.kind == "date" else float(v))
                for key, v in (("q05", q05), ("q50", q50), ("q95", q95))
            },
            "shrinkage": round(1.0 - (q95 - q05) / (p.high - p.low), 4),
        }
    ess = effective_sample_size(weights)
    return {
        "calibration": cal.name,
        "fingerprint": cal.fingerprint(),
        "created": posterior.attrs.get("created"),
        "simulations": int(populations["samples"].sum()),
        "particles": len(posterior),
        "generations": len(populations),
        "epsilon_final": float(populations["epsilon"].iloc[-1]),
        "ess_final": round(ess, 2),
        "ess_share_final": round(ess / len(posterior), 4),
        "fitted_targets": [t.name for t in cal.targets.fit],
        "checked_targets": [t.name for t in cal.targets if t.use == "check"],
        "parameters": parameters,
        "correlations": weighted_correlations(posterior, [p.name for p in cal.free]),
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return round(float(value), 6)


def write_diagnostics(path: str | Path, diagnostics: Mapping[str, Any]) -> Path:
    """Write ``diagnostics.json``, keeping its ``sbc`` section when there is one.

    The simulation-based calibration (:mod:`sim.calibration.sbc`) writes that section.
    """
    path = Path(path)
    existing: dict[str, Any] = {}
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            existing = {}
    merged = {**dict(diagnostics), "sbc": existing.get("sbc")}
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


# ---------------------------------------------------------------------------
# Posterior predictive check
# ---------------------------------------------------------------------------


def _predict_one(job: tuple[Params, int, dt.date, Targets]) -> dict[str, Any]:
    """One draw of the predictive check: the full model, every target's statistic.

    The statistics come from the weekly record, as in an evaluation, without the run's
    tables: the same numbers (tested), 14% fewer instructions a draw (written for speed).
    """
    watch_coordinator()  # in a pool worker: exit if the calibration process dies
    params, seed, until, targets = job
    outcomes, by_wijk = recorded(targets)
    record = WeeklyRecord(sorted({*outcomes, *PPC_SERIES}), by_wijk=by_wijk)
    model = run_model(params, seed, until, record)
    stats: dict[str, Any] = record_statistics(model, targets)
    stats[SEED_KEY] = seed
    for column in PPC_SERIES:
        stats[f"series_{column}"] = record.column(column)
    return stats


def _map(jobs: Sequence[Any], client: Any, workers: int) -> Iterator[dict[str, Any]]:
    if client is not None:
        futures = client.map(_predict_one, jobs, pure=False)
        yield from client.gather(futures)
    elif workers == 1 or len(jobs) < 2 * PPC_CHUNK:
        yield from map(_predict_one, jobs)
    else:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
            yield from pool.map(_predict_one, jobs, chunksize=PPC_CHUNK)


def _fork_context() -> Any:
    """Fork where the platform has it, as pyabc's samplers do.

    ``mesa.batchrunner`` sets the global start method to "spawn" when imported, and a
    spawned worker re-runs the caller's script when it lacks a ``__main__`` guard.
    """
    import multiprocessing as mp

    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None


def posterior_predictive(
    cal: Calibration,
    posterior: pd.DataFrame,
    *,
    draws: int | None = None,
    scheduler: Any = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Fresh simulations from the posterior: one row per draw, a column per target.

    Parameter rows and seeds come from a generator seeded with the master seed, so the
    check is reproducible for a given posterior. The ``series_*`` columns hold the
    weekly employed and spoken counts of each run (for the figures).
    """
    n = draws or cal.ppc.draws
    rng = np.random.default_rng([cal.seed, stable_key("ppc")])
    params = posterior_params(posterior, n, rng)
    seeds = rng.integers(0, 2**63 - 1, size=n).tolist()
    until = cal.targets.last_date
    jobs = [(p, s, until, cal.targets) for p, s in zip(params, seeds, strict=True)]
    return pd.DataFrame(list(_map(jobs, scheduler, workers)))


def ppc_table(targets: Targets, draws: pd.DataFrame) -> pd.DataFrame:
    """Per target: observed value, predictive quantiles, and inside the 90% interval."""
    rows = []
    for t in targets:
        values = draws[t.name].to_numpy(float)
        values = values[np.isfinite(values)]
        q = np.quantile(values, QUANTILES) if len(values) else np.full(len(QUANTILES), np.nan)
        rows.append(
            {
                "target": t.name,
                "date": t.date.isoformat(),
                "observed": float(t.value),
                **{
                    f"q{round(100 * level):02d}": round(float(v), 6)
                    for level, v in zip(QUANTILES, q, strict=True)
                },
                "inside_90": bool(q[0] <= t.value <= q[-1]),
                "use": t.use,
            }
        )
    return pd.DataFrame(rows)


def free_parameters_table(free: Sequence[FreeParameter]) -> pd.DataFrame:
    """The priors as a table (name, bounds as registry values, reason)."""
    return pd.DataFrame(
        [
            {
                "parameter": p.name,
                "low": p.bounds_as_values()[0],
                "high": p.bounds_as_values()[1],
                "reason": p.reason,
            }
            for p in free
        ]
    )
