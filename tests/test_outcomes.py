"""Each named outcome reads what its name says, and the weekly record collects them all.

A model stand-in where every quantity has its own value catches an outcome reading the
wrong counter: a mislabelled exit or rejection reason, the wrong cost item.
"""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from sim import BasisbaanModel, Params
from sim.agents import ExitReason, IntakeDecision
from sim.costs import WeekCosts
from sim.outcomes import OUTCOMES, WeeklyRecord

from .conftest import SMALL

EXITS = {
    ExitReason.REGULAR_JOB: 101,
    ExitReason.SHELTERED_WORK: 102,
    ExitReason.SELF_EMPLOYED: 103,
    ExitReason.QUIT: 104,
    ExitReason.DEATH: 105,
    ExitReason.RETIREMENT: 106,
    ExitReason.END_OF_TERM: 107,
}
REJECTIONS = {
    IntakeDecision.SELECTED: 0,
    IntakeDecision.PAID_WORK: 201,
    IntakeDecision.HEALTH: 202,
    IntakeDecision.VOLUNTEERING: 203,
    IntakeDecision.OTHER: 204,
}


def stand_in():
    """A model with a distinct value for every quantity an outcome may read."""
    week = 3
    policy = SimpleNamespace(
        job_ceiling=np.array([0, 0, 0, 301]),
        job_target=np.array([0, 0, 0, 302.5]),
        task_acquisition=np.array([0, 0, 0, 303.5]),
        intake_coaches=np.array([0, 0, 0, 304]),
    )
    people = SimpleNamespace(
        employed=1,
        employed_women=2,
        employed_single_parents=3,
        employed_couples=4,
        employed_45_plus=5,
        started_cum=6,
        employed_by_wijk=np.array([7, 8]),
    )
    return SimpleNamespace(
        week=week,
        policy=policy,
        people=people,
        contracts=SimpleNamespace(employed_permanent=11, exited_cum=dict(EXITS)),
        intake=SimpleNamespace(
            in_intake=12, selected=[0] * 13, spoken_cum=14, rejected_cum=dict(REJECTIONS)
        ),
        referral=SimpleNamespace(
            referred_cum=15, waiting=[0] * 16, willing_pool=lambda week: 17 + week
        ),
        eligible=18,
        tasks=SimpleNamespace(wanting=[0] * 19, tasks_total=20, free_count=21),
        work=SimpleNamespace(
            hours_worked=22.5,
            contract_hours_total=23.5,
            guidance_hours=24.5,
            sick_absence_rate=0.25,
            no_absence_share=0.26,
        ),
        accounting=SimpleNamespace(costs=WeekCosts(1000, 100, 200, 300, 50, 400, 7, 60)),
        binding_constraint="coaches",
    )


EXPECTED = {
    "employed": 1,
    "employed_permanent": 11,
    "employed_women": 2,
    "in_intake": 12,
    "waiting_for_tasks": 19,
    "spoken_cum": 14,
    "started_cum": 6,
    "rejected_paid_work_cum": 201,
    "rejected_health_cum": 202,
    "rejected_volunteering_cum": 203,
    "rejected_other_cum": 204,
    "exited_cum": sum(EXITS.values()),
    "exit_regular_job_cum": 101,
    "exit_sheltered_work_cum": 102,
    "exit_retirement_cum": 106,
    "exit_death_cum": 105,
    "exit_self_employed_cum": 103,
    "exit_quit_cum": 104,
    "hours_worked": 22.5,
    "guidance_hours": 24.5,
    "sick_absence_rate": 0.25,
    # Gross: 1000 + 100 + 200 + 300 + 60 supplements - 50 contributions; net: less 400
    # saved and the 7 subsidy.
    "cost_gross_eur": 1610,
    "cost_net_eur": 1203,
    "binding_constraint": "coaches",
    "eligible": 18,
    "referred_cum": 15,
    "waiting_for_intake": 16,
    "selected_waiting": 13,
    "job_ceiling": 301,
    "intake_coaches": 304,
    "tasks_total": 20,
    "tasks_free": 21,
    "contract_hours": 23.5,
    "no_absence_share": 0.26,
    "employed_single_parents": 3,
    "employed_couples": 4,
    "employed_45_plus": 5,
    "cost_wages_eur": 1000,
    "cost_employer_eur": 100,
    "cost_guidance_eur": 200,
    "cost_coaches_eur": 300,
    "contributions_eur": 50,
    "benefits_saved_eur": 400,
    "subsidies_eur": 7,
    "job_target": 302.5,
    "task_collection": 303.5,
    "willing_pool": 20,
    "exit_end_of_term_cum": 107,
    "supplements_eur": 60,
}


def test_each_outcome_reads_what_its_name_says():
    model = stand_in()
    wrong = {
        name: (function(model), EXPECTED[name])
        for name, function in OUTCOMES.items()
        if function(model) != EXPECTED[name]
    }
    assert not wrong, f"outcomes reading the wrong quantity (got, expected): {wrong}"


def test_every_outcome_has_an_expected_value_and_the_order_is_kept():
    assert set(OUTCOMES) == set(EXPECTED)
    assert list(OUTCOMES)[:3] == ["employed", "employed_permanent", "employed_women"]


def test_outcomes_are_named_module_functions_that_pickle():
    for name, function in OUTCOMES.items():
        assert function.__name__ == name
        assert pickle.loads(pickle.dumps(function)) is function


def test_the_weekly_record_has_one_row_per_collection_and_a_column_per_outcome():
    record = WeeklyRecord()
    model = stand_in()
    record.collect(model)
    model.people.employed = 42
    model.people.employed_by_wijk = np.array([40, 2])
    record.collect(model)
    frame = record.frame()
    assert list(frame.columns) == list(OUTCOMES)
    assert frame["employed"].tolist() == [1, 42]
    assert frame["exit_quit_cum"].tolist() == [104, 104]
    assert record.by_wijk == [(7, 8), (40, 2)]


def test_a_record_of_some_outcomes_has_their_columns_and_the_same_values():
    """Recording fewer outcomes (as a calibration does) changes no value of the run."""
    names = ("started_cum", "employed", "sick_absence_rate")
    full = BasisbaanModel(Params().with_overrides(SMALL), rng=4)
    lean = BasisbaanModel(
        Params().with_overrides(SMALL), rng=4, record=WeeklyRecord(names, by_wijk=False)
    )
    for _ in range(80):
        full.step()
        lean.step()
    frame = lean.record.frame()
    assert list(frame.columns) == list(names)
    assert frame.equals(full.record.frame()[list(names)])
    assert lean.record.by_wijk == []
    assert frame["started_cum"].iloc[-1] > 0  # the comparison covers a programme that ran


def test_a_record_of_an_unknown_outcome_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown outcomes \['employd'\].*employed"):
        WeeklyRecord(["employed", "employd"])


def test_outcomes_of_a_running_model_agree_with_its_parts():
    model = BasisbaanModel(Params().with_overrides(SMALL), rng=2)
    for _ in range(120):
        model.step()
    row = model.record.frame().iloc[-1]
    assert row["employed"] == model.people.employed == len(model.people.participants)
    assert row["exited_cum"] == sum(row[f"exit_{reason.name.lower()}_cum"] for reason in ExitReason)
    assert row["cost_gross_eur"] == pytest.approx(model.costs.gross)
    assert len(model.record.rows) == 121  # the start and 120 weeks
