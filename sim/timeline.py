"""The programme's calendar: one model step is one week from the start on 1 March 2020."""

from __future__ import annotations

import datetime as dt

import numpy as np

PROGRAMME_START = dt.date(2020, 3, 1)  # FACTS.md: started 1 March 2020
DAYS_PER_WEEK = 7
WEEKS_PER_YEAR = 365.25 / 7


def week_of(day: dt.date) -> int:
    """The number of whole weeks from the programme start to ``day``."""
    return (day - PROGRAMME_START).days // DAYS_PER_WEEK


def date_of(week: int) -> dt.date:
    """The date at the end of week ``week`` (week 0 is the start itself)."""
    return PROGRAMME_START + dt.timedelta(days=DAYS_PER_WEEK * week)


def week_dates(weeks: int) -> np.ndarray:
    """The dates at the end of weeks 0 to ``weeks - 1`` (a run's rows), as numpy dates.

    In microseconds, the unit of the ``date`` column pandas gives the run's tables.
    """
    return np.datetime64(PROGRAMME_START, "us") + np.arange(weeks) * np.timedelta64(
        DAYS_PER_WEEK, "D"
    )


def weeks_until(until: dt.date) -> int:
    """How many steps a run takes to reach ``until`` (the last row is on or before it)."""
    return week_of(until)


def as_date(value: str | dt.date) -> dt.date:
    """Read an ISO date (``2030-12-31``) or pass a date through."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
