"""Regenerate tests/data/baseline_summary.csv: a fixed-seed run's yearly key figures.

Run it only after an intended change of the model's behaviour, and say why in the
commit message: the test compares every run of the suite against this file, so that
an unintended change shows up.

    python -m scripts.regenerate_baseline_summary
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim import Params
from sim.simulation import run_replicate

SEED = 7  # the seed of the tests' long_run fixture
COLUMNS = [
    "employed",
    "started_cum",
    "spoken_cum",
    "exited_cum",
    "employed_permanent",
    "tasks_total",
]
TARGET = Path(__file__).resolve().parents[1] / "tests" / "data" / "baseline_summary.csv"


def summary_of(ts: pd.DataFrame) -> pd.DataFrame:
    """Per calendar year: the last week's counts and the year's costs."""
    year = ts["date"].dt.year.rename("year")
    counts = ts.groupby(year)[COLUMNS].last()
    costs = ts.groupby(year)[["cost_gross_eur", "cost_net_eur", "hours_worked"]].sum().round(2)
    return pd.concat([counts, costs], axis=1).reset_index()


def main() -> None:
    """Write the summary of the fixed-seed default run."""
    ts = run_replicate(Params(), SEED, "2030-12-31").timeseries
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    summary_of(ts).to_csv(TARGET, index=False)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
