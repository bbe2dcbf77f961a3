"""The task market: tasks collected from the wijk organisations, and who holds which.

Tasks are collected ("opgehaald") from organisations in the wijken, first where
candidates wait for tasks or participants lost one, up to the additional work each
organisation has: work no paid staff or volunteer does (no displacement, FACTS.md). A
candidate takes tasks from their own wijk first, then from the wijken near it, so
that their tasks add up to their contract hours exactly, in as few tasks as will do
(FACTS.md: most participants do 2 or 3 tasks for their ~32 hours); a task that stops
fitting goes back to the wijk's free tasks (for someone else) and is replaced by another
in the same wijk.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

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


# A search's areas in turn, the whole hours sought, and the task hours it can use.
_Plan = tuple[tuple[tuple[int, ...], ...], int, tuple[int, ...]]


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
        counts = organisations_per_area(p.organisations_per_wijk, weights)
        # Additional work per organisation: lognormal around the mean (the mean kept).
        sigma = p.additional_work_spread
        work = p.additional_work_hours * np.exp(
            streams.organisations.numpy.normal(-0.5 * sigma**2, sigma, sum(counts))
        )
        work = np.maximum(work, levels[0])  # every organisation has at least one task
        first = np.cumsum([0, *counts])
        self.organisations = [
            [
                WijkOrganisation(
                    host,
                    area,
                    additional_work=float(work[i]),
                    hour_levels=levels,
                    hours_stream=streams.hours,
                )
                for i in range(first[area], first[area + 1])
            ]
            for area in range(len(counts))
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
        # ready candidates who found no tasks last time -> the contract hours they need
        self.wanting: dict[int, float] = {}
        self.short: dict[int, int] = {}  # participants short of a task -> the task lost
        # participants short of a task -> the tasks freed in all when they last searched
        self._short_tried: dict[int, int] = {}
        # Tasks that came free or were collected, per area and hours, and in all: a
        # search that failed is tried again only once tasks of hours it can use came
        # free near the wijk searched from (written for speed: while tasks are short,
        # every waiting candidate and every participant short of a task would search
        # each week).
        self._freed = [dict.fromkeys(self._levels, 0) for _ in self.near]  # area -> hours -> n
        self._freed_total = 0
        self._first_open = [0] * len(self.near)  # area -> its first organisation with work
        # What a search depends on, (wijk, near, hours, slots, excluded task), -> the
        # tasks freed in all, and near the wijk of the hours it can use, when it last
        # failed. A search's result depends on the person only through their wijk, so
        # candidates of one wijk share it.
        self._failed_search: dict[tuple[int, bool, float, int, int], tuple[int, int]] = {}
        # The same for giving back every task held and taking a new set (``_rearrange``),
        # with the tasks held -> the tasks freed near the wijk when it last failed.
        self._failed_rearrangement: dict[tuple[int, bool, float, int, tuple[int, ...]], int] = {}
        self._plans: dict[tuple[int, bool, float, int], _Plan] = {}  # see ``_plan``
        # What each week and each collected task reads, worked out once, as lists
        # (written for speed: reading a numpy item costs about ten times a list's).
        self._acquisition = policy.task_acquisition.tolist()
        self._weights_total = float(self._weights.sum())
        self._weights_cumulative = np.cumsum(self._weights).tolist()

    # --- collection -------------------------------------------------------------------
    def collect_weekly(self, week: int) -> None:
        """Collect new tasks from wijk organisations while few tasks are unused."""
        expected = self._acquisition[week]
        if expected <= 0:
            return
        self.collect(self.streams.collection.poisson(expected))

    def collect(self, count: int, *, buffer: bool = True) -> None:
        """Collect up to ``count`` tasks, first where people wait for one.

        For someone waiting, the collector asks for a task of the hours they still need
        (the largest task that fits in them), in their wijk or near it. With ``buffer``,
        collection pauses while nobody waits and at least ``free_task_buffer`` tasks are
        unused.
        """
        if count <= 0:
            return  # nothing to collect: skip listing who waits (written for speed)
        people = self.people
        wanted = [(person, hours) for person, hours in self.wanting.items()] + [
            (person, people.contract_hours[person] - people.task_hours[person])
            for person in self.short
        ]
        wijk_of = people.wijk
        for i in range(count):
            if buffer and not wanted and self.free_count >= self.p.free_task_buffer:
                return
            if wanted:
                person, hours = wanted[i % len(wanted)]
                self.collect_near(wijk_of[person], hours)
            else:
                self.collect_near(self._draw_area())

    def _draw_area(self) -> int:
        u = self.streams.area.scalar.random() * self._weights_total
        return bisect.bisect_right(self._weights_cumulative, u)

    def collect_near(self, area: int, hours_wanted: float = 0.0) -> bool:
        """Collect one task in ``area``, or in the nearest area with work left; False if none.

        ``hours_wanted`` asks for a task of the largest hours that fit in it (0: any).
        """
        fitting = [level for level in self._levels if level <= hours_wanted]
        asked = fitting[0] if fitting else None  # levels are largest first
        for place in (area, *self.near[area]):
            organisation = self._first_with_work(place)
            if organisation is not None:
                self._add_task(place, organisation.offer_task(asked))
                return True
        return False

    def _first_with_work(self, area: int) -> WijkOrganisation | None:
        """The first organisation of ``area`` with work left to offer as a task, or None.

        The organisations are asked in turn and work offered never comes back, so those
        before it stay without: where the last look stopped is remembered, and none
        is asked again (written for speed: matching asks for every participant short
        of a task, each week).
        """
        organisations, first = self.organisations[area], self._first_open[area]
        while first < len(organisations) and not organisations[first].can_offer_task():
            first += 1
        self._first_open[area] = first
        return organisations[first] if first < len(organisations) else None

    def _add_task(self, area: int, hours: int) -> int:
        """A collected task of ``hours`` in ``area`` joins the free tasks; returns it."""
        task = len(self.task_wijk)
        self.task_wijk.append(area)
        self.task_hours.append(hours)
        self.task_holder.append(-1)
        self.free[area][hours].append(task)
        self.free_count += 1
        self._freed[area][hours] += 1
        self._freed_total += 1
        self.tasks_total += 1
        return task

    # --- matching ---------------------------------------------------------------------
    def find(
        self, person: int, hours_needed: float, slots: int, exclude: int = -1, near: bool = True
    ) -> list[int] | None:
        """Free tasks whose hours add up to ``hours_needed`` exactly, at most ``slots`` of them.

        The person's own wijk is tried alone first, then (if ``near``) with the wijken
        near it, own wijk first among tasks of equal hours. Of the combinations of task
        hours that fit, the one with the fewest tasks, then the largest, is taken. None
        when no combination of the free tasks fits.
        """
        wijk = self.people.wijk[person]
        # A search that failed fails again until a task comes free near the wijk: only
        # then can the free tasks there have grown (written for speed).
        key = (wijk, near, hours_needed, slots, exclude)
        failed = self._failed_search.get(key)
        if failed is not None and failed[0] == self._freed_total:
            return None  # nothing came free anywhere since this search last failed
        options, needed, used = self._plan(wijk, near, hours_needed, slots)
        seen = self._freed_near(options, used)
        if failed is None or failed[1] != seen:
            found = self._search(options, needed, slots, exclude)
            if found is not None:
                return found
        self._failed_search[key] = (self._freed_total, seen)
        return None

    def _plan(self, wijk: int, near: bool, hours: float, slots: int) -> _Plan:
        """What a search for ``hours`` from ``wijk`` looks at, worked out once per need.

        The areas searched in turn (the own wijk, then, if ``near``, with those near
        it), the whole hours sought, and the task hours some fitting combination uses
        (written for speed: a remembered search checks these every time tasks come
        free).
        """
        key = (wijk, near, hours, slots)
        plan = self._plans.get(key)
        if plan is None:
            options = ((wijk,), (wijk, *self.near[wijk])) if near else ((wijk,),)
            needed = round(hours)
            plan = self._plans[key] = (options, needed, _levels_used(needed, slots, self._levels))
        return plan

    def _freed_near(self, options: tuple[tuple[int, ...], ...], levels: tuple[int, ...]) -> int:
        """How many tasks of the given hours ever came free in the widest option's areas.

        Only tasks of hours that some fitting combination uses can turn a failed search
        into one that succeeds.
        """
        seen = 0
        for area in options[-1]:
            freed = self._freed[area]
            for level in levels:
                seen += freed[level]
        return seen

    def _search(
        self, options: Sequence[Sequence[int]], needed: int, slots: int, exclude: int
    ) -> list[int] | None:
        """``find`` without its memory of failed searches: each option of areas in turn."""
        used = _levels_used(needed, slots, self._levels)
        for areas in options:
            # Free tasks in these areas of the hours a combination uses; loops rather
            # than nested generators (written for speed: matching runs this for every
            # ready candidate).
            free = dict.fromkeys(used, 0)
            for area in areas:
                tasks_by_hours = self.free[area]
                for level in used:
                    free[level] += len(tasks_by_hours[level])
            excluded = exclude >= 0 and self.task_holder[exclude] < 0
            if excluded and self.task_wijk[exclude] in areas and self.task_hours[exclude] in free:
                free[self.task_hours[exclude]] -= 1
            for combination in _combinations(needed, slots, self._levels):
                for level, n in combination.items():
                    if free[level] < n:
                        break
                else:
                    return self._pick(areas, combination, exclude)
        return None

    def _pick(self, areas: Sequence[int], combination: Counter[int], exclude: int) -> list[int]:
        chosen: list[int] = []
        for level, count in combination.items():
            for area in areas:
                for task in self.free[area][level]:
                    if count == 0:
                        break
                    if task != exclude:
                        chosen.append(task)
                        count -= 1
        return chosen

    def take_up(self, participant: Recipient, tasks: list[int], week: int) -> None:
        """A starting participant takes up their tasks."""
        participant.tasks = list(tasks)
        self._hold(participant.person, tasks)

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
        self._freed[self.task_wijk[task]][hours] += 1
        self._freed_total += 1
        self.people.task_hours[person] -= hours

    def give_up(self, participant: Recipient) -> None:
        """A leaving participant's tasks go back to their organisations."""
        person = participant.person
        for task in participant.tasks:
            self._release(person, task)
        participant.tasks = []
        self.short.pop(person, None)
        self._short_tried.pop(person, None)

    # --- misfit and replacement --------------------------------------------------------
    def plan_misfit(self, person: int, week: int) -> None:
        """Plan when one of the participant's tasks stops fitting."""
        tasks = len(self.people.participants[person].tasks)
        hazard = self.p.task_misfit_per_year * max(tasks, 1) / WEEKS_PER_YEAR
        if hazard > 0:
            weeks = self.streams.misfit_timing.weeks_until(hazard)
            self.people.work_agenda.add(week + weeks, self.task_stops_fitting, person)

    def task_stops_fitting(self, person: int, week: int) -> None:
        """A task stops fitting: it goes back to the wijk's free tasks and is replaced."""
        participant = self.people.participants[person]
        if participant.tasks:
            pick = self.streams.misfit_choice.scalar.randrange(len(participant.tasks))
            task = participant.tasks.pop(pick)
            self._release(person, task)
            self.short[person] = task
            self._replace(person)
        self.plan_misfit(person, week)

    def replace_lost(self) -> None:
        """Participants short of a task look for a replacement in their own wijk.

        A participant whose last search failed with nothing come free since is not
        asked again: their own hours and tasks change only where a search follows
        (written for speed).
        """
        tried = self._short_tried
        for person in list(self.short):
            if tried.get(person) != self._freed_total:
                self._replace(person)

    def _replace(self, person: int) -> None:
        """Find tasks in the own wijk for the contract hours no task covers.

        FACTS.md: tasks that do not fit are replaced by others in the same wijk. When
        the organisations there have no work left to offer, the wijken near it are
        searched too (assumption: FACTS.md describes the practice while work was
        ample). When the participant already holds as many tasks as they may, their
        tasks are given back and a whole new set is sought instead.
        """
        participant, people = self.people.participants[person], self.people
        missing = people.contract_hours[person] - people.task_hours[person]
        if missing <= 0:
            self.short.pop(person, None)
            return
        slots = self.p.tasks_per_participant_max - len(participant.tasks)
        lost = self.short.get(person, -1)
        near = self._worked_out(people.wijk[person])
        if slots > 0:
            tasks = self.find(person, missing, slots, exclude=lost, near=near)
            if tasks:
                participant.tasks.extend(tasks)
                self._hold(person, tasks)
                self.short.pop(person, None)
        elif self._rearrange(participant, lost, near):
            self.short.pop(person, None)
        if person in self.short:
            self._short_tried[person] = self._freed_total

    def _rearrange(self, participant: Recipient, exclude: int, near: bool) -> bool:
        """Give back every task and take a new set for the contract hours, if one fits.

        A rearrangement that failed fails again, for the same tasks held, until a task
        of hours it can use comes free near the wijk; a failed one leaves the free tasks
        as they were, so it is not counted as tasks coming free, which would make every
        remembered search run again (written for speed: while tasks are short, each
        participant short of a task with no slot left tries this every week).
        """
        person, held = participant.person, participant.tasks
        wijk = self.people.wijk[person]
        hours, slots = self.people.contract_hours[person], self.p.tasks_per_participant_max
        options, needed, used = self._plan(wijk, near, hours, slots)
        seen = self._freed_near(options, used)
        key = (wijk, near, hours, exclude, tuple(held))
        if self._failed_rearrangement.get(key) == seen:
            return False
        for task in held:
            self._release(person, task)
        tasks = self._search(options, needed, slots, exclude)
        participant.tasks = tasks if tasks is not None else held
        self._hold(person, participant.tasks)
        if tasks is not None:
            return True
        for task in held:  # the same tasks held again: none came free
            self._freed[self.task_wijk[task]][self.task_hours[task]] -= 1
        self._freed_total -= len(held)
        self._failed_rearrangement[key] = seen
        return False

    def _worked_out(self, area: int) -> bool:
        """Whether no organisation in ``area`` has work left to offer as a task."""
        return self._first_with_work(area) is None

    def more_hours(self, person: int, week: int) -> None:
        """A participant's contract hours went up: tasks are sought for the hours added."""
        self.short[person] = -1
        self._replace(person)

    def hours_short(self) -> float:
        """Contract hours of participants at work that no task covers this week."""
        contract, held, sick = self.people.contract_hours, self.people.task_hours, self.people.sick
        return sum(
            max(contract[person] - held[person], 0.0) for person in self.short if not sick[person]
        )


@dataclass(frozen=True, slots=True)
class TaskStreams:
    """The random streams of the task market, one per process."""

    organisations: Stream  # the additional work of each organisation
    collection: Stream  # how many tasks are collected each week
    area: Stream  # the wijk of a task collected when nobody waits
    hours: Stream  # the hours of a collected task
    misfit_timing: Stream  # the time until a task stops fitting
    misfit_choice: Stream  # which task it is


@cache
def _combinations(hours: int, slots: int, levels: tuple[int, ...]) -> tuple[Counter[int], ...]:
    """The ways to make ``hours`` from at most ``slots`` tasks of the given hour levels.

    Fewest tasks first, then the largest tasks first; computed once per need.
    """
    found = [
        combination
        for count in range(1, slots + 1)
        for combination in itertools.combinations_with_replacement(
            sorted(levels, reverse=True), count
        )
        if sum(combination) == hours
    ]
    return tuple(Counter(combination) for combination in found)


@cache
def _levels_used(hours: int, slots: int, levels: tuple[int, ...]) -> tuple[int, ...]:
    """The task hours that some way of making ``hours`` from ``slots`` tasks uses."""
    return tuple(sorted({level for c in _combinations(hours, slots, levels) for level in c}))
