"""Tiny inputs for the programme's parts: a handful of people in three wijken.

Each part is built on these in its test, without drawing a population or running the
whole model, so a rule can be checked on cases small enough to work out by hand.
"""

from __future__ import annotations

import dataclasses

import mesa
import numpy as np

from sim.params import Params
from sim.policy import PolicyTimeline, policy_timeline
from sim.population import EXIT_CLOCKS, NEVER, SINGLE, Population
from sim.programme.people import People
from sim.streams import Stream, named_streams
from sim.timeline import WEEKS_PER_YEAR

# Three wijken in a row: 0 - 1 - 2.
NEAR_IN_A_ROW = [[1], [0, 2], [1]]
WEEKS = 600


def population(n: int = 5, **columns: object) -> Population:
    """``n`` people, by default: single men aged 50, on bijstand for 10 years, eligible
    and willing from week 0 on, living in wijk 0, with no trait that stops selection,
    never leaving (infinite exit clocks), referred in the order of their number."""
    years = WEEKS_PER_YEAR
    values: dict[str, object] = {
        "household": np.arange(n, dtype=np.int32),
        "partner": np.full(n, -1, np.int32),
        "household_type": np.full(n, SINGLE, np.int8),
        "woman": np.zeros(n, bool),
        "birth_week": np.full(n, -50.0 * years),
        "wijk": np.zeros(n, np.int8),
        "bijstand_from": np.full(n, -10.0 * years),
        "bijstand_to": np.full(n, 1e9),
        "reintegration": np.zeros(n, bool),
        "prospect_paid_work": np.zeros(n, bool),
        "physical_limitations": np.zeros(n, bool),
        "volunteering": np.zeros(n, bool),
        "keeps_volunteering": np.zeros(n, bool),
        "debts": np.zeros(n, bool),
        "cannot_draw": np.full(n, 0.99),
        "partner_draw": np.full(n, 0.99),
        "part_time_start": np.zeros(n, bool),
        "asks_more_hours": np.zeros(n, bool),
        "sickness_prone": np.zeros(n, bool),
        "guidance_intensity": np.ones(n),
        "intensive_guidance": np.zeros(n, bool),
        "exit_clock": np.full((n, len(EXIT_CLOCKS)), np.inf),
        "referral_key": -np.arange(n, dtype=float),
        "promise": np.zeros(n),
        "willing_from": np.zeros(n, np.int32),
        "placement_draw": np.full(n, 0.99),
        "eligible_from": np.zeros(n, np.int32),
        "eligible_to": np.full(n, NEVER, np.int32),
    }
    for name, value in columns.items():
        if name not in values:
            raise KeyError(f"Population has no column {name!r}")
        values[name] = np.asarray(value, dtype=np.asarray(values[name]).dtype)
    return Population(**values)  # type: ignore[arg-type]


class Host(mesa.Model):
    """The Mesa model the agents of a part live in: parameters and a population."""

    def __init__(self, p: Params, pop: Population):
        super().__init__(rng=0)
        self.p = p
        self.population = pop


def setting(
    n: int = 5, params: dict[str, object] | None = None, areas: int = 3, **columns: object
) -> tuple[Host, Params, People, PolicyTimeline]:
    """A host, parameters, the people and the policy for a tiny test."""
    p = Params().with_overrides(params or {})
    pop = population(n, **columns)
    return Host(p, pop), p, People(pop, areas), policy_timeline(p, WEEKS)


def stream(name: str = "task_hours", seed: int = 1) -> Stream:
    """One named stream."""
    return named_streams(seed)[name]


def replace(pop: Population, **columns: object) -> Population:
    """A copy of a population with some columns replaced."""
    return dataclasses.replace(pop, **columns)  # type: ignore[arg-type]
