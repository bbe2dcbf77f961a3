"""Cost accounting against the cost table of FACTS.md (2022 letter)."""

from __future__ import annotations

import pytest

from sim import Params
from sim.costs import net_cost_first_year, week_costs
from sim.timeline import WEEKS_PER_YEAR


def year_of(first_year: int) -> tuple[float, float]:
    """Gross and net cost of one full-time job for a year, first_year = 1 or 0."""
    week = week_costs(
        Params(),
        employed=1,
        contract_hours=32.0,
        first_year=first_year,
        contributions_per_job_year=0,
        subsidy=0,
    )
    return week.gross * WEEKS_PER_YEAR, week.net * WEEKS_PER_YEAR


def test_a_job_year_costs_what_the_2022_letter_says():
    # FACTS.md: gross EUR 33,000 (28,000 wage and employer + 5,000 guidance on average:
    # 4,000 in year 1, 3,000 in years 2 and 3, plus 1,500 coaches); net EUR 19,000.
    years = [year_of(1), year_of(0), year_of(0)]
    gross = sum(g for g, _ in years) / 3
    net = sum(n for _, n in years) / 3
    assert gross == pytest.approx(33_000, abs=500)  # the letter rounds to thousands
    assert net == pytest.approx(19_000, abs=500)
    assert net_cost_first_year(Params(), 0) == pytest.approx(years[0][1])


def test_items_add_up_and_contributions_and_subsidies_lower_the_cost():
    base = week_costs(
        Params(),
        employed=10,
        contract_hours=300,
        first_year=4,
        contributions_per_job_year=0,
        subsidy=0,
    )
    helped = week_costs(
        Params(),
        employed=10,
        contract_hours=300,
        first_year=4,
        contributions_per_job_year=2_000,
        subsidy=50_000,
    )
    assert base.gross == pytest.approx(base.wages + base.employer + base.guidance + base.coaches)
    assert helped.gross == pytest.approx(base.gross - 10 * 2_000 / WEEKS_PER_YEAR)
    assert helped.net == pytest.approx(helped.gross - helped.benefits_saved - 50_000)
    # Wages follow contract hours: 300 of 320 full-time hours.
    assert base.wages == pytest.approx(300 / 32 * 27_387 / WEEKS_PER_YEAR)


def test_weekly_costs_in_a_run_add_up(long_run):
    ts = long_run.timeseries
    gross = (
        ts["cost_wages_eur"]
        + ts["cost_employer_eur"]
        + ts["cost_guidance_eur"]
        + ts["cost_coaches_eur"]
    )
    assert (gross - ts["contributions_eur"]).to_numpy() == pytest.approx(
        ts["cost_gross_eur"].to_numpy()
    )
    net = ts["cost_gross_eur"] - ts["benefits_saved_eur"] - ts["subsidies_eur"]
    assert net.to_numpy() == pytest.approx(ts["cost_net_eur"].to_numpy())
    # FACTS.md: EUR 200,000 from Nationaal Programma Groningen in autumn 2023, once.
    assert ts["subsidies_eur"].sum() == pytest.approx(200_000)
