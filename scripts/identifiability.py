"""Which parameters the calibration targets can identify, and which targets inform any.

Prior-predictive simulations of every candidate parameter of ``calibration/screen.toml``
(a Latin hypercube over the priors), then two regressions with scikit-learn (quadratic
features, ridge, 5-fold cross-validated R^2):

- a parameter's *identifiability*: how well the fit targets' statistics predict it. An
  R^2 near 0 means the targets cannot tell its values apart: the posterior would be its
  prior. Such a parameter stays fixed at its registry value (with its source) and goes
  to the sensitivity analysis instead of being "calibrated" to its prior.
- a target's *informativeness*: how much of its spread over the prior the parameters
  explain (the rest is the run's own randomness). A target no parameter moves cannot
  inform the calibration and is only checked.

Writes ``calibration/identifiability.csv`` (kind, name, r2) and prints the table.

    python -m scripts.identifiability [--runs 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing as mp
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from sim.calibration.settings import evaluation_seed, load_calibration

ROOT = Path(__file__).resolve().parents[1]
SCREEN = ROOT / "calibration" / "screen.toml"
OUT = ROOT / "calibration" / "identifiability.csv"
IDENTIFIABLE = 0.2  # R^2 below which a parameter is treated as not identified
INFORMATIVE = 0.1  # R^2 below which a target is only checked


def _simulate(job):
    calibration_file, numbers, seed = job
    simulator = load_calibration(calibration_file).simulator()
    return simulator.run(numbers, seed)


def r2(features: np.ndarray, target: np.ndarray) -> float:
    """Cross-validated R^2 of a quadratic ridge regression of ``target`` on ``features``."""
    model = make_pipeline(
        StandardScaler(), PolynomialFeatures(2), RidgeCV(alphas=np.logspace(-3, 3, 13))
    )
    scores = cross_val_score(model, features, target, cv=5, scoring="r2")
    return float(max(np.mean(scores), 0.0))


def main() -> None:
    """Run the screen and write the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", type=Path, default=SCREEN)
    args = parser.parse_args()
    cal = load_calibration(args.config)
    low = np.array([p.low for p in cal.free])
    high = np.array([p.high for p in cal.free])
    points = qmc.scale(
        qmc.LatinHypercube(d=len(cal.free), rng=cal.seed).random(args.runs), low, high
    )
    jobs = []
    for row in points:
        numbers = {p.name: float(v) for p, v in zip(cal.free, row, strict=True)}
        jobs.append((str(args.config), numbers, evaluation_seed(cal.seed, numbers)))
    with cf.ProcessPoolExecutor(args.workers, mp_context=mp.get_context("spawn")) as pool:
        stats = pd.DataFrame(list(pool.map(_simulate, jobs, chunksize=20)))
    params = pd.DataFrame(points, columns=[p.name for p in cal.free])
    fit = [t.name for t in cal.targets.fit]
    ok = stats[fit].notna().all(axis=1)
    x_stats, x_params = stats.loc[ok, fit].to_numpy(), params[ok].to_numpy()
    rows = [
        {"kind": "parameter", "name": name, "r2": r2(x_stats, x_params[:, i])}
        for i, name in enumerate(params.columns)
    ]
    rows += [
        {"kind": "target", "name": name, "r2": r2(x_params, stats.loc[ok, name].to_numpy())}
        for name in fit
    ]
    table = pd.DataFrame(rows)
    table["verdict"] = np.where(
        table["kind"] == "parameter",
        np.where(table["r2"] >= IDENTIFIABLE, "identified", "fixed"),
        np.where(table["r2"] >= INFORMATIVE, "fit", "check"),
    )
    table["runs"] = int(ok.sum())
    table.to_csv(OUT, index=False, float_format="%.3f")
    print(table.to_string(index=False))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
