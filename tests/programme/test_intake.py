"""Intake on a handful of people: admissions, conversations and decisions."""

from __future__ import annotations

from collections import deque

import pytest

from sim.agents import Candidate, IntakeDecision, Recipient
from sim.population import COUPLE
from sim.programme.intake import Intake
from sim.programme.people import INTAKE, REFERRED, REJECTED, SELECTED

from .tiny import setting, stream


def intake(n=5, params=None, **columns):
    host, p, people, policy = setting(n, params, **columns)
    people.stage[:] = REFERRED
    part = Intake(host, p, people, policy, stream("intake"))
    part.staff(week=100)  # after COVID-19: full pace
    waiting = deque(Candidate(host, person, 0) for person in range(n))
    return part, waiting, people


def never_held(planned):
    return None


def test_coaches_admit_up_to_their_slots_and_then_coaches_hold_back():
    # Two coaches of 2 slots each: 4 of 5 waiting are admitted, one waits for a slot.
    part, waiting, people = intake(params={"intake_slots_per_coach": 2})
    assert len(part.coaches) == 2
    assert part.admit(100, waiting, never_held) == "coaches"
    assert part.in_intake == 4
    assert [c.person for c in waiting] == [4]
    assert (people.stage[:4] == INTAKE).all()


def test_admissions_stop_where_the_planned_starts_reach_what_holds_back():
    # Each admission adds a third of a start to the plan: the third admission would
    # bring it to 1.0, which the rule refuses (as a full ceiling would).
    part, waiting, _ = intake()
    seen = []

    def ceiling_of_one(planned):
        seen.append(planned)
        return "ceiling" if planned > 0.9 else None

    assert part.admit(100, waiting, ceiling_of_one) == "ceiling"
    assert part.in_intake == 2
    assert seen == [1 / 3, 2 / 3, 1.0]


def test_after_the_conversations_the_coach_decides_and_the_books_follow():
    # Person 0 still has a prospect of paid work, person 1 is fine, and the others
    # wait: 3 conversations two weeks apart, 5 conversations a week per coach.
    part, waiting, people = intake(
        2, {"intake_slots_per_coach": 1}, prospect_paid_work=[True, False]
    )
    part.admit(100, waiting, never_held)
    for week in (100, 102, 104):
        part.hold_conversations(week)
    assert part.spoken_cum == 2
    assert part.rejected_cum[IntakeDecision.PAID_WORK] == 1
    assert [c.person for c in part.selected] == [1]
    assert part.selected[0].ready_week == 104 + part.p.matching_weeks
    assert people.stage[0] == REJECTED
    assert people.stage[1] == SELECTED


def test_the_eligible_partner_of_a_selected_candidate_is_offered_an_intake():
    # Persons 0 and 1 are a couple; 0 is in intake and wants the partner along.
    part, waiting, people = intake(
        2,
        {"intake_slots_per_coach": 1, "cannot_factor_couples": 0.0},
        partner=[1, 0],
        household_type=[COUPLE, COUPLE],
        partner_draw=[0.0, 0.0],
    )
    waiting.pop()  # the partner (person 1) is still in the pool
    people.stage[1] = 0
    part.admit(100, waiting, never_held)
    partners = [part.hold_conversations(week) for week in (100, 102, 104)]
    assert partners == [[], [], [1]]


def test_staffing_follows_the_coaches_of_the_week():
    # FACTS.md: two experienced coaches at first; the policy may add and remove coaches.
    part, _, _ = intake(
        params={
            "intake_coaches": {2020: 2, 2024: 3, 2025: 1},
            "intake_coaches_follow_ceiling": False,
        }
    )
    assert [c.active for c in part.coaches] == [True, True]
    part.staff(week=250)  # December 2024
    assert [c.active for c in part.coaches] == [True, True, True]
    part.staff(week=260)  # February 2025
    assert [c.active for c in part.coaches] == [True, False, False]


def test_planned_starts_count_the_employed_the_selected_and_a_share_in_intake():
    part, waiting, people = intake(5, {"intake_slots_per_coach": 4})
    part.admit(100, waiting, never_held)  # 5 in intake
    assert part.planned_starts() == pytest.approx(5 / 3)
    part.selected.append(Recipient(part.host, 4))  # selected, not yet started
    people.employed = 2
    assert part.planned_starts() == pytest.approx(2 + 1 + 5 / 3)


def test_a_fraction_of_a_conversation_is_spread_over_the_coaches():
    # 2.5 conversations a week per coach: each week every coach holds 2 or 3, and over
    # many weeks 2.5 on average (one uniform a week spread by golden-ratio steps).
    part, _, _ = intake(params={"conversations_per_coach_week": 2.5})
    held = []
    for coach in part.coaches:
        coach.hold_conversations = lambda week, capacity, held=held: (
            held.append(capacity) or (0, [])
        )
    for week in range(100, 500):
        part.hold_conversations(week)
    assert set(held) == {2, 3}
    # A golden-ratio sequence is low-discrepancy: the share of 3s stays within about
    # log(n)/n of one half, far inside 0.02 (8 of the 400 weeks' conversations).
    assert sum(held) / len(held) == pytest.approx(2.5, abs=0.02)


def test_each_rejection_reason_is_counted_and_the_candidate_leaves():
    # Four candidates, one per reason of the 2022 letter (FACTS.md), in that order.
    part, waiting, people = intake(
        4,
        {"intake_slots_per_coach": 2},
        prospect_paid_work=[True, False, False, False],
        physical_limitations=[False, True, False, False],
        volunteering=[False, False, True, False],
        keeps_volunteering=[False, False, True, False],
        cannot_draw=[0.99, 0.99, 0.99, 0.0],
    )
    part.admit(100, waiting, never_held)
    for week in (100, 102, 104):
        part.hold_conversations(week)
    assert part.rejected_cum == {
        IntakeDecision.SELECTED: 0,
        IntakeDecision.PAID_WORK: 1,
        IntakeDecision.HEALTH: 1,
        IntakeDecision.VOLUNTEERING: 1,
        IntakeDecision.OTHER: 1,
    }
    assert (people.stage[:4] == REJECTED).all()
    assert part.selected == []
    assert part.spoken_cum == 4  # each counted once, at the first conversation


def test_the_partner_is_not_offered_an_intake_when_they_cannot_come():
    # The partner is already referred, or not eligible this week, or the candidate does
    # not want them along (a draw above partner_referral).
    def partner_offered(stage=0, eligible_from=0, draw=0.0):
        part, waiting, people = intake(
            2,
            {"intake_slots_per_coach": 1, "cannot_factor_couples": 0.0, "partner_referral": 0.5},
            partner=[1, 0],
            household_type=[COUPLE, COUPLE],
            partner_draw=[draw, 0.0],
            eligible_from=[0, eligible_from],
        )
        waiting.pop()
        people.stage[1] = stage
        part.admit(100, waiting, never_held)
        return [part.hold_conversations(week) for week in (100, 102, 104)][-1]

    assert partner_offered() == [1]
    assert partner_offered(stage=REFERRED) == []
    assert partner_offered(eligible_from=200) == []
    assert partner_offered(draw=0.6) == []


def test_rejections_of_one_reason_add_up_and_offer_no_partner():
    # Two candidates with a prospect of paid work, each with a partner in the pool: both
    # rejected, counted twice, and no partner is offered an intake.
    part, waiting, people = intake(
        4,
        {"intake_slots_per_coach": 1},
        prospect_paid_work=[True, True, False, False],
        partner=[2, 3, 0, 1],
        household_type=[COUPLE] * 4,
        partner_draw=[0.0] * 4,
    )
    waiting.pop()
    waiting.pop()
    people.stage[2:] = 0
    part.admit(100, waiting, never_held)
    partners = [part.hold_conversations(week) for week in (100, 102, 104)]
    assert partners == [[], [], []]
    assert part.rejected_cum[IntakeDecision.PAID_WORK] == 2


def test_the_partner_is_offered_from_the_week_their_window_opens_until_it_closes():
    # The partner may be person 0; they are eligible from week 104 (the decision week)
    # and no longer once their window closes in that week.
    def offered(eligible_from, eligible_to):
        part, waiting, people = intake(
            2,
            {"intake_slots_per_coach": 1, "cannot_factor_couples": 0.0},
            partner=[1, 0],
            household_type=[COUPLE, COUPLE],
            partner_draw=[0.0, 0.0],
            eligible_from=[eligible_from, 0],
            eligible_to=[eligible_to, 999],
        )
        waiting.popleft()  # person 0, the partner, stays in the pool
        people.stage[0] = 0
        part.admit(100, waiting, never_held)
        return [part.hold_conversations(week) for week in (100, 102, 104)][-1]

    assert offered(104, 999) == [0]
    assert offered(0, 104) == []
    assert offered(0, 105) == [0]


def test_admit_says_nothing_held_back_when_everyone_waiting_got_a_slot():
    part, waiting, _ = intake(3, {"intake_slots_per_coach": 2})
    assert part.admit(100, waiting, never_held) is None
    assert not waiting


class FixedUniform:
    """A stand-in for the conversations stream: one uniform a week, given in turn."""

    def __init__(self, *values):
        self.scalar = self
        self.values = list(values)

    def random(self):
        return self.values.pop(0)


def capacities(part, week):
    seen = []
    for coach in part.coaches:
        coach.hold_conversations = lambda week, capacity, seen=seen: (
            seen.append(capacity) or (0, [])
        )
    part.hold_conversations(week)
    return seen


def test_the_fraction_of_a_conversation_goes_to_coaches_by_golden_ratio_steps():
    # 2.5 a week for three coaches and u = 0.1: coach i holds a third conversation when
    # (0.1 + 0.618 i) mod 1 < 0.5: coaches 0 (0.1) and 2 (0.336), not 1 (0.718).
    part, _, _ = intake(params={"conversations_per_coach_week": 2.5, "intake_coaches": {2020: 3}})
    part.staff(week=100)
    part._conversations = FixedUniform(0.1)
    assert capacities(part, 100) == [3, 2, 3]


def test_covid_slows_the_conversations_too():
    # 5 a week at pace 0.6 during COVID-19 (week 50): 3 a week per coach.
    part, _, _ = intake(params={"conversations_per_coach_week": 5.0})
    part.staff(week=50)
    assert capacities(part, 50) == [3, 3]
