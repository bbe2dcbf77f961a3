"""Accounting: first-year participants, the week's cost items and the budget rule."""

from __future__ import annotations

import pytest

from sim.agents import Recipient
from sim.programme.accounting import FIRST_YEAR_WEEKS, Accounting
from sim.timeline import WEEKS_PER_YEAR

from .tiny import setting


def accounting(n=2, params=None):
    host, p, people, policy = setting(n, params)
    return host, people, Accounting(p, people, policy)


def test_guidance_costs_more_in_the_first_year_and_less_after():
    host, people, part = accounting(1)
    people.start(Recipient(host, 0, 0), week=0)
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
    people.start(Recipient(host, 0, 0), week=0)
    part.start(0, 0)
    part.leave(0, week=10)
    assert part.first_year == 0


def test_the_budget_stops_the_start_that_would_exceed_it():
    # One participant in last week's accounts; a first year costs, net:
    # 27,387 + 600 + 4,000 + 1,500 - 14,000 = 19,487. A budget of 2 x 19,487 allows
    # exactly one more start (the one already there is in its first year too).
    first_year_net = 27_387 + 600 + 4_000 + 1_500 - 14_000
    host, people, part = accounting(params={"budget_net_eur_per_year": 2 * first_year_net})
    people.start(Recipient(host, 0, 0), week=0)
    part.start(0, 0)
    part.account(0, contract_hours=32)
    assert not part.over_budget(0, 1)
    assert part.over_budget(0, 2)
    # No budget: never over it.
    host, people, part = accounting()
    assert not part.over_budget(0, 1_000)
