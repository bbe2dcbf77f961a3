"""Work and guidance on single participants: hours ramp, sickness spells, guidance hours."""

from __future__ import annotations

import math

import pytest

from sim.agents import Recipient
from sim.programme.work import Work
from sim.timeline import WEEKS_PER_YEAR

from .tiny import setting, stream


def work(n=1, params=None, **columns):
    host, p, people, _ = setting(n, params, **columns)
    asked = []
    part = Work(
        host,
        p,
        people,
        onset=stream("sickness_onset"),
        spell=stream("sickness_spell"),
        more_hours=lambda person, week: asked.append((person, week)),
    )
    part.asked = asked  # who asked the task market for more hours, and when
    return host, people, part


def start(host, people, part, person=0, week=0):
    candidate = Recipient(host, person, week)
    people.start(candidate, week)
    part.start(candidate, week)
    part.start_guidance(person, week)
    return candidate


def week_by_week(people, part, weeks):
    for week in range(1, weeks + 1):
        people.work_agenda.run(week)
        part.tally(week, hours_short=0.0)


def test_a_part_time_starter_who_asks_for_more_moves_to_full_time_after_the_ramp():
    # FACTS.md: some start with fewer hours and ask for more; 24 h for 26 weeks here,
    # then 32 h, and the task market is asked for tasks for the 8 hours added.
    host, people, part = work(2, part_time_start=[True, True], asks_more_hours=[True, False])
    start(host, people, part, 0)
    start(host, people, part, 1)
    assert part.contract_hours_total == 48
    week_by_week(people, part, 25)
    assert list(people.contract_hours[:2]) == [24, 24]
    week_by_week(people, part, 26)
    assert list(people.contract_hours[:2]) == [32, 24]  # the other keeps 24 h
    assert part.contract_hours_total == 56
    assert part.asked == [(0, 26)]


def test_without_a_ramp_those_who_will_ask_for_more_start_full_time():
    _host, _people, part = work(
        2, {"hours_ramp_weeks": 0}, part_time_start=[True, True], asks_more_hours=[True, False]
    )
    assert [part.starting_hours(person) for person in (0, 1)] == [32, 24]


def test_guidance_declines_with_tenure_from_the_start_level_to_the_floor():
    # b = 3 h/week declining at 0.18 a year: 3 exp(-k t), and 1 h/week from the week
    # it would fall below 1 (ln 3 / k weeks, about 6.1 years).
    host, people, part = work(
        params={"guidance_hours_start": 3.0, "guidance_decline_per_year": 0.18}
    )
    start(host, people, part)
    k = 0.18 / WEEKS_PER_YEAR
    week_by_week(people, part, 52)
    assert part.guidance_hours == pytest.approx(3 * math.exp(-k * 52))
    floor = math.ceil(math.log(3) / k)
    week_by_week(people, part, floor - 1)
    assert part.guidance_hours == pytest.approx(3 * math.exp(-k * (floor - 1)))
    assert part.guidance_hours > 1
    week_by_week(people, part, floor)
    assert part.guidance_hours == 1.0


def test_strong_guidance_is_capped_at_five_hours_then_declines():
    # Intensity 2: b = 6 h/week, kept at 5 until 6 exp(-k t) falls below 5.
    host, people, part = work(params={"guidance_hours_start": 3.0}, guidance_intensity=[2.0])
    start(host, people, part)
    k = part.p.guidance_decline_per_year / WEEKS_PER_YEAR
    declines = math.ceil(math.log(6 / 5) / k)
    week_by_week(people, part, declines - 1)
    assert part.guidance_hours == 5.0
    week_by_week(people, part, declines + 10)
    assert part.guidance_hours == pytest.approx(6 * math.exp(-k * (declines + 10)))


def test_the_intensive_group_keeps_its_guidance():
    host, people, part = work(
        params={"guidance_hours_start": 3.0},
        intensive_guidance=[True],
        guidance_intensity=[1.5],
    )
    start(host, people, part)
    week_by_week(people, part, 300)
    assert part.guidance_hours == pytest.approx(4.5)


def test_a_participant_who_leaves_takes_their_guidance_and_hours_along():
    host, people, part = work(2, {"guidance_hours_start": 3.0})
    first = start(host, people, part, 0)
    start(host, people, part, 1)
    week_by_week(people, part, 10)
    part.leave(first)
    people.leave(0)
    part.tally(10, hours_short=0.0)
    k = part.p.guidance_decline_per_year / WEEKS_PER_YEAR
    assert part.guidance_hours == pytest.approx(3 * math.exp(-k * 10))
    assert part.contract_hours_total == 32
    assert sum(g.participants for g in part.guiding_organisations) == 1


def test_sickness_spells_come_and_go_and_count_as_absence():
    # Always sick again the week after recovering, spells of one week: every other
    # week sick, so half the contract hours are lost over a long stretch.
    host, people, part = work(
        params={"sickness_onset_per_week": 1.0, "sickness_spell_weeks": 1.0},
        sickness_prone=[True],
    )
    start(host, people, part)
    rates = []
    for week in range(1, 41):
        people.work_agenda.run(week)
        part.tally(week, hours_short=0.0)
        rates.append(part.sick_absence_rate)
    assert rates[:4] == [1.0, 0.0, 1.0, 0.0]
    assert sum(rates) / len(rates) == pytest.approx(0.5)
    assert part.recently_sick == 1
    assert part.no_absence_share == 0.0


def test_a_participant_who_is_never_sick_counts_as_without_absence():
    host, people, part = work()
    start(host, people, part)
    week_by_week(people, part, 30)
    assert part.sick_absence_rate == 0.0
    assert part.no_absence_share == 1.0
    assert part.hours_worked == 32
