"""Per-run summaries and their spread over replicates (sim.summary), worked out by hand.

The headline "when do we reach 250 jobs" is a quantile over replicates in which some
runs may never get there: those runs count as reaching it never (+inf), so one run of
four reaching 250 gives a median of "not reached", not the year of the one that did.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.constraints import CONSTRAINTS
from sim.summary import SUMMARY_COLUMNS, TARGET_JOBS, decimal_year, run_tables, summarise
from sim.timeline import WEEKS_PER_YEAR

NEVER = float("nan")  # a run that never reaches 250 jobs has year_250 = NaN


def weekly(dates, employed, *, gross=None, net=None, exited=None, binding=None):
    """A run's weekly time series with only the columns run_tables reads."""
    n = len(dates)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "employed": employed,
            "cost_gross_eur": gross if gross is not None else [0.0] * n,
            "cost_net_eur": net if net is not None else [0.0] * n,
            "exited_cum": exited if exited is not None else [0] * n,
            "binding_constraint": binding if binding is not None else ["candidates"] * n,
        }
    )


def runs_and_years(year_250s, *, scenario="s", sample=0, years=(2026, 2027)):
    """The runs and years tables of replicates with the given year_250 (NaN: never)."""
    runs = pd.DataFrame(
        {
            "scenario": scenario,
            "sample": sample,
            "replicate": range(len(year_250s)),
            "year_250": year_250s,
            "cost_gross_total_eur": 1.0,
            "cost_net_total_eur": 1.0,
            "job_years_total": 1.0,
            **{f"binding_{c}": 0.0 for c in CONSTRAINTS},
        }
    )
    rows = []
    for replicate, y250 in enumerate(year_250s):
        for year in years:
            rows.append(
                {
                    "scenario": scenario,
                    "sample": sample,
                    "replicate": replicate,
                    "year": year,
                    "cost_gross_eur": 1.0,
                    "cost_net_eur": 1.0,
                    "job_years": 1.0,
                    "employed_end": 0,
                    "exited_end": 0,
                    "cost_gross_cum_eur": 1.0,
                    "cost_net_cum_eur": 1.0,
                    "employed_jan1": 0.0,
                    "reached_250": bool(np.isfinite(y250) and y250 < year + 1),
                }
            )
    return runs, pd.DataFrame(rows)


def row(summary, measure, year=None, scenario="s"):
    rows = summary[(summary["measure"] == measure) & (summary["scenario"] == scenario)]
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    assert len(rows) == 1, (measure, year, rows)
    return rows.iloc[0]


# --- decimal years -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", 2026.0),
        ("2026-07-02", 2026 + 182 / 365),  # day 183 of a 365-day year
        ("2024-07-02", 2024 + 183 / 366),  # 2024 is a leap year
        ("2027-12-31", 2027 + 364 / 365),
    ],
)
def test_decimal_year_counts_the_days_into_the_year(day, expected):
    assert decimal_year(pd.Timestamp(day)) == pytest.approx(expected, abs=1e-12)


# --- one run: run_tables -----------------------------------------------------------------

# Five weeks around a new year: 24 Dec 2025 to 21 Jan 2026. 250 jobs are first reached
# on 14 Jan 2026 (day 13 of 2026: 2026 + 13/365).
DATES = ["2025-12-24", "2025-12-31", "2026-01-07", "2026-01-14", "2026-01-21"]
EMPLOYED = [240, 245, 249, 250, 251]


def test_the_year_250_is_the_first_week_with_250_jobs():
    runs, _ = run_tables(weekly(DATES, EMPLOYED))
    assert runs["year_250"].item() == pytest.approx(2026 + 13 / 365)


def test_a_run_that_never_reaches_250_has_no_year():
    runs, years = run_tables(weekly(DATES, [10, 20, 249, 249, 248]))
    assert math.isnan(runs["year_250"].item())
    assert not years["reached_250"].any()


def test_yearly_rows_sum_the_weeks_of_each_calendar_year():
    ts = weekly(
        DATES,
        EMPLOYED,
        gross=[1.0, 2.0, 4.0, 8.0, 16.0],
        net=[0.5, 1.0, 2.0, 4.0, 8.0],
        exited=[0, 1, 1, 2, 3],
        binding=["candidates", "ceiling", "ceiling", "tasks", "budget"],
    )
    runs, years = run_tables(ts)
    assert years["year"].tolist() == [2025, 2026]
    # 2025: the first two weeks; 2026: the last three.
    assert years["cost_gross_eur"].tolist() == [3.0, 28.0]
    assert years["cost_net_eur"].tolist() == [1.5, 14.0]
    assert years["cost_gross_cum_eur"].tolist() == [3.0, 31.0]
    assert years["cost_net_cum_eur"].tolist() == [1.5, 15.5]
    assert years["job_years"].tolist() == pytest.approx(
        [(240 + 245) / WEEKS_PER_YEAR, (249 + 250 + 251) / WEEKS_PER_YEAR]
    )
    assert years["employed_end"].tolist() == [245, 251]
    assert years["exited_end"].tolist() == [1, 3]
    # 250 reached in January 2026: not by the end of 2025, by the end of 2026.
    assert years["reached_250"].tolist() == [False, True]
    assert runs["cost_gross_total_eur"].item() == 31.0
    assert runs["cost_net_total_eur"].item() == 15.5
    assert runs["job_years_total"].item() == pytest.approx(1235 / WEEKS_PER_YEAR)


def test_jobs_on_1_january_are_those_of_the_last_week_ending_by_then():
    # 2025 starts before the series (24 Dec): no count on 1 Jan 2025. On 1 Jan 2026 the
    # last week ending on or before it is 31 Dec 2025: 245 jobs.
    _, years = run_tables(weekly(DATES, EMPLOYED))
    assert math.isnan(years["employed_jan1"].iloc[0])
    assert years["employed_jan1"].iloc[1] == 245
    # A series that starts on 1 January itself has that week's count for that year.
    _, years = run_tables(weekly(["2026-01-01", "2026-01-08"], [7, 8]))
    assert years["employed_jan1"].tolist() == [7]


def test_binding_shares_count_the_weeks_after_the_start():
    # The start row (week 0) is where the programme stood, not a week of starts: the
    # shares are over the four weeks after it: ceiling 2, tasks 1, budget 1.
    ts = weekly(DATES, EMPLOYED, binding=["candidates", "ceiling", "ceiling", "tasks", "budget"])
    runs, _ = run_tables(ts)
    shares = {c: runs[f"binding_{c}"].item() for c in CONSTRAINTS}
    assert shares == {
        "ceiling": 0.5,
        "budget": 0.25,
        "tasks": 0.25,
        "coaches": 0.0,
        "candidates": 0.0,
    }


# --- over replicates: summarise ----------------------------------------------------------


def test_one_run_of_four_reaching_250_gives_a_median_of_never():
    # The probe of issue 16: quantiles over the reaching runs only would give a median
    # of 2026.5 here. Of four runs one reaches 250 (mid-2026), three never do: sorted
    # (2026.5, inf, inf, inf), so q05 and q25 are 2026.5 (the lowest quarter) and the
    # median and above are "never" (+inf); the mean over runs that never end is none.
    summary = summarise(*runs_and_years([2026.5, NEVER, NEVER, NEVER]))
    reach = row(summary, "year_250_reached")
    assert reach["q05"] == 2026.5
    assert reach["q25"] == 2026.5
    assert reach["q50"] == math.inf
    assert reach["q75"] == math.inf
    assert reach["q95"] == math.inf
    assert math.isnan(reach["mean"])
    # The share that has 250 by the end of each year: one of four in 2026 and 2027.
    assert row(summary, "reached_250_by_year", 2026)["mean"] == 0.25
    assert row(summary, "reached_250_by_year", 2027)["mean"] == 0.25


def test_two_runs_of_four_reaching_250_take_observed_values_not_interpolations():
    # (2026, 2027, inf, inf): next to +inf interpolation gives nan, so the quantiles
    # are observed values (the inverted CDF): the median is the second value, 2027,
    # and q75 is the third, never.
    summary = summarise(*runs_and_years([2027.0, NEVER, 2026.0, NEVER]))
    reach = row(summary, "year_250_reached")
    assert [reach[q] for q in ("q05", "q25", "q50", "q75", "q95")] == [
        2026.0,
        2026.0,
        2027.0,
        math.inf,
        math.inf,
    ]
    assert row(summary, "reached_250_by_year", 2026)["mean"] == 0.25
    assert row(summary, "reached_250_by_year", 2027)["mean"] == 0.5


def test_when_every_run_reaches_250_the_quantiles_interpolate():
    # (2025, 2026, 2027, 2028): numpy's linear quantiles, q05 = 2025 + 0.05 * 3.
    summary = summarise(*runs_and_years([2028.0, 2025.0, 2027.0, 2026.0]))
    reach = row(summary, "year_250_reached")
    assert reach["mean"] == 2026.5
    assert reach["q05"] == pytest.approx(2025.15)
    assert reach["q25"] == pytest.approx(2025.75)
    assert reach["q50"] == pytest.approx(2026.5)
    assert reach["q75"] == pytest.approx(2027.25)
    assert reach["q95"] == pytest.approx(2027.85)


def test_when_no_run_reaches_250_every_quantile_is_never():
    summary = summarise(*runs_and_years([NEVER] * 3))
    reach = row(summary, "year_250_reached")
    assert all(reach[q] == math.inf for q in ("q05", "q25", "q50", "q75", "q95"))
    assert row(summary, "reached_250_by_year", 2027)["mean"] == 0.0


def test_measures_per_year_and_per_run_are_quantiles_over_replicates():
    runs, years = runs_and_years([NEVER, NEVER, NEVER])
    years["employed_jan1"] = years["replicate"] * 10.0 + (years["year"] - 2026) * 100.0
    years["cost_net_eur"] = [3.0, 6.0, 6.0, 12.0, 9.0, 18.0]
    years["job_years"] = [0.5, 2.0, 0.0, 2.0, 3.0, 3.0]
    runs["binding_tasks"] = [0.0, 0.5, 1.0]
    runs["cost_net_total_eur"] = [10.0, 20.0, 30.0]
    runs["job_years_total"] = [0.5, 0.0, 3.0]
    summary = summarise(runs, years)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    # Jobs on 1 January 2026: 0, 10, 20 over the replicates.
    jan1 = row(summary, "employed_jan1", 2026)
    assert (jan1["mean"], jan1["q50"], jan1["q05"]) == (10.0, 10.0, 1.0)
    assert row(summary, "employed_jan1", 2027)["q50"] == 110.0
    # Net cost per job-year in 2026: 3/0.5, (6/0: no job-years, left out), 9/3.
    per_job = row(summary, "cost_net_per_job_year_eur", 2026)
    assert per_job["mean"] == 4.5
    assert per_job["q50"] == 4.5
    # Over the whole run: 10/0.5 and 30/3 (the run with no job-years is left out).
    whole = row(summary, "cost_net_per_job_year_eur")
    assert whole["mean"] == 15.0
    assert summary["year"].dtype == "Int64"
    binding = row(summary, "binding_tasks")
    assert (binding["mean"], binding["q50"], binding["q95"]) == (0.5, 0.5, 0.95)


def test_a_year_without_a_count_on_1_january_has_no_employed_row():
    runs, years = runs_and_years([NEVER, NEVER])
    years.loc[years["year"] == 2026, "employed_jan1"] = np.nan
    summary = summarise(runs, years)
    assert (summary["measure"] == "employed_jan1").sum() == 1  # 2027 only
    assert row(summary, "employed_jan1", 2027)["q50"] == 0.0


def test_scenarios_and_samples_are_summarised_apart_in_the_experiments_order():
    # Scenario "b" comes first in the experiment: it stays first (not sorted by name).
    a_runs, a_years = runs_and_years([2026.0, 2026.0], scenario="a")
    b_runs, b_years = runs_and_years([NEVER, NEVER], scenario="b", sample=1)
    summary = summarise(pd.concat([b_runs, a_runs]), pd.concat([b_years, a_years]))
    assert row(summary, "year_250_reached", scenario="a")["q50"] == 2026.0
    b = row(summary, "year_250_reached", scenario="b")
    assert b["q50"] == math.inf
    assert (summary.loc[summary["scenario"] == "b", "sample"] == 1).all()
    assert summary["scenario"].iloc[0] == "b"
    whole_run = summary[summary["year"].isna()]
    assert whole_run["scenario"].iloc[0] == "b"


def test_no_runs_give_an_empty_summary_with_its_columns():
    runs, years = runs_and_years([2026.0])
    summary = summarise(runs.iloc[0:0], years.iloc[0:0])
    assert summary.empty
    assert list(summary.columns) == list(SUMMARY_COLUMNS)


# --- properties --------------------------------------------------------------------------

years_250 = st.lists(
    st.one_of(st.just(NEVER), st.floats(2020.0, 2040.0, allow_nan=False)), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(values=years_250)
def test_quantiles_stay_within_the_runs_and_never_counts_as_never(values):
    reach = row(summarise(*runs_and_years(values)), "year_250_reached")
    quantiles = [reach[q] for q in ("q05", "q25", "q50", "q75", "q95")]
    finite = sorted(v for v in values if not math.isnan(v))
    observed = finite + [math.inf] * (len(values) - len(finite))
    # Within the runs' range (never = +inf at the top), and in order.
    assert all(observed[0] - 1e-9 <= q <= observed[-1] for q in quantiles)
    assert quantiles == sorted(quantiles)
    # A quantile is "never" exactly when more than that share of runs never reach 250:
    # the median is never iff more than half never do.
    never = len(values) - len(finite)
    assert (reach["q50"] == math.inf) == (never > len(values) / 2)
    if never:
        assert math.isnan(reach["mean"])
        assert all(q == math.inf or q in finite for q in quantiles)  # observed values
    else:
        assert reach["mean"] == pytest.approx(np.mean(finite))
    # Target: the count that defines "reached" is 250 (FACTS.md: up to 250).
    assert TARGET_JOBS == 250


def test_250_reached_on_1_january_counts_for_the_new_year_not_the_old():
    # First 250 on 1 Jan 2027 (decimal 2027.0): not "by 31 December 2026".
    runs, years = run_tables(weekly(["2026-12-25", "2027-01-01", "2027-01-08"], [249, 250, 251]))
    assert runs["year_250"].item() == 2027.0
    assert years["reached_250"].tolist() == [False, True]
