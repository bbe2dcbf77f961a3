"""The cost accounting of a week, following the cost table of FACTS.md (2022 letter).

Per job-year: wage cost at 32 h/week EUR 27,387 (paid by hours under contract, so
also during sickness, as Dutch employers continue wages), employer cost ~EUR 600,
guiding organisations EUR 4,000 in year 1 and EUR 3,000 after, municipal coaches
EUR 1,500; minus contributions of work-providing parties (gross: EUR 33,000); minus
benefits no longer paid EUR 14,000 (net: EUR 19,000); one-off subsidies lower the
net cost in the week they arrive. Amounts are in 2022 euros (no indexation).

The other designs of the 2022 letter on the same accounts: with a *supplement* there is
no wage or employer cost and no benefit saved (the benefit stays), and the supplement is
a cost; a *re-integration* job costs what a contract job costs, plus job-hunting
guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params import Params
from sim.timeline import WEEKS_PER_YEAR

WAGE_COST_HOURS = 32.0  # FACTS.md: the wage cost EUR 27,387 is for a 32-hour week


def full_time_wage_cost(p: Params) -> float:
    """Yearly wage cost of a full-time contract (the 2022 figure scaled to its hours)."""
    return p.wage_cost_per_year * p.full_time_hours / WAGE_COST_HOURS


@dataclass(frozen=True, slots=True)
class WeekCosts:
    """The euros of one week, by item. Positive is a cost, the savings are positive too."""

    wages: float
    employer: float
    guidance: float
    coaches: float
    contributions: float
    benefits_saved: float
    subsidies: float
    supplements: float = 0.0  # the 'supplement' design: paid on top of the benefit

    @property
    def gross(self) -> float:
        """Wages, employer cost, guidance, coaches and supplements, less contributions."""
        return (
            self.wages
            + self.employer
            + self.guidance
            + self.coaches
            + self.supplements
            - self.contributions
        )

    @property
    def net(self) -> float:
        """Gross cost less benefits no longer paid and subsidies received."""
        return self.gross - self.benefits_saved - self.subsidies


def week_costs(
    p: Params,
    *,
    employed: int,
    contract_hours: float,
    first_year: int,
    contributions_per_job_year: float,
    subsidy: float,
) -> WeekCosts:
    """Costs of one week with ``employed`` participants, ``first_year`` of them in year 1."""
    per_week = 1.0 / WEEKS_PER_YEAR
    guidance = (
        first_year * p.guidance_cost_first_year
        + (employed - first_year) * p.guidance_cost_later_years
    )
    if p.design == "reintegration":
        guidance += employed * p.reintegration_guidance_per_year
    paid = p.design != "supplement"  # a job with a wage, replacing the benefit
    return WeekCosts(
        wages=contract_hours / WAGE_COST_HOURS * p.wage_cost_per_year * per_week if paid else 0.0,
        employer=employed * p.employer_cost_per_year * per_week if paid else 0.0,
        guidance=guidance * per_week,
        coaches=employed * p.coach_cost_per_year * per_week,
        contributions=employed * contributions_per_job_year * per_week,
        benefits_saved=employed * p.benefit_saved_per_year * per_week if paid else 0.0,
        subsidies=subsidy,
        supplements=0.0 if paid else employed * p.supplement_per_month * 12 * per_week,
    )


def net_cost_first_year(p: Params, contributions_per_job_year: float) -> float:
    """Net yearly cost of one more full-time participant in their first year."""
    guidance = p.guidance_cost_first_year + p.coach_cost_per_year - contributions_per_job_year
    if p.design == "supplement":
        return p.supplement_per_month * 12 + guidance
    if p.design == "reintegration":
        guidance += p.reintegration_guidance_per_year
    return full_time_wage_cost(p) + p.employer_cost_per_year + guidance - p.benefit_saved_per_year
