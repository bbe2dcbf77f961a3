"""Contracts and exits: the permanent contract's week, and each clock with its reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.agents import ExitReason, Recipient
from sim.population import EXIT_CLOCKS
from sim.programme.contracts import Contracts, gompertz_years, voluntary_exit_years
from sim.timeline import WEEKS_PER_YEAR, week_of

from .tiny import setting

TENURE = math.ceil(3 * WEEKS_PER_YEAR)  # FACTS.md: permanent after about 3 years: 157 weeks


def contracts(n=1, params=None, **columns):
    host, p, people, _ = setting(n, params, **columns)
    left = []
    part = Contracts(
        p, people, leave=lambda person, reason, week: left.append((person, reason, week))
    )
    return host, people, part, left


def run_until(people, last_week):
    for week in range(last_week + 1):
        people.contract_agenda.run(week)


def clocks(**rings):
    row = np.full(len(EXIT_CLOCKS), np.inf)
    for name, value in rings.items():
        row[EXIT_CLOCKS.index(name)] = value
    return [row]


@pytest.mark.parametrize("start", [0, 10, 200])
def test_a_contract_becomes_permanent_exactly_at_three_years_and_not_before_2023(start):
    host, people, part, _ = contracts()
    people.start(Recipient(host, 0), week=start)
    part.start(0, start)
    due = max(start + TENURE, week_of(part.p.permanent_contracts_from))
    run_until(people, due - 1)
    assert not people.permanent[0]
    people.contract_agenda.run(due)
    assert people.permanent[0]
    assert part.employed_permanent == 1


def test_permanent_contracts_wait_for_2023_when_the_tenure_comes_earlier():
    # With one year of tenure, a 2020 starter waits until 1 January 2023.
    host, people, part, _ = contracts(params={"permanent_after_years": 1.0})
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    first = week_of(part.p.permanent_contracts_from)
    run_until(people, first - 1)
    assert not people.permanent[0]
    people.contract_agenda.run(first)
    assert people.permanent[0]


@pytest.mark.parametrize(
    ("ring", "reason"),
    [
        ("regular_job", ExitReason.REGULAR_JOB),
        ("sheltered_work", ExitReason.SHELTERED_WORK),
        ("self_employed", ExitReason.SELF_EMPLOYED),
        ("quit", ExitReason.QUIT),
    ],
)
def test_each_voluntary_clock_rings_with_its_own_reason(ring, reason):
    # Every rate is 0.1 a year with no early dip: a clock of 0.5 rings after 5 years.
    # The participant is in the intensive-guidance group, the only one that can move to
    # sheltered work.
    rates = {f"exit_{name}": 0.1 for name in EXIT_CLOCKS[:4]}
    host, people, part, left = contracts(
        params={**rates, "early_exit_factor": 1.0},
        exit_clock=clocks(**{ring: 0.5}),
        intensive_guidance=[True],
    )
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    due = math.ceil(5 * WEEKS_PER_YEAR)
    run_until(people, due - 1)
    assert left == []
    people.contract_agenda.run(due)
    assert left == [(0, reason, due)]


def test_only_the_intensive_guidance_group_moves_to_sheltered_work():
    # FACTS.md: the small group whose guidance stays intensive may belong in sheltered
    # work. The same early-ringing clock sends one of them there, not the other.
    host, people, part, _ = contracts(
        2, exit_clock=clocks(sheltered_work=0.01) * 2, intensive_guidance=[True, False]
    )
    for person in (0, 1):
        people.start(Recipient(host, person), week=0)
    assert part.exit_plan(0, 0)[1] is ExitReason.SHELTERED_WORK
    assert part.exit_plan(1, 0)[1] is ExitReason.RETIREMENT


def test_retirement_comes_at_state_pension_age():
    # Aged 50 at the start, no clock rings: leaves at 67, 17 years on.
    host, people, part, _left = contracts(birth_week=[-50 * WEEKS_PER_YEAR])
    people.start(Recipient(host, 0), week=0)
    week, reason = part.exit_plan(0, 0)
    assert reason is ExitReason.RETIREMENT
    assert week == math.ceil(17 * WEEKS_PER_YEAR)


def test_death_follows_the_gompertz_clock():
    host, people, part, _ = contracts(exit_clock=clocks(death=0.05))
    people.start(Recipient(host, 0), week=0)
    week, reason = part.exit_plan(0, 0)
    years = gompertz_years(0.05, 50.0, part.p.mortality_at_50, part.p.mortality_doubling_years)
    assert reason is ExitReason.DEATH
    assert week == math.ceil(years * WEEKS_PER_YEAR)


def test_count_exit_tallies_the_reason_and_the_permanent_contract():
    _host, people, part, _ = contracts()
    people.permanent[0] = True
    part.employed_permanent = 1
    part.count_exit(0, ExitReason.QUIT)
    assert part.exited_cum[ExitReason.QUIT] == 1
    assert sum(part.exited_cum.values()) == 1
    assert part.employed_permanent == 0


def test_exit_clocks_invert_the_cumulative_hazard():
    # Constant hazard r after the early years: time = Y + (E - r f Y) / r.
    assert voluntary_exit_years(0.05, 0.1, 0.5, 2.0) == pytest.approx(1.0)
    assert voluntary_exit_years(0.3, 0.1, 0.5, 2.0) == pytest.approx(2.0 + 0.2 / 0.1)
    assert voluntary_exit_years(1.0, 0.0, 0.5, 2.0) == math.inf
    # Gompertz: integrating the hazard over the returned years gives the clock back.
    years = gompertz_years(0.7, 55.0, 0.004, 8.0)
    t = np.linspace(0, years, 200_001)
    hazard = 0.004 * 2 ** ((55.0 + t - 50.0) / 8.0)
    assert np.trapezoid(hazard, t) == pytest.approx(0.7, rel=1e-6)


@pytest.mark.parametrize(
    ("ring", "reason", "years"),
    [
        # Each voluntary clock has its own yearly hazard (no early dip here), so a clock
        # of 1.0 rings after 1 / rate years: the rate must be the clock's own. With the
        # regular-job and sheltered-work hazards swapped, these weeks would differ.
        ("regular_job", ExitReason.REGULAR_JOB, 1 / 0.1),
        ("sheltered_work", ExitReason.SHELTERED_WORK, 1 / 0.25),
        ("self_employed", ExitReason.SELF_EMPLOYED, 1 / 0.4),
        ("quit", ExitReason.QUIT, 1 / 0.5),
    ],
)
def test_each_clock_runs_at_its_own_hazard(ring, reason, years):
    rates = {
        "exit_regular_job": 0.1,
        "exit_sheltered_work": 0.25,
        "exit_self_employed": 0.4,
        "exit_quit": 0.5,
    }
    host, people, part, _ = contracts(
        params={**rates, "early_exit_factor": 1.0},
        exit_clock=clocks(**{ring: 1.0}),
        intensive_guidance=[True],
    )
    people.start(Recipient(host, 0), week=30)
    assert part.exit_plan(0, 30) == (30 + math.ceil(years * WEEKS_PER_YEAR), reason)


def test_the_early_years_lower_every_voluntary_hazard():
    # FACTS.md: nobody left in the first years. Factor 0.1 for 3 years on a rate of 0.2:
    # a clock of 0.03 rings at 0.03 / 0.02 = 1.5 years; one of 0.16 uses up the early
    # 0.06 in 3 years and the rest at 0.2: 3 + 0.1 / 0.2 = 3.5 years.
    params = {"exit_quit": 0.2, "early_exit_factor": 0.1, "early_exit_years": 3.0}
    for clock, years in ((0.03, 1.5), (0.16, 3.5)):
        host, people, part, _ = contracts(params=params, exit_clock=clocks(quit=clock))
        people.start(Recipient(host, 0), week=0)
        assert part.exit_plan(0, 0) == (math.ceil(years * WEEKS_PER_YEAR), ExitReason.QUIT)


def test_the_first_clock_to_ring_decides_and_a_due_exit_comes_next_week():
    # Quit at 1 year beats a regular job at 2; a clock of 0 rings in the next week, not
    # in the week of the start; someone already past pension age retires next week.
    host, people, part, _ = contracts(
        3,
        params={"exit_quit": 1.0, "exit_regular_job": 1.0, "early_exit_factor": 1.0},
        exit_clock=[*clocks(quit=1.0, regular_job=2.0), *clocks(quit=0.0), *clocks()],
        birth_week=[-50 * WEEKS_PER_YEAR, -50 * WEEKS_PER_YEAR, -70 * WEEKS_PER_YEAR],
    )
    for person in range(3):
        people.start(Recipient(host, person), week=5)
    assert part.exit_plan(0, 5) == (5 + math.ceil(WEEKS_PER_YEAR), ExitReason.QUIT)
    assert part.exit_plan(1, 5) == (6, ExitReason.QUIT)
    assert part.exit_plan(2, 5) == (6, ExitReason.RETIREMENT)


def test_a_clock_at_zero_hazard_never_rings():
    # No sheltered-work hazard: even the intensive group's earliest clock does not ring;
    # no mortality: the death clock does not either; retirement at 67 comes first.
    host, people, part, _ = contracts(
        params={"exit_sheltered_work": 0.0, "mortality_at_50": 0.0},
        exit_clock=clocks(sheltered_work=0.001, death=0.001),
        intensive_guidance=[True],
    )
    people.start(Recipient(host, 0), week=0)
    assert part.exit_plan(0, 0)[1] is ExitReason.RETIREMENT
    assert gompertz_years(0.5, 50.0, 0.0, 8.0) == math.inf


def test_the_exit_is_carried_out_on_its_week_with_its_reason():
    host, people, part, left = contracts(
        params={"mortality_at_50": 0.01}, exit_clock=clocks(death=0.2)
    )
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    due, reason = part.exit_plan(0, 0)
    assert reason is ExitReason.DEATH
    run_until(people, due)
    assert left == [(0, ExitReason.DEATH, due)]


def test_after_2023_a_contract_with_no_tenure_asked_becomes_permanent_next_week():
    # Permanent after 0 years, starting after 1 Jan 2023: the week after the start.
    host, people, part, _ = contracts(params={"permanent_after_years": 0.0})
    start = week_of(part.p.permanent_contracts_from) + 10
    people.start(Recipient(host, 0), week=start)
    part.start(0, start)
    people.contract_agenda.run(start)
    assert not people.permanent[0]
    people.contract_agenda.run(start + 1)
    assert people.permanent[0]


def test_a_temporary_contract_that_ends_leaves_the_permanent_count_alone():
    _host, _people, part, _ = contracts()
    part.employed_permanent = 3
    part.count_exit(0, ExitReason.REGULAR_JOB)
    assert part.employed_permanent == 3
    assert part.exited_cum[ExitReason.REGULAR_JOB] == 1


def test_exits_of_one_reason_add_up():
    _host, _people, part, _ = contracts(3)
    for person in range(3):
        part.count_exit(person, ExitReason.QUIT)
    assert part.exited_cum[ExitReason.QUIT] == 3


def test_permanent_contracts_add_up():
    host, people, part, _ = contracts(2)
    for person in range(2):
        people.start(Recipient(host, person), week=0)
        part.start(person, 0)
    run_until(people, week_of(part.p.permanent_contracts_from) + TENURE)
    assert part.employed_permanent == 2


# --- the designs of the 2022 letter -----------------------------------------------------


@pytest.mark.parametrize("design", ["supplement", "reintegration"])
def test_only_a_contract_job_becomes_permanent(design):
    # A supplement is no job and a re-integration job is time-limited: no permanent
    # contract is planned, only the way out.
    host, people, part, _ = contracts(params={"design": design, "reintegration_max_years": 20})
    people.start(Recipient(host, 0), week=0)
    part.start(0, 0)
    run_until(people, week_of(part.p.permanent_contracts_from) + TENURE + 1)
    assert not people.permanent[0]
    assert part.employed_permanent == 0


def test_with_a_supplement_participants_quit_more_easily():
    # Quit hazard 0.5 a year times the supplement's factor 2: a clock of 1.0 rings after
    # 1 year instead of 2; the regular-job hazard is left as it is.
    params = {"exit_quit": 0.5, "exit_regular_job": 0.5, "early_exit_factor": 1.0}
    for design, quit_years in (("contract", 2.0), ("supplement", 1.0)):
        host, people, part, _ = contracts(
            2,
            params={**params, "design": design, "supplement_quit_factor": 2.0},
            exit_clock=clocks(quit=1.0) + clocks(regular_job=1.0),
        )
        people.start(Recipient(host, 0), week=0)
        assert part.exit_plan(0, 0) == (math.ceil(quit_years * WEEKS_PER_YEAR), ExitReason.QUIT)
        people.start(Recipient(host, 1), week=0)
        assert part.exit_plan(1, 0) == (math.ceil(2 * WEEKS_PER_YEAR), ExitReason.REGULAR_JOB)


def test_reintegration_triples_the_regular_job_hazard_without_the_early_dip():
    # Regular job 0.1 a year x 3 = 0.3 from the first week: a clock of 0.3 rings after
    # 1 year (with the early factor 0.1 of the contract design it would take 10). Quitting
    # keeps its early dip: 0.5 x 0.1 for 3 years, so a clock of 0.1 rings after 2 years.
    params = {
        "design": "reintegration",
        "reintegration_max_years": 20,
        "reintegration_outflow_factor": 3.0,
        "exit_regular_job": 0.1,
        "exit_quit": 0.5,
        "early_exit_factor": 0.1,
        "early_exit_years": 3.0,
    }
    host, people, part, _ = contracts(
        2, params=params, exit_clock=clocks(regular_job=0.3) + clocks(quit=0.1)
    )
    for person in (0, 1):
        people.start(Recipient(host, person), week=0)
    assert part.exit_plan(0, 0) == (math.ceil(1.0 * WEEKS_PER_YEAR), ExitReason.REGULAR_JOB)
    assert part.exit_plan(1, 0) == (math.ceil(2.0 * WEEKS_PER_YEAR), ExitReason.QUIT)


def test_a_reintegration_job_ends_with_its_term_placed_or_back_on_bijstand():
    # A term of 2 years and no clock ringing before: at the term's end the person with a
    # placement draw below the share (0.3) moves on to a regular job, the other returns.
    # A clock ringing exactly at the term's end (quit 0.5 a year, clock 1.0) is not cut
    # short by it.
    params = {
        "design": "reintegration",
        "reintegration_max_years": 2.0,
        "reintegration_placement_share": 0.3,
        "exit_quit": 0.5,
        "early_exit_factor": 1.0,
    }
    host, people, part, _ = contracts(
        3, params=params, placement_draw=[0.29, 0.3, 0.1],
        exit_clock=clocks() + clocks() + clocks(quit=1.0),
    )  # fmt: skip
    for person in range(3):
        people.start(Recipient(host, person), week=7)
    term = 7 + math.ceil(2.0 * WEEKS_PER_YEAR)
    assert part.exit_plan(0, 7) == (term, ExitReason.REGULAR_JOB)
    assert part.exit_plan(1, 7) == (term, ExitReason.END_OF_TERM)
    assert part.exit_plan(2, 7) == (term, ExitReason.QUIT)


def test_the_shortest_term_ends_the_week_after_the_start():
    host, people, part, _ = contracts(
        params={"design": "reintegration", "reintegration_max_years": 0.001}
    )
    people.start(Recipient(host, 0), week=7)
    assert part.exit_plan(0, 7) == (8, ExitReason.END_OF_TERM)


def test_an_absurdly_steep_mortality_means_death_at_once():
    # A doubling time of days: the hazard has doubled more than 1,000 times by 60, beyond
    # any float; the clock rings at once rather than overflowing.
    assert gompertz_years(0.5, 60.0, 0.004, 0.001) == 0.0
    # A tiny clock at 50 rings after clock / hazard years (hazard 0.004 a year), not
    # held up by the floor at 0.
    assert gompertz_years(1e-9, 50.0, 0.004, 8.0) == pytest.approx(1e-9 / 0.004, rel=1e-3)
