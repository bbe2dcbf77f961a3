"""The synthetic bijstand population of gemeente Groningen, as arrays.

Everyone who is, or will be, on bijstand during a run is a row in a
:class:`Population`: the households on benefit at the start plus the households that
flow in later. The pool is never looped over in Python: eligibility is a window of
weeks per person (``eligible_from`` to ``eligible_to``) computed once, and everything a
person would decide by chance later (whether they can take the step, when they would
leave for each reason, whether they are prone to sickness) is drawn here, once, from the
population's own random stream. A person's fate is therefore the same in every scenario
run with the same seed; only the policy decides whether they get the chance
(common random numbers, as in Starsim).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy.special import ndtr, ndtri

from sim.params import Params
from sim.timeline import WEEKS_PER_YEAR

SINGLE, SINGLE_PARENT, COUPLE = 0, 1, 2
HOUSEHOLD_TYPES = ("single", "single parent", "couple")

# Columns of Population.exit_clock: the voluntary ways out and death. Retirement
# (state pension age) is not random, so it has no clock.
EXIT_CLOCKS = ("regular_job", "sheltered_work", "self_employed", "quit", "death")

HORIZON_YEARS = 26  # the population covers 2020-03-01 up to 2046: enough for any run
NEVER = np.iinfo(np.int32).max // 2

# assumption: most single parents on bijstand are mothers (not in FACTS.md)
SHARE_MOTHERS_AMONG_SINGLE_PARENTS = 0.85
# assumption: of the long-term group (> 5 years) the years beyond 5 are exponential
MEAN_YEARS_BEYOND_FIVE = 6.0


@dataclass(frozen=True, slots=True)
class Population:
    """One row per person; times are in weeks from the programme start."""

    household: np.ndarray  # int32
    partner: np.ndarray  # int32, -1 for none
    household_type: np.ndarray  # int8: SINGLE, SINGLE_PARENT, COUPLE
    woman: np.ndarray  # bool
    birth_week: np.ndarray  # float64 (negative: born before the start)
    wijk: np.ndarray  # int16, index into Params.areas
    bijstand_from: np.ndarray  # float64
    bijstand_to: np.ndarray  # float64: leaves bijstand for reasons outside the programme
    reintegration: np.ndarray  # bool: in a re-integration route (not eligible)
    prospect_paid_work: np.ndarray  # bool
    physical_limitations: np.ndarray  # bool
    volunteering: np.ndarray  # bool
    keeps_volunteering: np.ndarray  # bool
    debts: np.ndarray  # bool
    cannot_draw: np.ndarray  # float64 uniform: cannot take the step if below the chance
    partner_draw: np.ndarray  # float64 uniform: partner offered an intake if below the chance
    part_time_start: np.ndarray  # bool
    asks_more_hours: np.ndarray  # bool: a part-time starter who asks for full-time hours
    sickness_prone: np.ndarray  # bool
    guidance_intensity: np.ndarray  # float64 multiplier, mean 1
    intensive_guidance: np.ndarray  # bool
    exit_clock: np.ndarray  # float64 (n, len(EXIT_CLOCKS)): unit-exponential clocks
    referral_key: np.ndarray  # float64: higher is referred first (weighted sampling)
    promise: np.ndarray  # float64 standard normal: suitability as coaches come to know it
    willing_from: np.ndarray  # int32 week from which they would like (more) work
    placement_draw: np.ndarray  # float64 uniform: a regular job at the end of a term if below
    eligible_from: np.ndarray  # int32 week
    eligible_to: np.ndarray  # int32 week (exclusive)

    @property
    def size(self) -> int:
        """Number of people."""
        return len(self.woman)

    def age_years(self, person: int | np.ndarray, week: int) -> float | np.ndarray:
        """Age in years at the end of ``week``."""
        return (week - self.birth_week[person]) / WEEKS_PER_YEAR


# The parameters the population is drawn from: a scenario that changes none of them
# shares its replicate's population with the other scenarios.
POPULATION_PARAMETERS = (
    "households", "inflow_households_per_year", "share_couples", "share_single_parents",
    "share_women", "share_age_under_27", "share_age_45_plus", "share_on_benefit_over_2_years",
    "share_on_benefit_over_5_years", "share_reintegration_route", "bijstand_outflow_short",
    "bijstand_outflow_long", "state_pension_age", "pension_margin_years", "areas",
    "eligible_min_years_on_benefit", "eligible_min_age", "share_prospect_paid_work",
    "share_physical_limitations", "share_volunteering", "keep_volunteering", "share_debts",
    "share_starting_part_time", "share_asking_more_hours", "share_sickness_prone",
    "guidance_spread", "suitability_correlation", "referral_selectivity", "share_willing",
    "willing_onset_per_year",
    "referral_weight_couples",
    "share_intensive_guidance", "referral_weight_women", "referral_weight_single_parents",
    "referral_weight_age_45_plus", "referral_weight_per_year_on_benefit",
)  # fmt: skip


def population_key(params: Params) -> tuple[object, ...]:
    """What the population depends on besides the seed, as a hashable key."""
    return tuple(
        tuple(sorted(value.items())) if isinstance(value, dict) else value
        for value in (getattr(params, name) for name in POPULATION_PARAMETERS)
    )


def generate(params: Params, rng: np.random.Generator) -> Population:
    """Draw the synthetic population: households on benefit now and those that come later."""
    weeks_horizon = HORIZON_YEARS * WEEKS_PER_YEAR
    n_start = params.households
    n_inflow = int(rng.poisson(params.inflow_households_per_year * HORIZON_YEARS))
    n_households = n_start + n_inflow

    # Households: age at the start (or on arrival), and when they started on bijstand
    # (weeks from the programme start); nobody is on benefit before turning 18.
    hh_age = _ages(params, n_households, rng)
    years_on = np.minimum(_years_on_benefit(params, n_start, rng), hh_age[:n_start] - 18.0)
    arrival = rng.uniform(0.0, weeks_horizon, n_inflow)
    hh_from = np.concatenate([-years_on * WEEKS_PER_YEAR, arrival])
    hh_birth = np.maximum(hh_from, 0.0) - hh_age * WEEKS_PER_YEAR
    hh_type = _choice(
        rng,
        [
            1.0 - params.share_couples - params.share_single_parents,
            params.share_single_parents,
            params.share_couples,
        ],
        n_households,
    ).astype(np.int8)
    hh_wijk = _choice(rng, [area.weight for area in params.areas], n_households).astype(np.int16)
    hh_to = np.maximum(hh_from, 0.0) + _time_on_benefit_left(params, hh_from, rng)

    # People: one per household, two for couples.
    is_couple = hh_type == COUPLE
    household = np.concatenate([np.arange(n_households), np.flatnonzero(is_couple)])
    household = household.astype(np.int32)
    n = len(household)
    first = np.arange(n) < n_households
    partner = np.full(n, -1, np.int32)
    second_ids = np.arange(n_households, n, dtype=np.int32)
    partner[second_ids] = np.flatnonzero(is_couple).astype(np.int32)
    partner[np.flatnonzero(is_couple)] = second_ids

    kind = hh_type[household]
    woman = rng.random(n) < params.share_women
    mothers = rng.random(n) < SHARE_MOTHERS_AMONG_SINGLE_PARENTS
    woman = np.where(kind == SINGLE_PARENT, mothers, woman)
    # Couples: the first partner drawn as anyone, the second of the other sex.
    woman[second_ids] = ~woman[partner[second_ids]]

    # assumption: partners' ages differ by about 3 years (not in FACTS.md)
    age_gap = np.where(first, 0.0, rng.normal(0.0, 3.0, n)) * WEEKS_PER_YEAR
    bijstand_from = hh_from[household]
    birth_week = np.minimum(hh_birth[household] - age_gap, bijstand_from - 18.0 * WEEKS_PER_YEAR)
    bijstand_to = hh_to[household]
    pension_week = birth_week + params.state_pension_age * WEEKS_PER_YEAR
    bijstand_to = np.minimum(bijstand_to, pension_week)
    last_chance = pension_week - params.pension_margin_years * WEEKS_PER_YEAR

    # Eligibility window: more than the minimum years on benefit, aged eligible_min_age
    # up to a margin before state pension age, on bijstand, no re-integration route.
    reintegration = rng.random(n) < params.share_reintegration_route
    start = np.maximum(
        bijstand_from + params.eligible_min_years_on_benefit * WEEKS_PER_YEAR,
        birth_week + params.eligible_min_age * WEEKS_PER_YEAR,
    )
    eligible_from = np.clip(np.ceil(np.maximum(start, 0.0)), 0, NEVER).astype(np.int32)
    eligible_to = np.clip(np.floor(np.minimum(bijstand_to, last_chance)), 0, NEVER)
    eligible_to = eligible_to.astype(np.int32)
    eligible_to = np.where(reintegration, eligible_from, np.maximum(eligible_to, eligible_from))

    # Traits and fates are drawn only for the people who are ever eligible: nobody
    # else meets a coach. (Written for speed: two thirds of the rows are skipped.)
    ever = np.flatnonzero(eligible_to > eligible_from)
    m = len(ever)

    def trait(p: float) -> np.ndarray:
        out = np.zeros(n, bool)
        out[ever] = rng.random(m) < p
        return out

    def uniform() -> np.ndarray:
        out = np.ones(n)
        out[ever] = rng.random(m)
        return out

    # Promise: how suitable a person is for a basisbaan, as coaches come to know it. The
    # traits that decide selection against a person (limitations too great, not daring
    # the step) go with low promise through a Gaussian copula with correlation
    # ``suitability_correlation``, keeping each trait's share as given; coaches refer
    # the most promising first (``referral_selectivity`` below), so the people referred
    # early are not a random draw and the yield of intake falls as the pool is worked.
    rho = params.suitability_correlation
    promise = np.zeros(n)
    promise[ever] = rng.standard_normal(m)

    def against(p: float) -> np.ndarray:
        """A trait against selection, with share ``p``, more common at low promise."""
        latent = -rho * promise[ever] + np.sqrt(1.0 - rho**2) * rng.standard_normal(m)
        out = np.zeros(n, bool)
        out[ever] = latent > ndtri(1.0 - p) if 0.0 < p < 1.0 else p >= 1.0
        return out

    prospect = trait(params.share_prospect_paid_work)
    limitations = against(params.share_physical_limitations)
    volunteering = trait(params.share_volunteering)
    keeps = trait(params.keep_volunteering)
    debts = trait(params.share_debts)
    cannot_draw = np.ones(n)  # uniform, lower at low promise: cannot take the step if low
    cannot_draw[ever] = ndtr(rho * promise[ever] + np.sqrt(1.0 - rho**2) * rng.standard_normal(m))
    partner_draw = uniform()
    part_time = trait(params.share_starting_part_time)
    asks_more = trait(params.share_asking_more_hours)
    prone = trait(params.share_sickness_prone)
    sigma = params.guidance_spread
    intensity = np.ones(n)
    intensity[ever] = np.exp(rng.normal(-0.5 * sigma**2, sigma, m))
    intensive = trait(params.share_intensive_guidance)
    exit_clock = np.full((n, len(EXIT_CLOCKS)), np.inf)
    exit_clock[ever] = rng.exponential(1.0, (m, len(EXIT_CLOCKS)))
    # FACTS.md: of the ~7,500 households on bijstand for more than 3 years, "ruim
    # 1,200" would like (more) work. Willing from the start (or from arriving on
    # bijstand) with that share; the others may come to want work later, at a yearly
    # rate (circumstances change: children grow up, health improves). Drawn for
    # everyone, so the share can be checked against all long-term households.
    willing_now = rng.random(n) < params.share_willing
    onset = params.willing_onset_per_year
    later = rng.exponential(1.0 / onset, n) * WEEKS_PER_YEAR if onset > 0 else np.full(n, np.inf)
    arrived = np.maximum(bijstand_from, 0.0)
    willing_from = np.where(willing_now, arrived, arrived + later)
    willing_from = np.clip(np.ceil(willing_from), 0, NEVER).astype(np.int32)

    # Weighted random order of referral (Efraimidis & Spirakis 2006): the key log(u)/w
    # ranks people as successive weighted draws without replacement would. The weight
    # grows with promise: coaches put the most promising forward first.
    years_at_start = np.maximum(-bijstand_from[ever], 0.0) / WEEKS_PER_YEAR
    age_at_start = -birth_week[ever] / WEEKS_PER_YEAR
    weight = (
        np.where(woman[ever], params.referral_weight_women, 1.0)
        * np.where(kind[ever] == SINGLE_PARENT, params.referral_weight_single_parents, 1.0)
        * np.where(kind[ever] == COUPLE, params.referral_weight_couples, 1.0)
        * np.where(age_at_start >= 45.0, params.referral_weight_age_45_plus, 1.0)
        * (
            1.0
            + params.referral_weight_per_year_on_benefit
            * np.maximum(years_at_start - params.eligible_min_years_on_benefit, 0.0)
        )
        * np.exp(params.referral_selectivity * promise[ever])
    )
    referral_key = np.full(n, -np.inf)
    with np.errstate(divide="ignore"):
        referral_key[ever] = np.log(rng.random(m)) / np.maximum(weight, 1e-12)
    # Drawn last, so that adding it left every draw above as it was.
    placement_draw = uniform()

    population = Population(
        household=household,
        partner=partner,
        household_type=kind,
        woman=woman,
        birth_week=birth_week,
        wijk=hh_wijk[household],
        bijstand_from=bijstand_from,
        bijstand_to=bijstand_to,
        reintegration=reintegration,
        prospect_paid_work=prospect,
        physical_limitations=limitations,
        volunteering=volunteering,
        keeps_volunteering=keeps,
        debts=debts,
        cannot_draw=cannot_draw,
        partner_draw=partner_draw,
        part_time_start=part_time,
        asks_more_hours=asks_more,
        sickness_prone=prone,
        guidance_intensity=intensity,
        intensive_guidance=intensive,
        exit_clock=exit_clock,
        referral_key=referral_key,
        promise=promise,
        willing_from=willing_from,
        placement_draw=placement_draw,
        eligible_from=eligible_from,
        eligible_to=eligible_to,
    )
    for item in fields(population):
        getattr(population, item.name).setflags(write=False)  # shared between scenarios
    return population


def _choice(rng: np.random.Generator, weights: list[float], n: int) -> np.ndarray:
    """Draw ``n`` category indices with the given weights (faster than ``rng.choice``)."""
    cdf = np.cumsum(weights, dtype=float)
    return np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")


def _years_on_benefit(params: Params, n: int, rng: np.random.Generator) -> np.ndarray:
    """Years on benefit at the start, matching the shares over 2 and over 5 years."""
    over2, over5 = params.share_on_benefit_over_2_years, params.share_on_benefit_over_5_years
    band = _choice(rng, [1.0 - over2, over2 - over5, over5], n)
    return np.select(
        [band == 0, band == 1],
        [rng.uniform(0.0, 2.0, n), rng.uniform(2.0, 5.0, n)],
        5.0 + rng.exponential(MEAN_YEARS_BEYOND_FIVE, n),
    )


def _ages(params: Params, n: int, rng: np.random.Generator) -> np.ndarray:
    """Age at the start (or on arrival): the bands of FACTS.md, uniform within."""
    young, old = params.share_age_under_27, params.share_age_45_plus
    band = _choice(rng, [young, 1.0 - young - old, old], n)
    top = params.state_pension_age - 0.1
    return np.select(
        [band == 0, band == 1],
        [rng.uniform(18.0, 27.0, n), rng.uniform(27.0, 45.0, n)],
        rng.uniform(45.0, top, n),
    )


def _time_on_benefit_left(
    params: Params, bijstand_from: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Weeks until leaving bijstand for reasons outside the programme.

    A piecewise-constant hazard: ``bijstand_outflow_short`` in the first 3 years on
    benefit, ``bijstand_outflow_long`` after. Drawn by inverting the cumulative hazard
    of a unit-exponential clock.
    """
    clock = rng.exponential(1.0, len(bijstand_from))
    short, long = params.bijstand_outflow_short, params.bijstand_outflow_long
    years_on = np.maximum(-bijstand_from, 0.0) / WEEKS_PER_YEAR
    short_left = np.maximum(3.0 - years_on, 0.0)
    hazard_short = short * short_left
    with np.errstate(divide="ignore", invalid="ignore"):
        in_short = np.where(short > 0, clock / short, np.inf)
        after = short_left + np.where(long > 0, (clock - hazard_short) / long, np.inf)
    years = np.where(clock < hazard_short, in_short, after)
    return np.minimum(years, 200.0) * WEEKS_PER_YEAR
