"""The programme's actors: recipients in the pipeline, coaches, wijk and guiding organisations.

Behaviour only: each agent decides, the programme's parts (``sim.programme``) count. A
person referred is a candidate, and becomes a Mesa agent (a recipient) when selected;
the bijstand pool behind them lives in the population arrays (``sim.population``).
Agents live in a *programme*: a Mesa model that carries the parameters (``p``) and the
population (``population``), which their rules read.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

import mesa

from sim.population import COUPLE, SINGLE_PARENT

if TYPE_CHECKING:
    from sim.params import Params
    from sim.population import Population
    from sim.streams import Stream


class Programme(Protocol):
    """What the agents' rules read from the model they live in."""

    p: Params
    population: Population


class IntakeDecision(IntEnum):
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
    END_OF_TERM = 6  # a time-limited (re-integration) job ended without a regular job


class Candidate:
    """A person on bijstand who has been referred: waiting for and in intake.

    Not (yet) a Mesa agent: most candidates are not selected, and making each an agent
    and removing it again took 5% of a run (written for speed). The selected become a
    :class:`Recipient`.
    """

    __slots__ = ("conversations", "model", "next_conversation", "person")

    def __init__(self, model: Programme, person: int, referred_week: int):
        self.model = model
        self.person = person
        self.conversations = 0
        self.next_conversation = referred_week

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
        if p.design == "supplement":
            # The benefit stays: the household's income does not hang on the step.
            chance *= p.supplement_step_factor
        elif kind == COUPLE:
            chance *= p.cannot_factor_couples
        elif kind == SINGLE_PARENT:
            chance *= p.cannot_factor_single_parents
        return bool(pop.cannot_draw[self.person] >= min(chance, 1.0))

    def wants_partner_along(self) -> bool:
        """Whether the partner of a selected candidate is offered an intake too."""
        return bool(self.model.population.partner_draw[self.person] < self.model.p.partner_referral)


class Recipient(mesa.Agent):
    """A selected candidate, from waiting for tasks to leaving the programme."""

    model: Programme

    def __init__(self, model: mesa.Model, person: int, ready_week: int = -1):
        super().__init__(model)
        self.person = person
        self.ready_week = ready_week  # first week the selected candidate can start
        self.tasks: list[int] = []
        self.guiding_organisation: GuidingOrganisation | None = None


class Coach(mesa.Agent):
    """A municipal coach: recruits, holds intake conversations and selects."""

    model: Programme

    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.caseload: list[Candidate] = []
        self.active = True

    def has_room(self) -> bool:
        """Whether the coach can take another candidate into intake."""
        return self.active and len(self.caseload) < self.model.p.intake_slots_per_coach

    def admit(self, candidate: Candidate, week: int) -> None:
        """Take a referred candidate into intake; the first conversation is this week."""
        candidate.next_conversation = week
        self.caseload.append(candidate)

    def hold_conversations(
        self, week: int, capacity: int
    ) -> tuple[int, list[tuple[Candidate, IntakeDecision]]]:
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

    def assess(self, candidate: Candidate) -> IntakeDecision:
        """Decide after the conversations, in the order the 2022 letter reports the reasons."""
        pop = self.model.population
        person = candidate.person
        if pop.prospect_paid_work[person]:
            return IntakeDecision.PAID_WORK
        if pop.physical_limitations[person]:
            return IntakeDecision.HEALTH
        if candidate.prefers_volunteering():
            return IntakeDecision.VOLUNTEERING
        if not candidate.takes_the_step():
            return IntakeDecision.OTHER
        return IntakeDecision.SELECTED


class WijkOrganisation(mesa.Agent):
    """An organisation in a wijk that supplies tasks from its additional work.

    No displacement (FACTS.md: the work may not displace paid jobs or volunteering): an
    organisation offers basisbaan tasks only from its *additional work*, the work that
    neither its paid staff nor its volunteers do, a number of hours per week of its
    own. A task is offered only when its hours fit in what is left of that work, so an
    organisation runs out of tasks to offer instead of handing over a job or a
    volunteer's work.
    """

    def __init__(
        self,
        model: mesa.Model,
        wijk: int,
        *,
        additional_work: float,
        hour_levels: tuple[int, ...],
        hours_stream: Stream,
    ):
        super().__init__(model)
        self.wijk = wijk
        self.additional_work = additional_work
        self.hour_levels = hour_levels  # ascending
        self.offered_hours = 0
        self.tasks_supplied = 0
        self._hours = hours_stream

    def can_offer_task(self) -> bool:
        """Whether the smallest task still fits in the additional work left."""
        return self.additional_work - self.offered_hours >= self.hour_levels[0]

    def offer_task(self, hours_asked: int | None = None) -> int:
        """Supply one more task that fits the additional work left; returns its hours.

        A task of ``hours_asked`` when asked for and it fits; otherwise the hours of the
        work the organisation has at hand (one of those that fit, at random).
        """
        left = self.additional_work - self.offered_hours
        if hours_asked is not None and hours_asked <= left:
            hours = hours_asked
        else:
            fitting = [hours for hours in self.hour_levels if hours <= left]
            hours = fitting[self._hours.scalar.randrange(len(fitting))]
        self.offered_hours += hours
        self.tasks_supplied += 1
        return hours


class GuidingOrganisation(mesa.Agent):
    """One of the four organisations whose work coaches guide participants on the job."""

    def __init__(self, model: mesa.Model):
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
