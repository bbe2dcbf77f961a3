"""Referral on a handful of people: the best first, only the eligible, a bounded queue."""

from __future__ import annotations

import pytest

from sim.programme.people import POOL, REFERRED
from sim.programme.referral import Referral, ReferralPool

from .tiny import WEEKS, setting, stream


def referral(n=5, params=None, **columns):
    host, p, people, policy = setting(n, params, **columns)
    pool = ReferralPool.of(people.population, WEEKS)
    return Referral(host, p, people, pool, policy, stream("referral")), people


def test_the_best_referral_key_goes_first():
    # Keys: person 3 first, then 1, 4, 0, 2.
    ref, people = referral(referral_key=[-3.0, -1.0, -5.0, 0.0, -2.0])
    ref.admit_eligible(0)
    ref.refer_best(3, week=0)
    assert [c.person for c in ref.waiting] == [3, 1, 4]
    assert list(people.stage) == [POOL, REFERRED, POOL, REFERRED, REFERRED]
    assert ref.referred_cum == 3


def test_only_people_eligible_now_are_referred():
    # Person 0 becomes eligible in week 10, person 1's window closed in week 2, person 2
    # is in a re-integration route (an empty window): only 3 and 4 can go in week 5.
    ref, _ = referral(eligible_from=[10, 0, 0, 0, 0], eligible_to=[99, 2, 0, 99, 99])
    ref.admit_eligible(0)
    ref.admit_eligible(5)
    ref.refer_best(5, week=5)
    assert [c.person for c in ref.waiting] == [3, 4]
    ref.admit_eligible(10)
    ref.refer_best(5, week=10)
    assert [c.person for c in ref.waiting] == [3, 4, 0]


def test_the_eligible_count_leaves_out_the_referred_until_their_window_closes():
    # A full queue (at most 0 waiting) keeps the weekly referrals at nobody.
    ref, _ = referral(params={"referral_queue_max": 0}, eligible_to=[20, 20, 20, 30, 30])
    ref.admit_eligible(0)
    assert ref.eligible(0) == 5
    ref.refer_best(2, week=0)  # persons 0 and 1 (keys 0 and -1)
    assert ref.eligible(0) == 3
    ref.refer(week=19)
    assert ref.eligible(19) == 3
    # In week 20 the windows of 0, 1 and 2 close: of the eligible only 3 and 4 remain.
    ref.refer(week=20)
    assert ref.eligible(20) == 2


def test_referrals_stop_when_the_queue_is_full():
    # Ten referrals a week expected for each of two coaches, but at most 2 may wait.
    ref, _ = referral(8, {"referrals_per_coach_week": 10.0, "referral_queue_max": 2})
    ref.admit_eligible(0)
    ref.refer(week=1)
    assert len(ref.waiting) == 2
    ref.refer(week=2)
    assert len(ref.waiting) == 2  # nobody left the queue, so nobody more is referred


def test_a_partner_is_put_at_the_front_of_the_queue():
    ref, people = referral()
    ref.admit_eligible(0)
    ref.refer_best(2, week=0)
    ref.enqueue(4, week=0, front=True)
    assert [c.person for c in ref.waiting] == [4, 0, 1]
    assert people.stage[4] == REFERRED


def test_weekly_referrals_are_poisson_around_the_rate_per_recruiting_coach():
    # 1.5 referrals a week for each of two coaches, at full pace after COVID-19 (week
    # 150, mid-January 2023): mean 3; during COVID-19 (pace 0.6): 1.8.
    means = []

    class Counting:
        def poisson(self, mean):
            means.append(mean)
            return 0

    ref, _ = referral(params={"referrals_per_coach_week": 1.5})
    ref._arrivals = Counting()
    ref.refer(week=150)
    ref.refer(week=50)
    assert means == [pytest.approx(3.0), pytest.approx(1.8)]


def test_the_willing_pool_counts_the_eligible_who_want_work_and_are_not_referred():
    # Person 4 wants work only from week 10; persons 0 and 1 are referred in week 0.
    ref, _ = referral(willing_from=[0, 0, 0, 0, 10])
    ref.admit_eligible(0)
    assert ref.willing_pool(0) == 4
    ref.refer_best(2, week=0)
    assert ref.willing_pool(0) == 2
    assert ref.eligible(0) == 3
    assert ref.willing_pool(10) == 3


def test_a_partner_referred_before_wanting_work_leaves_the_willing_count_when_they_would_join():
    # Nobody else is referred meanwhile (a queue of at most 0 waiting).
    ref, _ = referral(params={"referral_queue_max": 0}, willing_from=[0, 0, 0, 0, 10])
    ref.admit_eligible(0)
    ref.enqueue(4, week=0, front=True)
    assert ref.willing_pool(0) == 4
    ref.refer(week=10)
    assert ref.willing_pool(10) == 4  # 5 willing by then, less the partner
