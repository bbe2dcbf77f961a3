"""The task market: tasks collected from the wijk organisations, and who holds which.

Tasks are collected ("opgehaald") from organisations in the wijken, first where
candidates wait for tasks or participants lost one, up to what each organisation can
offer without displacing paid work or volunteers. A candidate takes tasks from their
own wijk first, then from the wijken near it, until their contract hours are filled;
a task that stops fitting goes back to its organisation and is replaced by another in
the same wijk (FACTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np

from sim.agents import Recipient, WijkOrganisation
from sim.params import Params
from sim.policy import PolicyTimeline
from sim.programme.people import People
from sim.streams import Stream
from sim.timeline import WEEKS_PER_YEAR


def organisations_per_area(mean: int, weights: Sequence[float]) -> list[int]:
    """Organisations in each area: on average ``mean``, in proportion to the area's weight.

    At least one per area (assumption: larger and poorer wijken have more community
    centres, clubs and care for residents).
    """
    average = sum(weights) / len(weights)
    return [max(1, round(mean * w / average)) for w in weights]


def task_hour_levels(p: Params) -> tuple[int, ...]:
    """The hours a task can have: from the least, in steps of 4 h, up to the most."""
    return tuple(range(p.task_hours_min, p.task_hours_max + 1, 4))


class TaskMarket:
    """The tasks of the wijken: collection, matching to people, misfit and replacement.

    Args:
        host: the Mesa model the organisations (agents) live in.
        p: the parameters.
        people: the programme's people.
        policy: the levers week by week (task collection).
        near: for each area, the areas near it (indices).
        weights: each area's weight (where recipients live), for organisations and
            collection.
        streams: the streams of the collection count, the area of a collected task,
            its hours, the time until a task stops fitting and which task it is.
    """

    def __init__(
        self,
        host: mesa.Model,
        p: Params,
        people: People,
        policy: PolicyTimeline,
        *,
        near: Sequence[Sequence[int]],
        weights: Sequence[float],
        streams: TaskStreams,
    ):
        self.p, self.people, self.policy = p, people, policy
        self.streams = streams
        self.near = [list(areas) for areas in near]
        self._weights = np.asarray(weights, float)
        levels = task_hour_levels(p)
        self.organisations = [
            [
                WijkOrganisation(
                    host,
                    area,
                    potential=p.tasks_per_organisation,
                    hour_levels=levels,
                    hours_stream=streams.hours,
                )
                for _ in range(count)
            ]
            for area, count in enumerate(organisations_per_area(p.organisations_per_wijk, weights))
        ]
        # Free tasks per area, bucketed by hours (largest first), so that matching
        # looks at a handful of tasks, not all of them (written for speed).
        self._levels = tuple(reversed(levels))
        self.free: list[dict[int, list[int]]] = [
            {hours: [] for hours in self._levels} for _ in self.near
        ]
        self.free_count = 0
        self.tasks_total = 0
        self.task_wijk: list[int] = []  # by task: its area
        self.task_hours: list[int] = []  # by task: hours per week
        self.task_holder: list[int] = []  # by task: the person holding it, or -1
        self.wanting: list[int] = []  # ready candidates who found no tasks last time
        self.short: dict[int, int] = {}  # participants short of a task -> the task lost
        # Tasks that came free or were collected, per area: a search that failed is
        # tried again only once this changes near the person (written for speed).
        self._freed = [0] * len(self.near)
        self._full_areas: set[int] = set()
        self._failed_search: dict[tuple[int, bool], int] = {}

    # --- collection -------------------------------------------------------------------
    def collect_weekly(self, week: int) -> None:
        """Collect new tasks from wijk organisations while few tasks are unused."""
        expected = self.policy.task_acquisition[week]
        if expected <= 0:
            return
        self.collect(self.streams.collection.poisson(expected))

    def collect(self, count: int, *, buffer: bool = True) -> None:
        """Collect up to ``count`` tasks, first where people wait for one.

        With ``buffer``, collection pauses while nobody waits and at least
        ``free_task_buffer`` tasks are unused.
        """
        wanted = self.wanting + list(self.short)
        wijk_of = self.people.population.wijk
        for i in range(count):
            if buffer and not wanted and self.free_count >= self.p.free_task_buffer:
                return
            area = int(wijk_of[wanted[i % len(wanted)]]) if wanted else self._draw_area()
            self.collect_near(area)

    def _draw_area(self) -> int:
        weights = self._weights
        u = self.streams.area.scalar.random() * weights.sum()
        return int(np.searchsorted(np.cumsum(weights), u, side="right"))

    def collect_near(self, area: int) -> bool:
        """Collect one task in ``area``, or in the nearest area with work left; False if none."""
        for place in (area, *self.near[area]):
            if place in self._full_areas:
                continue
            for organisation in self.organisations[place]:
                if organisation.can_offer_task():
                    hours = organisation.offer_task()
                    task = len(self.task_wijk)
                    self.task_wijk.append(place)
                    self.task_hours.append(hours)
                    self.task_holder.append(-1)
                    self.free[place][hours].append(task)
                    self.free_count += 1
                    self._freed[place] += 1
                    self.tasks_total += 1
                    return True
            self._full_areas.add(place)  # no organisation here has work left to offer
        return False

    # --- matching ---------------------------------------------------------------------
    def find(
        self, person: int, hours_needed: float, slots: int, exclude: int = -1, near: bool = True
    ) -> list[int] | None:
        """Free tasks to fill ``hours_needed`` with at most ``slots`` tasks, largest first.

        The person's own wijk is tried alone first, then (if ``near``) with the wijken
        near it, own wijk first among tasks of equal hours. None when they cannot fill
        the hours.
        """
        wijk = int(self.people.population.wijk[person])
        options = ((wijk,), (wijk, *self.near[wijk])) if near else ((wijk,),)
        seen = sum(self._freed[area] for area in options[-1])
        if self._failed_search.get((person, near)) == seen:
            return None  # nothing came free nearby since the last search failed
        for areas in options:
            chosen: list[int] = []
            hours = 0
            for level in self._levels:
                for area in areas:
                    for task in self.free[area][level]:
                        if task == exclude:
                            continue
                        chosen.append(task)
                        hours += level
                        if hours >= hours_needed:
                            return chosen
                        if len(chosen) == slots:
                            break
                    if len(chosen) == slots:
                        break
                if len(chosen) == slots:
                    break
        self._failed_search[(person, near)] = seen
        return None

    def take_up(self, participant: Recipient, tasks: list[int], week: int) -> None:
        """A starting participant takes up their tasks."""
        person = participant.person
        self._failed_search.pop((person, True), None)
        participant.tasks = list(tasks)
        self._hold(person, tasks)

    def _hold(self, person: int, tasks: list[int]) -> None:
        for task in tasks:
            hours = self.task_hours[task]
            self.free[self.task_wijk[task]][hours].remove(task)
            self.free_count -= 1
            self.task_holder[task] = person
            self.people.task_hours[person] += hours

    def _release(self, person: int, task: int) -> None:
        hours = self.task_hours[task]
        self.task_holder[task] = -1
        self.free[self.task_wijk[task]][hours].append(task)
        self.free_count += 1
        self._freed[self.task_wijk[task]] += 1
        self.people.task_hours[person] -= hours

    def give_up(self, participant: Recipient) -> None:
        """A leaving participant's tasks go back to their organisations."""
        person = participant.person
        for task in participant.tasks:
            self._release(person, task)
        participant.tasks = []
        self.short.pop(person, None)
        self._failed_search.pop((person, False), None)

    # --- misfit and replacement --------------------------------------------------------
    def plan_misfit(self, person: int, week: int) -> None:
        """Plan when one of the participant's tasks stops fitting."""
        tasks = len(self.people.participants[person].tasks)
        hazard = self.p.task_misfit_per_year * max(tasks, 1) / WEEKS_PER_YEAR
        if hazard > 0:
            weeks = self.streams.misfit_timing.weeks_until(hazard)
            self.people.work_agenda.add(week + weeks, self.task_stops_fitting, person)

    def task_stops_fitting(self, person: int, week: int) -> None:
        """A task stops fitting: it goes back to its organisation and is replaced."""
        participant = self.people.participants[person]
        if participant.tasks:
            pick = self.streams.misfit_choice.scalar.randrange(len(participant.tasks))
            task = participant.tasks.pop(pick)
            self._release(person, task)
            self.short[person] = task
            self._replace(person)
        self.plan_misfit(person, week)

    def replace_lost(self) -> None:
        """Participants short of a task look for a replacement in their own wijk."""
        for person in list(self.short):
            self._replace(person)

    def _replace(self, person: int) -> None:
        participant = self.people.participants[person]
        p = self.p
        missing = p.full_time_hours - self.people.task_hours[person]
        if missing <= 0 or len(participant.tasks) >= p.tasks_per_participant_max:
            self.short.pop(person, None)
            return
        slots = p.tasks_per_participant_max - len(participant.tasks)
        # FACTS.md: tasks that do not fit are replaced by others in the same wijk.
        tasks = self.find(person, missing, slots, exclude=self.short.get(person, -1), near=False)
        if tasks:
            participant.tasks.extend(tasks)
            self._hold(person, tasks)
            self.short.pop(person, None)

    def hours_short(self) -> float:
        """Contract hours of participants at work that no task covers this week."""
        contract, held, sick = self.people.contract_hours, self.people.task_hours, self.people.sick
        return sum(
            max(contract[person] - held[person], 0.0) for person in self.short if not sick[person]
        )


class TaskStreams:
    """The random streams of the task market, one per process."""

    __slots__ = ("area", "collection", "hours", "misfit_choice", "misfit_timing")

    def __init__(
        self,
        *,
        collection: Stream,
        area: Stream,
        hours: Stream,
        misfit_timing: Stream,
        misfit_choice: Stream,
    ):
        self.collection = collection
        self.area = area
        self.hours = hours
        self.misfit_timing = misfit_timing
        self.misfit_choice = misfit_choice
