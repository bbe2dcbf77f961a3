"""The synthetic bijstand population: scale, composition and eligibility (FACTS.md)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import Params
from sim.population import COUPLE, SINGLE_PARENT, generate
from sim.timeline import WEEKS_PER_YEAR


@pytest.fixture(scope="module")
def population():
    return generate(Params(), np.random.default_rng(5))


def on_bijstand_at_start(pop):
    return (pop.bijstand_from <= 0) & (pop.bijstand_to > 0)


def test_scale_is_gemeente_groningen(population):
    # FACTS.md: 10,423 households (2017), 9,625 (Oct 2021); the default is 9,900.
    households = np.unique(population.household[on_bijstand_at_start(population)])
    assert len(households) == Params().households


def test_composition_follows_facts(population):
    pop, start = population, on_bijstand_at_start(population)
    years_on = -pop.bijstand_from[start] / WEEKS_PER_YEAR
    # FACTS.md: almost half more than 5 years; nationally 72% more than 2 years.
    # Tolerance: 3 points, sampling error on ~11,000 people is under 1 point.
    assert abs((years_on > 5).mean() - 0.48) < 0.03
    assert abs((years_on > 2).mean() - 0.72) < 0.03
    singles = start & (pop.household_type != COUPLE) & (pop.household_type != SINGLE_PARENT)
    assert abs(pop.woman[singles].mean() - 0.57) < 0.03


def test_partners_are_linked_both_ways_and_share_a_household(population):
    pop = population
    couples = np.flatnonzero(pop.partner >= 0)
    assert len(couples) > 0
    assert np.array_equal(pop.partner[pop.partner[couples]], couples)
    assert np.array_equal(pop.household[couples], pop.household[pop.partner[couples]])
    assert (pop.household_type[couples] == COUPLE).all()
    assert (pop.woman[couples] != pop.woman[pop.partner[couples]]).all()


def test_eligibility_window_follows_the_rules(population):
    pop, p = population, Params()
    ever = pop.eligible_to > pop.eligible_from
    age_from = (pop.eligible_from[ever] - pop.birth_week[ever]) / WEEKS_PER_YEAR
    years_from = (pop.eligible_from[ever] - pop.bijstand_from[ever]) / WEEKS_PER_YEAR
    age_to = (pop.eligible_to[ever] - pop.birth_week[ever]) / WEEKS_PER_YEAR
    assert (age_from >= p.eligible_min_age - 1 / WEEKS_PER_YEAR).all()
    assert (years_from >= p.eligible_min_years_on_benefit - 1 / WEEKS_PER_YEAR).all()
    assert (age_to <= p.state_pension_age - p.pension_margin_years + 1e-9).all()
    assert not pop.reintegration[ever].any()
    assert (pop.eligible_to[ever] <= np.floor(pop.bijstand_to[ever])).all()


def test_same_seed_same_population_and_traits_only_for_the_eligible():
    a = generate(Params(), np.random.default_rng(9))
    b = generate(Params(), np.random.default_rng(9))
    assert np.array_equal(a.referral_key, b.referral_key)
    never = a.eligible_to <= a.eligible_from
    assert np.isneginf(a.referral_key[never]).all()
    assert np.isinf(a.exit_clock[never]).all()


def test_the_population_key_names_every_parameter_generate_reads():
    import re
    from pathlib import Path

    from sim.population import POPULATION_PARAMETERS

    source = (Path(__file__).resolve().parents[1] / "sim" / "population.py").read_text()
    body = source[source.index("def generate(") :]
    read = set(re.findall(r"params\.(\w+)", body))
    assert read == set(POPULATION_PARAMETERS)
