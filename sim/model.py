"""BasisbaanModel: the Groningen basisbaan programme, one step a week from 1 March 2020.

``step()`` reads like the programme: referral, intake conversations and selection,
task collection in the wijken, matching and starts, work and guidance, contracts,
exits, accounting. Speed comes from not visiting people who have nothing to do: the
bijstand pool is a set of arrays with a weighted referral queue (a heap), only
referred people are Mesa agents, and what happens to a participant later (sickness
spells, more hours, a task that stops fitting, a permanent contract, leaving) is put
in a weekly agenda when it is decided instead of being checked every week.
"""

from __future__ import annotations

import heapq
import math
import secrets
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

import mesa
import numpy as np

from sim.agents import (
    Coach,
    ExitReason,
    GuidingOrganisation,
    Outcome,
    Recipient,
    Stage,
    WijkOrganisation,
    organisations_by_wijk,
    task_hour_levels,
)
from sim.constraints import CONSTRAINTS
from sim.costs import WeekCosts, full_time_wage_cost, net_cost_first_year, week_costs
from sim.outcomes import WeeklyRecord
from sim.params import Params
from sim.policy import policy_timeline
from sim.population import (
    COUPLE,
    EXIT_CLOCKS,
    HORIZON_YEARS,
    SINGLE,
    SINGLE_PARENT,
    Population,
    generate,
    population_key,
)
from sim.streams import named_streams
from sim.timeline import PROGRAMME_START, WEEKS_PER_YEAR, date_of, week_of
from sim.wijken import NEAR, WIJKEN

Event = Callable[[int, int], None]  # (person, week)
Agenda = defaultdict[int, list[tuple[Event, int, int]]]  # week -> (event, person, spell)

# Stages as plain ints for the hot paths (an IntEnum attribute lookup costs ~1 us).
POOL, REFERRED, INTAKE, SELECTED, EMPLOYED, REJECTED, EXITED = (int(s) for s in Stage)

HORIZON_WEEKS = int(HORIZON_YEARS * WEEKS_PER_YEAR) - 1
_NEVER_WEEKS = 10**6  # beyond any horizon
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_NO_ABSENCE_WINDOW = 26  # weeks: the half-year of FACTS.md's sickness figures


def _seed_from(rng: int | np.integer | None) -> int:
    if rng is None:
        return secrets.randbits(63)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer) or rng < 0:
        raise TypeError(f"rng must be a non-negative integer seed or None, got {rng!r}")
    return int(rng)


class BasisbaanModel(mesa.Model):
    """The basisbaan programme of gemeente Groningen.

    Args:
        params: the parameters; ``Params()`` is the baseline.
        rng: the seed (a non-negative integer). Every random draw comes from named
            streams derived from it (``sim.streams``); None draws a fresh seed, kept in
            ``model.seed``.
    """

    def __init__(self, params: Params | None = None, *, rng: int | None = None):
        self.seed = _seed_from(rng)
        super().__init__(rng=self.seed)
        self.p = p = params if params is not None else Params()
        self.streams = named_streams(self.seed)
        self.population, pool = _population(p, self.seed, self.streams["population"].numpy)
        pop = self.population
        self.policy = policy_timeline(p, HORIZON_WEEKS)
        self.week = 0
        n = pop.size

        # Where everyone stands, and the participants' working state (by person).
        self.stage = np.zeros(n, np.int8)
        self.start_week = np.full(n, -1, np.int64)
        self.contract_hours = np.zeros(n)
        self.task_hours = np.zeros(n)
        self.sick = np.zeros(n, bool)
        self.last_sick_week = np.full(n, -(10**6), np.int64)
        self.permanent = np.zeros(n, bool)
        self.recent_sickness = np.zeros(n, bool)  # sick within the last 26 weeks
        self._guidance_group = np.zeros(n, np.int8)
        self._guidance = _GuidanceTotals()
        self._decline_rate = p.guidance_decline_per_year / WEEKS_PER_YEAR
        self.participants: dict[int, Recipient] = {}

        # The referral queue over the eligible pool: people enter the heap when they
        # become eligible and leave it, best referral key first, when referred.
        # The referral heap holds ranks (0 = first to be referred), see ReferralPool.
        self._by_rank = pool.by_rank
        self._entering = pool.entering
        self._entered_by = pool.entered_by
        self._eligible_base = pool.eligible_base
        self._next_eligible = 0
        self._heap: list[int] = []
        weeks = HORIZON_WEEKS + 2
        self._referred_window_closes = np.zeros(weeks, np.int64)
        self._referred_in_window = 0

        # Two agendas, week -> what happens then to whom: work events (sickness, hours,
        # tasks) and contract events (permanent contracts, exits).
        self.work_agenda: Agenda = defaultdict(list)
        self.contract_agenda: Agenda = defaultdict(list)

        # Actors.
        self.coaches: list[Coach] = []
        self.waiting_for_intake: deque[Recipient] = deque()
        self.selected: list[Recipient] = []
        self.organisations = [
            [WijkOrganisation(self, w) for _ in range(count)]
            for w, count in enumerate(organisations_by_wijk(p))
        ]
        self.guiding_organisations = [
            GuidingOrganisation(self) for _ in range(p.guiding_organisations)
        ]
        # Free tasks per wijk, bucketed by hours (largest first), so that matching
        # looks at a handful of tasks, not all of them (written for speed).
        self._hour_levels = tuple(reversed(task_hour_levels(p)))
        self.free_tasks: list[dict[int, list[int]]] = [
            {hours: [] for hours in self._hour_levels} for _ in WIJKEN
        ]
        self._free_count = 0
        self._wanting_tasks: list[int] = []  # people who found no tasks last time
        # Tasks that came free or were collected, per wijk: a search that failed is
        # tried again only once this changes near the person (written for speed).
        self._freed = [0] * len(WIJKEN)
        self._full_wijken: set[int] = set()
        self._failed_search: dict[tuple[int, bool], int] = {}
        self.task_wijk: list[int] = []
        self.task_hours_of: list[int] = []
        self.task_holder: list[int] = []
        self._wijk_weights = np.array([p.wijk_weights[w] for w in WIJKEN], float)
        self._near = [[WIJKEN.index(o) for o in NEAR[w]] for w in WIJKEN]

        self._init_tallies()
        self._leaving = {reason: _Leave(self, reason) for reason in ExitReason}
        self._admit_eligible(0)
        self._refer(p.initial_referrals, 0)
        self._collect_tasks(p.initial_tasks, 0, buffer=False)
        self._staff_intake(0)
        self._costs = WeekCosts(0, 0, 0, 0, 0, 0, 0)
        self.binding_constraint = "candidates"
        self.record = WeeklyRecord()
        self.record.collect(self)

    # ------------------------------------------------------------------------------
    # The week
    # ------------------------------------------------------------------------------
    def step(self) -> None:
        """One week of the programme."""
        self.week = week = self.steps
        if week > HORIZON_WEEKS:
            raise RuntimeError(f"the model runs until {date_of(HORIZON_WEEKS)} at the latest")
        self._held_back: set[str] = set()
        self.referral(week)
        self.intake(week)
        self.task_acquisition(week)
        self.matching_and_starts(week)
        self.work_and_guidance(week)
        self.contracts_and_exits(week)
        self.accounting(week)
        self.binding_constraint = next(
            (c for c in CONSTRAINTS if c in self._held_back), "candidates"
        )
        self.record.collect(self)

    @property
    def date(self):
        """The date at the end of the current week."""
        return date_of(self.week)

    # --- referral --------------------------------------------------------------------
    def referral(self, week: int) -> None:
        """Referrers put eligible candidates forward, as long as few are waiting."""
        self._admit_eligible(week)
        recruiting = self.policy.intake_coaches[week]
        expected = self.p.referrals_per_coach_week * recruiting * self.policy.pace[week]
        arrivals = self.streams["referral"].poisson(expected)
        room = self.p.referral_queue_max - len(self.waiting_for_intake)
        self._refer(min(arrivals, max(room, 0)), week)

    def _admit_eligible(self, week: int) -> None:
        """Put people who became eligible by ``week`` into the referral heap."""
        end = int(self._entered_by[week])
        if week == 0:
            self._heap = self._entering[:end]
            heapq.heapify(self._heap)
        else:
            for entry in self._entering[self._next_eligible : end]:
                heapq.heappush(self._heap, entry)
        self._next_eligible = end

    def _refer(self, count: int, week: int) -> None:
        for _ in range(count):
            person = self._next_candidate(week)
            if person < 0:
                return  # the eligible pool is empty
            self._enqueue(person, week)

    def _next_candidate(self, week: int) -> int:
        pop = self.population
        while self._heap:
            person = int(self._by_rank[heapq.heappop(self._heap)])
            if self.stage[person] == POOL and pop.eligible_to[person] > week:
                return person
        return -1

    def _enqueue(self, person: int, week: int, *, front: bool = False) -> None:
        self.stage[person] = REFERRED
        candidate = Recipient(self, person, week)
        if front:
            self.waiting_for_intake.appendleft(candidate)
        else:
            self.waiting_for_intake.append(candidate)
        self.referred_cum += 1
        end = int(self.population.eligible_to[person])
        if end < len(self._referred_window_closes):
            self._referred_window_closes[end] += 1
        self._referred_in_window += 1

    # --- intake and selection ----------------------------------------------------------
    def intake(self, week: int) -> None:
        """Coaches take candidates into intake, talk with them and select."""
        self._staff_intake(week)
        self._admit_to_intake(week)
        pace = self.policy.pace[week]
        # One uniform a week, spread over the coaches by golden-ratio steps: a fraction
        # of a conversation becomes a whole one for about that share of coaches, and the
        # stream stays in step between scenarios with different numbers of coaches.
        u = self.streams["intake"].scalar.random()
        planned = self.p.conversations_per_coach_week * pace
        whole, fraction = int(planned), planned - int(planned)
        for i, coach in enumerate(self.coaches):
            capacity = whole + int((u + i * _GOLDEN) % 1.0 < fraction)
            first_talks, decided = coach.hold_conversations(week, capacity)
            self.spoken_cum += first_talks
            for candidate, outcome in decided:
                self._decide(candidate, outcome, week)

    def _staff_intake(self, week: int) -> None:
        """Match the number of active coaches to the policy for this week."""
        wanted = int(self.policy.intake_coaches[week])
        while len(self.coaches) < wanted:
            self.coaches.append(Coach(self))
        for i, coach in enumerate(self.coaches):
            coach.active = i < wanted

    def _planned_starts(self) -> float:
        in_intake = sum(len(coach.caseload) for coach in self.coaches)
        return self.employed + len(self.selected) + self.p.expected_selection_share * in_intake

    def _admit_to_intake(self, week: int) -> None:
        ceiling = self.policy.job_ceiling[week]
        share = self.p.expected_selection_share
        planned = self._planned_starts()
        for coach in self.coaches:
            while coach.has_room() and self.waiting_for_intake:
                if planned + share > ceiling + 1e-9:
                    # Candidates stuck waiting for tasks fill the planned places: then
                    # tasks, not the ceiling, hold the next admissions back.
                    self._held_back.add("tasks" if self._wanting_tasks else "ceiling")
                    return
                if self._over_budget(week, planned + share - self.employed):
                    self._held_back.add("budget")
                    return
                candidate = self.waiting_for_intake.popleft()
                self.stage[candidate.person] = INTAKE
                coach.admit(candidate, week)
                planned += share
        if self.waiting_for_intake:
            # Referred candidates wait for a free intake slot.
            self._held_back.add("coaches")

    def _decide(self, candidate: Recipient, outcome: Outcome, week: int) -> None:
        person = candidate.person
        if outcome is not Outcome.SELECTED:
            self.stage[person] = REJECTED
            self.rejected_cum[outcome] += 1
            candidate.remove()
            return
        self.stage[person] = SELECTED
        candidate.ready_week = week + self.p.matching_weeks
        self.selected.append(candidate)
        partner = int(self.population.partner[person])
        if (
            partner >= 0
            and self.stage[partner] == POOL
            and self.population.eligible_from[partner]
            <= week
            < self.population.eligible_to[partner]
            and candidate.wants_partner_along()
        ):
            self._enqueue(partner, week, front=True)

    # --- tasks ----------------------------------------------------------------------------
    def task_acquisition(self, week: int) -> None:
        """Collect new tasks from wijk organisations while few tasks are unused."""
        expected = self.policy.task_acquisition[week]
        if expected <= 0:
            return
        count = self.streams["tasks"].poisson(expected)
        self._collect_tasks(count, week)

    def _collect_tasks(self, count: int, week: int, *, buffer: bool = True) -> None:
        # Collect first where candidates wait for tasks or participants lost one.
        wanted = self._wanting_tasks + list(self._short_of_tasks)
        for i in range(count):
            if buffer and not wanted and self._free_count >= self.p.free_task_buffer:
                return
            if wanted:
                wijk = int(self.population.wijk[wanted[i % len(wanted)]])
            else:
                wijk = int(self._draw_wijk())
            self._collect_task_near(wijk)

    def _draw_wijk(self) -> int:
        weights = self._wijk_weights
        u = self.streams["tasks"].scalar.random() * weights.sum()
        return int(np.searchsorted(np.cumsum(weights), u, side="right"))

    def _collect_task_near(self, wijk: int) -> bool:
        for area in (wijk, *self._near[wijk]):
            if area in self._full_wijken:
                continue
            for organisation in self.organisations[area]:
                if organisation.can_offer_task():
                    hours = organisation.offer_task()
                    task = len(self.task_wijk)
                    self.task_wijk.append(area)
                    self.task_hours_of.append(hours)
                    self.task_holder.append(-1)
                    self.free_tasks[area][hours].append(task)
                    self._free_count += 1
                    self._freed[area] += 1
                    self.tasks_total += 1
                    return True
            self._full_wijken.add(area)  # no organisation here has work left to offer
        return False

    def _find_tasks(
        self, person: int, hours_needed: float, slots: int, exclude: int = -1, near: bool = True
    ) -> list[int] | None:
        """Free tasks to fill ``hours_needed`` with at most ``slots`` tasks, largest first.

        The person's own wijk is tried alone first, then (if ``near``) with the wijken
        near it, own wijk first among tasks of equal hours. None when they cannot fill
        the hours.
        """
        wijk = int(self.population.wijk[person])
        options = ((wijk,), (wijk, *self._near[wijk])) if near else ((wijk,),)
        seen = sum(self._freed[area] for area in options[-1])
        if self._failed_search.get((person, near)) == seen:
            return None  # nothing came free nearby since the last search failed
        for areas in options:
            chosen: list[int] = []
            hours = 0
            for level in self._hour_levels:
                for area in areas:
                    for task in self.free_tasks[area][level]:
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

    def _hold_tasks(self, person: int, tasks: list[int]) -> None:
        for task in tasks:
            hours = self.task_hours_of[task]
            self.free_tasks[self.task_wijk[task]][hours].remove(task)
            self._free_count -= 1
            self.task_holder[task] = person
            self.task_hours[person] += hours

    def _release_task(self, person: int, task: int) -> None:
        hours = self.task_hours_of[task]
        self.task_holder[task] = -1
        self.free_tasks[self.task_wijk[task]][hours].append(task)
        self._free_count += 1
        self._freed[self.task_wijk[task]] += 1
        self.task_hours[person] -= hours

    # --- matching and starts ------------------------------------------------------------
    def matching_and_starts(self, week: int) -> None:
        """Selected candidates get tasks and start, within the ceiling and the budget."""
        ceiling = self.policy.job_ceiling[week]
        waiting = 0
        self._wanting_tasks = []
        started = 0
        for candidate in list(self.selected):
            if candidate.ready_week > week:
                continue
            if self.employed >= ceiling:
                self._held_back.add("ceiling")
                break
            if self._over_budget(week, 1):
                self._held_back.add("budget")
                break
            tasks = self._find_tasks(
                candidate.person, self.p.full_time_hours, self.p.tasks_per_participant_max
            )
            if tasks is None:
                waiting += 1
                self._wanting_tasks.append(candidate.person)
                continue
            self.selected.remove(candidate)
            self._start(candidate, tasks, week)
            started += 1
        self.waiting_for_tasks = waiting
        if waiting:
            self._held_back.add("tasks")
        for person in list(self._short_of_tasks):
            self._replace_task(person, week)

    def _over_budget(self, week: int, more: float) -> bool:
        budget = self.p.budget_net_eur_per_year
        if budget is None:
            return False
        # What is committed: last week's participants with every contract at full-time
        # hours (part-time starters move up) and their other costs, less benefits no
        # longer paid; then each start since, and ``more`` to come, at a first year's cost.
        c, p = self._costs, self.p
        full_time_wages = self._accounted_employed * full_time_wage_cost(p) / WEEKS_PER_YEAR
        committed = (c.gross - c.wages + full_time_wages - c.benefits_saved) * WEEKS_PER_YEAR
        marginal = net_cost_first_year(p, self.policy.contributions_per_job_year[week])
        added = self.employed - self._accounted_employed + more
        return committed + added * marginal > budget + 1e-6

    def _start(self, candidate: Recipient, tasks: list[int], week: int) -> None:
        p, pop = self.p, self.population
        person = candidate.person
        self.stage[person] = EMPLOYED
        self.start_week[person] = week
        self._failed_search.pop((person, True), None)
        self.participants[person] = candidate
        candidate.tasks = list(tasks)
        self._hold_tasks(person, tasks)
        part_time = bool(pop.part_time_start[person]) and p.hours_ramp_weeks > 0
        self.contract_hours[person] = p.part_time_start_hours if part_time else p.full_time_hours
        self.contract_hours_total += self.contract_hours[person]
        self.first_year += 1
        min(self.guiding_organisations, key=lambda g: g.participants).take_on(candidate)

        self.employed += 1
        self.started_cum += 1
        self.employed_by_wijk[pop.wijk[person]] += 1
        self.employed_women += int(pop.woman[person])
        self.employed_single_parents += int(pop.household_type[person] == SINGLE_PARENT)
        self.employed_couples += int(pop.household_type[person] == COUPLE)
        self.employed_45_plus += int(pop.age_years(person, week) >= 45)

        work, contract = self.work_agenda, self.contract_agenda
        if part_time:
            self._schedule(work, week + p.hours_ramp_weeks, self._full_hours, person)
        if pop.sickness_prone[person]:
            onset = week + self._weeks_until(p.sickness_onset_per_week)
            self._schedule(work, onset, self._report_sick, person)
        self._schedule_misfit(person, week)
        self._start_guidance(person, week)
        self._schedule(work, week + round(WEEKS_PER_YEAR), self._first_year_over, person)
        tenure_weeks = math.ceil(p.permanent_after_years * WEEKS_PER_YEAR)
        permanent = max(week + tenure_weeks, week_of(p.permanent_contracts_from), week + 1)
        self._schedule(contract, permanent, self._make_permanent, person)
        exit_week, reason = self._exit_plan(person, week)
        self._schedule(contract, exit_week, self._leaving[reason], person)

    # --- work and guidance -------------------------------------------------------------
    def work_and_guidance(self, week: int) -> None:
        """Participants work their hours, report sick and recover, and are guided."""
        self._run_agenda(self.work_agenda, week)
        short = sum(
            max(self.contract_hours[person] - self.task_hours[person], 0.0)
            for person in self._short_of_tasks
            if not self.sick[person]
        )
        self.hours_worked = self.contract_hours_total - self.sick_hours - short
        self.sick_absence_rate = (
            self.sick_hours / self.contract_hours_total if self.contract_hours_total else 0.0
        )
        self._guide(week)

    def _guide(self, week: int) -> None:
        """On-the-job guidance hours this week.

        A participant's hours are b * exp(-k * tenure) kept within 1-5 h/week, or stay
        at their start level for the small intensive group (FACTS.md). So each
        participant is capped (5 h), declining, or at the floor (1 h), and moves
        between these groups at dated events; the total is then exact in O(1):
        5 * capped + floor + exp(-k * week) * sum(b * exp(k * start)) + intensive.
        """
        g = self._guidance
        declining = g.weighted * math.exp(-self._decline_rate * week) if g.weighted else 0.0
        self.guidance_hours = g.constant + 5.0 * g.capped + g.floored + declining
        seasoned = self.employed
        self.no_absence_share = (
            (seasoned - self.recently_sick) / seasoned if seasoned else float("nan")
        )

    def _start_guidance(self, person: int, week: int) -> None:
        p, pop, g = self.p, self.population, self._guidance
        base = p.guidance_hours_start * float(pop.guidance_intensity[person])
        k = self._decline_rate
        if pop.intensive_guidance[person] or k == 0:
            self._guidance_group[person] = _CONSTANT
            g.constant += min(max(base, 1.0), 5.0)
        elif base > 5.0:
            self._guidance_group[person] = _CAPPED
            g.capped += 1
            self._schedule(
                self.work_agenda,
                week + math.ceil(math.log(base / 5.0) / k),
                self._guidance_declines,
                person,
            )
        elif base > 1.0:
            self._guidance_declines(person, week)
        else:
            self._guidance_group[person] = _FLOORED
            g.floored += 1

    def _guidance_declines(self, person: int, week: int) -> None:
        """From the cap (or the start), guidance hours decline with tenure."""
        g = self._guidance
        if self._guidance_group[person] == _CAPPED:
            g.capped -= 1
        base = self.p.guidance_hours_start * float(self.population.guidance_intensity[person])
        start = int(self.start_week[person])
        self._guidance_group[person] = _DECLINING
        g.weighted += base * math.exp(self._decline_rate * start)
        floor_week = start + math.ceil(math.log(base) / self._decline_rate)
        self._schedule(self.work_agenda, max(floor_week, week + 1), self._guidance_floors, person)

    def _guidance_floors(self, person: int, week: int) -> None:
        """Guidance has come down to the least of 1 h/week."""
        self._leave_guidance_group(person)
        self._guidance_group[person] = _FLOORED
        self._guidance.floored += 1

    def _leave_guidance_group(self, person: int) -> None:
        g, group = self._guidance, self._guidance_group[person]
        if group == _CONSTANT:
            base = self.p.guidance_hours_start * float(self.population.guidance_intensity[person])
            g.constant -= min(max(base, 1.0), 5.0)
        elif group == _CAPPED:
            g.capped -= 1
        elif group == _DECLINING:
            base = self.p.guidance_hours_start * float(self.population.guidance_intensity[person])
            g.weighted -= base * math.exp(self._decline_rate * int(self.start_week[person]))
        elif group == _FLOORED:
            g.floored -= 1
        self._guidance_group[person] = _NONE

    def _report_sick(self, person: int, week: int) -> None:
        self.sick[person] = True
        self.sick_hours += self.contract_hours[person]
        if not self.recent_sickness[person]:
            self.recent_sickness[person] = True
            self.recently_sick += 1
        self.last_sick_week[person] = week
        spell = self._weeks_until(1.0 / self.p.sickness_spell_weeks)
        self._schedule(self.work_agenda, week + spell, self._recover, person)

    def _recover(self, person: int, week: int) -> None:
        self.sick[person] = False
        self.sick_hours -= self.contract_hours[person]
        self.last_sick_week[person] = week - 1
        onset = week + self._weeks_until(self.p.sickness_onset_per_week)
        self._schedule(self.work_agenda, onset, self._report_sick, person)
        quiet = week - 1 + _NO_ABSENCE_WINDOW
        if quiet < onset:
            self._schedule(self.work_agenda, quiet, self._sickness_behind, person)

    def _sickness_behind(self, person: int, week: int) -> None:
        """Half a year without sickness: no longer counted as recently sick."""
        if self.recent_sickness[person] and not self.sick[person]:
            self.recent_sickness[person] = False
            self.recently_sick -= 1

    def _full_hours(self, person: int, week: int) -> None:
        more = self.p.full_time_hours - self.contract_hours[person]
        self.contract_hours[person] = self.p.full_time_hours
        self.contract_hours_total += more
        if self.sick[person]:
            self.sick_hours += more

    def _first_year_over(self, person: int, week: int) -> None:
        self.first_year -= 1

    def _schedule_misfit(self, person: int, week: int) -> None:
        tasks = len(self.participants[person].tasks)
        hazard = self.p.task_misfit_per_year * max(tasks, 1) / WEEKS_PER_YEAR
        if hazard > 0:
            self._schedule(
                self.work_agenda,
                week + self._weeks_until(hazard, "tasks"),
                self._task_misfit,
                person,
            )

    def _task_misfit(self, person: int, week: int) -> None:
        """A task stops fitting: it goes back to its organisation and is replaced."""
        participant = self.participants[person]
        if participant.tasks:
            pick = self.streams["tasks"].scalar.randrange(len(participant.tasks))
            task = participant.tasks.pop(pick)
            self._release_task(person, task)
            self._short_of_tasks[person] = task
            self._replace_task(person, week)
        self._schedule_misfit(person, week)

    def _replace_task(self, person: int, week: int) -> None:
        participant = self.participants[person]
        missing = self.p.full_time_hours - self.task_hours[person]
        if missing <= 0 or len(participant.tasks) >= self.p.tasks_per_participant_max:
            self._short_of_tasks.pop(person, None)
            return
        slots = self.p.tasks_per_participant_max - len(participant.tasks)
        # FACTS.md: tasks that do not fit are replaced by others in the same wijk.
        tasks = self._find_tasks(
            person, missing, slots, exclude=self._short_of_tasks.get(person, -1), near=False
        )
        if tasks:
            participant.tasks.extend(tasks)
            self._hold_tasks(person, tasks)
            self._short_of_tasks.pop(person, None)

    # --- contracts and exits -----------------------------------------------------------
    def contracts_and_exits(self, week: int) -> None:
        """Temporary contracts become permanent; participants leave for their reasons."""
        self._run_agenda(self.contract_agenda, week)
        self._referred_in_window -= int(self._referred_window_closes[week])

    def _make_permanent(self, person: int, week: int) -> None:
        self.permanent[person] = True
        self.employed_permanent += 1

    def _exit_plan(self, person: int, week: int) -> tuple[int, ExitReason]:
        """When and why this participant will leave, from their clocks (drawn up front).

        Voluntary ways out have a constant yearly hazard, lowered by the early exit
        factor in the first years; death follows a Gompertz law in age; retirement comes
        at state pension age. Each clock is a unit exponential, so the time to each exit
        inverts its cumulative hazard; the first to ring wins.
        """
        p, pop = self.p, self.population
        clocks = pop.exit_clock[person]
        rates = (p.exit_regular_job, p.exit_sheltered_work, p.exit_self_employed, p.exit_quit)
        years = [
            _voluntary_exit_years(float(c), r, p.early_exit_factor, p.early_exit_years)
            for c, r in zip(clocks[:4], rates, strict=True)
        ]
        age = float(pop.age_years(person, week))
        years.append(
            _gompertz_years(
                clocks[EXIT_CLOCKS.index("death")],
                age,
                p.mortality_at_50,
                p.mortality_doubling_years,
            )
        )
        years.append(max(p.state_pension_age - age, 0.0))
        reason = ExitReason(int(np.argmin(years)))
        return week + max(1, math.ceil(years[reason] * WEEKS_PER_YEAR)), reason

    def _exit(self, person: int, reason: ExitReason, week: int) -> None:
        pop = self.population
        participant = self.participants.pop(person)
        self.stage[person] = EXITED
        for task in participant.tasks:
            self._release_task(person, task)
        participant.tasks = []
        self._short_of_tasks.pop(person, None)
        self._failed_search.pop((person, False), None)
        if participant.guiding_organisation is not None:
            participant.guiding_organisation.let_go(participant)
        participant.remove()
        self._leave_guidance_group(person)
        if self.recent_sickness[person]:
            self.recent_sickness[person] = False
            self.recently_sick -= 1
        self.contract_hours_total -= self.contract_hours[person]
        if self.sick[person]:
            self.sick_hours -= self.contract_hours[person]
            self.sick[person] = False
        if week - self.start_week[person] < round(WEEKS_PER_YEAR):
            self.first_year -= 1
        self.employed -= 1
        self.exited_cum[reason] += 1
        self.employed_by_wijk[pop.wijk[person]] -= 1
        self.employed_women -= int(pop.woman[person])
        self.employed_single_parents -= int(pop.household_type[person] == SINGLE_PARENT)
        self.employed_couples -= int(pop.household_type[person] == COUPLE)
        self.employed_45_plus -= int(pop.age_years(person, self.start_week[person]) >= 45)
        if self.permanent[person]:
            self.employed_permanent -= 1

    # --- accounting ---------------------------------------------------------------------
    def accounting(self, week: int) -> None:
        """The week's costs, by item (sim.costs)."""
        self._accounted_employed = self.employed
        self._costs = week_costs(
            self.p,
            employed=self.employed,
            contract_hours=self.contract_hours_total,
            first_year=self.first_year,
            contributions_per_job_year=float(self.policy.contributions_per_job_year[week]),
            subsidy=float(self.policy.subsidy[week]),
        )

    @property
    def costs(self) -> WeekCosts:
        """This week's costs."""
        return self._costs

    # ------------------------------------------------------------------------------
    # Bookkeeping
    # ------------------------------------------------------------------------------
    def _init_tallies(self) -> None:
        self.employed = 0
        self.employed_permanent = 0
        self.employed_women = 0
        self.employed_single_parents = 0
        self.employed_couples = 0
        self.employed_45_plus = 0
        self.employed_by_wijk = np.zeros(len(WIJKEN), np.int64)
        self.referred_cum = 0
        self.spoken_cum = 0
        self.started_cum = 0
        self.rejected_cum = dict.fromkeys(Outcome, 0)
        self.exited_cum = dict.fromkeys(ExitReason, 0)
        self.waiting_for_tasks = 0
        self.tasks_total = 0
        self.contract_hours_total = 0.0
        self.sick_hours = 0.0
        self.recently_sick = 0
        self.hours_worked = 0.0
        self.guidance_hours = 0.0
        self.sick_absence_rate = 0.0
        self.no_absence_share = float("nan")
        self.first_year: int = 0  # participants in their first year
        self._short_of_tasks: dict[int, int] = {}
        self._accounted_employed = 0
        self._held_back = set()

    @property
    def eligible(self) -> int:
        """Eligible people on bijstand not (yet) referred."""
        return int(self._eligible_base[self.week]) - self._referred_in_window

    @property
    def in_intake(self) -> int:
        """Candidates in conversations with a coach."""
        return sum(len(coach.caseload) for coach in self.coaches)

    @property
    def tasks_free(self) -> int:
        """Tasks collected and not held by anyone."""
        return self._free_count

    def composition(self) -> dict[str, tuple[float, float]]:
        """Who takes part against who could, as (eligible share, participant share).

        Shares among everyone eligible at some time up to now and among everyone who
        started so far (FACTS.md: single parents and couples are under-represented,
        participants relatively old).
        """
        pop = self.population
        ever_eligible = (pop.eligible_from <= self.week) & (pop.eligible_to > pop.eligible_from)
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

    def stage_counts(self) -> dict[Stage, int]:
        """How many people stand in each stage (every person in exactly one)."""
        counts = np.bincount(self.stage, minlength=len(Stage))
        return {stage: int(counts[stage]) for stage in Stage}

    def _schedule(self, agenda: Agenda, week: int, action: Event, person: int) -> None:
        agenda[week].append((action, person, int(self.start_week[person])))

    def _weeks_until(self, weekly_chance: float, stream: str = "sickness") -> int:
        """Weeks until an event with this weekly chance (geometric, at least one)."""
        if weekly_chance >= 1:
            return 1
        if weekly_chance <= 0:
            return _NEVER_WEEKS
        # Inverse of the geometric distribution's CDF: weeks >= 1.
        u = self.streams[stream].scalar.random()
        weeks = math.log1p(-u) / math.log1p(-weekly_chance)
        return max(1, math.ceil(weeks)) if weeks < _NEVER_WEEKS else _NEVER_WEEKS

    def _run_agenda(self, agenda: Agenda, week: int) -> None:
        """Carry out this week's events; those of a participant who has left lapse."""
        for action, person, spell in agenda.pop(week, ()):
            if self.stage[person] == EMPLOYED and self.start_week[person] == spell:
                action(person, week)


_NONE, _CONSTANT, _CAPPED, _DECLINING, _FLOORED = range(5)  # guidance groups


@dataclass(frozen=True, slots=True)
class ReferralPool:
    """The eligible pool in referral order, derived once from a population.

    ``by_rank`` lists the ever-eligible people best referral key first; ``entering``
    their ranks in order of becoming eligible, and ``entered_by[week]`` how many of
    them are eligible by then; ``eligible_base[week]`` counts the eligible. The heap
    holds ranks as plain ints rather than tuples, which would cost garbage-collector
    time (written for speed).
    """

    by_rank: np.ndarray
    entering: list[int]
    entered_by: np.ndarray
    eligible_base: np.ndarray

    @classmethod
    def of(cls, pop: Population) -> ReferralPool:
        """Index a population's eligibility windows and referral keys."""
        ever = np.flatnonzero(pop.eligible_to > pop.eligible_from)
        by_rank = ever[np.argsort(-pop.referral_key[ever], kind="stable")]
        rank = np.empty(pop.size, np.int64)
        rank[by_rank] = np.arange(len(ever))
        order = ever[np.argsort(pop.eligible_from[ever], kind="stable")]
        weeks = HORIZON_WEEKS + 2
        opens = np.bincount(np.minimum(pop.eligible_from[ever], weeks - 1), minlength=weeks)
        closes = np.bincount(np.minimum(pop.eligible_to[ever], weeks - 1), minlength=weeks)
        return cls(
            by_rank=by_rank,
            entering=rank[order].tolist(),
            entered_by=np.searchsorted(
                pop.eligible_from[order], np.arange(HORIZON_WEEKS + 1), "right"
            ),
            eligible_base=np.cumsum(opens - closes),
        )


# The last few populations drawn, by seed and the parameters they depend on: the
# scenarios of one replicate share them (common random numbers), so a worker that runs
# them one after another draws the population once (written for speed). Populations
# are read-only, so sharing them is safe.
_POPULATIONS: OrderedDict[tuple[object, ...], tuple[Population, ReferralPool]] = OrderedDict()
_POPULATIONS_KEPT = 2


def _population(p: Params, seed: int, rng: np.random.Generator) -> tuple[Population, ReferralPool]:
    key = (seed, population_key(p))
    cached = _POPULATIONS.get(key)
    if cached is None:
        pop = generate(p, rng)
        cached = _POPULATIONS[key] = (pop, ReferralPool.of(pop))
        while len(_POPULATIONS) > _POPULATIONS_KEPT:
            _POPULATIONS.popitem(last=False)
    else:
        _POPULATIONS.move_to_end(key)
    return cached


class _GuidanceTotals:
    """Running totals of the guidance groups (see ``BasisbaanModel._guide``)."""

    __slots__ = ("capped", "constant", "floored", "weighted")

    def __init__(self) -> None:
        self.constant = 0.0  # hours of the intensive group
        self.capped = 0  # participants at 5 h/week
        self.floored = 0  # participants at 1 h/week
        self.weighted = 0.0  # sum of b * exp(k * start) of the declining group


class _Leave:
    """The exit event for one reason (a picklable callable, unlike a closure)."""

    __slots__ = ("model", "reason")

    def __init__(self, model: BasisbaanModel, reason: ExitReason):
        self.model = model
        self.reason = reason

    def __call__(self, person: int, week: int) -> None:
        self.model._exit(person, self.reason, week)


def _voluntary_exit_years(
    clock: float, rate: float, early_factor: float, early_years: float
) -> float:
    if rate <= 0:
        return math.inf
    early = rate * early_factor * early_years
    if clock < early:
        return clock / (rate * early_factor)
    return early_years + (clock - early) / rate


def _gompertz_years(clock: float, age: float, at_50: float, doubling: float) -> float:
    if at_50 <= 0:
        return math.inf
    scale = at_50 * doubling / math.log(2.0)
    now = 2.0 ** ((age - 50.0) / doubling)
    return 50.0 + doubling * math.log2(now + clock / scale) - age


__all__ = ["CONSTRAINTS", "PROGRAMME_START", "BasisbaanModel"]
