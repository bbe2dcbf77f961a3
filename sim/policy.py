"""The programme's policy levers as week-by-week series: ceiling, coaches, tasks, money.

Everything here follows from the parameters alone (no randomness), so it is computed
once per run for every week up to the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.params import Params, in_force
from sim.timeline import DAYS_PER_WEEK, date_of


@dataclass(frozen=True, slots=True)
class PolicyTimeline:
    """One value per week, index = week number (0 = 1 March 2020)."""

    pace: np.ndarray  # float: 1, or the COVID-19 factor while the slowdown lasts
    job_target: np.ndarray  # float: the council's target path (jobs)
    job_ceiling: np.ndarray  # int: jobs funded (filled jobs allowed)
    intake_coaches: np.ndarray  # int: coaches holding intakes
    task_acquisition: np.ndarray  # float: most new tasks per week (pace applied)
    contributions_per_job_year: np.ndarray  # float EUR
    subsidy: np.ndarray  # float EUR received in that week


def policy_timeline(p: Params, weeks: int) -> PolicyTimeline:
    """Compute the levers for weeks ``0..weeks`` (week k ends on ``date_of(k)``)."""
    n = weeks + 1
    days = np.datetime64(date_of(0)) + np.arange(n) * np.timedelta64(DAYS_PER_WEEK, "D")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    first_year, last_year = int(years[0]), int(years[-1])

    def by_week(schedule: dict[int, float]) -> np.ndarray:
        values = np.array([in_force(schedule, y) for y in range(first_year, last_year + 1)])
        return values[years - first_year]

    in_covid = (days >= np.datetime64(p.covid_start)) & (days <= np.datetime64(p.covid_end))
    pace = np.where(in_covid, p.covid_factor, 1.0)

    # The council's target: from the growth start, the yearly growth of the schedule,
    # day by day, up to the final number of jobs.
    growing = days >= np.datetime64(p.ceiling_growth_start)
    grown, grown_by_new_year = _target_growth(p, days, years)
    target = np.minimum(p.job_ceiling_experiment + grown, float(p.job_ceiling_max))

    # Jobs are funded a budget year at a time: from the growth start and then each
    # 1 January, the budget funds the jobs the target reaches by the year's end, times
    # the pace the municipality aims for.
    funded = (
        p.job_ceiling_experiment + p.implementation_pace * grown_by_new_year[years - first_year]
    )
    ceiling = np.where(
        growing,
        np.minimum(np.floor(funded + 1e-9), p.job_ceiling_max),
        p.job_ceiling_experiment,
    ).astype(np.int64)

    # Capacity follows the jobs funded after a delay: coaches are recruited and
    # trained, wijk workers collect tasks for more jobs.
    coaches = np.round(by_week(p.intake_coaches)).astype(np.int64)
    if p.intake_coaches_follow_ceiling:
        needed = np.ceil(_delayed(ceiling, p.coach_hiring_weeks) / p.jobs_per_intake_coach - 1e-9)
        coaches = np.maximum(coaches, needed.astype(np.int64))
    collection = by_week(p.task_acquisition_per_week)
    if p.task_collection_follows_ceiling:
        jobs = _delayed(ceiling, p.task_collection_delay_weeks)
        collection = np.maximum(collection, p.tasks_per_week_per_100_jobs * jobs / 100.0)
    subsidy = np.zeros(n)
    for day, amount in p.subsidies.items():
        week = max(0, -(-(day - date_of(0)).days // DAYS_PER_WEEK))  # the week it falls in
        if week < n:
            subsidy[week] += amount
    # Before the programme starts nothing is funded, staffed or collected.
    before = days < np.datetime64(p.programme_start)
    target = np.where(before, 0.0, target)
    ceiling[before] = 0
    coaches[before] = 0
    collection = np.where(before, 0.0, collection)
    return PolicyTimeline(
        pace=pace,
        job_target=target,
        job_ceiling=ceiling,
        intake_coaches=coaches,
        task_acquisition=collection * pace,
        contributions_per_job_year=by_week(p.contributions_per_job_year),
        subsidy=subsidy,
    )


def _delayed(series: np.ndarray, weeks: int) -> np.ndarray:
    """The series as it stood ``weeks`` earlier (its first value before the start)."""
    if weeks <= 0:
        return series.astype(float)
    return np.concatenate([np.full(weeks, series[0]), series[:-weeks]]).astype(float)


def _target_growth(p: Params, days: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The target's growth (jobs) from its start to each day, and to each 1 January.

    Returns the growth on ``days`` and, per calendar year from the first of ``years``,
    the growth by the end of that year (1 January of the next).
    """
    start = np.datetime64(p.ceiling_growth_start)
    first, last = int(years[0]), int(years[-1])
    rates = np.array([in_force(p.ceiling_growth_per_year, y) for y in range(first, last + 1)])
    new_year = np.array([np.datetime64(f"{y}-01-01") for y in range(first, last + 2)])
    # A year's growth is spread over its own days (365 or 366), so a whole year adds
    # exactly the year's growth.
    year_days = (new_year[1:] - new_year[:-1]).astype(float)
    opens = np.maximum(new_year[:-1], start)
    whole_years = rates * np.maximum((new_year[1:] - opens).astype(float), 0.0) / year_days
    by_new_year = np.concatenate([[0.0], np.cumsum(whole_years)])  # by 1 Jan of each year
    index = years - first
    into_year = np.maximum((days - opens[index]).astype(float), 0.0) / year_days[index]
    grown = np.where(days >= start, by_new_year[index] + rates[index] * into_year, 0.0)
    return grown, by_new_year[1:]
