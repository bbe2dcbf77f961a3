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


def test_nobody_is_referred_in_the_week_their_window_closes():
    ref, _ = referral(eligible_to=[5, 99, 99, 99, 99])
    ref.admit_eligible(0)
    ref.refer_best(1, week=5)
    assert [c.person for c in ref.waiting] == [1]


def test_the_willing_count_follows_referred_windows_as_they_open_and_close():
    # Persons 0 and 1 are referred in week 0 with windows closing in week 20; person 4
    # is referred as a partner before wanting work (from week 10), with person 3.
    ref, _ = referral(
        params={"referral_queue_max": 0},
        eligible_to=[20, 20, 99, 99, 99],
        willing_from=[0, 0, 0, 10, 10],
    )
    ref.admit_eligible(0)
    ref.refer_best(2, week=0)
    ref.enqueue(3, week=0, front=True)
    ref.enqueue(4, week=0, front=True)
    assert ref.willing_pool(0) == 1  # person 2
    for week in range(1, 21):
        ref.refer(week)
        # Three willing from week 10 (2, 3, 4); 3 and 4 are referred: still 1 until
        # week 20, when 0 and 1's windows close and leave both counts alike.
        assert ref.willing_pool(week) == 1, week
    assert ref.eligible(20) == 1


def test_a_referred_person_whose_window_never_closes_stays_out_of_the_pool_to_the_end():
    # The window of a never-closing eligibility ends beyond the horizon (week 601 here):
    # up to and including the last week (600) the referred person is not counted.
    ref, _ = referral(params={"referral_queue_max": 0})
    ref.admit_eligible(0)
    ref.refer_best(1, week=0)
    for week in range(1, WEEKS + 1):
        ref.refer(week)
    assert ref.eligible(WEEKS) == 4
    assert ref.willing_pool(WEEKS) == 4


def test_a_window_opening_beyond_the_horizon_never_counts():
    # Person 0 becomes eligible only after the horizon (week 10**6): never in the pool.
    pool = ReferralPool.of(setting(3, eligible_from=[10**6, 0, 0])[2].population, WEEKS)
    assert pool.eligible_base[WEEKS - 1] == 2
    assert pool.eligible_base[WEEKS] == 2
    assert pool.willing_base[WEEKS] == 2
    assert len(pool.eligible_base) == WEEKS + 2


def test_ties_in_the_referral_key_go_in_the_order_of_the_population():
    # Two keys for forty people: the twenty with the higher key first, each twenty in
    # the order of their number (a stable sort, so a run does not depend on the sort).
    ref, _ = referral(40, referral_key=[0.0, -1.0] * 20)
    ref.admit_eligible(0)
    ref.refer_best(40, week=0)
    assert [c.person for c in ref.waiting] == list(range(0, 40, 2)) + list(range(1, 40, 2))
