"""Contracts and exits: permanent contracts, and each participant's ways out.

Temporary contracts become permanent after three years, not before 2023 (FACTS.md:
those who started in 2020 got a permanent contract in 2023). Each way out is a clock
drawn with the population (a unit exponential): voluntary exits have a constant yearly
hazard, lowered in the early years; death follows a Gompertz law in age; retirement
comes at state pension age. The first clock to ring decides when and why a participant
leaves, planned on the day they start.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from sim.agents import ExitReason
from sim.params import Params
from sim.population import EXIT_CLOCKS
from sim.programme.people import People
from sim.timeline import WEEKS_PER_YEAR, week_of

Leave = Callable[[int, ExitReason, int], None]  # (person, reason, week)

_DEATH_CLOCK = EXIT_CLOCKS.index("death")
_REASONS = tuple(ExitReason)  # by value: the index of the first clock to ring


class Contracts:
    """Participants' contracts and the exits planned for them.

    Args:
        p: the parameters.
        people: the programme's people.
        leave: what the programme does when a participant leaves (every part lets go).
    """

    def __init__(self, p: Params, people: People, leave: Leave):
        self.p, self.people = p, people
        self.employed_permanent = 0
        self.exited_cum = dict.fromkeys(ExitReason, 0)
        self._leave = leave
        self._permanent_from = week_of(p.permanent_contracts_from)
        self._tenure_weeks = math.ceil(p.permanent_after_years * WEEKS_PER_YEAR)
        # The yearly hazards of the voluntary ways out and their early factors, the
        # same for everyone but the sheltered-work rate (worked out once: written for
        # speed, as every start plans an exit).
        regular, quit, early = p.exit_regular_job, p.exit_quit, [p.early_exit_factor] * 4
        if p.design == "supplement":
            quit *= p.supplement_quit_factor  # no contract to keep
        elif p.design == "reintegration":
            # Guidance aims at outflow to regular work, from the first week.
            regular *= p.reintegration_outflow_factor
            early[0] = 1.0
        # FACTS.md: the small group whose guidance stays intensive may belong in
        # sheltered work; only they move there.
        self._rates = (
            (regular, 0.0, p.exit_self_employed, quit),  # guidance not intensive
            (regular, p.exit_sheltered_work, p.exit_self_employed, quit),  # intensive
        )
        self._early = tuple(early)

    def start(self, person: int, week: int) -> None:
        """Plan a new participant's permanent contract (with a contract) and way out."""
        agenda = self.people.contract_agenda
        if self.p.design == "contract":
            permanent = max(week + self._tenure_weeks, self._permanent_from, week + 1)
            agenda.add(permanent, self._make_permanent, person)
        exit_week, reason = self.exit_plan(person, week)
        agenda.add(exit_week, partial(self._exit, reason), person)

    def _make_permanent(self, person: int, week: int) -> None:
        self.people.permanent[person] = True
        self.employed_permanent += 1

    def exit_plan(self, person: int, week: int) -> tuple[int, ExitReason]:
        """When and why this participant will leave, from their clocks (drawn up front).

        Each clock is a unit exponential, so the time to each exit inverts its
        cumulative hazard; the first to ring wins.
        """
        p, pop = self.p, self.people.population
        clocks = pop.exit_clock[person].tolist()  # Python floats (written for speed)
        rates = self._rates[int(pop.intensive_guidance[person])]
        years = [
            voluntary_exit_years(c, r, f, p.early_exit_years)
            for c, r, f in zip(clocks[:4], rates, self._early, strict=True)
        ]
        age = float(pop.age_years(person, week))
        years.append(
            gompertz_years(
                clocks[_DEATH_CLOCK],
                age,
                p.mortality_at_50,
                p.mortality_doubling_years,
            )
        )
        years.append(max(p.state_pension_age - age, 0.0))
        # The first clock to ring, as np.argmin finds it (the years are never NaN) at a
        # tenth of its cost on six numbers (written for speed).
        reason = _REASONS[min(range(len(years)), key=years.__getitem__)]
        if p.design == "reintegration" and p.reintegration_max_years < years[reason]:
            # The term ends first: on to a regular job for some, back to bijstand for others.
            placed = pop.placement_draw[person] < p.reintegration_placement_share
            reason = ExitReason.REGULAR_JOB if placed else ExitReason.END_OF_TERM
            return week + max(1, math.ceil(p.reintegration_max_years * WEEKS_PER_YEAR)), reason
        return week + max(1, math.ceil(years[reason] * WEEKS_PER_YEAR)), reason

    def _exit(self, reason: ExitReason, person: int, week: int) -> None:
        self._leave(person, reason, week)

    def count_exit(self, person: int, reason: ExitReason) -> None:
        """Tally a participant who left, by reason."""
        self.exited_cum[reason] += 1
        if self.people.permanent[person]:
            self.employed_permanent -= 1


def voluntary_exit_years(
    clock: float, rate: float, early_factor: float, early_years: float
) -> float:
    """Years until a voluntary exit.

    The yearly hazard is ``rate * early_factor`` for ``early_years``, then ``rate``.
    """
    if rate <= 0:
        return math.inf
    early = rate * early_factor * early_years
    if clock < early:
        return clock / (rate * early_factor)
    return early_years + (clock - early) / rate


def gompertz_years(clock: float, age: float, at_50: float, doubling: float) -> float:
    """Years until death at ``age``.

    The yearly hazard is ``at_50`` at age 50 and doubles every ``doubling`` years.
    """
    if at_50 <= 0:
        return math.inf
    scale = at_50 * doubling / math.log(2.0)
    doublings = (age - 50.0) / doubling
    if doublings > 1_000:
        return 0.0  # a hazard beyond any bound (a doubling time of days): at once
    now = 2.0**doublings
    return max(50.0 + doubling * math.log2(now + clock / scale) - age, 0.0)
