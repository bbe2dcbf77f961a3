"""Referral: the eligible pool, and the candidates put forward for an intake.

The bijstand pool is never looped over: people enter a heap (keyed by their place in
the referral order, drawn with the population) on the week they become eligible, and
leave it, best first, when referred. Referred candidates wait in a queue for a free
intake slot with a coach.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass

import mesa
import numpy as np

from sim.agents import Candidate
from sim.params import Params
from sim.policy import PolicyTimeline
from sim.population import Population
from sim.programme.people import POOL, REFERRED, People
from sim.streams import Stream


@dataclass(frozen=True, slots=True)
class ReferralPool:
    """The eligible pool in referral order, derived once from a population.

    Only people who would like (more) work can be referred. ``by_rank`` lists them,
    best referral key first; ``entering`` their ranks in order of becoming eligible,
    and ``entered_by[week]`` how many of them are eligible by then.
    ``eligible_base[week]`` counts everyone eligible, ``willing_base[week]`` the
    willing among them. The heap holds ranks as plain ints rather than tuples, which
    would cost garbage-collector time, and the columns the weekly loop reads one item
    at a time are Python lists, as reading a numpy item costs about ten times a list's
    (both written for speed).
    """

    by_rank: list[int]
    entering: list[int]
    entered_by: list[int]
    eligible_base: list[int]
    willing_base: list[int]

    @classmethod
    def of(cls, pop: Population, horizon_weeks: int) -> ReferralPool:
        """Index a population's eligibility windows, willingness and referral keys."""
        weeks = horizon_weeks + 2
        ever = np.flatnonzero(pop.eligible_to > pop.eligible_from)
        # Referable from when they are both eligible and willing, until the window closes.
        opens = np.maximum(pop.eligible_from, pop.willing_from)
        willing = np.flatnonzero(opens < pop.eligible_to)
        by_rank = willing[np.argsort(-pop.referral_key[willing], kind="stable")]
        rank = np.empty(pop.size, np.int64)
        rank[by_rank] = np.arange(len(willing))
        order = willing[np.argsort(opens[willing], kind="stable")]
        entered_by = np.searchsorted(opens[order], np.arange(horizon_weeks + 1), "right")
        return cls(
            by_rank=by_rank.tolist(),
            entering=rank[order].tolist(),
            entered_by=entered_by.tolist(),
            eligible_base=_in_window(pop.eligible_from[ever], pop.eligible_to[ever], weeks),
            willing_base=_in_window(opens[willing], pop.eligible_to[willing], weeks),
        )


def _in_window(opens: np.ndarray, closes: np.ndarray, weeks: int) -> list[int]:
    """How many windows [opens, closes) are open in each week."""
    opened = np.bincount(np.minimum(opens, weeks - 1), minlength=weeks)
    closed = np.bincount(np.minimum(closes, weeks - 1), minlength=weeks)
    return np.cumsum(opened - closed).tolist()


class Referral:
    """Referrers put eligible candidates forward, as long as few are waiting.

    Args:
        host: the Mesa model the referred candidates live in.
        p: the parameters.
        people: the programme's people.
        pool: the eligible pool in referral order.
        policy: the levers week by week (intake coaches, pace).
        arrivals: the stream of the weekly number of referrals.
    """

    def __init__(
        self,
        host: mesa.Model,
        p: Params,
        people: People,
        pool: ReferralPool,
        policy: PolicyTimeline,
        arrivals: Stream,
    ):
        self.host, self.p, self.people, self.policy = host, p, people, policy
        self._arrivals = arrivals
        self.waiting: deque[Candidate] = deque()  # referred, waiting for an intake slot
        self.referred_cum = 0
        self._pool = pool
        self._next_eligible = 0
        self._heap: list[int] = []
        # The levers read each week, as lists (written for speed, as in ReferralPool).
        self._coaches = policy.intake_coaches.tolist()
        self._pace = policy.pace.tolist()
        # Referred people whose eligibility window closes in each week: the eligible
        # and willing counts leave them out until then.
        self._window_closes = [0] * len(pool.eligible_base)
        self._willing_window_opens = [0] * len(pool.eligible_base)
        self._willing_window_closes = [0] * len(pool.eligible_base)
        self._in_window = 0
        self._willing_in_window = 0

    def refer(self, week: int) -> None:
        """This week's referrals: about ``referrals_per_coach_week`` per recruiting coach."""
        self._in_window -= self._window_closes[week]
        self._willing_in_window += self._willing_window_opens[week]
        self._willing_in_window -= self._willing_window_closes[week]
        self.admit_eligible(week)
        recruiting = self._coaches[week]
        expected = self.p.referrals_per_coach_week * recruiting * self._pace[week]
        arrivals = self._arrivals.poisson(expected)
        room = self.p.referral_queue_max - len(self.waiting)
        self.refer_best(min(arrivals, max(room, 0)), week)

    def admit_eligible(self, week: int) -> None:
        """Put people who became eligible by ``week`` into the referral heap."""
        end = self._pool.entered_by[week]
        if week == 0:
            self._heap = self._pool.entering[:end]
            heapq.heapify(self._heap)
        else:
            for entry in self._pool.entering[self._next_eligible : end]:
                heapq.heappush(self._heap, entry)
        self._next_eligible = end

    def refer_best(self, count: int, week: int) -> None:
        """Refer the ``count`` eligible people first in the referral order."""
        for _ in range(count):
            person = self._next_candidate(week)
            if person < 0:
                return  # the eligible pool is empty
            self.enqueue(person, week)

    def _next_candidate(self, week: int) -> int:
        stage, eligible_to = self.people.stage, self.people.population.eligible_to
        by_rank, heap = self._pool.by_rank, self._heap
        while heap:
            person = by_rank[heapq.heappop(heap)]
            if stage[person] == POOL and eligible_to[person] > week:
                return person
        return -1

    def enqueue(self, person: int, week: int, *, front: bool = False) -> None:
        """Refer ``person``: they wait for an intake slot (at the front: a partner)."""
        self.people.stage[person] = REFERRED
        candidate = Candidate(self.host, person, week)
        if front:
            self.waiting.appendleft(candidate)
        else:
            self.waiting.append(candidate)
        self.referred_cum += 1
        # Leave the eligible (and the willing) pool counts until the window closes; a
        # partner referred before they wanted work leaves the willing count when they
        # would have joined it.
        pop = self.people.population
        end, willing_from = int(pop.eligible_to[person]), int(pop.willing_from[person])
        last = len(self._window_closes) - 1
        self._window_closes[min(end, last)] += 1
        self._in_window += 1
        if willing_from < end:
            self._willing_window_closes[min(end, last)] += 1
            if willing_from <= week:
                self._willing_in_window += 1
            else:
                self._willing_window_opens[min(willing_from, last)] += 1

    def eligible(self, week: int) -> int:
        """Eligible people on bijstand in ``week`` not (yet) referred."""
        return self._pool.eligible_base[week] - self._in_window

    def willing_pool(self, week: int) -> int:
        """Eligible people in ``week`` who would like (more) work, not (yet) referred."""
        return self._pool.willing_base[week] - self._willing_in_window
