"""The shared people: agendas, and the employed tallies counted in and out alike."""

from __future__ import annotations

import math

import numpy as np

from sim.agents import Recipient
from sim.population import COUPLE, SINGLE, SINGLE_PARENT
from sim.programme.people import EMPLOYED, EXITED, Stage
from sim.timeline import WEEKS_PER_YEAR

from .tiny import setting


def test_events_run_in_order_and_lapse_when_the_participant_has_left():
    host, _, people, _ = setting(3)
    for person in (0, 1):
        people.start(Recipient(host, person), week=0)
    ran = []
    people.work_agenda.add(5, lambda person, week: ran.append(("a", person, week)), 0)
    people.work_agenda.add(5, lambda person, week: ran.append(("b", person, week)), 1)
    people.work_agenda.add(6, lambda person, week: ran.append(("c", person, week)), 0)
    people.leave(1)
    people.work_agenda.run(5)
    assert ran == [("a", 0, 5)]  # b lapsed: person 1 left
    # An event of an earlier spell lapses when the person starts again later.
    people.leave(0)
    people.start(Recipient(host, 0), week=6)
    people.work_agenda.run(6)
    assert ran == [("a", 0, 5)]


def test_tallies_count_a_participant_in_and_out_the_same_way():
    # A woman single parent of 50, a man in a couple of 30 (at the start), in wijken 2, 1.
    host, _, people, _ = setting(
        2,
        woman=[True, False],
        household_type=[SINGLE_PARENT, COUPLE],
        birth_week=[-50 * 52.18, -30 * 52.18],
        wijk=[2, 1],
    )
    for person in (0, 1):
        people.start(Recipient(host, person), week=0)
    assert people.employed == 2
    assert people.employed_women == 1
    assert people.employed_single_parents == 1
    assert people.employed_couples == 1
    assert people.employed_45_plus == 1
    assert list(people.employed_by_wijk) == [0, 1, 1]
    people.leave(0)
    people.leave(1)
    assert people.started_cum == 2
    tallies = (
        people.employed,
        people.employed_women,
        people.employed_single_parents,
        people.employed_couples,
        people.employed_45_plus,
        people.employed_by_wijk.sum(),
    )
    assert tallies == (0, 0, 0, 0, 0, 0)
    assert people.stage_counts()[Stage.EXITED] == 2
    assert list(people.stage[:2]) == [EXITED, EXITED]


def test_composition_compares_participants_with_the_ever_eligible():
    # Four eligible, of whom one single and one single parent started.
    host, _, people, _ = setting(4, household_type=[SINGLE, SINGLE_PARENT, SINGLE, COUPLE])
    for person in (0, 1):
        people.start(Recipient(host, person), week=0)
    shares = people.composition(week=10)
    assert shares["single"] == (0.5, 0.5)
    assert shares["single parent"] == (0.25, 0.5)
    assert shares["couple"] == (0.25, 0.0)
    assert people.stage[0] == EMPLOYED


def test_stage_counts_name_every_stage_even_when_empty():
    _, _, people, _ = setting(3)
    assert people.stage_counts() == {stage: (3 if stage == Stage.POOL else 0) for stage in Stage}


def test_leaving_returns_the_participant():
    host, _, people, _ = setting(1)
    candidate = Recipient(host, 0)
    people.start(candidate, week=0)
    assert people.leave(0) is candidate
    assert people.participants == {}


def test_composition_counts_groups_among_the_ever_eligible_and_the_started():
    # Six people, by hand. Eligible windows: 0 [0, 99), 1 [5, 99) (opens in week 5),
    # 2 [20, 99) (not yet by week 10), 3 [0, 0) (never: a re-integration route), 4 and 5
    # [0, 99). Persons 0 and 4 started (in week 2); ages at the start or when eligible:
    # 0 is 45.0 (exactly), 1 is 44 at week 5, 4 is 30, and 5 turns 45 half a week after
    # the programme start, so is 44 when eligible (week 0).
    y = WEEKS_PER_YEAR
    host, _, people, _ = setting(
        6,
        woman=[True, True, False, True, False, False],
        household_type=[SINGLE, SINGLE_PARENT, COUPLE, COUPLE, COUPLE, COUPLE],
        debts=[True, False, False, False, True, False],
        birth_week=[2 - 45 * y, 5 - 44 * y, -50 * y, -50 * y, 2 - 30 * y, 0.5 - 45 * y],
        eligible_from=[0, 5, 20, 0, 0, 0],
        eligible_to=[99, 99, 99, 0, 99, 99],
    )
    for person in (0, 4):
        people.start(Recipient(host, person), week=2)
    shares = people.composition(week=10)
    # Ever eligible by week 10: 0, 1, 4, 5 (four); started: 0 and 4 (two).
    assert shares == {
        "women": (2 / 4, 1 / 2),
        "aged 45+": (1 / 4, 1 / 2),
        "aged 27-44": (3 / 4, 1 / 2),
        "single": (1 / 4, 1 / 2),
        "single parent": (1 / 4, 0.0),
        "couple": (2 / 4, 1 / 2),
        "debts": (2 / 4, 2 / 2),
    }
    # Person 1 (the single parent) counts from the week their window opens, not before.
    assert people.composition(week=5)["single parent"] == (1 / 4, 0.0)
    assert people.composition(week=4)["single parent"] == (0.0, 0.0)


def test_composition_before_anyone_starts_has_no_participant_shares():
    _, _, people, _ = setting(2)
    shares = people.composition(week=0)
    assert shares["women"][0] == 0.0
    assert all(math.isnan(participants) for _, participants in shares.values())
    # Nobody eligible at all: shares of zero, not a division by zero.
    _, _, nobody, _ = setting(2, eligible_to=[0, 0])
    assert nobody.composition(week=0)["women"][0] == 0.0
    # One eligible woman: a share of one.
    _, _, one, _ = setting(2, eligible_to=[99, 0], woman=[True, False])
    assert one.composition(week=0)["women"][0] == 1.0


def test_the_tallies_count_only_their_own_group_and_45_from_the_birthday():
    # A single man who turns 45 in the week he starts, a single parent of 44, a couple.
    y = WEEKS_PER_YEAR
    host, _, people, _ = setting(
        3,
        household_type=[SINGLE, SINGLE_PARENT, COUPLE],
        birth_week=[3 - 45 * y, 3 - 44.9 * y, 3 - 30 * y],
    )
    for person in range(3):
        people.start(Recipient(host, person), week=3)
    assert people.employed_single_parents == 1
    assert people.employed_couples == 1
    assert people.employed_45_plus == 1


def test_per_person_columns_hold_integers_and_flags():
    # Counts and weeks are integers, so the tables written from them keep those types.
    # The tiny population stores its wijk as int8: the copy must convert, not reinterpret
    # its bytes.
    _, _, people, _ = setting(3, wijk=[2, 0, 1])
    assert people.start_week.dtype == np.int64
    assert people.stage.dtype == np.int8
    assert people.employed_by_wijk.dtype == np.int64
    # The columns read one person at a time are typed stdlib arrays (not lists, which
    # every garbage collection would walk): hours as doubles, flags and groups as bytes.
    assert people.contract_hours.typecode == people.task_hours.typecode == "d"
    for flags in (people.sick, people.recent_sickness, people.permanent, people.guidance_group):
        assert flags.typecode == "b"
    assert list(people.wijk) == [2, 0, 1]
