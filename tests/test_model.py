"""The weekly model: determinism, conservation, capacities, and its programme rules."""

from __future__ import annotations

import ast
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import BasisbaanModel, Params, simulate
from sim.agents import ExitReason
from sim.constraints import CONSTRAINTS
from sim.programme.people import Stage
from sim.timeline import WEEKS_PER_YEAR, week_of

from .conftest import SMALL

COUNTS = (
    "employed", "employed_permanent", "employed_women", "in_intake", "waiting_for_tasks",
    "spoken_cum", "started_cum", "exited_cum", "eligible", "referred_cum", "tasks_free",
    "waiting_for_intake", "selected_waiting", "hours_worked", "guidance_hours",
)  # fmt: skip


def run_weeks(params: Params, seed: int, weeks: int):
    model = BasisbaanModel(params, rng=seed)
    states = []
    for _ in range(weeks):
        model.step()
        states.append(check_invariants(model))
    return model, states


def check_invariants(model: BasisbaanModel) -> dict[str, int]:
    """Assert what must hold in every week; return the stage counts."""
    p, pop = model.p, model.population
    counts = model.people.stage_counts()
    # Every person in exactly one stage.
    assert sum(counts.values()) == pop.size
    assert counts[Stage.EMPLOYED] == model.employed == len(model.people.participants)
    assert counts[Stage.INTAKE] == model.intake.in_intake
    assert counts[Stage.REFERRED] == len(model.referral.waiting)
    assert counts[Stage.SELECTED] == len(model.intake.selected)
    # Flows add up.
    assert model.people.started_cum == model.employed + sum(model.contracts.exited_cum.values())
    decided = (
        sum(model.intake.rejected_cum.values())
        + model.people.started_cum
        + len(model.intake.selected)
    )
    assert (
        decided
        == counts[Stage.REJECTED]
        + counts[Stage.EMPLOYED]
        + counts[Stage.EXITED]
        + counts[Stage.SELECTED]
    )
    assert model.referral.referred_cum == pop.size - counts[Stage.POOL]
    # Capacities and ceilings.
    assert model.employed <= model.policy.job_ceiling[model.week]
    for coach in model.intake.coaches:
        assert len(coach.caseload) <= p.intake_slots_per_coach
    assert len(model.referral.waiting) <= p.referral_queue_max + p.initial_referrals
    for person, participant in model.people.participants.items():
        # Tasks fill the hours, or a replacement is being sought (FACTS.md: tasks that
        # do not fit are replaced by others in the wijk).
        assert len(participant.tasks) <= p.tasks_per_participant_max
        people = model.people
        fits = people.task_hours[person] == people.contract_hours[person]
        assert fits or person in model.tasks.short
    for wijk in model.tasks.organisations:
        for organisation in wijk:
            # No displacement: never more than its additional work.
            assert organisation.offered_hours <= organisation.additional_work
    held = [t for t, holder in enumerate(model.tasks.task_holder) if holder >= 0]
    assert len(held) + model.tasks.free_count == model.tasks.tasks_total
    assert model.people.employed_by_wijk.sum() == model.employed
    assert sum(g.participants for g in model.work.guiding_organisations) == model.employed
    assert model.binding_constraint in CONSTRAINTS
    return counts


def test_same_seed_same_frames_different_seed_different():
    a = simulate(Params(), seed=11, until="2024-06-30")
    b = simulate(Params(), seed=11, until="2024-06-30")
    c = simulate(Params(), seed=12, until="2024-06-30")
    pd.testing.assert_frame_equal(a, b)
    assert not a.drop(columns="seed").equals(c.drop(columns="seed"))


def test_invariants_hold_every_week_of_a_default_run():
    model, _ = run_weeks(Params(), 4, week_of(dt.date(2027, 12, 31)))
    assert model.employed > 100  # the run got somewhere


def test_no_negative_counts(long_run):
    ts = long_run.timeseries
    # Net cost may be negative (the week a subsidy arrives); everything else is a count,
    # hours or a cost item.
    numeric = ts.select_dtypes("number").drop(columns=["seed", "replicate", "cost_net_eur"])
    assert (numeric.fillna(0) >= 0).all().all(), numeric.min()[numeric.min() < 0]
    assert (long_run.by_wijk["employed"] >= 0).all()
    cumulative = [c for c in ts.columns if c.endswith("_cum")]
    assert (ts[cumulative].diff().dropna() >= 0).all().all()


def test_guidance_hours_equal_the_direct_formula():
    """The O(1) running totals match clip(b * exp(-k * tenure), 1, 5) summed directly."""
    model = BasisbaanModel(Params(), rng=21)
    p, pop = model.p, model.population
    for _ in range(300):
        model.step()
        if not model.people.participants:
            continue
        ids = np.array(list(model.people.participants))
        # Participants who left this week were guided this week too.
        tenure = model.week - model.people.start_week[ids]
        decline = np.where(
            pop.intensive_guidance[ids],
            1.0,
            np.exp(-p.guidance_decline_per_year * tenure / WEEKS_PER_YEAR),
        )
        direct = np.clip(p.guidance_hours_start * pop.guidance_intensity[ids] * decline, 1.0, 5.0)
        if model.contracts.exited_cum and sum(model.contracts.exited_cum.values()) == 0:
            assert model.work.guidance_hours == pytest.approx(direct.sum(), rel=1e-9)
    per_participant = model.work.guidance_hours / model.employed
    assert 1.0 <= per_participant <= 5.0  # FACTS.md: 1-5 h/week


def test_ceiling_limits_starts_and_is_reported_as_binding():
    params = Params().with_overrides({"job_ceiling_experiment": 10, "job_ceiling_max": 10})
    ts = simulate(params, seed=2, until="2022-12-31")
    assert ts["employed"].max() == 10
    assert (ts["employed"] <= ts["job_ceiling"]).all()
    late = ts[ts["date"] >= "2022-01-01"]
    # Ten jobs are filled in 2021; in 2022 the ceiling holds every week (52 of 52 with
    # this seed) except while an exit has freed a place that the next selected candidate
    # has not yet filled (matching takes 2 weeks, a new intake 4-6): 0.9 allows five
    # such weeks of 52.
    assert (late["binding_constraint"] == "ceiling").mean() > 0.9


def test_budget_limits_starts():
    # A budget for about 20 participants' net cost (FACTS.md: ~EUR 19,000 each).
    params = Params().with_overrides({"budget_net_eur_per_year": 20 * 19_500})
    ts = simulate(params, seed=2, until="2024-12-31")
    yearly_run_rate = (ts["cost_gross_eur"] - ts["benefits_saved_eur"]) * WEEKS_PER_YEAR
    assert yearly_run_rate.max() <= 20 * 19_500
    # From the second year a job costs EUR 18,487 net (guidance 3,000): at most 21 fit.
    assert 18 <= ts["employed"].max() <= 21
    assert "budget" in set(ts["binding_constraint"])


def test_few_coaches_make_coaches_the_binding_constraint():
    params = Params().with_overrides(
        {
            "intake_coaches": 1,
            "intake_coaches_follow_ceiling": False,
            "referrals_per_coach_week": 5.0,
        }
    )
    ts = simulate(params, seed=3, until="2026-12-31")
    late = ts[ts["date"] >= "2024-01-01"]
    assert late["binding_constraint"].value_counts().idxmax() == "coaches"


def test_no_tasks_means_nobody_starts_and_tasks_bind():
    params = Params().with_overrides(
        {
            "initial_tasks": 0,
            "task_acquisition_per_week": 0,
            "task_collection_follows_ceiling": False,
        }
    )
    ts = simulate(params, seed=3, until="2021-12-31")
    assert ts["employed"].max() == 0
    assert ts["waiting_for_tasks"].max() > 0
    assert ts["binding_constraint"].value_counts().idxmax() == "tasks"


def test_tasks_come_from_the_own_wijk_first():
    model = BasisbaanModel(Params(), rng=8)
    for _ in range(150):
        model.step()
    own = near = 0
    for person, participant in model.people.participants.items():
        home = int(model.population.wijk[person])
        for task in participant.tasks:
            if model.tasks.task_wijk[task] == home:
                own += 1
            else:
                near += 1
                assert model.tasks.task_wijk[task] in model.tasks.near[home]
    assert own > near


def test_permanent_contracts_after_three_years_and_not_before_2023():
    model = BasisbaanModel(Params(), rng=5)
    first_permanent = week_of(dt.date(2023, 1, 1))
    for _ in range(week_of(dt.date(2025, 6, 30))):
        model.step()
        ids = [p for p in model.people.participants if model.people.permanent[p]]
        if model.week < first_permanent:
            assert not ids
        tenure = model.week - model.people.start_week[ids]
        assert (tenure >= math.ceil(3 * WEEKS_PER_YEAR)).all()
        assert model.contracts.employed_permanent == len(ids)
    assert model.contracts.employed_permanent > 0


def test_nobody_retires_within_the_pension_margin(long_run):
    model = BasisbaanModel(Params(), rng=9)
    for _ in range(week_of(dt.date(2023, 3, 1))):
        model.step()
    assert model.contracts.exited_cum[ExitReason.RETIREMENT] == 0
    # Not because retirement never happens: those who start within a few years of the
    # margin reach state pension age later (with seed 7, the first in June 2024).
    ts = long_run.timeseries
    assert ts.loc[ts["date"] <= "2023-03-01", "exit_retirement_cum"].max() == 0
    assert ts["exit_retirement_cum"].iloc[-1] > 0


def test_partner_of_a_selected_candidate_can_be_referred():
    params = Params().with_overrides(
        {"partner_referral": 1.0, "share_couples": 0.6, "cannot_factor_couples": 0.0}
    )
    model = BasisbaanModel(params, rng=4)
    pop = model.population
    for _ in range(200):
        model.step()
    both = [
        p
        for p in model.people.participants
        if pop.partner[p] >= 0 and model.people.stage[pop.partner[p]] != Stage.POOL
    ]
    assert both, "no partner was ever referred although every partner is offered an intake"


def test_referral_takes_the_highest_key_among_the_eligible_who_want_work():
    model = BasisbaanModel(Params(), rng=6)
    pop = model.population
    eligible_now = np.flatnonzero(
        (pop.eligible_from <= 0) & (pop.eligible_to > 0) & (pop.willing_from <= 0)
    )
    referred = np.flatnonzero(model.people.stage != Stage.POOL)
    best = eligible_now[np.argsort(-pop.referral_key[eligible_now])][: len(referred)]
    assert set(referred) == set(best)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    referrals=st.floats(0.2, 5.0),
    slots=st.integers(1, 8),
    conversations=st.floats(0.5, 8.0),
    tasks=st.floats(0.0, 6.0),
    ceiling=st.integers(0, 60),
    misfit=st.floats(0.0, 2.0),
    exits=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32),
)
def test_invariants_hold_for_random_parameters(
    referrals, slots, conversations, tasks, ceiling, misfit, exits, seed
):
    params = Params().with_overrides(
        {
            **SMALL,
            "referrals_per_coach_week": referrals,
            "intake_slots_per_coach": slots,
            "conversations_per_coach_week": conversations,
            "task_acquisition_per_week": tasks,
            "job_ceiling_experiment": ceiling,
            "task_misfit_per_year": misfit,
            "exit_quit": exits,
            "exit_regular_job": exits,
        }
    )
    run_weeks(params, seed, 200)


@pytest.mark.parametrize(("low", "high"), [(8, 18), (12, 16), (8, 12)])
def test_task_hours_need_not_span_steps_of_four(low, high):
    params = Params().with_overrides({**SMALL, "task_hours_min": low, "task_hours_max": high})
    model, _ = run_weeks(params, 1, 120)
    hours = set(model.tasks.task_hours)
    assert hours <= set(range(low, high + 1, 4))
    assert model.people.started_cum > 0


def test_replacement_tasks_come_from_the_own_wijk():
    params = Params().with_overrides({"task_misfit_per_year": 3.0})
    model = BasisbaanModel(params, rng=12)
    for _ in range(200):
        before = {p: list(part.tasks) for p, part in model.people.participants.items()}
        model.step()
        for person, participant in model.people.participants.items():
            home = int(model.population.wijk[person])
            for task in set(participant.tasks) - set(before.get(person, participant.tasks)):
                assert model.tasks.task_wijk[task] == home


def test_a_pipeline_stuck_on_tasks_is_reported_as_tasks_not_ceiling():
    # Tasks collected at the experiment's pace cannot keep up with +50 jobs a year: the
    # selected wait for tasks, fill the planned places, and admissions pause.
    params = Params().with_overrides(
        {
            "task_acquisition_per_week": 1.2,
            "task_collection_follows_ceiling": False,
            "free_task_buffer": 0,
        }
    )
    ts = simulate(params, seed=5, until="2027-12-31")
    late = ts[ts["date"] >= "2025-01-01"]
    stuck = late[late["waiting_for_tasks"] > 0]
    # Stuck for more than 20 of the 156 weeks from 2025 (all 156 with this seed): long
    # enough that the share below is over a real stretch, not a week or two.
    assert len(stuck) > 20
    below_ceiling = stuck[stuck["employed"] < stuck["job_ceiling"]]
    # Admissions are checked against last week's candidates waiting for tasks, so the
    # week after the last of them found tasks may still report the ceiling: 0.9 allows
    # one such week in ten (all are "tasks" with this seed).
    assert (below_ceiling["binding_constraint"] == "tasks").mean() > 0.9


def test_scenarios_of_a_replicate_share_one_read_only_population():
    a = BasisbaanModel(Params(), rng=31)
    b = BasisbaanModel(Params().with_overrides({"intake_coaches_follow_ceiling": False}), rng=31)
    c = BasisbaanModel(Params().with_overrides({"share_couples": 0.2}), rng=31)
    assert a.population is b.population  # a policy lever leaves the population alone
    assert c.population is not a.population  # a population parameter draws a new one
    with pytest.raises(ValueError, match="read-only"):
        a.population.woman[0] = True


# --- the binding constraint, case by case ------------------------------------------------


@pytest.fixture
def small_model():
    """A small town's model in the first week after a year with selected candidates."""
    model = BasisbaanModel(Params().with_overrides(SMALL), rng=3)
    for _ in range(60):
        model.step()
    while not model.intake.selected:
        model.step()
    assert model.week < 300  # a guard: someone is selected within the first years
    return model


def test_admissions_are_held_by_the_ceiling_or_by_tasks_when_places_are_full(small_model):
    model = small_model
    ceiling = int(model.policy.job_ceiling[model.week])
    assert model._admission_held_back(ceiling) is None  # up to the ceiling: admitted
    assert model._admission_held_back(ceiling + 0.01) == "ceiling"
    # Candidates stuck waiting for tasks fill the planned places: tasks hold it back.
    model.tasks.wanting = [0]
    assert model._admission_held_back(ceiling + 0.01) == "tasks"
    assert model._admission_held_back(ceiling) is None


def test_admissions_are_held_by_the_budget_within_the_ceiling(small_model, monkeypatch):
    model = small_model
    asked = []

    def over(week, more):
        asked.append((week, more))
        return True

    monkeypatch.setattr(model.accounting, "over_budget", over)
    assert model._admission_held_back(model.employed + 1.5) == "budget"
    # The budget is asked about the starts planned beyond those employed.
    assert asked == [(model.week, pytest.approx(1.5))]


@pytest.mark.parametrize(
    ("admission", "matching", "binding"),
    [
        # When several constraints hold in one week, the nearest to the start wins, in
        # the order of sim.constraints: ceiling, budget, tasks, coaches, candidates.
        (set(), set(), "candidates"),
        ({"coaches"}, set(), "coaches"),
        ({"coaches"}, {"tasks"}, "tasks"),
        ({"tasks"}, {"budget"}, "budget"),
        ({"budget"}, {"ceiling", "tasks"}, "ceiling"),
    ],
)
def test_the_week_reports_the_first_constraint_that_held(
    small_model, monkeypatch, admission, matching, binding
):
    monkeypatch.setattr(small_model, "intake_and_selection", lambda week: admission)
    monkeypatch.setattr(small_model, "matching_and_starts", lambda week: matching)
    small_model.step()
    assert small_model.binding_constraint == binding
    assert small_model.record.frame()["binding_constraint"].iloc[-1] == binding


def ready_candidates(model):
    """Make every selected candidate ready to start now; returns how many there are."""
    for candidate in model.intake.selected:
        candidate.ready_week = model.week
    return len(model.intake.selected)


def test_matching_stops_at_a_full_ceiling(small_model):
    model = small_model
    week = model.week + 1
    model.week = week
    # The model reads the ceiling from its own list of the policy's weeks (read once).
    model._job_ceiling[week] = model.employed
    before = model.employed
    ready_candidates(model)
    assert model.matching_and_starts(week) == {"ceiling"}
    assert model.employed == before


def test_matching_stops_when_the_budget_is_spent(small_model, monkeypatch):
    model = small_model
    week = model.week + 1
    model.week = week
    ready_candidates(model)
    monkeypatch.setattr(model.accounting, "over_budget", lambda week, more: True)
    before = model.employed
    assert model.matching_and_starts(week) == {"budget"}
    assert model.employed == before


def test_candidates_without_fitting_tasks_wait_and_tasks_are_reported(small_model, monkeypatch):
    model = small_model
    week = model.week + 1
    model.week = week
    waiting = ready_candidates(model)
    assert waiting
    monkeypatch.setattr(model.tasks, "find", lambda *args, **kwargs: None)
    held = model.matching_and_starts(week)
    assert held == {"tasks"}
    assert len(model.tasks.wanting) == waiting
    assert len(model.intake.selected) == waiting


def test_a_candidate_with_tasks_starts_and_every_part_takes_them_on(small_model):
    model = small_model
    week = model.week + 1
    model.week = week
    model.policy.job_ceiling[week] = 10_000
    ready_candidates(model)
    candidate = model.intake.selected[0]
    person = candidate.person
    for _ in range(6):  # enough tasks in the candidate's wijk for any contract hours
        model.tasks.collect_near(int(model.population.wijk[person]))
    before = model.employed
    assert model.matching_and_starts(week) == set()
    assert model.people.stage[person] == Stage.EMPLOYED
    assert candidate not in model.intake.selected
    assert model.employed > before
    assert model.people.start_week[person] == week
    assert model.people.task_hours[person] == model.people.contract_hours[person]
    assert candidate.guiding_organisation is not None
    assert model.accounting.first_year >= 1


def _method_lines(cls: ast.ClassDef) -> int:
    return sum(
        node.end_lineno - node.lineno + 1  # type: ignore[operator]
        for node in cls.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def test_the_model_is_its_programme_parts_no_class_a_house_of_its_own():
    # The house rule (a class a newcomer can read): BasisbaanModel only composes the
    # parts and keeps the week's steps, at most 300 lines of methods; no class of sim/
    # over 400. Params is a table of fields, so its methods are what count.
    sim = Path(__file__).resolve().parents[1] / "sim"
    sizes = {}
    for path in sim.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                sizes[f"{path.relative_to(sim)}:{node.name}"] = _method_lines(node)
    assert sizes["model.py:BasisbaanModel"] <= 300
    assert {name: n for name, n in sizes.items() if n > 400} == {}
