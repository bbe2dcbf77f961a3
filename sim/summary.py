"""What policy makers compare: per-run summaries, and their spread over replicates.

A run's time series is boiled down in the worker that ran it to two small tables:
``runs`` (one row per run: when 250 jobs were reached, totals, which constraint held
how often) and ``years`` (one row per run and calendar year: jobs on 1 January,
costs, job-years). The experiment summary aggregates those over replicates, so it
never needs every week of every run in memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.constraints import CONSTRAINTS
from sim.timeline import WEEKS_PER_YEAR

TARGET_JOBS = 250  # FACTS.md: at least +50 a year up to 250
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
RUN_KEYS = ("scenario", "sample", "replicate")
SUMMARY_COLUMNS = (
    "scenario",
    "sample",
    "measure",
    "year",
    "mean",
    "q05",
    "q25",
    "q50",
    "q75",
    "q95",
)


def decimal_year(day: pd.Timestamp) -> float:
    """A date as a decimal year (2027.5 is about 1 July 2027)."""
    start = pd.Timestamp(year=day.year, month=1, day=1)
    length = pd.Timestamp(year=day.year + 1, month=1, day=1) - start
    return day.year + (day - start) / length


# The weekly outcomes run_tables reads (besides the date), and with it the outputs
# registry (sim.outputs): a run records these, whatever else it keeps.
RUN_TABLE_READS = ("employed", "exited_cum", "cost_gross_eur", "cost_net_eur", "binding_constraint")


def run_tables(ts: pd.DataFrame, target: int = TARGET_JOBS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``runs`` row and the ``years`` rows of one run's weekly time series.

    Per-year sums use ``np.add.reduceat`` over the year boundaries rather than a pandas
    groupby: this runs once per run in every worker (written for speed).
    """
    dates = ts["date"].to_numpy(dtype="datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    ends = np.r_[starts[1:], len(years)] - 1
    employed = ts["employed"].to_numpy()
    reached = np.flatnonzero(employed >= target)
    year_250 = decimal_year(pd.Timestamp(dates[reached[0]])) if len(reached) else np.nan
    job_years = employed / WEEKS_PER_YEAR
    gross = np.add.reduceat(ts["cost_gross_eur"].to_numpy(), starts)
    net = np.add.reduceat(ts["cost_net_eur"].to_numpy(), starts)
    # Jobs on 1 January of year Y: the last week ending on or before that day.
    jan1_week = np.searchsorted(dates, (years[starts] - 1970).astype("datetime64[Y]"), "right") - 1
    jan1 = np.where(jan1_week >= 0, employed[np.maximum(jan1_week, 0)], np.nan).astype(float)
    jan1[0] = np.nan if dates[0] > np.datetime64(f"{years[0]}-01-01") else jan1[0]
    by_year = pd.DataFrame(
        {
            "year": years[starts],
            "cost_gross_eur": gross,
            "cost_net_eur": net,
            "job_years": np.add.reduceat(job_years, starts),
            "employed_end": employed[ends],
            "exited_end": ts["exited_cum"].to_numpy()[ends],
            "cost_gross_cum_eur": np.cumsum(gross),
            "cost_net_cum_eur": np.cumsum(net),
            "employed_jan1": jan1,
            "reached_250": np.isfinite(year_250) & (year_250 < years[starts] + 1),
        }
    )
    shares = ts["binding_constraint"].iloc[1:].value_counts(normalize=True)  # weeks, not the start
    runs = pd.DataFrame(
        {
            "year_250": [year_250],
            "cost_gross_total_eur": [float(gross.sum())],
            "cost_net_total_eur": [float(net.sum())],
            "job_years_total": [float(job_years.sum())],
            **{f"binding_{c}": [float(shares.get(c, 0.0))] for c in CONSTRAINTS},
        }
    )
    return runs, by_year


def summarise(runs: pd.DataFrame, years: pd.DataFrame) -> pd.DataFrame:
    """The experiment summary: per scenario (and sweep sample), quantiles over replicates.

    Measures: ``employed_jan1`` (jobs on 1 January of each year), ``reached_250_by_year``
    (share of runs with 250 jobs by 31 December; in ``mean``), ``year_250_reached``
    (decimal year, runs that never reach it count as +inf), ``cost_gross_eur`` and
    ``cost_net_eur`` (per calendar year), ``cost_gross_cum_eur`` and
    ``cost_net_cum_eur`` (cumulative to 31 December), ``cost_net_per_job_year_eur``
    (per year and, without a year, over the whole run) and ``binding_<constraint>``
    (share of weeks the constraint held starts back).
    """
    years = years.assign(
        cost_net_per_job_year_eur=years["cost_net_eur"]
        / years["job_years"].where(years["job_years"] > 0)
    )
    runs = runs.assign(
        cost_net_per_job_year_eur=runs["cost_net_total_eur"]
        / runs["job_years_total"].where(runs["job_years_total"] > 0),
        year_250_reached=runs["year_250"].fillna(np.inf),
    )
    rows: list[dict[str, object]] = []
    for (scenario, sample), group in years.groupby(["scenario", "sample"], sort=False):
        for year, in_year in group.groupby("year"):
            measures = ["employed_jan1"] if in_year["employed_jan1"].notna().any() else []
            for measure in (
                *measures,
                "cost_gross_eur",
                "cost_net_eur",
                "cost_gross_cum_eur",
                "cost_net_cum_eur",
                "cost_net_per_job_year_eur",
            ):
                rows.append(_row(scenario, sample, measure, year, in_year[measure]))
            share = float(in_year["reached_250"].mean())
            rows.append(
                {
                    "scenario": scenario,
                    "sample": sample,
                    "measure": "reached_250_by_year",
                    "year": year,
                    "mean": share,
                }
            )
    for (scenario, sample), group in runs.groupby(["scenario", "sample"], sort=False):
        for measure in (
            "year_250_reached",
            "cost_net_per_job_year_eur",
            *(f"binding_{c}" for c in CONSTRAINTS),
        ):
            rows.append(_row(scenario, sample, measure, None, group[measure]))
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _row(
    scenario: str, sample: int, measure: str, year: int | None, values: pd.Series
) -> dict[str, object]:
    data = values.to_numpy(dtype=float)
    data = data[~np.isnan(data)]
    finite = data[np.isfinite(data)]
    row: dict[str, object] = {
        "scenario": scenario,
        "sample": sample,
        "measure": measure,
        "year": year,
        "mean": float(finite.mean()) if len(finite) == len(data) and len(data) else np.nan,
    }
    for q in QUANTILES:
        # Interpolating next to +inf (never reached) gives nan: take observed values there.
        if not len(data):
            value = np.nan
        elif len(finite) < len(data):
            value = float(np.quantile(data, q, method="inverted_cdf"))
        else:
            value = float(np.quantile(data, q))
        row[f"q{round(q * 100):02d}"] = value
    return row
