"""The forecast: the path to 250 jobs under each policy, from the calibrated model.

Parameter sets are drawn from the weighted posterior of the calibration
(``calibration/posterior.parquet``), and with each the way the municipality carries
out the policy (its pace and the delays in hiring coaches and collecting tasks: the
registry's implementation uncertainties, sampled by Latin hypercube within their
ranges). Each draw runs once, with its own seed, from 1 March 2020 (history and future
in one run) under every policy scenario of an experiment file. Draw k is the same in
every scenario, and so is its seed (common random numbers); a scenario that sets one
of these values itself keeps its own. The intervals therefore carry the posterior
spread of the parameters, the uncertainty of the implementation and the randomness of
the runs.

The draws can be nested (:class:`Design`): ``draws`` parameter sets from the
posterior, each carried out in ``ways`` implementation draws, each run with ``seeds``
seeds. Then :func:`variance_table` splits the forecast's spread into the parts that
come from the parameters, from the implementation and from chance (a nested analysis
of variance; Montgomery 2017, ch. 14), the companion table ``variance.csv``.

A forecast is an experiment whose replicates carry the draws, so it runs, resumes and
is stored like any experiment; this module adds the forecast's own tables. Its
provenance (the posterior's SHA-256, the calibration it came from, the design) is part
of the experiment's identity, and the manifest records when it was made: figures
observed later can then be scored against it (``basisbaan validate``) as figures it
never saw.

References:
    Montgomery DC (2017). Design and Analysis of Experiments, 9th ed., Wiley. Ch. 14:
    nested designs, expected mean squares and variance components.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.fit import posterior_overrides, repo_relative
from sim.config.errors import ConfigError
from sim.experiment import Experiment, typed
from sim.params import Params, uncertain_ranges
from sim.summary import TARGET_JOBS

FORECAST_QUANTITIES = ("employed", "employed_permanent", "exited_cum", "cost_net_eur_cum")
FORECAST_QUANTILES = {"q025": 0.025, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q975": 0.975}
FORECAST_DAY = (4, 1)  # 1 April of each year
FIRST_FORECAST_YEAR = 2024
TIMESERIES_NEEDED = [
    "scenario",
    "replicate",
    "date",
    "employed",
    "employed_permanent",
    "exited_cum",
    "cost_net_eur",
]


@dataclass(frozen=True)
class Design:
    """How a forecast's runs are nested: draws x ways x seeds runs per scenario.

    Run ``(k, l, r)`` (replicate ``(k * ways + l) * seeds + r``) has posterior draw ``k``,
    implementation draw ``l`` of that parameter set and its own seed ``r``.
    """

    draws: int
    ways: int = 1
    seeds: int = 1

    @property
    def runs(self) -> int:
        """Runs per scenario."""
        return self.draws * self.ways * self.seeds

    def check(self) -> Design:
        """Raise a ConfigError naming the option unless each count is at least 1."""
        for name in ("draws", "ways", "seeds"):
            if getattr(self, name) < 1:
                raise ConfigError("must be at least 1", source=f"--{name}")
        return self


def draw_overrides(
    posterior: pd.DataFrame,
    n: int | Design,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """Validated parameter overrides, one per run.

    Posterior draws (with replacement, by weight) and implementation draws, nested as
    ``n`` says (a plain number: one run per draw, each with its own implementation).
    """
    design = (n if isinstance(n, Design) else Design(n)).check()
    parameters = posterior_overrides(posterior, design.draws, rng)
    implementation = implementation_draws(design.draws * design.ways, rng)
    draws = [
        {**parameters[k], **implementation[k * design.ways + way]}
        for k in range(design.draws)
        for way in range(design.ways)
        for _ in range(design.seeds)
    ]
    for overrides in draws[:: design.seeds]:
        Params.from_mapping(overrides, source="posterior")
    return draws


def implementation_draws(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``n`` ways the policy may be carried out: a Latin hypercube over the ranges."""
    from scipy.stats import qmc  # imported here: about a second, see sim.experiment

    ranges = uncertain_ranges(implementation=True)
    if not ranges:
        return [{} for _ in range(n)]
    low, high = np.array(list(ranges.values())).T
    points = qmc.scale(qmc.LatinHypercube(d=len(ranges), rng=rng).random(n), low, high)
    return [typed(dict(zip(ranges, row, strict=True))) for row in points]


def forecast_experiment(
    policy: Experiment,
    posterior: pd.DataFrame,
    draws: int | Design,
    *,
    provenance: dict[str, Any] | None = None,
) -> Experiment:
    """The policy experiment with one replicate per run of the design (seeded by its seed).

    ``provenance`` (see :func:`posterior_provenance`) is recorded with the design in the
    experiment's identity and manifest.
    """
    design = (draws if isinstance(draws, Design) else Design(draws)).check()
    rng = np.random.default_rng(policy.seed)
    return policy.with_draws(
        draw_overrides(posterior, design, rng),
        name=f"forecast_{policy.name}",
        provenance={
            **(provenance or {}),
            "design": {"draws": design.draws, "ways": design.ways, "seeds": design.seeds},
        },
    )


def posterior_provenance(path: str | Path, posterior: pd.DataFrame) -> dict[str, Any]:
    """What a forecast records of the posterior it draws from: file, SHA-256, calibration."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    attrs = posterior.attrs
    return {
        "posterior": repo_relative(path),
        "posterior_sha256": digest,
        "calibration": attrs.get("calibration"),
        "calibration_created": attrs.get("created"),
        # The day the calibration's figures end and the counts among them: figures after
        # that day are new to this forecast (basisbaan validate).
        "observed_until": attrs.get("observed_until"),
        "observed": attrs.get("observed"),
    }


def design_of(manifest: dict[str, Any]) -> Design:
    """The nesting recorded in a forecast's manifest (one run per draw when absent)."""
    forecast = manifest.get("forecast") or {}
    recorded = forecast.get("design")
    if recorded:
        return Design(int(recorded["draws"]), int(recorded["ways"]), int(recorded["seeds"]))
    return Design(int(manifest.get("replicates", 1)))


def forecast_days(until: dt.date) -> list[dt.date]:
    """1 April of each forecast year up to ``until``."""
    return [
        dt.date(year, *FORECAST_DAY)
        for year in range(FIRST_FORECAST_YEAR, until.year + 1)
        if dt.date(year, *FORECAST_DAY) <= until
    ]


def _with_cumulative_cost(ts: pd.DataFrame) -> pd.DataFrame:
    ts = ts.sort_values(["scenario", "replicate", "date"])
    return ts.assign(
        cost_net_eur_cum=ts.groupby(["scenario", "replicate"])["cost_net_eur"].cumsum()
    )


def forecast_table(ts: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """``scenario, date, quantity, q025, q10, q50, q90, q975`` on 1 April of each year."""
    ts = _with_cumulative_cost(ts)
    days = forecast_days(until)
    rows = []
    for scenario, runs in ts.groupby("scenario", sort=False):
        for day in days:
            upto = runs[runs["date"] <= pd.Timestamp(day)]
            last = upto.groupby("replicate").last()
            for quantity in FORECAST_QUANTITIES:
                values = last[quantity].to_numpy(float)
                row: dict[str, Any] = {"scenario": scenario, "date": day, "quantity": quantity}
                row.update(
                    {name: float(np.quantile(values, q)) for name, q in FORECAST_QUANTILES.items()}
                )
                rows.append(row)
    return pd.DataFrame(rows, columns=["scenario", "date", "quantity", *FORECAST_QUANTILES])


def p250_table(ts: pd.DataFrame, until: dt.date, target: int = TARGET_JOBS) -> pd.DataFrame:
    """``scenario, year, probability``: the share of runs with the target by 31 December.

    The target is 250 jobs in Groningen (hence the name); another municipality's profile
    sets its own (``job_ceiling_max``).
    """
    rows = []
    for scenario, runs in ts.groupby("scenario", sort=False):
        reached = runs[runs["employed"] >= target].groupby("replicate")["date"].min()
        total = runs["replicate"].nunique()
        for year in range(FIRST_FORECAST_YEAR - 1, until.year + 1):
            by = (reached <= pd.Timestamp(year, 12, 31)).sum()
            rows.append({"scenario": scenario, "year": year, "probability": by / total})
    return pd.DataFrame(rows, columns=["scenario", "year", "probability"])


VARIANCE_COLUMNS = (
    "scenario",
    "date",
    "quantity",
    "total_sd",
    "share_parameters",
    "share_implementation",
    "share_chance",
)


def variance_components(values: np.ndarray, design: Design) -> tuple[float, float, float]:
    """The variances from the parameters, the implementation and chance, of one quantity.

    ``values`` holds one run's value per replicate, in replicate order (draw, way, seed).
    The estimates of the balanced nested analysis of variance (Montgomery 2017, 14.1):
    with mean squares ``MS_seed`` within implementation draws, ``MS_way`` between them
    within a parameter draw and ``MS_draw`` between parameter draws,

        chance = MS_seed,
        implementation = (MS_way - MS_seed) / seeds,
        parameters = (MS_draw - MS_way) / (ways * seeds),

    each at least 0. The implementation part holds its interaction with the parameters,
    chance its interactions with both. A part the design cannot separate (one way: the
    implementation is inside the parameters' part; one seed: chance is inside the part
    above it) is NaN, and its variance counts with the part above it.
    """
    draws, ways, seeds = design.draws, design.ways, design.seeds
    y = np.asarray(values, float).reshape(draws, ways, seeds)
    way_means = y.mean(axis=2)
    draw_means = way_means.mean(axis=1)
    ms_seed = (
        ((y - way_means[..., None]) ** 2).sum() / (draws * ways * (seeds - 1))
        if seeds > 1
        else np.nan
    )
    ms_way = (
        seeds * ((way_means - draw_means[:, None]) ** 2).sum() / (draws * (ways - 1))
        if ways > 1
        else np.nan
    )
    ms_draw = (
        ways * seeds * ((draw_means - draw_means.mean()) ** 2).sum() / (draws - 1)
        if draws > 1
        else np.nan
    )
    chance = ms_seed
    if ways > 1:
        implementation = max((ms_way - (ms_seed if seeds > 1 else 0.0)) / seeds, 0.0)
        above = ms_way
    else:
        implementation = np.nan
        above = ms_seed if seeds > 1 else 0.0
    parameters = max((ms_draw - above) / (ways * seeds), 0.0) if draws > 1 else np.nan
    return float(parameters), float(implementation), float(chance)


def variance_table(ts: pd.DataFrame, design: Design, until: dt.date) -> pd.DataFrame:
    """How much of the forecast's spread comes from where: ``variance.csv``.

    Per scenario, 1 April of each year and quantity (:data:`FORECAST_QUANTITIES`):
    ``total_sd``, the standard deviation over the runs (the square root of the summed
    components), and the share of its variance from the parameters, the implementation
    and chance (:func:`variance_components`; NaN where the design cannot separate it,
    or when the runs do not vary at all).
    """
    ts = _with_cumulative_cost(ts)
    rows = []
    for scenario, runs in ts.groupby("scenario", sort=False):
        replicates = np.sort(runs["replicate"].unique())
        if len(replicates) != design.runs:
            raise ValueError(
                f"scenario {scenario} has {len(replicates)} runs, the design {design.runs}"
            )
        for day in forecast_days(until):
            last = runs[runs["date"] <= pd.Timestamp(day)].groupby("replicate").last()
            for quantity in FORECAST_QUANTITIES:
                values = last[quantity].reindex(replicates).to_numpy(float)
                parts = np.array(variance_components(values, design))
                total = float(np.nansum(parts))
                shares = parts / total if total > 0 else np.full(3, np.nan)
                rows.append(
                    {
                        "scenario": scenario,
                        "date": day,
                        "quantity": quantity,
                        "total_sd": float(np.sqrt(total)),
                        "share_parameters": shares[0],
                        "share_implementation": shares[1],
                        "share_chance": shares[2],
                    }
                )
    return pd.DataFrame(rows, columns=list(VARIANCE_COLUMNS))
