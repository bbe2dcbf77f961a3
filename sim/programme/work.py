"""Work and guidance: contract hours, sickness absence, and on-the-job guidance.

Participants start at full-time hours or lower, and some of those who start lower ask
for more after a while (FACTS.md: average ~32 h/week; some start with fewer hours and
ask for more); the sickness-prone among them report sick in spells,
paid as Dutch employers continue wages; a work coach of one of the four guiding
organisations guides each of them, about 2.5 h/week in the range 1-5, slowly less with
tenure, but for a small group it stays intensive (FACTS.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import mesa

from sim.agents import GuidingOrganisation, Recipient
from sim.params import Params
from sim.programme.people import People
from sim.streams import Stream
from sim.timeline import WEEKS_PER_YEAR

NO_ABSENCE_WINDOW = 26  # weeks: the half-year of FACTS.md's sickness figures

# Guidance groups (see ``Work.guide``).
_NONE, _CONSTANT, _CAPPED, _DECLINING, _FLOORED = range(5)


class Work:
    """The participants' work: hours, sickness and guidance, with their weekly totals.

    Args:
        host: the Mesa model the guiding organisations (agents) live in.
        p: the parameters.
        people: the programme's people.
        onset: the stream of the time until a sickness-prone participant reports sick.
        spell: the stream of the length of a sickness spell.
        more_hours: what the programme does when a participant's hours go up (the
            task market finds tasks for the hours added).
    """

    def __init__(
        self,
        host: mesa.Model,
        p: Params,
        people: People,
        *,
        onset: Stream,
        spell: Stream,
        more_hours: Callable[[int, int], None],
    ):
        self.p, self.people = p, people
        self._onset, self._spell = onset, spell
        self._more_hours = more_hours
        self.guiding_organisations = [
            GuidingOrganisation(host) for _ in range(p.guiding_organisations)
        ]
        self.contract_hours_total = 0.0
        self.sick_hours = 0.0
        self.recently_sick = 0
        self.hours_worked = 0.0
        self.sick_absence_rate = 0.0
        self.no_absence_share = float("nan")
        self.guidance_hours = 0.0
        self._decline_rate = p.guidance_decline_per_year / WEEKS_PER_YEAR
        # Each candidate's starting hours, once worked out: matching asks for them every
        # week a selected candidate waits for tasks (written for speed).
        self._starting_hours: dict[int, float] = {}
        # Running totals of the guidance groups: hours of the intensive group,
        # participants at the cap (5 h) and at the floor (1 h), and the sum of
        # b * exp(k * start) over the declining group.
        self._constant = 0.0
        self._capped = 0
        self._floored = 0
        self._weighted = 0.0

    # --- starting and leaving -------------------------------------------------------
    def starting_hours(self, person: int) -> float:
        """The contract hours a candidate starts with."""
        hours = self._starting_hours.get(person)
        if hours is None:
            p, pop = self.p, self.people.population
            part_time = bool(pop.part_time_start[person])
            if part_time and pop.asks_more_hours[person] and p.hours_ramp_weeks == 0:
                part_time = False  # asks for full-time hours from the start
            hours = p.part_time_start_hours if part_time else p.full_time_hours
            self._starting_hours[person] = hours
        return hours

    def start(self, participant: Recipient, week: int) -> None:
        """A participant starts: contract hours, a work coach, and their first sick report."""
        p, people = self.p, self.people
        person = participant.person
        hours = self.starting_hours(person)
        people.contract_hours[person] = hours
        self.contract_hours_total += hours
        min(self.guiding_organisations, key=lambda g: g.participants).take_on(participant)
        if hours < p.full_time_hours and people.population.asks_more_hours[person]:
            people.work_agenda.add(week + p.hours_ramp_weeks, self._full_hours, person)
        if people.population.sickness_prone[person]:
            onset = week + self._onset.weeks_until(p.sickness_onset_per_week)
            people.work_agenda.add(onset, self._report_sick, person)

    def leave(self, participant: Recipient) -> None:
        """A participant leaves: their coach lets go, their hours stop."""
        people, person = self.people, participant.person
        if participant.guiding_organisation is not None:
            participant.guiding_organisation.let_go(participant)
        self._leave_guidance_group(person)
        if people.recent_sickness[person]:
            people.recent_sickness[person] = False
            self.recently_sick -= 1
        self.contract_hours_total -= people.contract_hours[person]
        if people.sick[person]:
            self.sick_hours -= people.contract_hours[person]
            people.sick[person] = False

    def _full_hours(self, person: int, week: int) -> None:
        people = self.people
        more = self.p.full_time_hours - people.contract_hours[person]
        people.contract_hours[person] = self.p.full_time_hours
        self.contract_hours_total += more
        if people.sick[person]:
            self.sick_hours += more
        self._more_hours(person, week)

    # --- the week -------------------------------------------------------------------
    def tally(self, week: int, hours_short: float) -> None:
        """The week's hours worked, absence and guidance, after this week's events."""
        self.hours_worked = self.contract_hours_total - self.sick_hours - hours_short
        self.sick_absence_rate = (
            self.sick_hours / self.contract_hours_total if self.contract_hours_total else 0.0
        )
        self._guide(week)

    # --- sickness -------------------------------------------------------------------
    def _report_sick(self, person: int, week: int) -> None:
        people = self.people
        people.sick[person] = True
        self.sick_hours += people.contract_hours[person]
        if not people.recent_sickness[person]:
            people.recent_sickness[person] = True
            self.recently_sick += 1
        spell = self._spell.weeks_until(1.0 / self.p.sickness_spell_weeks)
        people.work_agenda.add(week + spell, self._recover, person)

    def _recover(self, person: int, week: int) -> None:
        people = self.people
        people.sick[person] = False
        self.sick_hours -= people.contract_hours[person]
        onset = week + self._onset.weeks_until(self.p.sickness_onset_per_week)
        people.work_agenda.add(onset, self._report_sick, person)
        quiet = week - 1 + NO_ABSENCE_WINDOW
        if quiet < onset:
            people.work_agenda.add(quiet, self._sickness_behind, person)

    def _sickness_behind(self, person: int, week: int) -> None:
        """Half a year without sickness: no longer counted as recently sick."""
        people = self.people
        if people.recent_sickness[person] and not people.sick[person]:
            people.recent_sickness[person] = False
            self.recently_sick -= 1

    # --- guidance -------------------------------------------------------------------
    def _guide(self, week: int) -> None:
        """On-the-job guidance hours this week.

        A participant's hours are b * exp(-k * tenure) kept within 1-5 h/week, or stay
        at their start level for the small intensive group (FACTS.md). So each
        participant is capped (5 h), declining, or at the floor (1 h), and moves
        between these groups at dated events; the total is then exact in O(1):
        5 * capped + floor + exp(-k * week) * sum(b * exp(k * start)) + intensive.
        """
        declining = self._weighted * math.exp(-self._decline_rate * week) if self._weighted else 0.0
        self.guidance_hours = self._constant + 5.0 * self._capped + self._floored + declining
        employed = self.people.employed
        self.no_absence_share = (
            (employed - self.recently_sick) / employed if employed else float("nan")
        )

    def _base_hours(self, person: int) -> float:
        return self.p.guidance_hours_start * float(
            self.people.population.guidance_intensity[person]
        )

    def start_guidance(self, person: int, week: int) -> None:
        """Put a new participant in their guidance group."""
        people, base, k = self.people, self._base_hours(person), self._decline_rate
        if people.population.intensive_guidance[person] or k == 0:
            people.guidance_group[person] = _CONSTANT
            self._constant += min(max(base, 1.0), 5.0)
        elif base > 5.0:
            people.guidance_group[person] = _CAPPED
            self._capped += 1
            declines = week + math.ceil(math.log(base / 5.0) / k)
            people.work_agenda.add(declines, self._guidance_declines, person)
        elif base > 1.0:
            self._guidance_declines(person, week)
        else:
            people.guidance_group[person] = _FLOORED
            self._floored += 1

    def _guidance_declines(self, person: int, week: int) -> None:
        """From the cap (or the start), guidance hours decline with tenure."""
        people = self.people
        if people.guidance_group[person] == _CAPPED:
            self._capped -= 1
        base = self._base_hours(person)
        start = int(people.start_week[person])
        people.guidance_group[person] = _DECLINING
        self._weighted += base * math.exp(self._decline_rate * start)
        floor_week = start + math.ceil(math.log(base) / self._decline_rate)
        people.work_agenda.add(max(floor_week, week + 1), self._guidance_floors, person)

    def _guidance_floors(self, person: int, week: int) -> None:
        """Guidance has come down to the least of 1 h/week."""
        self._leave_guidance_group(person)
        self.people.guidance_group[person] = _FLOORED
        self._floored += 1

    def _leave_guidance_group(self, person: int) -> None:
        people = self.people
        group = people.guidance_group[person]
        if group == _CONSTANT:
            self._constant -= min(max(self._base_hours(person), 1.0), 5.0)
        elif group == _CAPPED:
            self._capped -= 1
        elif group == _DECLINING:
            start = int(people.start_week[person])
            self._weighted -= self._base_hours(person) * math.exp(self._decline_rate * start)
        elif group == _FLOORED:
            self._floored -= 1
        people.guidance_group[person] = _NONE
