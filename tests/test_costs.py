"""Cost accounting against the cost table of FACTS.md (2022 letter)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import Params
from sim.costs import WeekCosts, full_time_wage_cost, net_cost_first_year, week_costs
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


# --- properties ----------------------------------------------------------------------------

amounts = st.floats(0, 1e6)


@settings(max_examples=200, deadline=None)
@given(
    employed=st.integers(0, 1_000),
    first_share=st.floats(0, 1),
    hours=st.floats(0, 40),
    more=st.floats(0, 40),
    contributions=st.floats(0, 50_000),
    subsidy=amounts,
)
def test_costs_rise_with_hours_and_net_is_gross_less_savings_and_money_received(
    employed, first_share, hours, more, contributions, subsidy
):
    first_year = round(employed * first_share)
    kwargs = {
        "employed": employed,
        "first_year": first_year,
        "contributions_per_job_year": contributions,
        "subsidy": subsidy,
    }
    week = week_costs(Params(), contract_hours=employed * hours, **kwargs)
    longer = week_costs(Params(), contract_hours=employed * (hours + more), **kwargs)
    # Monotone in hours: only the wages move, by the hours added at the hourly rate.
    assert longer.wages >= week.wages
    assert longer.gross >= week.gross
    assert longer.wages - week.wages == pytest.approx(
        employed * more / 32 * 27_387 / WEEKS_PER_YEAR, rel=1e-9, abs=1e-6
    )
    for item in ("employer", "guidance", "coaches", "contributions", "benefits_saved"):
        assert getattr(longer, item) == getattr(week, item)
    # net = wages + employer + guidance + coaches - contributions - savings - subsidies.
    items = week.wages + week.employer + week.guidance + week.coaches
    assert week.gross == pytest.approx(items - week.contributions, abs=1e-6)
    assert week.net == pytest.approx(
        items - week.contributions - week.benefits_saved - subsidy, abs=1e-6
    )
    assert week.subsidies == subsidy
    assert min(week.wages, week.employer, week.guidance, week.coaches) >= 0


@settings(max_examples=100, deadline=None)
@given(employed=st.integers(1, 500), first=st.integers(0, 500))
def test_guidance_costs_more_for_each_participant_in_their_first_year(employed, first):
    first = min(first, employed)
    costs = week_costs(Params(), employed=employed, contract_hours=0.0, first_year=first,
                       contributions_per_job_year=0.0, subsidy=0.0)  # fmt: skip
    # FACTS.md: EUR 4,000 in year 1, EUR 3,000 after.
    assert costs.guidance * WEEKS_PER_YEAR == pytest.approx(3_000 * employed + 1_000 * first)


@settings(max_examples=100, deadline=None)
@given(full_time=st.sampled_from([24.0, 28.0, 32.0, 36.0, 40.0]), contributions=amounts)
def test_a_first_years_net_cost_is_a_full_time_week_costs_times_a_year(full_time, contributions):
    p = Params().with_overrides({"full_time_hours": full_time})
    week = week_costs(p, employed=1, contract_hours=full_time, first_year=1,
                      contributions_per_job_year=contributions, subsidy=0.0)  # fmt: skip
    assert net_cost_first_year(p, contributions) == pytest.approx(
        week.net * WEEKS_PER_YEAR, rel=1e-9, abs=1e-6
    )
    assert full_time_wage_cost(p) == pytest.approx(27_387 * full_time / 32)


# --- the designs of the 2022 letter --------------------------------------------------------


def design_week(design: str, **overrides: object):
    p = Params().with_overrides({"design": design, **overrides})
    return week_costs(p, employed=10, contract_hours=320.0, first_year=4,
                      contributions_per_job_year=520.0, subsidy=0.0)  # fmt: skip


def test_a_supplement_pays_no_wage_and_saves_no_benefit_but_costs_the_supplement():
    # Ten participants on a supplement of EUR 200 a month: 10 x 2,400 a year; no wage,
    # no employer cost, the benefit stays. Guidance, coaches and contributions as with a
    # contract.
    contract, supplement = design_week("contract"), design_week("supplement")
    assert (supplement.wages, supplement.employer, supplement.benefits_saved) == (0, 0, 0)
    assert supplement.supplements == pytest.approx(10 * 200 * 12 / WEEKS_PER_YEAR)
    assert contract.supplements == 0
    for item in ("guidance", "coaches", "contributions"):
        assert getattr(supplement, item) == getattr(contract, item)
    assert supplement.gross == pytest.approx(
        supplement.guidance
        + supplement.coaches
        + supplement.supplements
        - 10 * 520 / WEEKS_PER_YEAR
    )
    assert supplement.net == pytest.approx(supplement.gross)
    # A year's net cost of one more: 2,400 + 4,000 + 1,500 - 520 of contributions.
    p = Params().with_overrides({"design": "supplement"})
    assert net_cost_first_year(p, 520.0) == pytest.approx(2_400 + 4_000 + 1_500 - 520)


def test_a_reintegration_job_costs_a_contract_job_plus_job_hunting_guidance():
    # EUR 1,500 a year each on top of the guidance on the job.
    contract, reintegration = design_week("contract"), design_week("reintegration")
    assert reintegration.guidance == pytest.approx(contract.guidance + 10 * 1_500 / WEEKS_PER_YEAR)
    for item in ("wages", "employer", "coaches", "contributions", "benefits_saved"):
        assert getattr(reintegration, item) == getattr(contract, item)
    assert reintegration.supplements == 0
    p = Params().with_overrides({"design": "reintegration"})
    assert net_cost_first_year(p, 520.0) == pytest.approx(
        net_cost_first_year(Params(), 520.0) + 1_500
    )
    # Supplements count in gross: a WeekCosts with only a supplement costs it.
    assert WeekCosts(0, 0, 0, 0, 0, 0, 0, supplements=7.0).gross == 7.0
