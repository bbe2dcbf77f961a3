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
    candidate = Recipient(host, person)
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
    assert part.guidance_hours > 1  # the week before the floor: not yet clipped to 1 h
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


class Fixed:
    """A stand-in stream that returns the given waits in turn, then never."""

    def __init__(self, *weeks):
        self.weeks = list(weeks)
        self.chances = []

    def weeks_until(self, chance):
        self.chances.append(chance)
        return self.weeks.pop(0) if self.weeks else 10**6


def test_one_sickness_spell_counts_until_half_a_year_without_sickness():
    # Sick in week 3 for 4 weeks (back in week 7), never again: the participant counts
    # as recently sick until 26 weeks after the last sick week (week 6), so up to week
    # 31, and as without absence from week 32 (FACTS.md's half-year window).
    host, people, part = work(sickness_prone=[True])
    part._onset, part._spell = Fixed(3), Fixed(4)
    start(host, people, part)
    seen = {}
    for week in range(1, 40):
        people.work_agenda.run(week)
        part.tally(week, hours_short=0.0)
        seen[week] = (bool(people.sick[0]), part.recently_sick, part.sick_absence_rate)
    assert seen[2] == (False, 0, 0.0)
    assert seen[3] == (True, 1, 1.0)
    assert seen[6] == (True, 1, 1.0)
    assert seen[7] == (False, 1, 0.0)
    assert seen[31] == (False, 1, 0.0)
    assert seen[32] == (False, 0, 0.0)
    assert part.no_absence_share == 1.0
    assert part.hours_worked == 32


def test_sickness_spells_and_onsets_are_drawn_with_their_own_chances():
    # A spell of 4 weeks on average is a geometric wait with weekly chance 1/4; the next
    # onset after recovering has the weekly onset chance (0.05 here).
    host, people, part = work(
        params={"sickness_spell_weeks": 4.0, "sickness_onset_per_week": 0.05},
        sickness_prone=[True],
    )
    onsets, spells = Fixed(2, 3), Fixed(5)
    part._onset, part._spell = onsets, spells
    start(host, people, part)
    week_by_week(people, part, 10)
    assert onsets.chances == [0.05, 0.05]  # at the start and after recovering (week 7)
    assert spells.chances == [0.25, 0.25]  # weeks 2 and 10
    assert people.sick[0]  # sick again in week 7 + 3 = 10


def test_sickness_onset_waits_for_its_weekly_chance():
    # The first sick report of a sickness-prone starter is planned with the onset
    # chance; a participant who is not sickness-prone is never planned to be sick.
    host, people, part = work(2, sickness_prone=[True, False])
    part._onset = Fixed(5)
    start(host, people, part, 0)
    start(host, people, part, 1)
    for week in range(1, 6):
        people.work_agenda.run(week)
    assert list(people.sick[:2]) == [True, False]


def test_hours_added_while_sick_are_sick_hours_and_a_sick_leaver_takes_them_along():
    host, people, part = work(
        2,
        part_time_start=[True, False],
        asks_more_hours=[True, False],
        sickness_prone=[True, False],
    )
    part._onset, part._spell = Fixed(20), Fixed(30)  # sick from week 20 to 50
    first = start(host, people, part, 0)
    start(host, people, part, 1)
    week_by_week(people, part, 26)  # the ramp ends in week 26, while sick
    assert part.sick_hours == 32
    assert part.sick_absence_rate == pytest.approx(32 / 64)
    part.leave(first)
    people.leave(0)
    part.tally(27, hours_short=0.0)
    assert part.sick_hours == 0
    assert part.recently_sick == 0
    assert part.contract_hours_total == 32
    assert part.hours_worked == 32


def test_hours_short_of_tasks_are_not_worked():
    host, people, part = work()
    start(host, people, part)
    part.tally(1, hours_short=8.0)
    assert part.hours_worked == 24


def test_a_part_time_starter_who_does_not_ask_keeps_the_lower_hours():
    _host, _people, part = work(
        3, part_time_start=[True, False, False], asks_more_hours=[False, True, False]
    )
    assert [part.starting_hours(p) for p in range(3)] == [24, 32, 32]


def test_each_new_participant_goes_to_the_least_busy_guiding_organisation():
    # FACTS.md: four guiding organisations; five starters spread 2, 1, 1, 1.
    host, people, part = work(5)
    for person in range(5):
        start(host, people, part, person)
    assert [g.participants for g in part.guiding_organisations] == [2, 1, 1, 1]


def test_weak_guidance_stays_at_the_floor_of_one_hour():
    # Intensity 0.2: b = 0.66 h/week, below the least of 1 h/week from the start.
    host, people, part = work(params={"guidance_hours_start": 3.3}, guidance_intensity=[0.2])
    start(host, people, part)
    part.tally(1, hours_short=0.0)
    assert part.guidance_hours == 1.0
    week_by_week(people, part, 200)
    assert part.guidance_hours == 1.0


def test_without_decline_guidance_stays_at_its_start_level_within_1_to_5():
    host, people, part = work(
        3, {"guidance_hours_start": 3.0, "guidance_decline_per_year": 0.0},
        guidance_intensity=[1.0, 2.0, 0.1],
    )  # fmt: skip
    for person in range(3):
        start(host, people, part, person)
    week_by_week(people, part, 100)
    assert part.guidance_hours == pytest.approx(3.0 + 5.0 + 1.0)


def test_guidance_averages_two_and_a_half_hours_at_the_facts_start_level():
    # FACTS.md: 2.5 h/week on average. Three participants in their first weeks with
    # intensities 0.5, 1 and 1.5 of a 2.5 h start: 1.25 + 2.5 + 3.75 = 7.5 h, 2.5 each.
    host, people, part = work(3, {"guidance_hours_start": 2.5}, guidance_intensity=[0.5, 1.0, 1.5])
    for person in range(3):
        start(host, people, part, person)
    part.tally(0, hours_short=0.0)
    assert part.guidance_hours / 3 == pytest.approx(2.5)


def test_leaving_from_each_guidance_group_takes_exactly_its_hours_along():
    # Capped (intensity 2: 6.6 -> 5), declining (1: 3.3), floored (0.2: 1) and the
    # intensive group (1.2: 3.96, constant): each leaver takes their own hours.
    host, people, part = work(
        4,
        {"guidance_hours_start": 3.3},
        guidance_intensity=[2.0, 1.0, 0.2, 1.2],
        intensive_guidance=[False, False, False, True],
    )
    starters = [start(host, people, part, person) for person in range(4)]
    part.tally(0, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(5.0 + 3.3 + 1.0 + 3.96)
    for leaver, left in zip(starters, (5.0, 3.3, 1.0, 3.96), strict=True):
        before = part.guidance_hours
        part.leave(leaver)
        people.leave(leaver.person)
        part.tally(0, hours_short=0.0)
        assert before - part.guidance_hours == pytest.approx(left)
    assert part.guidance_hours == pytest.approx(0.0, abs=1e-9)


def test_a_leaver_takes_exactly_their_own_contract_hours_and_is_no_longer_sick():
    # A part-timer of 24 h who is sick leaves; the full-timer's 32 h remain.
    host, people, part = work(2, part_time_start=[True, False], sickness_prone=[True, False])
    part._onset, part._spell = Fixed(1), Fixed(50)
    leaver = start(host, people, part, 0)
    start(host, people, part, 1)
    week_by_week(people, part, 2)
    assert people.sick[0]
    part.leave(leaver)
    assert part.contract_hours_total == 32
    assert part.sick_hours == 0
    assert not people.sick[0]
    assert not people.recent_sickness[0]
    assert part.recently_sick == 0


def test_a_second_spell_after_a_quiet_half_year_counts_again():
    # Sick weeks 1-2 (back in week 3), quiet for 26 weeks (no longer recently sick from
    # week 28), sick again in week 3 + 38 = 41: counted as recently sick once more.
    host, people, part = work(sickness_prone=[True])
    part._onset, part._spell = Fixed(1, 38), Fixed(2, 2)
    start(host, people, part)
    counts = {}
    for week in range(1, 45):
        people.work_agenda.run(week)
        part.tally(week, hours_short=0.0)
        counts[week] = part.recently_sick
    assert counts[27] == 1
    assert counts[28] == 0
    assert counts[40] == 0
    assert counts[41] == 1
    assert part.no_absence_share == 0.0


def test_two_participants_at_the_floor_get_an_hour_each():
    host, people, part = work(2, {"guidance_hours_start": 3.0})
    start(host, people, part, 0)
    start(host, people, part, 1)
    k = part.p.guidance_decline_per_year / WEEKS_PER_YEAR
    week_by_week(people, part, math.ceil(math.log(3) / k) + 1)
    assert part.guidance_hours == 2.0


def test_before_the_first_week_nothing_is_worked_or_guided():
    _host, _people, part = work()
    assert (part.hours_worked, part.sick_absence_rate, part.guidance_hours) == (0.0, 0.0, 0.0)
    assert math.isnan(part.no_absence_share)
    part.tally(0, hours_short=0.0)  # nobody under contract: no absence, no share
    assert part.sick_absence_rate == 0.0
    assert math.isnan(part.no_absence_share)


def test_two_sick_at_once_and_the_share_without_absence():
    host, people, part = work(3, sickness_prone=[True, True, False])
    part._onset, part._spell = Fixed(2, 2), Fixed(50, 50)
    for person in range(3):
        start(host, people, part, person)
    week_by_week(people, part, 3)
    assert part.sick_hours == 64
    assert part.recently_sick == 2
    assert part.hours_worked == 96 - 64
    assert part.sick_absence_rate == pytest.approx(64 / 96)
    assert part.no_absence_share == pytest.approx(1 / 3)


def test_two_capped_and_two_floored_participants():
    host, people, part = work(
        4, {"guidance_hours_start": 3.0}, guidance_intensity=[3.0, 3.0, 0.1, 0.1]
    )
    for person in range(4):
        start(host, people, part, person)
    part.tally(0, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(5 + 5 + 1 + 1)


def test_a_later_starter_declines_from_their_own_start():
    # Started in week 50 with 3 h/week: 3 exp(-k (t - 50)), and leaving takes it along.
    host, people, part = work(params={"guidance_hours_start": 3.0})
    leaver = start(host, people, part, week=50)
    k = part.p.guidance_decline_per_year / WEEKS_PER_YEAR
    for week in range(51, 81):
        people.work_agenda.run(week)
    part.tally(80, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(3 * math.exp(-k * 30))
    part.leave(leaver)
    people.leave(0)
    part.tally(80, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(0.0, abs=1e-9)


def test_guidance_just_above_an_hour_reaches_the_floor_the_next_week():
    # b = 1.002 h: below 1 h after one week of decline (1.002 exp(-k) = 0.9985), so the
    # floor of 1 h applies from week 1.
    host, people, part = work(params={"guidance_hours_start": 1.002})
    start(host, people, part)
    week_by_week(people, part, 1)
    assert part.guidance_hours == 1.0


def test_the_intensive_group_leaves_with_its_clipped_hours():
    # Intensive participants at 1.5 h and at 6.6 h (kept at 5) leave: nothing remains.
    host, people, part = work(
        2,
        {"guidance_hours_start": 3.0},
        guidance_intensity=[0.5, 2.2],
        intensive_guidance=[True, True],
    )
    starters = [start(host, people, part, person) for person in range(2)]
    part.tally(0, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(1.5 + 5.0)
    for leaver in starters:
        part.leave(leaver)
        people.leave(leaver.person)
    part.tally(1, hours_short=0.0)
    assert part.guidance_hours == pytest.approx(0.0, abs=1e-9)
