"""The task market on three wijken in a row (0 - 1 - 2) and a handful of people."""

from __future__ import annotations

import pytest

from sim.agents import Recipient
from sim.programme.tasks import TaskMarket, TaskStreams, organisations_per_area

from .tiny import NEAR_IN_A_ROW, setting, stream

# One organisation per wijk with 64 h of additional work, all in tasks of 16 h: it
# offers exactly 4 tasks, and a participant needs exactly two for 32 contract hours
# (one for a part-time start of 16 h), so every choice can be worked out by hand.
ONE_KIND = {
    "organisations_per_wijk": 1,
    "additional_work_hours": 64.0,
    "additional_work_spread": 0.0,
    "task_hours_min": 16,
    "task_hours_max": 16,
    "part_time_start_hours": 16.0,
}


def market(wijk=(0, 0, 2, 1, 1), **params):
    host, p, people, policy = setting(len(wijk), {**ONE_KIND, **params}, wijk=list(wijk))
    s = stream()
    streams = TaskStreams(
        organisations=s, collection=s, area=s, hours=s, misfit_timing=s, misfit_choice=s
    )
    tasks = TaskMarket(
        host, p, people, policy, near=NEAR_IN_A_ROW, weights=[1, 1, 1], streams=streams
    )
    return host, people, tasks


def start(host, people, tasks, person, chosen, week=0):
    candidate = Recipient(host, person, week)
    people.start(candidate, week)
    people.contract_hours[person] = 32
    tasks.take_up(candidate, chosen, week)
    return candidate


def test_organisations_follow_the_area_weights_with_at_least_one():
    # Mean 8 over weights (1, 1, 0.1): the average weight is 0.7, so 8/0.7 ~ 11.4 per
    # unit weight: 11, 11 and round(1.14) = 1.
    assert organisations_per_area(8, [1.0, 1.0, 0.1]) == [11, 11, 1]
    assert organisations_per_area(1, [1.0, 1.0, 0.01]) == [1, 1, 1]


def test_a_candidate_takes_tasks_from_their_own_wijk_first():
    _, _, tasks = market()
    for area in (0, 0, 1, 1):
        assert tasks.collect_near(area)
    assert tasks.task_wijk == [0, 0, 1, 1]
    assert tasks.find(person=0, hours_needed=32, slots=3) == [0, 1]  # own wijk 0
    assert tasks.find(person=3, hours_needed=32, slots=3) == [2, 3]  # own wijk 1


def test_a_candidate_with_no_tasks_at_home_takes_them_from_a_near_wijk():
    _, _, tasks = market()
    for area in (0, 1, 1):
        tasks.collect_near(area)
    # Person 2 lives in wijk 2, which has no tasks; wijk 1 is near, wijk 0 is not.
    assert tasks.find(person=2, hours_needed=32, slots=3) == [1, 2]
    # Person 0 (wijk 0) has one task at home: the own task first, then one near.
    assert tasks.find(person=0, hours_needed=32, slots=3) == [0, 1]
    # Without the near wijken (a replacement), one 16 h task cannot fill 32 h.
    assert tasks.find(person=0, hours_needed=32, slots=3, near=False) is None


def test_tasks_are_never_more_than_the_organisations_can_offer_without_displacement():
    _, _, tasks = market(additional_work_hours=48.0)
    # Wijk 0's one organisation has 48 h: 3 tasks; the 4th comes from wijk 1 (near), and
    # once wijken 0 and 1 are full, nothing near wijk 0 is left.
    placed = [tasks.collect_near(0) for _ in range(7)]
    assert placed == [True] * 6 + [False]
    assert tasks.task_wijk == [0, 0, 0, 1, 1, 1]
    assert [o.tasks_supplied for area in tasks.organisations for o in area] == [3, 3, 0]


def test_collection_goes_first_where_people_wait_for_tasks():
    _, _, tasks = market(free_task_buffer=0)
    tasks.wanting = {2: 32.0}  # person 2 lives in wijk 2 and needs 32 h
    tasks.collect(3)
    assert tasks.task_wijk == [2, 2, 2]


def test_collection_pauses_while_enough_tasks_are_unused():
    _, _, tasks = market(free_task_buffer=2)
    tasks.collect(5)
    assert tasks.tasks_total == 2  # nobody waits and two tasks are free: it stops
    tasks.collect(5, buffer=False)
    assert tasks.tasks_total == 7


def test_holding_and_giving_up_tasks_keeps_the_books():
    host, people, tasks = market()
    for area in (0, 0, 0):
        tasks.collect_near(area)
    candidate = start(host, people, tasks, 0, [0, 1])
    assert people.task_hours[0] == 32
    assert tasks.task_holder == [0, 0, -1]
    assert tasks.free_count == 1
    tasks.give_up(candidate)
    assert people.task_hours[0] == 0
    assert tasks.task_holder == [-1, -1, -1]
    assert tasks.free_count == 3


def test_a_task_that_stops_fitting_is_replaced_in_the_own_wijk_only():
    host, people, tasks = market()
    for area in (0, 0, 1):
        tasks.collect_near(area)
    candidate = start(host, people, tasks, 0, [0, 1])
    # No third task in wijk 0: the one that stops fitting cannot be replaced by
    # itself nor by wijk 1's task, so the participant is short of a task.
    tasks.task_stops_fitting(0, week=5)
    assert len(candidate.tasks) == 1
    assert 0 in tasks.short
    assert tasks.hours_short() == pytest.approx(16.0)  # 32 h under contract, 16 h of tasks
    # A task comes free in wijk 0: the replacement is found.
    tasks.collect_near(0)
    tasks.replace_lost()
    assert 0 not in tasks.short
    assert people.task_hours[0] == 32
    assert all(tasks.task_wijk[t] == 0 for t in candidate.tasks)
