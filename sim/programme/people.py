"""The people of the programme: where everyone stands, and what happens to them when.

One shared place for the per-person state that several parts read (stage, start week,
contract and task hours, sickness, contract type, guidance group), for the tallies of
who is employed, and for the weekly agendas on which parts put a participant's future
events. Each part writes the columns it owns (marked below) and only reads the others.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from sim.population import COUPLE, SINGLE, SINGLE_PARENT, Population
from sim.timeline import WEEKS_PER_YEAR

if TYPE_CHECKING:
    from sim.agents import Recipient


class Stage(IntEnum):
    """Where a person stands in the programme. Everyone is in exactly one."""

    POOL = 0  # not (yet) referred: on bijstand or not, eligible or not
    REFERRED = 1  # waiting for an intake slot
    INTAKE = 2  # in conversations with a coach
    SELECTED = 3  # selected, matching to tasks and waiting to start
    EMPLOYED = 4
    REJECTED = 5
    EXITED = 6


# Stages as plain ints for the hot paths (an IntEnum attribute lookup costs ~1 us).
POOL, REFERRED, INTAKE, SELECTED, EMPLOYED, REJECTED, EXITED = (int(s) for s in Stage)

Event = Callable[[int, int], None]  # (person, week)


class Agenda:
    """What happens to whom in which week: week -> the events due, in the order added.

    An event belongs to the spell of work it was planned in: when the participant has
    left by then, it lapses. Planning events when they are decided, instead of checking
    every participant every week, is what keeps a week cheap (written for speed).
    """

    __slots__ = ("_due", "_people")

    def __init__(self, people: People):
        self._due: defaultdict[int, list[tuple[Event, int, Recipient | None]]] = defaultdict(list)
        self._people = people

    def add(self, week: int, action: Event, person: int) -> None:
        """Plan ``action(person, week)`` for the participant's current spell."""
        # The spell is the participant's agent: a person who starts again is a new
        # agent. Comparing agents avoids reading two numpy items per event (written
        # for speed).
        spell = self._people.participants.get(person)
        self._due[week].append((action, person, spell))

    def run(self, week: int) -> None:
        """Carry out this week's events; those of a participant who has left lapse."""
        participants = self._people.participants
        for action, person, spell in self._due.pop(week, ()):
            if spell is not None and participants.get(person) is spell:
                action(person, week)


class People:
    """Everyone in the population: stage, the participants' state, the employed tallies.

    Args:
        population: the synthetic population (read-only, shared between scenarios).
        areas: how many wijken the population lives in.
    """

    def __init__(self, population: Population, areas: int):
        n = population.size
        self.population = population
        self.stage = np.zeros(n, np.int8)  # every part moves people on
        self.start_week = np.full(n, -1, np.int64)  # starts
        # Read and written one person at a time in the weekly loop, so stdlib arrays: a
        # numpy item costs about ten times as much to read, and its arithmetic (the
        # hours summed and rounded in matching) runs through numpy's scalar types; a
        # list of this length would be walked by every garbage collection, an array is
        # not (written for speed; the same numbers).
        self.wijk = array("h", population.wijk.astype(np.int16, copy=False).tobytes())  # read-only
        self.contract_hours = array("d", bytes(8 * n))  # work
        self.task_hours = array("d", bytes(8 * n))  # tasks
        self.sick = array("b", bytes(n))  # work
        self.recent_sickness = array("b", bytes(n))  # work: sick within the last 26 weeks
        self.guidance_group = array("b", bytes(n))  # work
        self.permanent = array("b", bytes(n))  # contracts
        self.participants: dict[int, Recipient] = {}
        # Two agendas: work events (sickness, hours, tasks, guidance) run in the week's
        # work phase, contract events (permanent contracts, exits) in the contract phase.
        self.work_agenda = Agenda(self)
        self.contract_agenda = Agenda(self)

        self.started_cum = 0
        self.employed = 0
        self.employed_by_wijk = np.zeros(areas, np.int64)
        self.employed_women = 0
        self.employed_single_parents = 0
        self.employed_couples = 0
        self.employed_45_plus = 0

    def start(self, candidate: Recipient, week: int) -> None:
        """A selected candidate starts work this week."""
        person = candidate.person
        self.stage[person] = EMPLOYED
        self.start_week[person] = week
        self.participants[person] = candidate
        self.started_cum += 1
        self._count(person, +1)

    def leave(self, person: int) -> Recipient:
        """A participant leaves the programme; returns them."""
        participant = self.participants.pop(person)
        self.stage[person] = EXITED
        self._count(person, -1)
        return participant

    def _count(self, person: int, sign: int) -> None:
        """Count a participant in (+1) or out (-1) of the employed tallies.

        One function for starts and exits, so that the two cannot drift apart; age is
        taken at the start, so the same person counts the same way out as in.
        """
        pop = self.population
        kind = pop.household_type[person]
        self.employed += sign
        self.employed_by_wijk[self.wijk[person]] += sign
        self.employed_women += sign * int(pop.woman[person])
        self.employed_single_parents += sign * int(kind == SINGLE_PARENT)
        self.employed_couples += sign * int(kind == COUPLE)
        self.employed_45_plus += sign * int(pop.age_years(person, self.start_week[person]) >= 45)

    def stage_counts(self) -> dict[Stage, int]:
        """How many people stand in each stage (every person in exactly one)."""
        counts = np.bincount(self.stage, minlength=len(Stage))
        return {stage: int(counts[stage]) for stage in Stage}

    def composition(self, week: int) -> dict[str, tuple[float, float]]:
        """Who takes part against who could, as (eligible share, participant share).

        Shares among everyone eligible at some time up to ``week`` and among everyone
        who started so far (FACTS.md: single parents and couples are under-represented,
        participants relatively old).
        """
        pop = self.population
        ever_eligible = (pop.eligible_from <= week) & (pop.eligible_to > pop.eligible_from)
        started = self.start_week >= 0
        age_at = np.where(started, self.start_week, np.maximum(pop.eligible_from, 0))
        groups = {
            "women": pop.woman,
            "aged 45+": (age_at - pop.birth_week) / WEEKS_PER_YEAR >= 45,
            "aged 27-44": (age_at - pop.birth_week) / WEEKS_PER_YEAR < 45,
            "single": pop.household_type == SINGLE,
            "single parent": pop.household_type == SINGLE_PARENT,
            "couple": pop.household_type == COUPLE,
            "debts": pop.debts,
        }
        n_eligible, n_started = max(int(ever_eligible.sum()), 1), int(started.sum())
        return {
            group: (
                float((mask & ever_eligible).sum()) / n_eligible,
                float((mask & started).sum()) / n_started if n_started else float("nan"),
            )
            for group, mask in groups.items()
        }
