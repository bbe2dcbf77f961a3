"""Intake and selection: the coaches, their conversations, and their decisions.

Coaches take referred candidates into intake while a place is planned for them, hold
several conversations with each, and decide: selected, or rejected with the reason the
2022 letter reports. The partner of a selected candidate may be offered an intake too
(FACTS.md: a basisbaan for both partners).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import mesa

from sim.agents import Candidate, Coach, IntakeDecision, Recipient
from sim.params import Params
from sim.policy import PolicyTimeline
from sim.programme.people import INTAKE, POOL, REJECTED, SELECTED, People
from sim.streams import Stream

_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


class Intake:
    """The municipal coaches' intake: admissions, conversations and selection.

    Args:
        host: the Mesa model the coaches and the selected (agents) live in.
        p: the parameters.
        people: the programme's people.
        policy: the levers week by week (intake coaches, pace).
        conversations: the stream that spreads a fraction of a conversation over coaches.
    """

    def __init__(
        self,
        host: mesa.Model,
        p: Params,
        people: People,
        policy: PolicyTimeline,
        conversations: Stream,
    ):
        self.host, self.p, self.people, self.policy = host, p, people, policy
        self._conversations = conversations
        # The levers read each week, as lists (written for speed: see Referral).
        self._coaches = policy.intake_coaches.tolist()
        self._pace = policy.pace.tolist()
        self.coaches: list[Coach] = []
        self.selected: list[Recipient] = []  # selected, not yet started
        # Candidates in conversations with a coach: the coaches' caseloads, counted as
        # they change (written for speed: admissions read it for every candidate).
        self.in_intake = 0
        self.spoken_cum = 0
        self.rejected_cum = dict.fromkeys(IntakeDecision, 0)

    def staff(self, week: int) -> None:
        """Match the number of active coaches to the policy for this week."""
        wanted = self._coaches[week]
        while len(self.coaches) < wanted:
            self.coaches.append(Coach(self.host))
        for i, coach in enumerate(self.coaches):
            coach.active = i < wanted

    def planned_starts(self) -> float:
        """Starts the coaches count on: employed, selected, and a share of those in intake."""
        return (
            self.people.employed
            + len(self.selected)
            + self.p.expected_selection_share * self.in_intake
        )

    def admit(
        self, week: int, waiting: deque[Candidate], held_back: Callable[[float], str | None]
    ) -> str | None:
        """Take waiting candidates into intake while coaches have room and places are planned.

        ``held_back(planned)`` names what stops an admission that would bring the planned
        starts to ``planned`` (or None). Returns what held admissions back this week:
        that, or "coaches" when candidates still wait for a slot.
        """
        share = self.p.expected_selection_share
        planned = self.planned_starts()
        for coach in self.coaches:
            while coach.has_room() and waiting:
                reason = held_back(planned + share)
                if reason is not None:
                    return reason
                candidate = waiting.popleft()
                self.people.stage[candidate.person] = INTAKE
                coach.admit(candidate, week)
                self.in_intake += 1
                planned += share
        return "coaches" if waiting else None

    def hold_conversations(self, week: int) -> list[int]:
        """This week's conversations and decisions; returns partners to offer an intake.

        One uniform a week is spread over the coaches by golden-ratio steps: a fraction
        of a conversation becomes a whole one for about that share of coaches, and the
        stream stays in step between scenarios with different numbers of coaches.
        """
        u = self._conversations.scalar.random()
        planned = self.p.conversations_per_coach_week * self._pace[week]
        whole, fraction = int(planned), planned - int(planned)
        partners: list[int] = []
        for i, coach in enumerate(self.coaches):
            capacity = whole + int((u + i * _GOLDEN) % 1.0 < fraction)
            first_talks, decided = coach.hold_conversations(week, capacity)
            self.spoken_cum += first_talks
            self.in_intake -= len(decided)
            for candidate, decision in decided:
                partner = self._decide(candidate, decision, week)
                if partner >= 0:
                    partners.append(partner)
        return partners

    def _decide(self, candidate: Candidate, decision: IntakeDecision, week: int) -> int:
        """Carry out a decision; returns the partner to offer an intake, or -1.

        The selected candidate becomes a recipient (a Mesa agent); the rejected leave.
        """
        person, stage, pop = candidate.person, self.people.stage, self.people.population
        if decision is not IntakeDecision.SELECTED:
            stage[person] = REJECTED
            self.rejected_cum[decision] += 1
            return -1
        stage[person] = SELECTED
        self.selected.append(Recipient(self.host, person, week + self.p.matching_weeks))
        partner = int(pop.partner[person])
        if (
            partner >= 0
            and stage[partner] == POOL
            and pop.eligible_from[partner] <= week < pop.eligible_to[partner]
            and candidate.wants_partner_along()
        ):
            return partner
        return -1
