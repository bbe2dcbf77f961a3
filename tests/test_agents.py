"""Behaviour rules of the agents, each on a tiny model built for it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import BasisbaanModel, Params
from sim.agents import Candidate, Coach, IntakeDecision, WijkOrganisation
from sim.population import COUPLE, SINGLE, SINGLE_PARENT
from sim.streams import named_streams

from .conftest import SMALL


@pytest.fixture
def model():
    """A small model with its own writable copy of the population (populations are
    read-only and shared between scenarios), so a test can set a person's traits."""
    model = BasisbaanModel(Params().with_overrides(SMALL), rng=3)
    pop = model.population
    model.population = dataclasses.replace(
        pop, **{f.name: getattr(pop, f.name).copy() for f in dataclasses.fields(pop)}
    )
    return model


def a_person(model, **traits):
    """Someone eligible now, given the traits that decide selection."""
    pop = model.population
    person = int(np.flatnonzero(pop.eligible_to > pop.eligible_from)[0])
    defaults = {
        "prospect_paid_work": False,
        "physical_limitations": False,
        "volunteering": False,
        "keeps_volunteering": False,
        "cannot_draw": 0.99,
        "household_type": SINGLE,
    }
    for name, value in {**defaults, **traits}.items():
        getattr(pop, name)[person] = value
    return Candidate(model, person, referred_week=0)


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({}, IntakeDecision.SELECTED),
        ({"prospect_paid_work": True, "physical_limitations": True}, IntakeDecision.PAID_WORK),
        (
            {"physical_limitations": True, "volunteering": True, "keeps_volunteering": True},
            IntakeDecision.HEALTH,
        ),
        ({"volunteering": True, "keeps_volunteering": True}, IntakeDecision.VOLUNTEERING),
        ({"volunteering": True, "keeps_volunteering": False}, IntakeDecision.SELECTED),
        ({"cannot_draw": 0.01}, IntakeDecision.OTHER),
    ],
)
def test_coach_assesses_in_the_order_of_the_2022_letter(model, traits, expected):
    assert Coach(model).assess(a_person(model, **traits)) is expected


def test_the_step_weighs_heavier_for_couples_and_single_parents(model):
    chance = model.p.cannot_take_step  # 0.17; the factors double it for these households
    draw = chance * 1.5  # above the single chance, below the doubled one
    assert a_person(model, cannot_draw=draw, household_type=SINGLE).takes_the_step()
    assert not a_person(model, cannot_draw=draw, household_type=COUPLE).takes_the_step()
    assert not a_person(model, cannot_draw=draw, household_type=SINGLE_PARENT).takes_the_step()


def test_conversations_respect_capacity_spacing_and_count(model):
    coach = Coach(model)
    candidates = [a_person(model) for _ in range(3)]
    for candidate in candidates:
        coach.admit(candidate, week=10)
    first, decided = coach.hold_conversations(week=10, capacity=2)
    assert first == 2
    assert not decided
    assert [c.conversations for c in candidates] == [1, 1, 0]
    # Not due again before weeks_between_conversations have passed.
    first, decided = coach.hold_conversations(week=11, capacity=5)
    assert (first, decided) == (1, [])
    week = 10
    while coach.caseload:
        week += model.p.weeks_between_conversations
        coach.hold_conversations(week, capacity=5)
    assert all(c.conversations == model.p.intake_conversations for c in candidates)


def test_coach_room_follows_slots_and_activity(model):
    coach = Coach(model)
    for _ in range(model.p.intake_slots_per_coach):
        assert coach.has_room()
        coach.admit(a_person(model), week=0)
    assert not coach.has_room()
    coach.caseload.clear()
    coach.active = False
    assert not coach.has_room()


def test_wijk_organisation_offers_only_its_additional_work(model):
    # No displacement (FACTS.md): 40 h of work nobody does now. Tasks of 8, 12 or 16 h
    # are offered while they fit in what is left; below 8 h left, nothing more.
    organisation = WijkOrganisation(
        model,
        wijk=0,
        additional_work=40.0,
        hour_levels=(8, 12, 16),
        hours_stream=named_streams(1)["task_hours"],
    )
    hours = []
    while organisation.can_offer_task():
        hours.append(organisation.offer_task())
    assert sum(hours) <= 40
    assert 40 - sum(hours) < 8
    assert organisation.tasks_supplied == len(hours)
    assert set(hours) <= {8, 12, 16}
