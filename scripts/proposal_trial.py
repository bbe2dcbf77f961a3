"""Proposal trial: would another ABC-SMC proposal have kept more particles effective?

No new simulations. In each generation t of a calibration's history, the accepted
particles are draws from the proposal q used (fitted to generation t-1) that the model
accepted at that generation's epsilon. Reweighted by q'/q they are draws of another
proposal q' accepted by the same model, so the effective sample share pyabc would have
reported under q' (its weights are prior / q') and its acceptance rate relative to q
follow from the stored particles alone:

    ESS share = (sum r w')^2 / (sum r * sum r w'^2),  r = q'/q,  w' = prior / q'
    acceptance(q') / acceptance(q) = mean of r over the accepted particles

The estimates hold for candidates no wider than the proposal used (else r is
unbounded and a few particles decide them). The row ``used`` must repeat the run's own
effective sample: a check of the reconstruction. calibration/README.md ("Proposals") has
the trial that chose the proposal of calibration/hanze.toml.

    python -m scripts.proposal_trial [--config FILE] [--db FILE] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.fit import DEFAULT_CONFIG, DEFAULT_OUT, proposal
from sim.calibration.proposals import prior_density
from sim.calibration.settings import Calibration, load_calibration, prior_distribution

# Candidates: (kernel, its covariance scaling, share of draws from the prior).
CANDIDATES = [
    (kernel, scaling, share)
    for kernel, scaling in (("local", 1.0), ("multivariate_normal", 1.0),
                            ("multivariate_normal", 1.5), ("multivariate_normal", 2.0))
    for share in (0.0, 0.2, 0.3)
]  # fmt: skip


def reweighted(used: np.ndarray, other: np.ndarray, prior: np.ndarray) -> tuple[float, float]:
    """Effective sample share and relative acceptance of ``other`` from draws of ``used``.

    Each array holds a density at the accepted particles: the proposal used, another
    proposal, the prior.
    """
    ratio = other / used
    weight = prior / other
    ess = (ratio * weight).sum() ** 2 / (ratio.sum() * (ratio * weight**2).sum())
    return float(ess), float(ratio.mean())


def trial(cal: Calibration, database: Path) -> pd.DataFrame:
    """One row per generation and candidate proposal."""
    import pyabc

    history = pyabc.History(f"sqlite:///{database.resolve()}", create=False)
    prior = prior_distribution(cal.free)
    rows = []
    for t in range(1, int(history.max_t) + 1):
        last, last_weights = history.get_distribution(m=0, t=t - 1)
        accepted, weights = history.get_distribution(m=0, t=t)
        accepted = accepted[last.columns]
        used = proposal(cal, prior)
        used.fit(last, last_weights)
        used_density = np.asarray(used.pdf(accepted))
        at_prior = prior_density(prior, accepted)
        run_ess = weights.sum() ** 2 / (weights**2).sum() / len(weights)
        rows.append({"generation": t, "proposal": "used", "ess_share": run_ess,
                     "acceptance_ratio": 1.0, "run_ess_share": run_ess})  # fmt: skip
        estimate = reweighted(used_density, used_density, at_prior)
        rows.append({"generation": t, "proposal": "used, reconstructed",
                     "ess_share": estimate[0], "acceptance_ratio": estimate[1],
                     "run_ess_share": run_ess})  # fmt: skip
        for kernel, scaling, share in CANDIDATES:
            settings = cal.abc.model_copy(
                update={"transition": kernel, "transition_scaling": scaling, "prior_share": share}
            )
            candidate = proposal(dataclasses.replace(cal, abc=settings), prior)
            candidate.fit(last, last_weights)
            estimate = reweighted(used_density, np.asarray(candidate.pdf(accepted)), at_prior)
            rows.append({"generation": t, "proposal": f"{kernel} x{scaling}, prior {share}",
                         "ess_share": estimate[0], "acceptance_ratio": estimate[1],
                         "run_ess_share": run_ess})  # fmt: skip
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--db", type=Path, default=None, help="default: OUT/NAME.db")
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_OUT) / "proposal_trial.csv")
    args = parser.parse_args()
    cal = load_calibration(args.config)
    table = trial(cal, args.db or Path(DEFAULT_OUT) / f"{cal.name}.db")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, float_format="%.4g")
    wide = table.pivot_table(index="proposal", columns="generation", values="ess_share")
    print("Effective sample share by generation:")
    print(wide.round(3).to_string())
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
