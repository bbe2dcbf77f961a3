"""The calendar: week k ends on 1 March 2020 + 7k days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.timeline import (
    PROGRAMME_START,
    WEEKS_PER_YEAR,
    as_date,
    date_of,
    week_dates,
    week_of,
    weeks_until,
)


def test_the_programme_starts_on_1_march_2020():
    # FACTS.md: started 1 March 2020 as a three-year experiment.
    assert dt.date(2020, 3, 1) == PROGRAMME_START
    assert pytest.approx(52.178, abs=1e-3) == WEEKS_PER_YEAR


@pytest.mark.parametrize(
    ("week", "day"),
    [(0, dt.date(2020, 3, 1)), (1, dt.date(2020, 3, 8)), (148, dt.date(2023, 1, 1))],
)
def test_weeks_and_dates_invert_each_other(week, day):
    assert date_of(week) == day
    assert week_of(day) == week


def test_a_runs_rows_are_dated_week_by_week_in_the_tables_unit():
    # 566 rows: a run to 2030-12-31 (weeks_until gives 565 steps after week 0).
    dates = week_dates(566)
    assert dates.dtype == np.dtype("datetime64[us]")  # the unit of the tables' date column
    weeks = [0, 1, 148, 565]
    assert [d.date() for d in dates[weeks].tolist()] == [date_of(week) for week in weeks]
    assert (np.diff(dates) == np.timedelta64(7, "D")).all()
    assert len(week_dates(0)) == 0


def test_a_day_within_a_week_belongs_to_the_week_ended_before_it():
    assert week_of(dt.date(2020, 3, 7)) == 0
    assert week_of(dt.date(2020, 3, 8)) == 1
    assert week_of(dt.date(2020, 2, 29)) == -1
    # A run to a date takes as many steps as whole weeks to it: its last row is on or
    # before that date.
    assert weeks_until(dt.date(2030, 12, 31)) == 565
    assert date_of(565) <= dt.date(2030, 12, 31) < date_of(566)


def test_dates_are_read_from_text_or_passed_through():
    assert as_date("2030-12-31") == dt.date(2030, 12, 31)
    assert as_date(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)
    assert as_date(dt.datetime(2024, 1, 2, 13, 5)) == dt.date(2024, 1, 2)
    with pytest.raises(ValueError, match="Invalid isoformat"):
        as_date("31-12-2030")
