"""Accounting: the programme's costs each week, and the budget rule for new starts.

The cost items follow FACTS.md's cost table (``sim.costs``). Guidance costs more in a
participant's first year, so the part counts who is in their first year. An optional
yearly net budget stops new starts when the committed run-rate would exceed it.
"""

from __future__ import annotations

from sim.costs import WeekCosts, full_time_wage_cost, net_cost_first_year, week_costs
from sim.params import Params
from sim.policy import PolicyTimeline
from sim.programme.people import People
from sim.timeline import WEEKS_PER_YEAR

FIRST_YEAR_WEEKS = round(WEEKS_PER_YEAR)


class Accounting:
    """The week's costs by item, and whether the budget allows more starts.

    Args:
        p: the parameters.
        people: the programme's people.
        policy: the levers week by week (contributions, subsidies).
    """

    def __init__(self, p: Params, people: People, policy: PolicyTimeline):
        self.p, self.people, self.policy = p, people, policy
        self.first_year = 0  # participants in their first year
        self.costs = WeekCosts(0, 0, 0, 0, 0, 0, 0)
        self._accounted_employed = 0  # participants in last week's accounts

    def start(self, person: int, week: int) -> None:
        """A participant's first year begins."""
        self.first_year += 1
        self.people.work_agenda.add(week + FIRST_YEAR_WEEKS, self._first_year_over, person)

    def _first_year_over(self, person: int, week: int) -> None:
        self.first_year -= 1

    def leave(self, person: int, week: int) -> None:
        """A participant leaves; they may leave within their first year."""
        if week - self.people.start_week[person] < FIRST_YEAR_WEEKS:
            self.first_year -= 1

    def account(self, week: int, contract_hours: float) -> None:
        """The week's costs, by item."""
        self._accounted_employed = self.people.employed
        self.costs = week_costs(
            self.p,
            employed=self.people.employed,
            contract_hours=contract_hours,
            first_year=self.first_year,
            contributions_per_job_year=float(self.policy.contributions_per_job_year[week]),
            subsidy=float(self.policy.subsidy[week]),
        )

    def over_budget(self, week: int, more: float) -> bool:
        """Whether ``more`` starts would take the net run-rate over the yearly budget.

        What is committed: last week's participants with every contract at full-time
        hours (part-time starters move up) and their other costs, less benefits no
        longer paid; then each start since, and ``more`` to come, at a first year's cost.
        """
        budget = self.p.budget_net_eur_per_year
        if budget is None:
            return False
        c, p = self.costs, self.p
        paid = p.design != "supplement"  # the supplement design pays no wages
        full_time_wages = (
            self._accounted_employed * full_time_wage_cost(p) / WEEKS_PER_YEAR if paid else 0.0
        )
        committed = (c.gross - c.wages + full_time_wages - c.benefits_saved) * WEEKS_PER_YEAR
        marginal = net_cost_first_year(p, self.policy.contributions_per_job_year[week])
        added = self.people.employed - self._accounted_employed + more
        return committed + added * marginal > budget + 1e-6
