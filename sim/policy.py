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
    job_ceiling: np.ndarray  # int: filled jobs allowed
    intake_coaches: np.ndarray  # int
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
    growing = days >= np.datetime64(p.ceiling_growth_start)
    growth = np.where(growing, by_week(p.ceiling_growth_per_year) * DAYS_PER_WEEK / 365.25, 0.0)
    level = np.minimum(p.job_ceiling_experiment + np.cumsum(growth), float(p.job_ceiling_max))
    ceiling = np.floor(level + 1e-9).astype(np.int64)
    coaches = np.round(by_week(p.intake_coaches)).astype(np.int64)
    if p.intake_coaches_follow_ceiling:
        coaches = np.maximum(
            coaches, np.ceil(level / p.jobs_per_intake_coach - 1e-9).astype(np.int64)
        )
    subsidy = np.zeros(n)
    for day, amount in p.subsidies.items():
        week = max(0, -(-(day - date_of(0)).days // DAYS_PER_WEEK))  # the week it falls in
        if week < n:
            subsidy[week] += amount
    return PolicyTimeline(
        pace=pace,
        job_ceiling=ceiling,
        intake_coaches=coaches,
        task_acquisition=by_week(p.task_acquisition_per_week) * pace,
        contributions_per_job_year=by_week(p.contributions_per_job_year),
        subsidy=subsidy,
    )
