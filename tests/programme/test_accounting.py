"""Accounting: first-year participants, the week's cost items and the budget rule."""

from __future__ import annotations

import pytest

from sim.agents import Recipient
from sim.costs import WeekCosts
from sim.programme.accounting import FIRST_YEAR_WEEKS, Accounting
from sim.timeline import WEEKS_PER_YEAR

from .tiny import setting


def accounting(n=2, params=None):
    host, p, people, policy = setting(n, params)
    return host, people, Accounting(p, people, policy)


def test_guidance_costs_more_in_the_first_year_and_less_after():
    host, people, part = accounting(1)
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.account(1, contract_hours=32)
    # FACTS.md: guiding organisations EUR 4,000 in year 1, EUR 3,000 after.
    assert part.costs.guidance == pytest.approx(4_000 / WEEKS_PER_YEAR)
    for week in range(1, FIRST_YEAR_WEEKS + 1):
        people.work_agenda.run(week)
    part.account(FIRST_YEAR_WEEKS, contract_hours=32)
    assert part.first_year == 0
    assert part.costs.guidance == pytest.approx(3_000 / WEEKS_PER_YEAR)
    # Wage cost at 32 h: EUR 27,387 a year (FACTS.md).
    assert part.costs.wages == pytest.approx(27_387 / WEEKS_PER_YEAR)


def test_leaving_within_the_first_year_ends_it():
    host, people, part = accounting(1)
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.leave(0, week=10)
    assert part.first_year == 0


def test_the_budget_stops_the_start_that_would_exceed_it():
    # One participant in last week's accounts; a first year costs, net:
    # 27,387 + 600 + 4,000 + 1,500 - 14,000 = 19,487. A budget of 2 x 19,487 allows
    # exactly one more start (the one already there is in its first year too).
    first_year_net = 27_387 + 600 + 4_000 + 1_500 - 14_000
    host, people, part = accounting(params={"budget_net_eur_per_year": 2 * first_year_net})
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.account(0, contract_hours=32)
    assert not part.over_budget(0, 1)
    assert part.over_budget(0, 2)
    # No budget: never over it.
    host, people, part = accounting()
    assert not part.over_budget(0, 1_000)


def test_each_cost_item_of_a_week_follows_the_2022_letter():
    # Three participants, one in their first year, 88 contract hours (32 + 32 + 24),
    # EUR 2,000 of contributions per job-year (a scenario's lever). Per year:
    # wages 88/32 x 27,387; employer 3 x 600; guidance 4,000 + 2 x 3,000; coaches
    # 3 x 1,500; contributions 3 x 2,000; benefits saved 3 x 14,000 (FACTS.md).
    host, people, part = accounting(3, {"contributions_per_job_year": {2020: 2_000}})
    for person in range(3):
        people.start(Recipient(host, person), week=0)
    part.start(0, 0)
    part.account(5, contract_hours=88)
    year = {name: getattr(part.costs, name) * WEEKS_PER_YEAR for name in (
        "wages", "employer", "guidance", "coaches", "contributions", "benefits_saved", "subsidies",
    )}  # fmt: skip
    assert year == pytest.approx(
        {
            "wages": 88 / 32 * 27_387,
            "employer": 1_800,
            "guidance": 10_000,
            "coaches": 4_500,
            "contributions": 6_000,
            "benefits_saved": 42_000,
            "subsidies": 0,
        }
    )


def test_a_subsidy_is_counted_in_its_week_only():
    # FACTS.md: EUR 200,000 from Nationaal Programma Groningen, received on 1 Oct 2023
    # (week 187).
    _host, _people, part = accounting(1)
    part.account(187, contract_hours=0)
    assert part.costs.subsidies == 200_000
    part.account(188, contract_hours=0)
    assert part.costs.subsidies == 0


def test_the_first_year_ends_after_52_weeks_and_a_later_leaver_does_not_end_it_again():
    host, people, part = accounting(2)
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    people.start(Recipient(host, 1), week=10)
    part.start(1, 10)
    for week in range(1, FIRST_YEAR_WEEKS):
        people.work_agenda.run(week)
    assert part.first_year == 2
    people.work_agenda.run(FIRST_YEAR_WEEKS)
    assert part.first_year == 1  # person 0's first year is over, person 1's is not
    part.leave(0, week=FIRST_YEAR_WEEKS + 5)
    assert part.first_year == 1
    assert FIRST_YEAR_WEEKS == 52  # round(365.25 / 7)


def test_the_budget_counts_part_time_contracts_at_full_time_wages():
    # Last week: one participant on 24 h, in their first year. Committed: their other
    # costs and full-time wages, as they may move up to 32 h: 19,487 a year (FACTS.md
    # cost table, net of 14,000 benefits). A second start adds another 19,487.
    first_year_net = 27_387 + 600 + 4_000 + 1_500 - 14_000
    host, people, part = accounting(params={"budget_net_eur_per_year": 2 * first_year_net})
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.account(0, contract_hours=24)
    assert not part.over_budget(0, 1)
    assert part.over_budget(0, 1.01)


def test_the_budget_counts_starts_since_last_weeks_accounts():
    # Two participants now, one in last week's accounts: the second counts as a first
    # year to come, so no further start fits a budget for two.
    first_year_net = 27_387 + 600 + 4_000 + 1_500 - 14_000
    host, people, part = accounting(params={"budget_net_eur_per_year": 2 * first_year_net})
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.account(0, contract_hours=32)
    people.start(Recipient(host, 1), week=1)
    part.start(1, 1)
    assert not part.over_budget(1, 0)
    assert part.over_budget(1, 0.01)


def test_contributions_make_room_in_the_budget():
    # EUR 1,000 of contributions per job-year lowers a first year's net cost to 18,487:
    # a budget of 18,500 allows one start, without contributions it does not.
    _host, _people, part = accounting(params={"budget_net_eur_per_year": 18_500})
    assert part.over_budget(0, 1)
    _host, _people, part = accounting(
        params={"budget_net_eur_per_year": 18_500, "contributions_per_job_year": {2020: 1_000}}
    )
    assert not part.over_budget(0, 1)


def test_before_the_first_weeks_accounts_every_item_is_zero():
    _host, _people, part = accounting(1)
    assert part.costs == WeekCosts(0, 0, 0, 0, 0, 0, 0)
    assert part.costs.gross == 0
    assert part.costs.net == 0


def test_a_later_starter_who_leaves_within_their_first_year_ends_it():
    # Started in week 100, left in week 110: within the first year.
    host, people, part = accounting(1)
    people.start(Recipient(host, 0), week=100)
    part.start(0, 100)
    part.leave(0, week=110)
    assert part.first_year == 0


def test_leaving_on_the_day_the_first_year_ends_counts_it_over_once():
    # The first year ends in the work phase of week 52; an exit that week (contract
    # phase) is after it, so it does not end the first year a second time.
    host, people, part = accounting(1)
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    for week in range(1, FIRST_YEAR_WEEKS + 1):
        people.work_agenda.run(week)
    part.leave(0, week=FIRST_YEAR_WEEKS)
    assert part.first_year == 0


def test_half_a_euro_short_of_a_starts_cost_stops_it():
    # A first year costs 19,487 net (FACTS.md cost table); the rule allows rounding
    # errors of a millionth of a euro, not half a euro.
    first_year_net = 27_387 + 600 + 4_000 + 1_500 - 14_000
    _host, _people, part = accounting(params={"budget_net_eur_per_year": first_year_net - 0.5})
    assert part.over_budget(0, 1)
    _host, _people, part = accounting(params={"budget_net_eur_per_year": first_year_net})
    assert not part.over_budget(0, 1)


def test_with_a_supplement_the_budget_counts_no_wages():
    # The supplement design: a first year costs 2,400 + 4,000 + 1,500 = 7,900 net (no wage,
    # no benefit saved). One participant in last week's accounts and a budget for two:
    # exactly one more start fits. Counting full-time wages as with a contract would
    # leave no room.
    first_year_net = 200 * 12 + 4_000 + 1_500
    host, people, part = accounting(
        params={"design": "supplement", "budget_net_eur_per_year": 2 * first_year_net}
    )
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    part.account(0, contract_hours=24)
    assert part.costs.wages == 0
    assert not part.over_budget(0, 1)
    assert part.over_budget(0, 1.01)
