"""The default baseline against what was observed (FACTS.md), and its fixed-seed summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.config.errors import ConfigError
from sim.simulation import TIMESERIES_COLUMNS, simulate
from sim.wijken import WIJKEN

from .conftest import value_at

CONTRACT_COLUMNS = [
    "date",
    "replicate",
    "seed",
    "employed",
    "employed_permanent",
    "employed_women",
    "in_intake",
    "waiting_for_tasks",
    "spoken_cum",
    "started_cum",
    "rejected_paid_work_cum",
    "rejected_health_cum",
    "rejected_volunteering_cum",
    "rejected_other_cum",
    "exited_cum",
    "exit_regular_job_cum",
    "exit_sheltered_work_cum",
    "exit_retirement_cum",
    "exit_death_cum",
    "exit_self_employed_cum",
    "exit_quit_cum",
    "hours_worked",
    "guidance_hours",
    "sick_absence_rate",
    "cost_gross_eur",
    "cost_net_eur",
    "binding_constraint",
]

REGRESSION = Path(__file__).parent / "data" / "baseline_summary.csv"


def test_timeseries_has_the_contract_columns(long_run):
    ts = long_run.timeseries
    assert list(ts.columns) == list(TIMESERIES_COLUMNS)
    assert set(CONTRACT_COLUMNS) <= set(ts.columns)
    assert ts["date"].iloc[0] == pd.Timestamp("2020-03-01")
    assert (
        ts["date"].iloc[-1]
        <= pd.Timestamp("2030-12-31")
        < ts["date"].iloc[-1] + pd.Timedelta(days=7)
    )
    assert list(long_run.by_wijk.columns) == ["date", "replicate", "wijk", "employed"]
    assert set(long_run.by_wijk["wijk"]) == set(WIJKEN)


def test_until_is_validated():
    with pytest.raises(ConfigError, match="must be at least a week after the programme start"):
        simulate(until="2019-12-31")
    with pytest.raises(ConfigError, match=r"from 2020-03-08\)"):
        simulate(until="2020-03-07")
    with pytest.raises(ConfigError, match="not a date"):
        simulate(until="next year")
    assert len(simulate(until="2020-03-08")) == 2  # the start and one week


@pytest.mark.parametrize(
    ("day", "column", "observed", "tolerance"),
    [
        # Tolerances: the counts are small and the path went through COVID-19; a fifth
        # of the observed value (at least 5 people) is what a replicate median can be
        # asked to hit before calibration.
        ("2021-01-01", "employed", 25, 5),
        ("2022-01-01", "employed", 47, 5),
        ("2023-03-01", "employed", 56, 6),
        ("2022-01-01", "spoken_cum", 151, 15),
        ("2022-01-01", "rejected_paid_work_cum", 34, 7),
        ("2022-01-01", "rejected_health_cum", 26, 6),
        ("2022-01-01", "rejected_volunteering_cum", 17, 5),
        ("2022-01-01", "exited_cum", 0, 0),
    ],
)
def test_default_baseline_is_near_the_observed_path(
    baseline_runs, day, column, observed, tolerance
):
    median = value_at(baseline_runs, day, column).median()
    assert abs(median - observed) <= tolerance, (
        f"{column} on {day}: median {median}, observed {observed}"
    )


def test_about_one_third_of_those_spoken_start(baseline_runs):
    # FACTS.md: by Jan 2022, of 151 spoken about one third starts. Candidates still in
    # intake have not been decided, so count started / (spoken - in intake).
    started = value_at(baseline_runs, "2022-01-01", "started_cum")
    decided = value_at(baseline_runs, "2022-01-01", "spoken_cum") - value_at(
        baseline_runs, "2022-01-01", "in_intake"
    )
    assert 0.28 <= (started / decided).median() <= 0.40


def test_sickness_absence_near_3_6_percent(baseline_runs):
    # FACTS.md: 3.6% in the second half of 2021. Tolerance 1.2 points: with ~45
    # participants a week the half-year rate of one replicate varies by about that.
    h2 = baseline_runs[
        (baseline_runs["date"] >= "2021-07-01") & (baseline_runs["date"] <= "2021-12-31")
    ]
    rate = h2.groupby("replicate").apply(
        lambda g: (g["sick_absence_rate"] * g["contract_hours"]).sum() / g["contract_hours"].sum(),
        include_groups=False,
    )
    assert abs(rate.median() - 0.036) <= 0.012


def test_fixed_seed_summary_is_unchanged(long_run):
    """Regenerate with scripts/regenerate_baseline_summary.py after an intended change."""
    from scripts.regenerate_baseline_summary import summary_of

    expected = pd.read_csv(REGRESSION)
    actual = summary_of(long_run.timeseries)
    pd.testing.assert_frame_equal(
        actual.reset_index(drop=True), expected, check_dtype=False, atol=1e-6
    )


def test_finished_runs_do_not_stay_in_memory():
    """A finished run's model is freed: Mesa 3.5 keeps agents per model, not per class."""
    import gc
    import weakref

    from sim.model import BasisbaanModel

    model = BasisbaanModel(rng=1)
    for _ in range(20):
        model.step()
    alive = weakref.ref(model)
    del model
    gc.collect()
    assert alive() is None


def test_a_run_without_detail_has_empty_wijk_and_composition_tables_of_the_same_columns():
    from sim.simulation import BY_WIJK_COLUMNS, COMPOSITION_COLUMNS, run_replicate

    full = run_replicate(seed=3, until="2021-03-01")
    lean = run_replicate(seed=3, until="2021-03-01", outcomes=["employed"], detail=False)
    assert list(full.by_wijk.columns) == list(BY_WIJK_COLUMNS)
    assert list(full.composition.columns) == list(COMPOSITION_COLUMNS)
    assert list(lean.by_wijk.columns) == list(BY_WIJK_COLUMNS)
    assert lean.by_wijk.empty
    assert list(lean.composition.columns) == list(COMPOSITION_COLUMNS)
    assert lean.composition.empty
    assert list(lean.timeseries.columns) == ["date", "replicate", "seed", "employed"]
    assert lean.timeseries["employed"].equals(full.timeseries["employed"])
