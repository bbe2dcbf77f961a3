"""Recovery check: calibrate on data simulated from known parameters; is the truth covered?

Takes the calibration of ``calibration/hanze.toml`` (same targets, priors, distance and
ABC settings), replaces every observed value by the value one run of the *full* model
gives at known parameters (by default the registry defaults of the free parameters),
calibrates on that pseudo-data, and reports for each free parameter the truth, the
posterior median and 90% credible interval, whether the interval covers the truth, and
how much narrower than the prior it is. One pseudo-data set: a coverage check, not a
coverage rate (that would take many calibrations).

Writes ``results/calibration/recovery/recovery.csv`` and the calibration's own outputs
(history, posterior, predictive check, figures) in the same folder.

    python scripts/recovery_check.py [--seed N] [--population N] [--budget N]
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import pandas as pd

from sim.calibration.fit import (
    DEFAULT_CONFIG,
    describe,
    load_posterior,
    run_calibration,
    weighted_quantiles,
)
from sim.calibration.settings import load_calibration
from sim.calibration.targets import summary_statistics
from sim.params import Params
from sim.simulation import run_replicate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--out", type=Path, default=Path("results/calibration/recovery"))
    parser.add_argument("--seed", type=int, default=2024, help="seed of the pseudo-data run")
    parser.add_argument("--population", type=int, help="particles (default: the file's)")
    parser.add_argument("--budget", type=int, help="total simulations (default: the file's)")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    cal = load_calibration(args.config)
    defaults = Params()
    truth = {p.name: getattr(defaults, p.name) for p in cal.free}
    truth_params = Params.from_mapping({**cal.fixed, **truth})
    # The pseudo-data come from the full model (with the inflow into bijstand), so the
    # check also covers the calibration's shortcut of running without it.
    pseudo = summary_statistics(
        run_replicate(truth_params, args.seed, cal.targets.last_date), cal.targets
    )
    abc = cal.abc.model_copy(
        update={
            k: v
            for k, v in (
                ("population_size", args.population),
                ("max_total_simulations", args.budget),
            )
            if v is not None
        }
    )
    recovery = dataclasses.replace(
        cal, name=f"{cal.name}-recovery", targets=cal.targets.with_values(pseudo), abc=abc
    )
    started = time.perf_counter()
    result = run_calibration(
        args.config,
        calibration=recovery,
        out_dir=args.out,
        posterior_path=args.out / "posterior.parquet",
        workers=args.workers,
    )
    seconds = time.perf_counter() - started
    posterior = load_posterior(result.posterior_path)

    rows = []
    for p in cal.free:
        values = [p.to_number(v) for v in posterior[p.name]]
        q05, q50, q95 = weighted_quantiles(values, posterior["weight"], [0.05, 0.5, 0.95])
        true_number = p.to_number(truth[p.name])
        rows.append(
            {
                "parameter": p.name,
                "truth": truth[p.name],
                "q05": p.to_value(q05) if p.kind == "date" else q05,
                "median": p.to_value(q50) if p.kind == "date" else q50,
                "q95": p.to_value(q95) if p.kind == "date" else q95,
                "covered_90": bool(q05 <= true_number <= q95),
                "width_vs_prior": (q95 - q05) / (p.high - p.low),
            }
        )
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "recovery.csv", index=False)
    pseudo_table = pd.DataFrame({"target": list(pseudo), "pseudo_observed": list(pseudo.values())})
    pseudo_table.to_csv(args.out / "pseudo_data.csv", index=False)

    for line in describe(result):
        print(line)
    with pd.option_context("display.width", 160, "display.max_columns", 10):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    covered = int(table["covered_90"].sum())
    print(
        f"recovery: {covered} of {len(table)} true values inside their 90% posterior "
        f"interval ({seconds:.0f} s)"
    )
    return 0 if covered == len(table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
