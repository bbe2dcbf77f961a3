"""Run one replicate of the model and return its weekly tables (no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.config.checks import shown
from sim.config.errors import ConfigError
from sim.model import HORIZON_WEEKS, BasisbaanModel
from sim.outcomes import OUTCOMES, WeeklyRecord
from sim.params import Params
from sim.population import Population
from sim.timeline import PROGRAMME_START, as_date, date_of, week_dates, weeks_until

DEFAULT_UNTIL = dt.date(2030, 12, 31)
LATEST_UNTIL = date_of(HORIZON_WEEKS)
# A run takes at least one step: its tables, summaries and figures need a week.
EARLIEST_UNTIL = date_of(1)

TIMESERIES_COLUMNS = ("date", "replicate", "seed", *OUTCOMES)
BY_WIJK_COLUMNS = ("date", "replicate", "wijk", "employed")
COMPOSITION_COLUMNS = ("replicate", "group", "eligible_share", "participant_share")


@dataclass(frozen=True)
class Replicate:
    """One run's tables (tidy).

    The weekly time series, employed per wijk each week, and the composition of
    participants against the eligible pool at the end.
    """

    timeseries: pd.DataFrame
    by_wijk: pd.DataFrame
    composition: pd.DataFrame
    # The synthetic population the run drew (read-only, shared with the run's other
    # scenarios): for the pool's figures (sim.population.pool_figures).
    population: Population | None = field(default=None, repr=False, compare=False)


def check_until(
    until: str | dt.date, *, source: str | None = None, key: str | None = "until"
) -> dt.date:
    """Validate an end date: a week or more after the start, within the population horizon."""
    try:
        day = as_date(until)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{shown(until)} is not a date such as 2030-12-31", source=source, key=key
        ) from None
    if not EARLIEST_UNTIL <= day <= LATEST_UNTIL:
        raise ConfigError(
            f"{day} must be at least a week after the programme start {PROGRAMME_START} "
            f"(from {EARLIEST_UNTIL}) and no later than {LATEST_UNTIL}",
            source=source,
            key=key,
        )
    return day


def no_detail() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The employed per wijk and the composition of a run that records neither: empty."""
    return pd.DataFrame(columns=list(BY_WIJK_COLUMNS)), pd.DataFrame(
        columns=list(COMPOSITION_COLUMNS)
    )


def run_model(
    params: Params | None, seed: int, until: str | dt.date, record: WeeklyRecord
) -> BasisbaanModel:
    """Run the model from 1 March 2020 to ``until``, one step a week, into ``record``."""
    model = BasisbaanModel(params, rng=seed, record=record)
    model.run_for(weeks_until(check_until(until)))
    return model


def run_replicate(
    params: Params | None = None,
    seed: int = 0,
    until: str | dt.date = DEFAULT_UNTIL,
    replicate: int = 0,
    *,
    outcomes: Sequence[str] | None = None,
    detail: bool = True,
) -> Replicate:
    """Run the model from 1 March 2020 to ``until`` (the last week ending on or before it).

    ``outcomes`` are the time series' columns (default: all of ``OUTCOMES``). Without
    ``detail`` the employed per wijk and the composition are not recorded (their tables
    are empty): what a calibration that needs neither asks for (written for speed; the
    run itself is the same).
    """
    model = run_model(params, seed, until, WeeklyRecord(outcomes, by_wijk=detail))
    weeks = len(model.record.rows)
    dates = week_dates(weeks)
    frame = model.record.frame(
        {"date": dates, "replicate": np.int64(replicate), "seed": np.int64(model.seed)}
    )
    if "binding_constraint" in frame:
        frame["binding_constraint"] = frame["binding_constraint"].astype("string")
    if not detail:
        by_wijk, composition = no_detail()
        return Replicate(frame, by_wijk, composition, population=model.population)
    by_wijk_counts = np.array(model.record.by_wijk, dtype=np.int64)
    by_wijk = pd.DataFrame(
        {
            "date": np.repeat(dates, len(model.p.areas)),
            "replicate": np.int64(replicate),
            "wijk": np.tile(np.array([a.name for a in model.p.areas], dtype=object), weeks),
            "employed": by_wijk_counts.ravel(),
        }
    )
    shares = model.composition()
    composition = pd.DataFrame(
        {
            "replicate": np.int64(replicate),
            "group": list(shares),
            "eligible_share": [eligible for eligible, _ in shares.values()],
            "participant_share": [started for _, started in shares.values()],
        }
    )
    return Replicate(
        timeseries=frame, by_wijk=by_wijk, composition=composition, population=model.population
    )


def simulate(
    params: Params | None = None,
    seed: int = 0,
    until: str | dt.date = DEFAULT_UNTIL,
    replicate: int = 0,
) -> pd.DataFrame:
    """One replicate's weekly time series: one row per week, the columns of ``OUTCOMES``."""
    return run_replicate(params, seed, until, replicate).timeseries
