"""The shared people: agendas, and the employed tallies counted in and out alike."""

from __future__ import annotations

from sim.agents import Recipient
from sim.population import COUPLE, SINGLE, SINGLE_PARENT
from sim.programme.people import EMPLOYED, EXITED, Stage

from .tiny import setting


def test_events_run_in_order_and_lapse_when_the_participant_has_left():
    host, _, people, _ = setting(3)
    for person in (0, 1):
        people.start(Recipient(host, person, 0), week=0)
    ran = []
    people.work_agenda.add(5, lambda person, week: ran.append(("a", person, week)), 0)
    people.work_agenda.add(5, lambda person, week: ran.append(("b", person, week)), 1)
    people.work_agenda.add(6, lambda person, week: ran.append(("c", person, week)), 0)
    people.leave(1)
    people.work_agenda.run(5)
    assert ran == [("a", 0, 5)]  # b lapsed: person 1 left
    # An event of an earlier spell lapses when the person starts again later.
    people.leave(0)
    people.start(Recipient(host, 0, 6), week=6)
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
        people.start(Recipient(host, person, 0), week=0)
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
        people.start(Recipient(host, person, 0), week=0)
    shares = people.composition(week=10)
    assert shares["single"] == (0.5, 0.5)
    assert shares["single parent"] == (0.25, 0.5)
    assert shares["couple"] == (0.25, 0.0)
    assert people.stage[0] == EMPLOYED
