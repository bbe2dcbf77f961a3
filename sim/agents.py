"""The programme's actors: recipients in the pipeline, coaches, wijk and guiding organisations.

Behaviour only: each agent decides, the model (``sim.model``) counts. A recipient
becomes a Mesa agent when referred; the bijstand pool behind them lives in the
population arrays (``sim.population``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import mesa

from sim.population import COUPLE, SINGLE_PARENT
from sim.wijken import WIJKEN

if TYPE_CHECKING:
    from sim.model import BasisbaanModel
    from sim.params import Params


class Stage(IntEnum):
    """Where a person stands in the programme. Everyone is in exactly one."""

    POOL = 0  # not (yet) referred: on bijstand or not, eligible or not
    REFERRED = 1  # waiting for an intake slot
    INTAKE = 2  # in conversations with a coach
    SELECTED = 3  # selected, matching to tasks and waiting to start
    EMPLOYED = 4
    REJECTED = 5
    EXITED = 6


class Outcome(IntEnum):
    """The end of an intake: selected, or rejected with its reason (FACTS.md, 2022 letter)."""

    SELECTED = 0
    PAID_WORK = 1  # still a prospect of paid work (regular or with wage subsidy)
    HEALTH = 2  # physical limitations too great
    VOLUNTEERING = 3  # prefers to keep their current volunteering
    OTHER = 4  # cannot or dare not take the step


class ExitReason(IntEnum):
    """Ways out of a basisbaan (FACTS.md)."""

    REGULAR_JOB = 0
    SHELTERED_WORK = 1
    SELF_EMPLOYED = 2
    QUIT = 3
    DEATH = 4
    RETIREMENT = 5


class Recipient(mesa.Agent):
    """A person on bijstand who has been referred, from intake to leaving the programme."""

    model: BasisbaanModel

    def __init__(self, model: BasisbaanModel, person: int, referred_week: int):
        super().__init__(model)
        self.person = person
        self.referred_week = referred_week
        self.conversations = 0
        self.next_conversation = referred_week
        self.coach: Coach | None = None
        self.ready_week = -1  # first week the selected candidate can start
        self.tasks: list[int] = []
        self.guiding_organisation: GuidingOrganisation | None = None

    def attend_conversation(self, week: int) -> bool:
        """Have one intake conversation; True when the coach has heard enough to decide."""
        self.conversations += 1
        self.next_conversation = week + self.model.p.weeks_between_conversations
        return self.conversations >= self.model.p.intake_conversations

    def prefers_volunteering(self) -> bool:
        """A volunteer may prefer to keep their volunteering over a basisbaan."""
        pop = self.model.population
        return bool(pop.volunteering[self.person] and pop.keeps_volunteering[self.person])

    def takes_the_step(self) -> bool:
        """Whether the person can and dares take the step to work.

        The step weighs heavier for couples (the household income changes) and single
        parents (care and work to combine): FACTS.md, 2022 letter.
        """
        p, pop = self.model.p, self.model.population
        chance = p.cannot_take_step
        kind = pop.household_type[self.person]
        if kind == COUPLE:
            chance *= p.cannot_factor_couples
        elif kind == SINGLE_PARENT:
            chance *= p.cannot_factor_single_parents
        return bool(pop.cannot_draw[self.person] >= min(chance, 1.0))

    def wants_partner_along(self) -> bool:
        """Whether the partner of a selected candidate is offered an intake too."""
        return bool(self.model.population.partner_draw[self.person] < self.model.p.partner_referral)


class Coach(mesa.Agent):
    """A municipal coach: recruits, holds intake conversations and selects."""

    model: BasisbaanModel

    def __init__(self, model: BasisbaanModel):
        super().__init__(model)
        self.caseload: list[Recipient] = []
        self.active = True

    def has_room(self) -> bool:
        """Whether the coach can take another candidate into intake."""
        return self.active and len(self.caseload) < self.model.p.intake_slots_per_coach

    def admit(self, candidate: Recipient, week: int) -> None:
        """Take a referred candidate into intake; the first conversation is this week."""
        candidate.coach = self
        candidate.next_conversation = week
        self.caseload.append(candidate)

    def hold_conversations(
        self, week: int, capacity: int
    ) -> tuple[int, list[tuple[Recipient, Outcome]]]:
        """Talk with the candidates who are due, first come first served.

        Returns how many candidates had their first conversation, and the candidates
        whose intake ended this week with the decision.
        """
        first_talks = 0
        decided = []
        for candidate in list(self.caseload):
            if capacity == 0:
                break
            if candidate.next_conversation > week:
                continue
            capacity -= 1
            first_talks += candidate.conversations == 0
            if candidate.attend_conversation(week):
                self.caseload.remove(candidate)
                decided.append((candidate, self.assess(candidate)))
        return first_talks, decided

    def assess(self, candidate: Recipient) -> Outcome:
        """Decide after the conversations, in the order the 2022 letter reports the reasons."""
        pop = self.model.population
        person = candidate.person
        if pop.prospect_paid_work[person]:
            return Outcome.PAID_WORK
        if pop.physical_limitations[person]:
            return Outcome.HEALTH
        if candidate.prefers_volunteering():
            return Outcome.VOLUNTEERING
        if not candidate.takes_the_step():
            return Outcome.OTHER
        return Outcome.SELECTED


class WijkOrganisation(mesa.Agent):
    """An organisation in a wijk that supplies tasks, as long as they displace nobody."""

    model: BasisbaanModel

    def __init__(self, model: BasisbaanModel, wijk: int):
        super().__init__(model)
        self.wijk = wijk
        self.tasks_supplied = 0

    def can_offer_task(self) -> bool:
        """Whether the organisation has useful work left that no paid job or volunteer does."""
        return self.tasks_supplied < self.model.p.tasks_per_organisation

    def offer_task(self) -> int:
        """Supply one more task; returns its hours per week."""
        self.tasks_supplied += 1
        levels = task_hour_levels(self.model.p)
        return levels[self.model.streams["tasks"].scalar.randrange(len(levels))]


def organisations_by_wijk(p: Params) -> list[int]:
    """Organisations per wijk, in the order of WIJKEN.

    On average ``organisations_per_wijk``, in proportion to the wijk's bijstand weight,
    at least one (assumption: larger and poorer wijken have more community centres,
    clubs and care for residents).
    """
    weights = [p.wijk_weights[name] for name in WIJKEN]
    mean = sum(weights) / len(weights)
    return [max(1, round(p.organisations_per_wijk * w / mean)) for w in weights]


def task_hour_levels(p: Params) -> tuple[int, ...]:
    """The hours a task can have: from the least, in steps of 4 h, up to the most."""
    return tuple(range(p.task_hours_min, p.task_hours_max + 1, 4))


class GuidingOrganisation(mesa.Agent):
    """One of the four organisations whose work coaches guide participants on the job."""

    model: BasisbaanModel

    def __init__(self, model: BasisbaanModel):
        super().__init__(model)
        self.participants = 0

    def take_on(self, participant: Recipient) -> None:
        """Guide a new participant."""
        participant.guiding_organisation = self
        self.participants += 1

    def let_go(self, participant: Recipient) -> None:
        """Stop guiding a participant who left."""
        participant.guiding_organisation = None
        self.participants -= 1
