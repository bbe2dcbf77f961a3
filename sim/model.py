"""BasisbaanModel: the Groningen basisbaan programme, one step a week from 1 March 2020.

The model builds the programme's parts (``sim.programme``), each owning its state, and
``step()`` calls them in the programme's order: referral, intake conversations and
selection, task collection in the wijken, matching and starts, work and guidance,
contracts and exits, accounting. It then records which constraint held starts back and
the week's outcomes. Speed comes from not visiting people who have nothing to do: the
bijstand pool is a set of arrays with a referral heap, only referred people are Mesa
agents, and what happens to a participant later is put on a weekly agenda when it is
decided.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

import mesa
import numpy as np

from sim.agents import ExitReason, Recipient
from sim.constraints import CONSTRAINTS
from sim.costs import WeekCosts
from sim.outcomes import WeeklyRecord
from sim.params import Params
from sim.policy import policy_timeline
from sim.population import HORIZON_YEARS, Population, generate, population_key
from sim.programme.accounting import Accounting
from sim.programme.contracts import Contracts
from sim.programme.intake import Intake
from sim.programme.people import People
from sim.programme.referral import Referral, ReferralPool
from sim.programme.tasks import TaskMarket, TaskStreams
from sim.programme.work import Work
from sim.streams import named_streams
from sim.timeline import PROGRAMME_START, WEEKS_PER_YEAR, date_of

HORIZON_WEEKS = int(HORIZON_YEARS * WEEKS_PER_YEAR) - 1


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
        record: what is recorded each week (default: every outcome and the employed
            per wijk); it only reads the model, so it does not change the run.
    """

    def __init__(
        self,
        params: Params | None = None,
        *,
        rng: int | None = None,
        record: WeeklyRecord | None = None,
    ):
        self.seed = _seed_from(rng)
        super().__init__(rng=self.seed)
        self.p = p = params if params is not None else Params()
        self.streams = streams = named_streams(self.seed)
        self.population, pool = _population(p, self.seed, streams["population"].numpy)
        self.policy = policy = policy_timeline(p, HORIZON_WEEKS)
        # The jobs funded, read several times a week: a list, as reading a numpy item
        # costs about ten times a list's (written for speed).
        self._job_ceiling = policy.job_ceiling.tolist()
        self.week = 0

        # The programme's parts, each owning its state; `people` is what they share.
        self.people = people = People(self.population, len(p.areas))
        self.referral = Referral(self, p, people, pool, policy, streams["referral"])
        self.intake = Intake(self, p, people, policy, streams["intake"])
        self.tasks = TaskMarket(
            self,
            p,
            people,
            policy,
            near=_neighbours(p),
            weights=[area.weight for area in p.areas],
            streams=TaskStreams(
                organisations=streams["organisations"],
                collection=streams["task_collection"],
                area=streams["task_area"],
                hours=streams["task_hours"],
                misfit_timing=streams["task_misfit"],
                misfit_choice=streams["task_misfit_choice"],
            ),
        )
        self.work = Work(
            self,
            p,
            people,
            onset=streams["sickness_onset"],
            spell=streams["sickness_spell"],
            more_hours=self.tasks.more_hours,
        )
        self.contracts = Contracts(p, people, leave=self._leave)
        self.accounting = Accounting(p, people, policy)

        # Where the programme stood on 1 March 2020 (or, if it starts later, nothing yet).
        self.opening_week = max(0, -(-(p.programme_start - PROGRAMME_START).days // 7))
        self.referral.admit_eligible(0)
        if self.opening_week == 0:
            self._open(0)
        self.intake.staff(0)
        self.binding_constraint = "candidates"
        self.record = record if record is not None else WeeklyRecord()
        self.record.collect(self)

    # ------------------------------------------------------------------------------
    # The week
    # ------------------------------------------------------------------------------
    def step(self) -> None:
        """One week of the programme."""
        self.week = week = self.steps
        if week > HORIZON_WEEKS:
            raise RuntimeError(f"the model runs until {date_of(HORIZON_WEEKS)} at the latest")
        held_back: set[str] = set()
        if week == self.opening_week:
            self._open(week)
        self.referral.refer(week)
        held_back.update(self.intake_and_selection(week))
        self.tasks.collect_weekly(week)
        held_back.update(self.matching_and_starts(week))
        self.work_and_guidance(week)
        self.contracts_and_exits(week)
        self.accounting.account(week, self.work.contract_hours_total)
        self.binding_constraint = next((c for c in CONSTRAINTS if c in held_back), "candidates")
        self.record.collect(self)

    def _open(self, week: int) -> None:
        """The programme opens: the first candidates are referred, the first tasks collected."""
        self.referral.admit_eligible(week)
        self.referral.refer_best(self.p.initial_referrals, week)
        self.tasks.collect(self.p.initial_tasks, buffer=False)

    def intake_and_selection(self, week: int) -> set[str]:
        """Coaches take candidates into intake, talk with them and select.

        Returns what held admissions back: the ceiling, the budget, tasks (when the
        planned places are filled by candidates waiting for tasks) or coaches.
        """
        self.intake.staff(week)
        held = self.intake.admit(week, self.referral.waiting, self._admission_held_back)
        for partner in self.intake.hold_conversations(week):
            self.referral.enqueue(partner, week, front=True)
        return {held} if held else set()

    def _admission_held_back(self, planned: float) -> str | None:
        week = self.week
        if planned > self._job_ceiling[week] + 1e-9:
            # Candidates stuck waiting for tasks fill the planned places: then tasks,
            # not the ceiling, hold the next admissions back.
            return "tasks" if self.tasks.wanting else "ceiling"
        if self.accounting.over_budget(week, planned - self.people.employed):
            return "budget"
        return None

    def matching_and_starts(self, week: int) -> set[str]:
        """Selected candidates get tasks and start, within the ceiling and the budget.

        Returns what held starts back: the ceiling, the budget, or tasks.
        """
        ceiling, slots = self._job_ceiling[week], self.p.tasks_per_participant_max
        held: set[str] = set()
        # What each waiting candidate asks, looked up once (written for speed: while
        # tasks are short, every selected candidate is asked about each week).
        people, find, starting_hours = self.people, self.tasks.find, self.work.starting_hours
        over_budget = self.accounting.over_budget
        self.tasks.wanting = wanting = {}
        for candidate in list(self.intake.selected):
            if candidate.ready_week > week:
                continue
            if people.employed >= ceiling:
                held.add("ceiling")
                break
            if over_budget(week, 1):
                held.add("budget")
                break
            person = candidate.person
            hours = starting_hours(person)
            tasks = find(person, hours, slots)
            if tasks is None:
                wanting[person] = hours
                continue
            self.intake.selected.remove(candidate)
            self._start(candidate, tasks, week)
        if wanting:
            held.add("tasks")
        self.tasks.replace_lost()
        return held

    def _start(self, candidate: Recipient, tasks: list[int], week: int) -> None:
        """A selected candidate starts: every part takes them on."""
        person = candidate.person
        self.people.start(candidate, week)
        self.tasks.take_up(candidate, tasks, week)
        self.work.start(candidate, week)
        self.tasks.plan_misfit(person, week)
        self.work.start_guidance(person, week)
        self.accounting.start(person, week)
        self.contracts.start(person, week)

    def work_and_guidance(self, week: int) -> None:
        """Participants work their hours, report sick and recover, and are guided."""
        self.people.work_agenda.run(week)
        self.work.tally(week, self.tasks.hours_short())

    def contracts_and_exits(self, week: int) -> None:
        """Temporary contracts become permanent; participants leave for their reasons."""
        self.people.contract_agenda.run(week)

    def _leave(self, person: int, reason: ExitReason, week: int) -> None:
        """A participant leaves: every part lets go of them."""
        participant = self.people.participants[person]
        self.tasks.give_up(participant)
        self.work.leave(participant)
        self.accounting.leave(person, week)
        self.contracts.count_exit(person, reason)
        self.people.leave(person)
        participant.remove()

    # ------------------------------------------------------------------------------
    # What the weekly record and the reader see
    # ------------------------------------------------------------------------------
    @property
    def date(self):
        """The date at the end of the current week."""
        return date_of(self.week)

    @property
    def employed(self) -> int:
        """Participants in a basisbaan."""
        return self.people.employed

    @property
    def eligible(self) -> int:
        """Eligible people on bijstand not (yet) referred."""
        return self.referral.eligible(self.week)

    @property
    def willing_pool(self) -> int:
        """Eligible people who would like (more) work, not (yet) referred."""
        return self.referral.willing_pool(self.week)

    @property
    def costs(self) -> WeekCosts:
        """This week's costs."""
        return self.accounting.costs

    def composition(self) -> dict[str, tuple[float, float]]:
        """Who takes part against who could (see ``People.composition``)."""
        return self.people.composition(self.week)


def _neighbours(p: Params) -> list[list[int]]:
    """For each area, the areas near it, as indices into ``p.areas``."""
    index = {area.name: i for i, area in enumerate(p.areas)}
    return [[index[other] for other in area.near] for area in p.areas]


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
        cached = _POPULATIONS[key] = (pop, ReferralPool.of(pop, HORIZON_WEEKS))
        while len(_POPULATIONS) > _POPULATIONS_KEPT:
            _POPULATIONS.popitem(last=False)
    else:
        _POPULATIONS.move_to_end(key)
    return cached


__all__ = ["CONSTRAINTS", "HORIZON_WEEKS", "PROGRAMME_START", "BasisbaanModel"]
