"""The designs of the 2022 letter: each one's rules and its accounts, worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import Params
from sim.agents import ExitReason, Recipient
from sim.costs import net_cost_first_year, week_costs
from sim.experiment import load_experiment
from sim.population import EXIT_CLOCKS
from sim.programme.contracts import Contracts
from sim.simulation import run_replicate
from sim.timeline import WEEKS_PER_YEAR

from .conftest import REPO
from .programme.tiny import setting

W = WEEKS_PER_YEAR


def costs(design: str, **params):
    p = Params().with_overrides({"design": design, **params})
    # 10 participants at 32 h, 4 in their first year, no contributions or subsidies.
    return p, week_costs(
        p, employed=10, contract_hours=320.0, first_year=4, contributions_per_job_year=0.0,
        subsidy=0.0,
    )  # fmt: skip


def test_contract_costs_follow_the_2022_letter():
    _, c = costs("contract")
    assert c.wages == pytest.approx(10 * 27_387 / W)
    assert c.employer == pytest.approx(10 * 600 / W)
    assert c.guidance == pytest.approx((4 * 4_000 + 6 * 3_000) / W)
    assert c.benefits_saved == pytest.approx(10 * 14_000 / W)
    assert c.supplements == 0
    # FACTS.md: gross EUR 33,000 and net EUR 19,000 per job-year, give or take the
    # guidance year: first year 27,387 + 600 + 4,000 + 1,500 - 14,000 = 19,487.
    assert net_cost_first_year(Params(), 0.0) == pytest.approx(19_487)


def test_a_supplement_keeps_the_benefit_and_pays_no_wage():
    p, c = costs("supplement", supplement_per_month=200.0)
    assert c.wages == 0
    assert c.employer == 0
    assert c.benefits_saved == 0  # the benefit is still paid
    assert c.supplements == pytest.approx(10 * 200 * 12 / W)
    assert c.net == pytest.approx(c.gross)
    # First year: 2,400 supplement + 4,000 guidance + 1,500 coaches = 7,900.
    assert net_cost_first_year(p, 0.0) == pytest.approx(7_900)


def test_reintegration_costs_a_contract_job_plus_job_hunting():
    p, c = costs("reintegration", reintegration_guidance_per_year=1_500.0)
    _, contract = costs("contract")
    assert c.wages == contract.wages
    assert c.guidance == pytest.approx(contract.guidance + 10 * 1_500 / W)
    assert net_cost_first_year(p, 0.0) == pytest.approx(19_487 + 1_500)


def exit_of(design: str, clocks: dict[str, float], **params):
    """When and why a participant aged 50 leaves, with these clocks (the others never)."""
    row = np.full(len(EXIT_CLOCKS), np.inf)
    for name, value in clocks.items():
        row[EXIT_CLOCKS.index(name)] = value
    host, p, people, _ = setting(
        1, {"design": design, **params}, exit_clock=[row], placement_draw=[0.5]
    )
    part = Contracts(p, people, leave=lambda *a: None)
    people.start(Recipient(host, 0), week=0)
    return part.exit_plan(0, 0)


def test_a_reintegration_term_ends_in_a_regular_job_or_back_to_bijstand():
    # No clock rings within the 2-year term: it ends at 2 years. The placement draw
    # (0.5) against the share decides: share 0.6 -> a regular job, 0.3 -> back.
    week, reason = exit_of("reintegration", {}, reintegration_placement_share=0.6)
    assert (week, reason) == (math.ceil(2 * W), ExitReason.REGULAR_JOB)
    week, reason = exit_of("reintegration", {}, reintegration_placement_share=0.3)
    assert (week, reason) == (math.ceil(2 * W), ExitReason.END_OF_TERM)


def test_reintegration_guidance_triples_the_regular_job_hazard_from_the_start():
    # Regular-job clock 0.06 with hazard 0.02 x 3 = 0.06 a year, no early reduction:
    # it rings after one year, within the 2-year term.
    week, reason = exit_of(
        "reintegration", {"regular_job": 0.06}, exit_regular_job=0.02,
        reintegration_outflow_factor=3.0,
    )  # fmt: skip
    assert (week, reason) == (math.ceil(W), ExitReason.REGULAR_JOB)
    # Under a contract the same clock rings far later (early factor, one third the rate).
    week, _ = exit_of("contract", {"regular_job": 0.06}, exit_regular_job=0.02)
    assert week > 3 * W


def test_without_a_contract_quitting_is_easier_and_there_is_no_permanent_contract():
    # Quit clock 0.2 with hazard 0.1 a year and no early dip: 2 years under a contract,
    # 1 year with a supplement (the quit hazard doubled).
    params = {"exit_quit": 0.1, "early_exit_factor": 1.0, "supplement_quit_factor": 2.0}
    assert exit_of("contract", {"quit": 0.2}, **params) == (math.ceil(2 * W), ExitReason.QUIT)
    assert exit_of("supplement", {"quit": 0.2}, **params) == (math.ceil(W), ExitReason.QUIT)


def test_the_shipped_variants_run_on_the_same_people():
    experiment = load_experiment(REPO / "experiments" / "variants.toml")
    runs = {
        name: run_replicate(experiment.params(name), 5, "2025-12-31").timeseries
        for name in experiment.scenarios
    }
    contract, supplement, reintegration = (
        runs[n] for n in ("contract", "supplement", "reintegration")
    )
    assert contract["employed_permanent"].max() > 0
    assert supplement["employed_permanent"].max() == 0  # no contract, so none permanent
    assert supplement["cost_wages_eur"].sum() == 0
    assert supplement["supplements_eur"].sum() > 0
    # Time-limited jobs with guidance aimed at outflow: more leave, and more to a job.
    assert reintegration["exited_cum"].iloc[-1] > contract["exited_cum"].iloc[-1]
    assert (
        reintegration["exit_regular_job_cum"].iloc[-1] > contract["exit_regular_job_cum"].iloc[-1]
    )
    assert reintegration["exit_end_of_term_cum"].iloc[-1] > 0
    # Net cost per job-year: the supplement is far cheaper than a contract job.
    per_year = {n: ts["cost_net_eur"].sum() / (ts["employed"].sum() / W) for n, ts in runs.items()}
    assert per_year["supplement"] < 0.6 * per_year["contract"]
