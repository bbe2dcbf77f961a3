"""Shared fixtures: small and baseline runs, built once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim import Params
from sim.simulation import run_replicate
from sim.streams import replicate_seeds

REPO = Path(__file__).resolve().parents[1]

# A small town: 1,500 households keep runs to a few milliseconds while every
# mechanism (referral, intake, tasks, exits) still acts.
SMALL = {"households": 1_500, "inflow_households_per_year": 170}
# Two parameters the early counts identify, in that small town: the priors and fixed
# table of the calibration files of the recovery, SBC and workflow tests.
TWO_PRIORS_IN_A_TOWN = f"""
[priors.share_prospect_paid_work]
low = 0.05
high = 0.6
reason = "test"
[priors.cannot_take_step]
low = 0.0
high = 0.6
reason = "test"
[fixed]
households = {SMALL["households"]}
inflow_households_per_year = {SMALL["inflow_households_per_year"]}
"""


@pytest.fixture(scope="session")
def small_params() -> Params:
    return Params().with_overrides(SMALL)


@pytest.fixture(scope="session")
def baseline_runs() -> pd.DataFrame:
    """20 replicates of the default baseline to 2023-04-01 (the observed period)."""
    frames = [
        run_replicate(Params(), seed, "2023-04-01", replicate).timeseries
        for replicate, seed in enumerate(replicate_seeds(1, 20))
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def long_run():
    """One default replicate to 2030 (tables of run_replicate)."""
    return run_replicate(Params(), 7, "2030-12-31")


def value_at(frame: pd.DataFrame, day: str, column: str) -> pd.Series:
    """Per replicate, the column's value in the last week ending on or before ``day``."""
    rows = frame[frame["date"] <= pd.Timestamp(day)]
    return rows.groupby("replicate")[column].last()


# --- a results directory made by hand, for the report's tables ---------------------------
# Two scenarios x two replicates, three rows a run (D1..D3), every number chosen so the
# report's tables can be worked out by hand (tests/test_report_tables.py shows how).
HAND_DATES = pd.to_datetime(["2021-01-03", "2021-12-26", "2022-12-25"])
# Per run: employed, job ceiling, binding constraint, selected candidates waiting for
# tasks (each a value per date), and the cost items of every row (EUR).
HAND_RUNS = {
    ("baseline", 0): {
        "employed": [10, 20, 30], "job_ceiling": [50, 100, 150],
        "binding_constraint": ["ceiling", "tasks", "tasks"], "waiting_for_tasks": [0, 4, 20],
        "costs": {"cost_wages_eur": 100_000, "cost_employer_eur": 10_000,
                  "cost_guidance_eur": 20_000, "cost_coaches_eur": 5_000,
                  "contributions_eur": 0, "benefits_saved_eur": 60_000, "subsidies_eur": 0},
        "funnel": {"eligible": 500, "referred_cum": 90, "spoken_cum": 80,
                   "rejected_paid_work_cum": 10, "rejected_health_cum": 8,
                   "rejected_volunteering_cum": 6, "rejected_other_cum": 4,
                   "started_cum": 40, "exited_cum": 10},
    },
    ("baseline", 1): {
        "employed": [10, 30, 50], "job_ceiling": [50, 100, 150],
        "binding_constraint": ["ceiling", "ceiling", "tasks"], "waiting_for_tasks": [0, 6, 10],
        "costs": {"cost_wages_eur": 200_000, "cost_employer_eur": 20_000,
                  "cost_guidance_eur": 40_000, "cost_coaches_eur": 10_000,
                  "contributions_eur": 0, "benefits_saved_eur": 120_000, "subsidies_eur": 15_000},
        "funnel": {"eligible": 520, "referred_cum": 110, "spoken_cum": 100,
                   "rejected_paid_work_cum": 12, "rejected_health_cum": 10,
                   "rejected_volunteering_cum": 8, "rejected_other_cum": 6,
                   "started_cum": 60, "exited_cum": 10},
    },
    ("faster", 0): {
        "employed": [20, 60, 240], "job_ceiling": [100, 200, 250],
        "binding_constraint": ["ceiling", "ceiling", "ceiling"], "waiting_for_tasks": [0, 0, 0],
        "costs": {"cost_wages_eur": 300_000, "cost_employer_eur": 30_000,
                  "cost_guidance_eur": 60_000, "cost_coaches_eur": 15_000,
                  "contributions_eur": 5_000, "benefits_saved_eur": 180_000, "subsidies_eur": 0},
        "funnel": {"eligible": 400, "referred_cum": 300, "spoken_cum": 280,
                   "rejected_paid_work_cum": 10, "rejected_health_cum": 10,
                   "rejected_volunteering_cum": 5, "rejected_other_cum": 5,
                   "started_cum": 250, "exited_cum": 10},
    },
    ("faster", 1): {
        "employed": [20, 60, 250], "job_ceiling": [100, 200, 250],
        "binding_constraint": ["ceiling", "ceiling", "ceiling"], "waiting_for_tasks": [0, 0, 0],
        "costs": {"cost_wages_eur": 300_000, "cost_employer_eur": 30_000,
                  "cost_guidance_eur": 60_000, "cost_coaches_eur": 15_000,
                  "contributions_eur": 5_000, "benefits_saved_eur": 180_000, "subsidies_eur": 0},
        "funnel": {"eligible": 400, "referred_cum": 320, "spoken_cum": 300,
                   "rejected_paid_work_cum": 10, "rejected_health_cum": 10,
                   "rejected_volunteering_cum": 5, "rejected_other_cum": 5,
                   "started_cum": 270, "exited_cum": 10},
    },
}  # fmt: skip


def _hand_timeseries() -> pd.DataFrame:
    frames = []
    for (scenario, replicate), run in HAND_RUNS.items():
        items = run["costs"]
        gross = sum(items[c] for c in items if c.startswith("cost_")) - items["contributions_eur"]
        net = gross - items["benefits_saved_eur"] - items["subsidies_eur"]
        frames.append(
            pd.DataFrame(
                {
                    "scenario": scenario,
                    "sample": 0,
                    "replicate": replicate,
                    "date": HAND_DATES,
                    **{
                        k: run[k]
                        for k in (
                            "employed",
                            "job_ceiling",
                            "binding_constraint",
                            "waiting_for_tasks",
                        )
                    },
                    **items,
                    **run["funnel"],
                    "cost_gross_eur": gross,
                    "cost_net_eur": net,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _hand_summary() -> pd.DataFrame:
    """summary.csv's measures (one sample, so also the pooled summary)."""
    rows = [
        # scenario, measure, year, mean, q05, q50, q95
        ("baseline", "employed_jan1", 2022, 25.0, 20.5, 25.0, 29.5),
        ("faster", "employed_jan1", 2022, 60.0, 60.0, 60.0, 60.0),
        ("baseline", "reached_250_by_year", 2021, 0.25, None, None, None),
        ("baseline", "reached_250_by_year", 2022, 0.6, None, None, None),
        ("faster", "reached_250_by_year", 2021, 0.0, None, None, None),
        ("faster", "reached_250_by_year", 2022, 1.0, None, None, None),
        ("baseline", "year_250_reached", None, None, 2021.2, 2022.5, float("inf")),
        ("faster", "year_250_reached", None, 2022.5, 2022.1, 2022.3, 2022.9),
        # Per-year rows come before the whole run's, as in sim.summary.summarise.
        ("baseline", "cost_net_per_job_year_eur", 2021, 120_000.0, 100_000.0, 110_000.0, 130_000.0),
        ("baseline", "cost_net_per_job_year_eur", None, 18_000.0, 17_000.0, 18_200.0, 19_000.0),
        ("faster", "cost_net_per_job_year_eur", None, 9_000.0, 8_500.0, 9_100.0, 9_500.0),
        ("baseline", "cost_gross_eur", 2021, 405_000.0, 300_000.0, 400_000.0, 500_000.0),
        ("baseline", "cost_gross_eur", 2022, 202_500.0, 150_000.0, 200_000.0, 250_000.0),
        ("baseline", "cost_net_eur", 2021, 210_000.0, 150_000.0, 210_000.0, 270_000.0),
        ("baseline", "cost_net_eur", 2022, 105_000.0, 75_000.0, 105_000.0, 135_000.0),
        ("baseline", "cost_net_cum_eur", 2022, 315_000.0, 225_000.0, 315_000.0, 405_000.0),
        ("baseline", "binding_ceiling", None, 0.5, 0.2, 0.5, 0.8),
        ("baseline", "binding_tasks", None, 0.5, 0.2, 0.5, 0.8),
        ("faster", "binding_ceiling", None, 1.0, 1.0, 1.0, 1.0),
    ]
    frame = pd.DataFrame(rows, columns=["scenario", "measure", "year", "mean", "q05", "q50", "q95"])
    for c in ("budget", "coaches", "candidates"):
        frame.loc[len(frame)] = ["baseline", f"binding_{c}", None, 0.0, 0.0, 0.0, 0.0]
    for c in ("budget", "tasks", "coaches", "candidates"):
        frame.loc[len(frame)] = ["faster", f"binding_{c}", None, 0.0, 0.0, 0.0, 0.0]
    return frame.assign(sample=0, q25=frame["q50"], q75=frame["q50"]).astype({"year": "Int64"})


@pytest.fixture
def hand_results(tmp_path):
    """A Results bundle made by hand (see HAND_RUNS), as sim.report.read_results gives it."""
    from sim.report.results import Results

    years = pd.DataFrame(
        [
            # scenario, replicate, year, gross, net, job-years
            ("baseline", 0, 2021, 270_000.0, 150_000.0, 1.0),
            ("baseline", 0, 2022, 135_000.0, 75_000.0, 0.5),
            ("baseline", 1, 2021, 540_000.0, 270_000.0, 1.5),
            ("baseline", 1, 2022, 270_000.0, 135_000.0, 1.0),
            ("faster", 0, 2021, 800_000.0, 400_000.0, 2.0),
            ("faster", 0, 2022, 400_000.0, 200_000.0, 4.0),
            ("faster", 1, 2021, 1_000_000.0, 500_000.0, 2.0),
            ("faster", 1, 2022, 500_000.0, 250_000.0, 5.0),
        ],
        columns=["scenario", "replicate", "year", "cost_gross_eur", "cost_net_eur", "job_years"],
    ).assign(sample=0)
    composition = pd.DataFrame(
        [
            # scenario, replicate, group, eligible share, participant share
            ("baseline", 0, "women", 0.5, 0.4),
            ("baseline", 0, "debts", 0.3, 0.2),
            ("baseline", 1, "women", 0.5, 0.6),
            ("baseline", 1, "debts", 0.3, 0.4),
            ("faster", 0, "women", 0.5, 0.5),
            ("faster", 0, "debts", 0.2, 0.3),
            ("faster", 1, "women", 0.5, 0.5),
            ("faster", 1, "debts", 0.2, 0.3),
        ],
        columns=["scenario", "replicate", "group", "eligible_share", "participant_share"],
    ).assign(sample=0)
    by_wijk = pd.DataFrame(
        [
            # scenario, replicate, date, wijk, employed
            ("baseline", 0, HAND_DATES[1], "Beijum", 3),
            ("baseline", 1, HAND_DATES[1], "Beijum", 4),
            ("baseline", 0, HAND_DATES[2], "Beijum", 5),
            ("baseline", 1, HAND_DATES[2], "Beijum", 7),
            ("baseline", 0, HAND_DATES[2], "Centrum", 9),
            ("baseline", 1, HAND_DATES[2], "Centrum", 9),
            ("faster", 0, HAND_DATES[2], "Beijum", 20),
            ("faster", 1, HAND_DATES[2], "Beijum", 30),
        ],
        columns=["scenario", "replicate", "date", "wijk", "employed"],
    ).assign(sample=0)
    runs = pd.DataFrame(list(HAND_RUNS), columns=["scenario", "replicate"]).assign(sample=0)
    summary = _hand_summary()
    ppc = pd.DataFrame(
        [
            {"target": "employed_2021_01", "date": "2021-01-01", "observed": 25, "q05": 18,
             "q25": 22, "q50": 25, "q75": 28, "q95": 33, "inside_90": "True"},
            {"target": "sick_absence_h2_2021", "date": "2021-12-31", "observed": 0.036,
             "q05": 0.04, "q25": 0.045, "q50": 0.05, "q75": 0.055, "q95": 0.06,
             "inside_90": "False"},
        ]
    )  # fmt: skip
    manifest = {
        "name": "by_hand",
        "description": "Made by hand for the report's tables.",
        "experiment_file": "experiments/by_hand.toml",
        "experiment_hash": "abc123",
        "experiment": {
            "base": {"households": 1500},
            "scenarios": {
                "baseline": {},
                "faster": {"ceiling_growth_per_year": 100, "budget_net_eur_per_year": 300_000},
            },
            "sweep": None,
        },
        "scenario_descriptions": {"baseline": "As it ran.", "faster": "+100 jobs a year."},
        "master_seed": 7,
        "replicates": 2,
        "seeds": list(range(101, 113)),
        "until": "2022-12-31",
        "runs_total": 4,
        "package_version": "0.1.0",
        "git_revision": "deadbeef",
        "started": "2024-05-01T10:00:00",
        "finished": "2024-05-01T10:00:09",
        "run_seconds": {"total": 8.25},
        "workers": "1 (in process)",
    }
    return Results(
        directory=tmp_path,
        manifest=manifest,
        scenarios=("baseline", "faster"),
        summary=summary,
        pooled=summary,
        timeseries=_hand_timeseries(),
        by_wijk=by_wijk,
        composition=composition,
        years=years,
        runs=runs,
        forecast=None,
        p250=None,
        ppc=ppc,
    )
