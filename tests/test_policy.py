"""The policy levers week by week, worked out by hand from the calendar.

Week k ends on 1 March 2020 + 7k days (a Sunday). Landmarks used below:
week 148 ends on 1 Jan 2023 (1,036 days), week 174 on 2 Jul 2023, week 187 on
1 Oct 2023. A year's growth is spread over its own days (365, or 366 in a leap
year), so a whole year adds exactly its growth: 50 in 2023.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.params import Params
from sim.policy import _delayed, policy_timeline
from sim.timeline import date_of, week_of

WEEKS = 700
JAN_2023 = 148
JAN_2024 = week_of(dt.date(2024, 1, 1))  # week 200 ends on 31 Dec 2023
JAN_2025 = week_of(dt.date(2025, 1, 1))


def levers(**overrides):
    return policy_timeline(Params().with_overrides(overrides), WEEKS)


def test_the_landmark_weeks():
    assert date_of(JAN_2023) == dt.date(2023, 1, 1)
    assert date_of(174) == dt.date(2023, 7, 2)
    assert date_of(187) == dt.date(2023, 10, 1)
    assert date_of(JAN_2024) == dt.date(2023, 12, 31)
    assert len(levers().pace) == WEEKS + 1


def test_jobs_are_funded_a_budget_year_at_a_time():
    # FACTS.md: the experiment's 50 jobs, then +50 a year from 2023 up to 250. On
    # 1 Jan 2023 the budget funds the jobs the target reaches by the year's end:
    # 50 + 50 = 100; by the end of 2024 it is 50 + 50 + 50 = 150; from 2026 the 250 of
    # the plan.
    ceiling = levers().job_ceiling
    assert ceiling[JAN_2023 - 1] == 50
    assert ceiling[JAN_2023] == 100
    assert ceiling[JAN_2024] == 100  # 31 Dec 2023: still the 2023 budget
    assert ceiling[JAN_2024 + 1] == 150
    assert ceiling[week_of(dt.date(2026, 1, 4))] == 250
    assert ceiling.max() == 250
    assert ceiling.dtype == np.int64


def test_the_target_grows_day_by_day_from_its_start():
    target = levers().job_target
    assert target[JAN_2023 - 1] == 50
    assert target[JAN_2023] == 50  # growth starts on 1 Jan 2023 itself
    assert target[174] == pytest.approx(50 + 50 * 182 / 365)  # 2 Jul 2023, of 365 days
    assert target[-1] == 250  # capped at the plan's 250


def test_the_implementation_pace_scales_the_jobs_funded():
    # Half the pace: 50 + 0.5 x 50 = 75 jobs funded in 2023; at 0.49, 50 + 24.5 = 74.5,
    # so 74 whole jobs (a part of a job is not funded).
    assert levers(implementation_pace=0.5).job_ceiling[JAN_2023] == 75
    assert levers(implementation_pace=0.49).job_ceiling[JAN_2023] == 74


def test_a_growth_start_within_a_year_funds_the_rest_of_that_year():
    # From 1 Jul 2022: 50 x 184/365 = 25.21 more by the end of 2022, so 75.
    policy = levers(ceiling_growth_start="2022-07-01")
    start = week_of(dt.date(2022, 7, 1)) + 1  # the first week ending on or after it
    assert date_of(start) == dt.date(2022, 7, 3)
    assert policy.job_ceiling[start - 1] == 50
    assert policy.job_ceiling[start] == 75
    assert policy.job_ceiling[JAN_2023] == 125  # 50 + 25.21 + 50 = 125.21


def test_a_changed_growth_rate_applies_from_its_year():
    # 50 a year in 2023 and 2024, 100 a year from 2025: by the end of 2025
    # 50 + 50 + 50 + 100 = 250, up to the maximum.
    policy = levers(ceiling_growth_per_year={2022: 50, 2025: 100}, job_ceiling_max=400)
    assert policy.job_ceiling[JAN_2025 + 1] == 250
    assert levers(ceiling_growth_per_year={2022: 1000}).job_ceiling.max() == 250


def test_coaches_follow_the_jobs_funded_after_the_hiring_delay():
    # 25 jobs per coach: 50 jobs need 2 coaches, 100 need 4; they arrive 26 weeks after
    # the jobs are funded (week 148 + 26 = 174).
    coaches = levers().intake_coaches
    assert coaches[0] == 2
    assert coaches[173] == 2
    assert coaches[174] == 4
    # At 0.49 of the pace 74 jobs are funded in 2023: 2.96 coaches, rounded up to 3.
    assert levers(implementation_pace=0.49).intake_coaches[174] == 3
    assert coaches[-1] == 10  # 250 / 25
    # Not following the ceiling: the schedule alone.
    fixed = levers(intake_coaches_follow_ceiling=False, intake_coaches={2020: 2, 2025: 6})
    assert fixed.intake_coaches[JAN_2025] == 2  # 31 Dec 2024 is still 2024
    assert fixed.intake_coaches[JAN_2025 + 1] == 6
    assert fixed.intake_coaches[-1] == 6


def test_coaches_never_fall_below_the_schedule():
    # A schedule of 12 from 2020 is above what the ceiling needs (at most 10).
    assert (levers(intake_coaches={2020: 12}).intake_coaches == 12).all()


def test_task_collection_follows_the_jobs_funded_after_its_delay():
    # The schedule: 3 a week, 4 from 2023. Following the ceiling: 6 per 100 jobs funded
    # 13 weeks earlier: 50 jobs give 3, 100 jobs give 6 (from week 148 + 13 = 161).
    collection = levers(covid_factor=1.0).task_acquisition
    assert collection[JAN_2023 - 1] == 3.0
    assert collection[JAN_2023] == 4.0
    assert collection[160] == 4.0
    assert collection[161] == pytest.approx(6.0)
    assert collection[-1] == pytest.approx(15.0)  # 6 per 100 of 250
    fixed = levers(covid_factor=1.0, task_collection_follows_ceiling=False).task_acquisition
    assert fixed[161] == 4.0


def test_covid_slows_the_pace_from_its_start_to_its_end():
    # 15 Mar 2020 (week 2) to 31 Dec 2021 (the week ending 26 Dec 2021 is the last).
    policy = levers()
    last = week_of(dt.date(2021, 12, 31))
    assert date_of(last) == dt.date(2021, 12, 26)
    assert policy.pace[:3].tolist() == [1.0, 1.0, 0.6]
    assert policy.pace[last] == 0.6
    assert policy.pace[last + 1] == 1.0
    assert policy.task_acquisition[2] == pytest.approx(3.0 * 0.6)  # the pace applied


def test_a_subsidy_arrives_in_the_week_it_falls_in():
    # FACTS.md: EUR 200,000 from Nationaal Programma Groningen; 1 Oct 2023 ends week 187.
    policy = levers()
    assert policy.subsidy[187] == 200_000
    assert policy.subsidy.sum() == 200_000
    # A date within a week belongs to the week ending after it; two in one week add up;
    # one before the start counts in week 0; one beyond the horizon is not received.
    policy = levers(
        subsidies={
            "2023-10-02": 1_000,
            "2023-10-05": 500,
            "2019-06-01": 7,
            "2040-01-01": 99,
        }
    )
    assert policy.subsidy[188] == 1_500
    assert policy.subsidy[0] == 7
    assert policy.subsidy.sum() == 1_507


def test_contributions_follow_their_yearly_schedule():
    policy = levers(contributions_per_job_year={2020: 0, 2024: 2_000})
    assert policy.contributions_per_job_year[JAN_2024] == 0
    assert policy.contributions_per_job_year[JAN_2024 + 1] == 2_000


def test_a_delayed_series_starts_with_its_first_value():
    series = np.array([5, 6, 7, 8])
    assert _delayed(series, 2).tolist() == [5.0, 5.0, 5.0, 6.0]
    assert _delayed(series, 0).tolist() == [5.0, 6.0, 7.0, 8.0]
    assert _delayed(series, -1).tolist() == [5.0, 6.0, 7.0, 8.0]


def test_the_levers_have_the_types_of_their_meaning():
    policy = levers()
    assert policy.job_ceiling.dtype == np.int64
    assert policy.intake_coaches.dtype == np.int64
    assert levers(intake_coaches_follow_ceiling=False).intake_coaches.dtype == np.int64


def test_a_horizon_whose_last_week_opens_a_new_year_has_that_years_levers():
    # Week 44 ends on 3 Jan 2021, the only week of 2021 in a horizon of 44 weeks.
    assert date_of(44) == dt.date(2021, 1, 3)
    policy = policy_timeline(
        Params().with_overrides({"contributions_per_job_year": {2020: 0, 2021: 500}}), 44
    )
    assert policy.contributions_per_job_year[-1] == 500
    assert policy.contributions_per_job_year[-2] == 0


def test_covid_slows_the_week_that_ends_on_its_last_day():
    policy = levers(covid_end="2021-12-26")  # a Sunday: the week ending on it is slow
    last = week_of(dt.date(2021, 12, 26))
    assert policy.pace[last] == 0.6
    assert policy.pace[last + 1] == 1.0


def test_a_subsidy_just_beyond_the_horizon_is_not_received():
    # The week after the last (701) is beyond the series: ignored, not an error.
    policy = levers(subsidies={date_of(WEEKS + 1).isoformat(): 1_000, "2023-10-01": 5})
    assert policy.subsidy.sum() == 5


def test_a_delay_of_one_week_shifts_by_one():
    assert _delayed(np.array([5, 6, 7]), 1).tolist() == [5.0, 5.0, 6.0]


def test_growth_starting_in_the_first_year_grows_from_zero():
    # From 7 Jun 2020 (a Sunday, week 14): nothing grown on that day, 50 x 7/366 a
    # week later (2020 is a leap year).
    policy = levers(ceiling_growth_start="2020-06-07")
    start = week_of(dt.date(2020, 6, 7))
    assert date_of(start) == dt.date(2020, 6, 7)
    assert policy.job_target[start] == 50
    assert policy.job_target[start + 1] == pytest.approx(50 + 50 * 7 / 366)


def test_before_the_programme_starts_nothing_is_funded_staffed_or_collected():
    # Another municipality's start, 1 Jan 2021 (week 44 ends on 3 Jan 2021): up to the
    # week before, no target, no jobs, no coaches, no task collection; from that week
    # the experiment's 50 jobs, 2 coaches and 3 tasks a week (COVID-19 pace aside).
    policy = levers(programme_start="2021-01-01", covid_factor=1.0)
    first = week_of(dt.date(2021, 1, 1)) + 1
    assert date_of(first) == dt.date(2021, 1, 3)
    for lever in ("job_target", "job_ceiling", "intake_coaches", "task_acquisition"):
        series = getattr(policy, lever)
        assert (series[:first] == 0).all(), lever
        assert series[first] > 0, lever
    assert policy.job_ceiling[first] == 50
    assert policy.intake_coaches[first] == 2
    assert policy.task_acquisition[first] == 3.0
    assert policy.job_ceiling.dtype == np.int64
    # A start on a week's last day counts from that week.
    on_the_day = levers(programme_start=date_of(first).isoformat())
    assert on_the_day.job_ceiling[first - 1] == 0
    assert on_the_day.job_ceiling[first] == 50
