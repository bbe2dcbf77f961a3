"""Every parameter of the model: type, unit, default, allowed range and source.

One registry, :class:`Params`, a frozen pydantic model. Each field carries its unit, its
source (a line of ``shared/FACTS.md`` or "assumption: ..." with the reasoning) and its
section (one of :data:`SECTIONS`, a table of the ODD document) in
``json_schema_extra``. Scenarios are copies with overrides
(:meth:`Params.with_overrides`), never mutations. Unknown names are errors that suggest
the closest valid name, and every error names the key, the value and what is allowed
(the checks of :mod:`sim.config.checks`; this module reads no file).

Policy levers that change over time (jobs ceiling growth, intake coaches, task
acquisition, contributions) are *year schedules*: a mapping ``{first_year: value}``
read as a step function (the value holds from that year until the next key). A plain
number means the same value in every year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from sim.config.checks import (
    InputTable,
    check_keys,
    is_number,
    shown,
    validation_error,
)

# ConfigError lives with the other input checks; importing it from here keeps working.
from sim.config.errors import ConfigError as ConfigError
from sim.config.errors import FieldError
from sim.wijken import GRONINGEN_AREAS, Area, check_areas

FIRST_YEAR = 2020
CALENDAR_START = dt.date(2020, 3, 1)  # the model's week 0 (sim.timeline.PROGRAMME_START)
LAST_YEAR = 2100


# ---------------------------------------------------------------------------
# Year schedules
# ---------------------------------------------------------------------------


def _finite(value: Any) -> bool:
    return is_number(value) and math.isfinite(value)


def _to_schedule(value: Any) -> dict[int, float]:
    if isinstance(value, bool):
        raise ValueError("expected a number or a table {year = value}, not true or false")
    if is_number(value):
        if not _finite(value):
            raise ValueError("must be a finite number or a table {year = value}")
        return {FIRST_YEAR: float(value)}
    if not isinstance(value, Mapping) or not value:
        raise ValueError("expected a number or a non-empty table {year = value}")
    schedule: dict[int, float] = {}
    for year, amount in value.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise ValueError(f"year '{year}' is not a whole year such as 2024") from None
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise ValueError(f"year {y} is outside {FIRST_YEAR}..{LAST_YEAR}")
        if not _finite(amount):
            raise ValueError(f"value for {y} must be a finite number, got {shown(amount)}")
        schedule[y] = float(amount)
    return dict(sorted(schedule.items()))


@dataclass(frozen=True)
class ScheduleRange:
    """The allowed values of a year schedule (a validator that tools can read the bounds of)."""

    ge: float
    le: float | None

    def __call__(self, schedule: dict[int, float]) -> dict[int, float]:
        """Check every value of ``schedule`` against the bounds."""
        ge, le = self.ge, self.le
        for year, amount in schedule.items():
            if amount < ge or (le is not None and amount > le):
                upper = f" and at most {le:g}" if le is not None else ""
                raise ValueError(f"value {amount:g} for {year} must be at least {ge:g}{upper}")
        return schedule


def _schedule_range(ge: float, le: float | None) -> AfterValidator:
    return AfterValidator(ScheduleRange(ge, le))


# Year schedules, by what they count: ``{first_year: value}`` step functions.
CoachSchedule = Annotated[
    dict[int, float], BeforeValidator(_to_schedule), _schedule_range(0, 1_000)
]
TaskSchedule = Annotated[dict[int, float], BeforeValidator(_to_schedule), _schedule_range(0, 1_000)]
JobSchedule = Annotated[
    dict[int, float], BeforeValidator(_to_schedule), _schedule_range(0, 100_000)
]
EuroSchedule = Annotated[dict[int, float], BeforeValidator(_to_schedule), _schedule_range(0, 1e6)]


def in_force(schedule: Mapping[int, float], year: int) -> float:
    """The value of a year schedule in ``year`` (the first value before its first year)."""
    value = next(iter(schedule.values()))
    for first_year, amount in schedule.items():
        if first_year > year:
            break
        value = amount
    return value


def _to_lump_sums(value: Any) -> dict[dt.date, float]:
    if not isinstance(value, Mapping):
        raise ValueError("expected a table {date = amount}")
    sums: dict[dt.date, float] = {}
    for day, amount in value.items():
        try:
            d = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        except ValueError:
            raise ValueError(f"'{day}' is not a date such as 2023-10-01") from None
        if not _finite(amount) or amount < 0:
            raise ValueError(
                f"amount for {d} must be a finite number of euros >= 0, got {shown(amount)}"
            )
        sums[d] = float(amount)
    return dict(sorted(sums.items()))


LumpSums = Annotated[dict[dt.date, float], BeforeValidator(_to_lump_sums)]


# The registry's sections, in registry order. Each entry names its section, and the
# parameter table of docs/ODD.md has one table per section under these headings.
POPULATION = "Population: the people on bijstand in gemeente Groningen"
ELIGIBILITY = "Eligibility and the traits that decide selection"
REFERRAL = "Referral"
INTAKE = "Intake coaches"
TASKS = "Wijk organisations and tasks"
EMPLOYMENT = "Employment"
SICKNESS = "Sickness absence"
GUIDANCE = "Guidance on the job"
EXITS = "Ways out"
PROGRAMME = "The programme"
COSTS = "Costs"
DESIGN = "The programme's design (the variants of the 2022 letter)"
SECTIONS = (
    POPULATION,
    ELIGIBILITY,
    REFERRAL,
    INTAKE,
    TASKS,
    EMPLOYMENT,
    SICKNESS,
    GUIDANCE,
    EXITS,
    PROGRAMME,
    COSTS,
    DESIGN,
)


def P(  # noqa: N802 (short, as it opens every registry line)
    default: Any,
    *,
    unit: str,
    source: str,
    doc: str,
    section: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    uncertain: tuple[float, float] | None = None,
    implementation: bool = False,
) -> Any:
    """A registry entry: default, allowed range, and (for the ODD table) unit and source.

    Args:
        default: the baseline value.
        unit: what the number counts, for the ODD table.
        source: a line of FACTS.md, or "assumption: ..." with the reasoning.
        doc: what the parameter means, in one sentence.
        section: one of :data:`SECTIONS`: the table of docs/ODD.md it is listed in.
        ge: the lowest value allowed.
        le: the highest value allowed.
        gt: a strict lower bound (the value must be above it).
        uncertain: the range the true value plausibly lies in (its source says why),
            for forecasts and sensitivity analyses; None for levers and known values.
        implementation: whether the uncertainty is about how the municipality carries
            out the policy (pace, delays), which forecasts sample draw by draw.
    """
    if section not in SECTIONS:
        raise ValueError(f"section {section!r} is not one of SECTIONS: {', '.join(SECTIONS)}")
    return Field(
        default,
        ge=ge,
        le=le,
        gt=gt,
        description=doc,
        json_schema_extra={
            "unit": unit,
            "source": source,
            "section": section,
            "uncertain": list(uncertain) if uncertain else None,
            "implementation": implementation,
        },
    )


_F22 = "FACTS.md (2022 letter)"


class Params(InputTable):
    """The parameter registry. ``Params()`` is the baseline; see the module docstring.

    As an :class:`~sim.config.checks.InputTable`, every number is finite and a boolean
    is not a number, in every field, those added later included.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # --- POPULATION -------------------------------------------------------------------
    households: int = P(
        9_900, ge=100, le=1_000_000, unit="households",
        source="FACTS.md: 10,423 (Jun 2017) and 9,625 (Oct 2021); ~9,900 in Mar 2020 by "
        "linear interpolation",
        doc="Households on bijstand at the programme start.",
        section=POPULATION,
    )  # fmt: skip
    share_couples: float = P(
        0.15, ge=0, le=1, unit="share of households",
        source="assumption: national bijstand composition, about one household in seven is "
        "a couple; FACTS.md says couples are under-represented among participants",
        doc="Households that are a (cohabiting or married) couple, both partners recipients.",
        section=POPULATION,
    )  # fmt: skip
    share_single_parents: float = P(
        0.25, ge=0, le=1, unit="share of households",
        source="assumption: national bijstand composition, about a quarter single parents",
        doc="Households of a single parent.",
        section=POPULATION,
    )  # fmt: skip
    share_women: float = P(
        0.57, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: nationally about 57% women (all recipients; applied to those "
        "outside couples, so the overall share comes out near 56%)",
        doc="Women among recipients outside couples (couples are a woman and a man).",
        section=POPULATION,
    )  # fmt: skip
    share_age_under_27: float = P(
        0.099, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: 40k of 405k under 27 (mid-2024)",
        doc="Recipients aged 18-26.",
        section=POPULATION,
    )  # fmt: skip
    share_age_45_plus: float = P(
        0.565, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: 229k of 405k aged 45+ (mid-2024)",
        doc="Recipients aged 45 up to state pension age.",
        section=POPULATION,
    )  # fmt: skip
    share_on_benefit_over_2_years: float = P(
        0.55, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: almost half of Groningen's households on benefit more than 5 years "
        "in Oct 2022 and ~7,500 more than 3 years in Mar 2023; 0.55 at the start gives "
        "both (the national 72% over 2 years, Jun 2020, would put 60% over 5 years by Oct "
        "2022)",
        doc="Recipients on benefit for more than 2 years at the start.",
        section=POPULATION,
    )  # fmt: skip
    share_on_benefit_over_5_years: float = P(
        0.34, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: almost half more than 5 years in Groningen in Oct 2022, 2.6 years "
        "after the start; the start share is lower (value chosen with the inflow and "
        "outflow to reproduce the Oct 2022 figures)",
        doc="Recipients on benefit for more than 5 years at the start.",
        section=POPULATION,
    )  # fmt: skip
    share_reintegration_route: float = P(
        0.25, ge=0, le=1, unit="share of recipients",
        source="assumption: a quarter of long-term recipients follow a re-integration route "
        "and are not eligible (FACTS.md: eligibility requires no ongoing route)",
        doc="Recipients in a re-integration route (never eligible in the model).",
        section=POPULATION,
    )  # fmt: skip
    bijstand_outflow_short: float = P(
        0.2, ge=0, le=1, unit="per year",
        source="assumption: recipients in their first 3 years leave bijstand for other "
        "reasons at about 20% a year; with the inflow, gives FACTS.md's stock of 8,984 "
        "households in Oct 2022",
        doc="Yearly hazard of leaving bijstand (work, moving, partner) in the first 3 years.",
        section=POPULATION,
    )  # fmt: skip
    bijstand_outflow_long: float = P(
        0.03, ge=0, le=1, unit="per year",
        source="assumption: long-term recipients rarely leave (FACTS.md: almost half on "
        "benefit more than 5 years); retirement at state pension age comes on top",
        doc="Yearly hazard of leaving bijstand after 3 years on benefit.",
        section=POPULATION,
    )  # fmt: skip
    inflow_households_per_year: float = P(
        800, ge=0, le=100_000, unit="households per year",
        source="assumption: with the outflow above the stock falls from ~9,900 (Mar 2020) to "
        "~8,950 in Oct 2022 (FACTS.md: 9,625 in Oct 2021, 8,984 in Oct 2022); the inflow "
        "was low in 2020-22 (COVID-19 support, a tight labour market)",
        doc="New households entering bijstand each year.",
        section=POPULATION,
    )  # fmt: skip
    state_pension_age: float = P(
        67.0, ge=60, le=75, unit="years",
        source="assumption: statutory AOW age, 66y4m in 2020 rising to 67 in 2024; 67 used "
        "throughout",
        doc="Age at which recipients and participants reach state pension (AOW).",
        section=POPULATION,
    )  # fmt: skip
    areas: Annotated[tuple[Area, ...], AfterValidator(check_areas)] = P(
        GRONINGEN_AREAS, unit="areas",
        source="FACTS.md: the 14 areas of the participants-by-wijk table (Jan 2022); "
        "assumption: their weights (relative bijstand households; FACTS.md has no counts "
        "per wijk: higher in Vinkhuizen, Beijum, Lewenborg, Oosterpark, low in the villages "
        "Haren and Hoogkerk) and neighbours (read off the city map)",
        doc="The wijken and villages where recipients live and participants work: each "
        "with its weight (where recipients live), the areas near it and its map tile.",
        section=POPULATION,
    )  # fmt: skip

    # --- ELIGIBILITY ------------------------------------------------------------------
    eligible_min_years_on_benefit: float = P(
        3.0, ge=0, le=20, unit="years",
        source="FACTS.md: on bijstand for more than 3 years",
        doc="Minimum time on benefit to be eligible.",
        section=ELIGIBILITY,
    )  # fmt: skip
    pension_margin_years: float = P(
        3.0, ge=0, le=20, unit="years",
        source="FACTS.md: none of the 56 who started had left by Mar 2023, retirement "
        "included, so people close to state pension age were not selected; 3 years assumed",
        doc="Eligibility ends this long before state pension age.",
        section=ELIGIBILITY,
    )  # fmt: skip
    eligible_min_age: float = P(
        27.0, ge=18, le=60, unit="years",
        source="FACTS.md: municipal page, aged 27+",
        doc="Minimum age to be eligible.",
        section=ELIGIBILITY,
    )  # fmt: skip
    share_prospect_paid_work: float = P(
        0.24, ge=0, le=1, unit="share of eligible",
        source=f"{_F22}: 34 of 151 spoken had a prospect of paid work; of the ~141 decided "
        "(assumption: ~10 still in intake)",
        doc="Eligible recipients who still have a prospect of paid work.",
        section=ELIGIBILITY,
    )  # fmt: skip
    share_physical_limitations: float = P(
        0.38, ge=0, le=1, unit="share of eligible",
        source=f"{_F22}: 26 of 151 spoken were rejected for limitations too great; those "
        "referred first are the most promising, so the share in the whole pool is higher "
        "(value chosen so the default run gives ~26-30 by Jan 2022)",
        doc="Eligible recipients whose physical limitations are too great for the work.",
        section=ELIGIBILITY,
    )  # fmt: skip
    share_volunteering: float = P(
        0.35, ge=0, le=1, unit="share of eligible",
        source="assumption: about a third of long-term recipients volunteer",
        doc="Eligible recipients with current volunteering.",
        section=ELIGIBILITY,
    )  # fmt: skip
    keep_volunteering: float = P(
        0.55, ge=0, le=1, unit="probability",
        source=f"{_F22}: 17 of 151 spoken preferred volunteering (value chosen so the "
        "default run gives ~17 by Jan 2022)",
        doc="Chance that a volunteer prefers to keep volunteering over a basisbaan.",
        section=ELIGIBILITY,
    )  # fmt: skip
    share_debts: float = P(
        0.6, ge=0, le=1, unit="share of eligible",
        source=f"{_F22}: many participants have debts, GKB support offered (value assumed)",
        doc="Recipients with problematic debts.",
        section=ELIGIBILITY,
    )  # fmt: skip
    cannot_take_step: float = P(
        0.3, ge=0, le=1, unit="probability",
        source=f"{_F22}: others drop out because they cannot or dare not take the step: "
        "about 14 of 151 besides the reasons counted and those still in intake; higher in "
        "the pool than among the first referred (value chosen so the default run gives "
        "about a third of those spoken starting)",
        doc="Chance that a single person without children cannot or dares not take the step.",
        section=ELIGIBILITY,
    )  # fmt: skip
    cannot_factor_couples: float = P(
        2.0, ge=0, le=10, unit="multiplier",
        source="FACTS.md: for cohabiting couples the step was hard (value assumed)",
        doc="Multiplier on cannot-take-the-step for partners in a couple.",
        section=ELIGIBILITY,
    )  # fmt: skip
    cannot_factor_single_parents: float = P(
        2.0, ge=0, le=10, unit="multiplier",
        source="FACTS.md: single parents are under-represented (value assumed)",
        doc="Multiplier on cannot-take-the-step for single parents.",
        section=ELIGIBILITY,
    )  # fmt: skip
    share_willing: float = P(
        0.15, ge=0, le=1, unit="share of recipients",
        source="FACTS.md: of ~7,500 households on bijstand for more than 3 years, 'ruim "
        "1,200' would like (more) work (Hanze final report, Mar 2023); willing from arrival "
        "on bijstand with this share, plus those who come to want work later "
        "(willing_onset_per_year), gives ~1,230 of ~7,170 long-term households (17%) in "
        "Mar 2023. Range 0.13-0.18: 1,100 to 1,350 willing",
        doc="Recipients who would like (more) work: only they are referred (a partner "
        "offered an intake along with a selected candidate excepted).",
        uncertain=(0.13, 0.18),
        section=ELIGIBILITY,
    )  # fmt: skip
    willing_onset_per_year: float = P(
        0.01, ge=0, le=1, unit="per year",
        source="assumption: FACTS.md gives the willing share at one time (Mar 2023) only; "
        "some who do not want work now come to want it later (circumstances change), so "
        "the pool renews besides the inflow into long-term bijstand; 1% a year raises the "
        "willing share of the long-term group from 17% (Mar 2023) to ~22% (2030); range "
        "0-3% a year",
        doc="Yearly rate at which a recipient who does not want work comes to want it.",
        uncertain=(0.0, 0.03),
        section=ELIGIBILITY,
    )  # fmt: skip
    suitability_correlation: float = P(
        0.5, ge=0, le=0.95, unit="correlation",
        source="assumption: the traits that stop selection (limitations too great, not "
        "daring the step) are what coaches judge a candidate's promise by (FACTS.md: "
        "selection is not on objective traits alone); 0 makes them independent",
        doc="How strongly the traits against selection go with low promise (Gaussian "
        "copula).",
        uncertain=(0.2, 0.8),
        section=ELIGIBILITY,
    )  # fmt: skip

    # --- REFERRAL ---------------------------------------------------------------------
    referrals_per_coach_week: float = P(
        1.4, ge=0, le=100, unit="candidates per coach per week",
        source=f"assumption: coaches recruit (FACTS.md); 2 coaches and 151 spoken by Jan 2022 "
        f"({_F22}) at the COVID-19 pace; a calibration parameter",
        doc="Mean number of eligible candidates referred per intake coach each week.",
        section=REFERRAL,
    )  # fmt: skip
    referral_weight_women: float = P(
        0.5, ge=0, le=10, unit="relative weight",
        source=f"{_F22}: more men are referred, success equal for men and women (value "
        "assumed: with 57% women in the pool, about 47% of those referred are women)",
        doc="Chance of a woman being referred relative to a man.",
        section=REFERRAL,
    )  # fmt: skip
    referral_weight_single_parents: float = P(
        0.4, ge=0, le=10, unit="relative weight",
        source="FACTS.md: single parents are under-represented; sources/2022 letter: "
        "candidates with children strongly so (value assumed)",
        doc="Chance of a single parent being referred relative to others.",
        section=REFERRAL,
    )  # fmt: skip
    referral_weight_couples: float = P(
        0.6, ge=0, le=10, unit="relative weight",
        source="FACTS.md: cohabiting couples are under-represented and the step was hard "
        "for them (value assumed)",
        doc="Chance of a partner in a couple being referred relative to others.",
        section=REFERRAL,
    )  # fmt: skip
    referral_weight_age_45_plus: float = P(
        1.5, ge=0, le=10, unit="relative weight",
        source=f"{_F22}: participants are relatively old (value assumed)",
        doc="Chance of a recipient aged 45+ being referred relative to younger ones.",
        section=REFERRAL,
    )  # fmt: skip
    referral_weight_per_year_on_benefit: float = P(
        0.05, ge=0, le=1, unit="relative weight per year",
        source=f"{_F22}: participants are mostly long-term recipients (value assumed)",
        doc="Extra referral weight per year on benefit beyond the eligibility minimum.",
        section=REFERRAL,
    )  # fmt: skip
    referral_selectivity: float = P(
        1.0, ge=0, le=5, unit="per standard deviation of promise",
        source="assumption: coaches refer the most promising first (issue: the pool worked "
        "from the most promising down); 1 doubles the referral weight of a candidate "
        "about 0.7 standard deviations more promising; 0 refers at random",
        doc="How strongly the referral order follows a candidate's promise (the weight "
        "is multiplied by exp(selectivity x promise)).",
        uncertain=(0.0, 2.0),
        section=REFERRAL,
    )  # fmt: skip
    initial_referrals: int = P(
        25, ge=0, le=1_000, unit="candidates",
        source="assumption: recruitment began before the start, since 9 people started by "
        "June 2020 (FACTS.md)",
        doc="Candidates already referred on 1 March 2020.",
        section=REFERRAL,
    )  # fmt: skip
    referral_queue_max: int = P(
        15, ge=0, le=10_000, unit="candidates",
        source="assumption: referrers stop referring when this many wait for an intake",
        doc="Most candidates waiting for an intake slot.",
        section=REFERRAL,
    )  # fmt: skip
    partner_referral: float = P(
        0.5, ge=0, le=1, unit="probability",
        source="FACTS.md: special measures for couples, a basisbaan for both partners "
        "(value assumed)",
        doc="Chance that the eligible partner of a selected candidate is offered an intake too.",
        section=REFERRAL,
    )  # fmt: skip

    # --- INTAKE -----------------------------------------------------------------------
    intake_coaches: CoachSchedule = P(
        {2020: 2}, unit="coaches",
        source="FACTS.md: two experienced municipal coaches recruit and select",
        doc="Municipal intake coaches by year (at least this many).",
        section=INTAKE,
    )  # fmt: skip
    intake_coaches_follow_ceiling: bool = P(
        True, unit="flag",
        source="assumption: the structural programme scales its intake coaches with the "
        "jobs funded, as the experiment had two for its ~50; False keeps the schedule",
        doc="Hire coaches so there is one per `jobs_per_intake_coach` jobs funded (after "
        "`coach_hiring_weeks`).",
        section=INTAKE,
    )  # fmt: skip
    jobs_per_intake_coach: float = P(
        25, gt=0, le=10_000, unit="jobs per coach",
        source="FACTS.md: two coaches for the experiment's ~50 jobs",
        doc="Jobs of the ceiling per intake coach when coaches follow the ceiling.",
        section=INTAKE,
    )  # fmt: skip
    coach_hiring_weeks: int = P(
        26, ge=0, le=260, unit="weeks",
        source="assumption: recruiting and training an experienced coach takes about half a "
        "year. Range 13-52 weeks: from moving a coach from another team to building a new "
        "team (vacancy, hiring, induction)",
        doc="Weeks from the decision to fund more jobs until the coaches hired for them "
        "hold intakes.",
        uncertain=(13, 52),
        implementation=True,
        section=INTAKE,
    )  # fmt: skip
    intake_slots_per_coach: int = P(
        6, ge=1, le=100, unit="candidates",
        source="assumption: intensive conversations limit a coach to a handful of candidates "
        "at once next to guiding participants",
        doc="Candidates a coach has in intake at once.",
        section=INTAKE,
    )  # fmt: skip
    conversations_per_coach_week: float = P(
        5.0, gt=0, le=100, unit="conversations per week",
        source="assumption: coaches also guide participants on income and wellbeing",
        doc="Intake conversations a coach holds per week.",
        section=INTAKE,
    )  # fmt: skip
    intake_conversations: int = P(
        3, ge=1, le=20, unit="conversations",
        source="FACTS.md: several intensive conversations per candidate (3 assumed)",
        doc="Conversations before the selection decision.",
        section=INTAKE,
    )  # fmt: skip
    weeks_between_conversations: int = P(
        2, ge=1, le=26, unit="weeks",
        source="assumption: time to think over the work and its effect on finances",
        doc="Least weeks between two conversations with the same candidate.",
        section=INTAKE,
    )  # fmt: skip
    expected_selection_share: float = P(
        1 / 3, gt=0, le=1, unit="share",
        source=f"{_F22}: about one third of those spoken starts",
        doc="Coaches' rule of thumb: admissions stop when employed + selected + this share "
        "of those in intake reach the ceiling.",
        section=INTAKE,
    )  # fmt: skip
    matching_weeks: int = P(
        2, ge=0, le=52, unit="weeks",
        source="assumption: matching with tasks, contract and income arrangements",
        doc="Weeks from selection until a candidate can start.",
        section=INTAKE,
    )  # fmt: skip

    # --- TASKS ------------------------------------------------------------------------
    organisations_per_wijk: int = P(
        8, ge=1, le=1_000, unit="organisations",
        source="assumption: community centres, sports clubs, bicycle stewards, a wijk paper "
        "and care for residents (FACTS.md task list) in each area, more where more people "
        "live on bijstand",
        doc="Organisations per wijk that can supply tasks, on average: each wijk gets a "
        "share in proportion to its weight in `areas` (at least one).",
        section=TASKS,
    )  # fmt: skip
    additional_work_hours: float = P(
        96.0, gt=0, le=10_000, unit="hours per week per organisation",
        source="assumption: FACTS.md: the work may not displace paid jobs or volunteering, "
        "so an organisation offers only its additional work, the work nobody paid or "
        "volunteering does now; about 8 tasks of 12 h on average",
        doc="Average additional work an organisation can offer as basisbaan tasks.",
        section=TASKS,
    )  # fmt: skip
    additional_work_spread: float = P(
        0.5, ge=0, le=2, unit="log-sd",
        source="assumption: community centres and sports clubs differ a lot in size",
        doc="Spread of the additional work between organisations (lognormal, mean kept).",
        section=TASKS,
    )  # fmt: skip
    initial_tasks: int = P(
        80, ge=0, le=100_000, unit="tasks",
        source="assumption: tasks collected in the wijken before the start",
        doc="Tasks available on 1 March 2020.",
        section=TASKS,
    )  # fmt: skip
    task_acquisition_per_week: TaskSchedule = P(
        {2020: 3.0, 2023: 4.0}, unit="tasks per week",
        source="assumption: 2020-22 pace enough for ~50 jobs of 2-3 tasks (sources/2021-02 "
        "memo: the council is pleased with the tasks collected); from 2023 scaled for +50 "
        "jobs a year",
        doc="Most new tasks collected from wijk organisations per week, by year.",
        section=TASKS,
    )  # fmt: skip
    task_collection_follows_ceiling: bool = P(
        True, unit="flag",
        source="assumption: the structural programme scales its task collection with the "
        "jobs funded; False keeps the schedule",
        doc="Raise task collection to `tasks_per_week_per_100_jobs` for the jobs funded "
        "(after `task_collection_delay_weeks`).",
        section=TASKS,
    )  # fmt: skip
    tasks_per_week_per_100_jobs: float = P(
        6.0, ge=0, le=1_000, unit="tasks per week per 100 jobs",
        source="assumption: the experiment's pace (task_acquisition_per_week: 3 tasks a "
        "week for its 50 jobs) scaled with the jobs",
        doc="Task collection needed per 100 jobs funded, when collection follows them.",
        section=TASKS,
    )  # fmt: skip
    task_collection_delay_weeks: int = P(
        13, ge=0, le=260, unit="weeks",
        source="assumption: a quarter to assign wijk workers and approach more "
        "organisations after more jobs are funded. Range 4-39 weeks: from existing wijk "
        "workers taking it on to hiring new ones",
        doc="Weeks from the decision to fund more jobs until tasks are collected for them.",
        uncertain=(4, 39),
        implementation=True,
        section=TASKS,
    )  # fmt: skip
    free_task_buffer: int = P(
        40, ge=0, le=10_000, unit="tasks",
        source="assumption: tasks are collected only while fewer than this many are unused, "
        "so organisations are not left waiting",
        doc="Unused tasks at which task collection pauses.",
        section=TASKS,
    )  # fmt: skip
    task_hours_min: int = P(
        8, ge=1, le=40, unit="hours per week",
        source="assumption: most participants do 2 or 3 tasks for ~32 h (FACTS.md)",
        doc="Fewest hours per week of one task.",
        section=TASKS,
    )  # fmt: skip
    task_hours_max: int = P(
        16, ge=1, le=40, unit="hours per week",
        source="assumption: as task_hours_min",
        doc="Most hours per week of one task.",
        section=TASKS,
    )  # fmt: skip
    tasks_per_participant_max: int = P(
        3, ge=1, le=10, unit="tasks",
        source="FACTS.md: most participants do 2 or 3 different tasks",
        doc="Most tasks one participant holds.",
        section=TASKS,
    )  # fmt: skip
    task_misfit_per_year: float = P(
        0.15, ge=0, le=10, unit="per task per year",
        source="FACTS.md: some tasks turn out not to fit and are replaced (rate assumed)",
        doc="Hazard that a task stops fitting its participant.",
        section=TASKS,
    )  # fmt: skip

    # --- EMPLOYMENT -------------------------------------------------------------------
    full_time_hours: float = P(
        32.0, gt=0, le=40, unit="hours per week",
        source="FACTS.md: about 32 h/week on average",
        doc="Contract hours once ramped up.",
        section=EMPLOYMENT,
    )  # fmt: skip
    share_starting_part_time: float = P(
        0.25, ge=0, le=1, unit="share of starters",
        source="FACTS.md: some start with fewer hours and ask for more (share assumed)",
        doc="Starters who begin with fewer hours.",
        section=EMPLOYMENT,
    )  # fmt: skip
    share_asking_more_hours: float = P(
        0.6, ge=0, le=1, unit="share of part-time starters",
        source="FACTS.md: some start with fewer hours and ask for more; average ~32 h/week "
        "(one later source: 30); share assumed, giving ~31 h on average",
        doc="Part-time starters who ask for full-time hours after the ramp; the others "
        "keep their starting hours.",
        section=EMPLOYMENT,
    )  # fmt: skip
    part_time_start_hours: float = P(
        24.0, gt=0, le=40, unit="hours per week",
        source="assumption: three quarters of the 32 hours, a common start in sheltered and "
        "supported work",
        doc="Contract hours of a part-time starter.",
        section=EMPLOYMENT,
    )  # fmt: skip
    hours_ramp_weeks: int = P(
        26, ge=0, le=520, unit="weeks",
        source="assumption: hours extended after about half a year",
        doc="Weeks until a part-time starter moves to full-time hours.",
        section=EMPLOYMENT,
    )  # fmt: skip
    permanent_contracts_from: dt.date = P(
        dt.date(2023, 1, 1), unit="date",
        source="FACTS.md: participants who started in 2020 got a permanent contract in 2023",
        doc="First date on which permanent contracts are given.",
        section=EMPLOYMENT,
    )  # fmt: skip
    permanent_after_years: float = P(
        3.0, ge=0, le=20, unit="years",
        source="FACTS.md: those who started in 2020 got a permanent contract in 2023, after "
        "about 3 years (the issue's rule: on reaching 3 years)",
        doc="Tenure at which a temporary contract becomes permanent.",
        section=EMPLOYMENT,
    )  # fmt: skip

    # --- SICKNESS ---------------------------------------------------------------------
    share_sickness_prone: float = P(
        0.45, ge=0, le=1, unit="share of participants",
        source=f"{_F22}: 31 of 47 had 0% absence in H2 2021 (value assumed; calibrated)",
        doc="Participants who ever report sick.",
        section=SICKNESS,
    )  # fmt: skip
    sickness_onset_per_week: float = P(
        0.043, ge=0, le=1, unit="per week",
        source=f"assumption, giving ~3.6% absence in H2 2021 ({_F22})",
        doc="Weekly chance that a sickness-prone participant reports sick.",
        section=SICKNESS,
    )  # fmt: skip
    sickness_spell_weeks: float = P(
        2.0, ge=1, le=104, unit="weeks",
        source="assumption: short spells dominate",
        doc="Mean length of a sickness spell.",
        section=SICKNESS,
    )  # fmt: skip

    # --- GUIDANCE ---------------------------------------------------------------------
    guiding_organisations: int = P(
        4, ge=1, le=100, unit="organisations",
        source="FACTS.md: work coaches from four guiding organisations",
        doc="Organisations whose work coaches guide participants on the job.",
        section=GUIDANCE,
    )  # fmt: skip
    guidance_hours_start: float = P(
        3.3, ge=1, le=5, unit="hours per week",
        source="FACTS.md: 2.5 h/week on average (1-5), slowly decreasing with tenure; 3.3 "
        "at the start gives ~2.5 on average over the participants of early 2023",
        doc="Mean guidance hours per participant in the first week.",
        section=GUIDANCE,
    )  # fmt: skip
    guidance_decline_per_year: float = P(
        0.18, ge=0, le=5, unit="per year",
        source="FACTS.md: guidance slowly decreases with tenure (rate assumed)",
        doc="Relative yearly decline of guidance hours.",
        section=GUIDANCE,
    )  # fmt: skip
    guidance_spread: float = P(
        0.35, ge=0, le=2, unit="log-sd",
        source="FACTS.md: intensity ranges 1-5 h/week (value assumed)",
        doc="Spread of guidance intensity between participants.",
        section=GUIDANCE,
    )  # fmt: skip
    share_intensive_guidance: float = P(
        0.1, ge=0, le=1, unit="share of participants",
        source="FACTS.md: for a small group guidance stays intensive (value assumed)",
        doc="Participants whose guidance does not decline.",
        section=GUIDANCE,
    )  # fmt: skip

    # --- EXITS ------------------------------------------------------------------------
    exit_regular_job: float = P(
        0.02, ge=0, le=1, unit="per year",
        source="assumption: some participants look at the regular labour market again "
        "(FACTS.md)",
        doc="Yearly hazard of leaving for a regular job (after the early years).",
        section=EXITS,
    )  # fmt: skip
    exit_sheltered_work: float = P(
        0.15, ge=0, le=1, unit="per year",
        source="FACTS.md: for a small group guidance stays intensive and they may belong in "
        "sheltered work (beschut werk); only that group moves there (rate assumed: 1.5% a "
        "year over all participants)",
        doc="Yearly hazard of moving to sheltered work for the intensive-guidance group "
        "(after the early years); zero for the others.",
        section=EXITS,
    )  # fmt: skip
    exit_self_employed: float = P(
        0.003, ge=0, le=1, unit="per year",
        source="assumption: rare (FACTS.md lists it among the ways out)",
        doc="Yearly hazard of leaving to become self-employed (after the early years).",
        section=EXITS,
    )  # fmt: skip
    exit_quit: float = P(
        0.02, ge=0, le=1, unit="per year",
        source="assumption: quitting and returning to bijstand (FACTS.md lists it)",
        doc="Yearly hazard of quitting (after the early years).",
        section=EXITS,
    )  # fmt: skip
    early_exit_factor: float = P(
        0.05, ge=0, le=1, unit="multiplier",
        source="FACTS.md: nobody stopped by Jan 2022 nor by Mar 2023; temporary contracts "
        "were all extended (value assumed; calibrated)",
        doc="Multiplier on the voluntary exit hazards in the early years.",
        section=EXITS,
    )  # fmt: skip
    early_exit_years: float = P(
        3.0, ge=0, le=20, unit="years",
        source="FACTS.md: nobody had stopped by Mar 2023, nearly 3 years into the first "
        "contracts; the temporary-contract years",
        doc="Tenure during which the early exit factor applies.",
        section=EXITS,
    )  # fmt: skip
    mortality_at_50: float = P(
        0.0025, ge=0, le=1, unit="per year",
        source="assumption: Dutch mortality at 50 (~0.25%/yr): long-term recipients' worse "
        "health is offset for participants, who were selected as fit for the work "
        "(FACTS.md: nobody who started had left by Mar 2023)",
        doc="Yearly death hazard at age 50.",
        section=EXITS,
    )  # fmt: skip
    mortality_doubling_years: float = P(
        8.0, gt=0, le=50, unit="years",
        source="assumption: Gompertz law, adult mortality doubles every ~8 years",
        doc="Years of age over which the death hazard doubles.",
        section=EXITS,
    )  # fmt: skip

    # --- PROGRAMME --------------------------------------------------------------------
    programme_start: dt.date = P(
        dt.date(2020, 3, 1), unit="date",
        source="FACTS.md: Groningen's basisbaan started 1 March 2020 (another municipality's "
        "profile sets its own start; the model's calendar begins on 1 March 2020)",
        doc="The day the programme starts: before it no jobs are funded, no coaches hold "
        "intakes and no tasks are collected.",
        section=PROGRAMME,
    )  # fmt: skip
    covid_start: dt.date = P(
        dt.date(2020, 3, 15), unit="date",
        source="FACTS.md: slowed by COVID-19; first Dutch lockdown mid-March 2020",
        doc="Start of the COVID-19 slowdown.",
        section=PROGRAMME,
    )  # fmt: skip
    covid_end: dt.date = P(
        dt.date(2021, 12, 31), unit="date",
        source="sources/2022 letter: changing COVID-19 measures still called for extra "
        "support in 2021",
        doc="End of the COVID-19 slowdown.",
        section=PROGRAMME,
    )  # fmt: skip
    covid_factor: float = P(
        0.6, ge=0, le=1, unit="multiplier",
        source="assumption: referrals, conversations and task collection at 60%; a "
        "calibration parameter",
        doc="Pace of referrals, intake conversations and task collection during COVID-19.",
        section=PROGRAMME,
    )  # fmt: skip
    job_ceiling_experiment: int = P(
        50, ge=0, le=100_000, unit="jobs",
        source="FACTS.md: about 40 jobs planned (40-50); 50 expected from Mar 2022 "
        "(sources/2022 letter: the goal reached)",
        doc="Jobs in the experiment.",
        section=PROGRAMME,
    )  # fmt: skip
    ceiling_growth_start: dt.date = P(
        dt.date(2023, 1, 1), unit="date",
        source="assumption: 56 jobs in Mar 2023 (FACTS.md) is above the experiment's 50, so "
        "more jobs were funded before the structural decision: the 2023 budget year, after "
        "the 2022 coalition agreement; a calibration parameter",
        doc="Date from which the jobs target grows (the first budget for more jobs).",
        section=PROGRAMME,
    )  # fmt: skip
    ceiling_growth_per_year: JobSchedule = P(
        {2022: 50}, unit="jobs per year",
        source="FACTS.md: at least +50 jobs a year from Mar 2023, up to 250",
        doc="The council's target: growth of the jobs by year (the target path `job_target`).",
        section=PROGRAMME,
    )  # fmt: skip
    implementation_pace: float = P(
        1.0, ge=0, le=5, unit="multiplier",
        source="assumption: the council set a minimum ('at least +50 a year', FACTS.md); the "
        "municipality may fund and aim for more, up to what the pipeline of candidates "
        "allows; 1 funds exactly the target. Range 1-2 (+50 to +100 a year): with coaches, "
        "referrals and tasks not limiting (the pipeline_limit scenario) the candidates "
        "allow about +170 starts in the first year, so the pipeline does not cap this range",
        doc="Jobs funded each budget year relative to the target's growth.",
        uncertain=(1.0, 2.0),
        implementation=True,
        section=PROGRAMME,
    )  # fmt: skip
    job_ceiling_max: int = P(
        250, ge=0, le=100_000, unit="jobs",
        source="FACTS.md: up to 250",
        doc="The final number of jobs: the target and the jobs funded stop there.",
        section=PROGRAMME,
    )  # fmt: skip
    budget_net_eur_per_year: float | None = P(
        None, ge=0, unit="EUR per year",
        source="policy lever; none by default",
        doc="Optional yearly net budget: no new start when the net run-rate would exceed it.",
        section=PROGRAMME,
    )  # fmt: skip

    # --- COSTS ------------------------------------------------------------------------
    wage_cost_per_year: float = P(
        27_387, ge=0, le=1e6, unit="EUR per job-year at full-time hours",
        source=f"{_F22}: wage cost at 32 h/week (CAO Wsw, minimum wage, year-end, pension)",
        doc="Wage cost of a participant at full-time hours (paid during sickness).",
        section=COSTS,
    )  # fmt: skip
    employer_cost_per_year: float = P(
        600, ge=0, le=1e6, unit="EUR per job-year",
        source=f"{_F22}: employer cost Thermiek BV ~EUR 600",
        doc="Cost of employership per participant.",
        section=COSTS,
    )  # fmt: skip
    guidance_cost_first_year: float = P(
        4_000, ge=0, le=1e6, unit="EUR per job-year",
        source=f"{_F22}: guiding organisations EUR 4,000 in year 1",
        doc="Guiding organisations' fee in a participant's first year.",
        section=COSTS,
    )  # fmt: skip
    guidance_cost_later_years: float = P(
        3_000, ge=0, le=1e6, unit="EUR per job-year",
        source=f"{_F22}: EUR 3,000 in years 2 and 3 (kept after year 3: assumption)",
        doc="Guiding organisations' fee from the second year.",
        section=COSTS,
    )  # fmt: skip
    coach_cost_per_year: float = P(
        1_500, ge=0, le=1e6, unit="EUR per job-year",
        source=f"{_F22}: municipal coaches EUR 1,500 per participant",
        doc="Municipal coaches' cost per participant.",
        section=COSTS,
    )  # fmt: skip
    benefit_saved_per_year: float = P(
        14_000, ge=0, le=1e6, unit="EUR per job-year",
        source=f"{_F22}: benefits and wage subsidies no longer paid EUR 14,000",
        doc="Benefits no longer paid per participant.",
        section=COSTS,
    )  # fmt: skip
    contributions_per_job_year: EuroSchedule = P(
        {2020: 0}, unit="EUR per job-year",
        source=f"{_F22}: no contributions from work-providing parties collected by 2022",
        doc="Contributions of wijk organisations and other work-providing parties, by year.",
        section=COSTS,
    )  # fmt: skip
    subsidies: LumpSums = P(
        {dt.date(2023, 10, 1): 200_000}, unit="EUR on a date",
        source="FACTS.md: EUR 200,000 from Nationaal Programma Groningen in 2023; the date "
        "1 Oct 2023 is an assumption",
        doc="One-off subsidies received, by date.",
        section=COSTS,
    )  # fmt: skip

    # --- DESIGN -------------------------------------------------------------------------
    design: Literal["contract", "supplement", "reintegration"] = P(
        "contract", unit="design",
        source="FACTS.md (2022 letter): three forms elsewhere: a job with an employment "
        "contract (Groningen's choice), a benefit topped up with a supplement (a kind of "
        "participatie-inkomen), and jobs meant to lead on to other paid work (re-integration)",
        doc="The programme's form: 'contract' (a paid job, Groningen), 'supplement' (the "
        "benefit stays, with a supplement; no contract), 'reintegration' (time-limited "
        "jobs aimed at outflow to regular work).",
        section=DESIGN,
    )  # fmt: skip
    supplement_per_month: float = P(
        200.0, ge=0, le=10_000, unit="EUR per month",
        source="assumption: a participation supplement on top of the bijstand benefit, in "
        "the range of premiums for participation in Dutch experiments (EUR 100-300 a month)",
        doc="Supplement paid on top of the benefit in the 'supplement' design.",
        section=DESIGN,
    )  # fmt: skip
    supplement_step_factor: float = P(
        0.7, ge=0, le=10, unit="multiplier",
        source="assumption: without a contract the household's income and benefit stay as "
        "they are, so the step is smaller (FACTS.md: for couples the step to a contract was "
        "hard); the couples' and single parents' extra hardship does not apply",
        doc="Multiplier on cannot-take-the-step in the 'supplement' design.",
        section=DESIGN,
    )  # fmt: skip
    supplement_quit_factor: float = P(
        2.0, ge=0, le=20, unit="multiplier",
        source="assumption: without a contract to keep, participants stop more easily",
        doc="Multiplier on the quitting hazard in the 'supplement' design.",
        section=DESIGN,
    )  # fmt: skip
    reintegration_max_years: float = P(
        2.0, gt=0, le=20, unit="years",
        source="assumption: re-integration jobs are time-limited, commonly one to two years",
        doc="Most years a participant holds a job in the 'reintegration' design.",
        section=DESIGN,
    )  # fmt: skip
    reintegration_outflow_factor: float = P(
        3.0, ge=0, le=50, unit="multiplier",
        source="assumption: guidance aimed at outflow triples the hazard of leaving for a "
        "regular job (some participants look at the regular labour market again, FACTS.md)",
        doc="Multiplier on the regular-job hazard in the 'reintegration' design (no early "
        "reduction).",
        section=DESIGN,
    )  # fmt: skip
    reintegration_placement_share: float = P(
        0.3, ge=0, le=1, unit="share",
        source="assumption: of those who reach the end of the term, about three in ten move "
        "on to a regular job; the others return to bijstand",
        doc="Share of participants reaching the end of a 'reintegration' term who move to "
        "a regular job.",
        section=DESIGN,
    )  # fmt: skip
    reintegration_guidance_per_year: float = P(
        1_500.0, ge=0, le=1e6, unit="EUR per job-year",
        source="assumption: job-hunting support on top of the guidance on the job",
        doc="Extra guidance cost per participant in the 'reintegration' design.",
        section=DESIGN,
    )  # fmt: skip

    # ------------------------------------------------------------------------------------
    @model_validator(mode="after")
    def _consistent(self) -> Params:
        # Each error names the field a user would change (FieldError), so the message
        # points at a key even though the rule involves two.
        if self.programme_start < CALENDAR_START:
            raise FieldError(
                "programme_start",
                f"programme_start ({self.programme_start}) is before the model's calendar "
                f"begins ({CALENDAR_START})",
            )
        if self.covid_end < self.covid_start:
            raise FieldError(
                "covid_end",
                f"covid_end ({self.covid_end}) is before covid_start ({self.covid_start})",
                others=("covid_start",),
            )
        if self.task_hours_max < self.task_hours_min:
            raise FieldError(
                "task_hours_max",
                f"task_hours_max ({self.task_hours_max}) is below task_hours_min "
                f"({self.task_hours_min})",
                others=("task_hours_min",),
            )
        if self.additional_work_hours < self.task_hours_min:
            raise FieldError(
                "additional_work_hours",
                f"additional_work_hours ({self.additional_work_hours:g}) is less than the "
                f"smallest task (task_hours_min = {self.task_hours_min})",
                others=("task_hours_min",),
            )
        # Tasks come in steps of 4 hours from task_hours_min, and a participant's tasks
        # add up to their contract hours exactly (FACTS.md: 2 or 3 tasks for ~32 h).
        levels = range(self.task_hours_min, self.task_hours_max + 1, 4)
        sums = {0}
        for _ in range(self.tasks_per_participant_max):
            sums |= {total + hours for total in sums for hours in levels}
        for name in ("full_time_hours", "part_time_start_hours"):
            hours = getattr(self, name)
            if hours not in sums:
                raise FieldError(
                    name,
                    f"{name} ({hours:g}) is not the sum of at most tasks_per_participant_max "
                    f"({self.tasks_per_participant_max}) tasks of {', '.join(map(str, levels))} "
                    "hours (task_hours_min to task_hours_max in steps of 4)",
                    others=("tasks_per_participant_max", "task_hours_min", "task_hours_max"),
                )
        if self.share_age_under_27 + self.share_age_45_plus > 1:
            raise FieldError(
                "share_age_45_plus",
                "share_age_under_27 + share_age_45_plus is more than 1",
                others=("share_age_under_27",),
            )
        if self.share_on_benefit_over_5_years > self.share_on_benefit_over_2_years:
            raise FieldError(
                "share_on_benefit_over_5_years",
                "share_on_benefit_over_5_years is more than share_on_benefit_over_2_years",
                others=("share_on_benefit_over_2_years",),
            )
        if self.share_couples + self.share_single_parents > 1:
            raise FieldError(
                "share_single_parents",
                "share_couples + share_single_parents is more than 1",
                others=("share_couples",),
            )
        if self.job_ceiling_max < self.job_ceiling_experiment:
            raise FieldError(
                "job_ceiling_max",
                f"job_ceiling_max ({self.job_ceiling_max}) is below job_ceiling_experiment "
                f"({self.job_ceiling_experiment})",
                others=("job_ceiling_experiment",),
            )
        return self

    # ------------------------------------------------------------------------------------
    @classmethod
    def names(cls) -> list[str]:
        """Every parameter name, in registry order."""
        return list(cls.model_fields)

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, Any], *, source: str | None = None, where: str = ""
    ) -> Params:
        """Validate a mapping of overrides on the baseline.

        Args:
            values: parameter names and values (plain values, as read from TOML).
            source: the file (or flag) they came from, for the message.
            where: the key path of the table inside that file (``params``,
                ``scenarios.fast``), so the message names ``params.covid_factor``.

        Raises:
            ConfigError: an unknown name (with the closest valid ones) or an invalid
                value (with the key, the value and what is allowed).
        """
        check_names(values, source=source, where=where)
        try:
            return cls(**values)
        except ValidationError as error:
            raise validation_error(error, source=source, where=where) from None

    def with_overrides(
        self, overrides: Mapping[str, Any], *, source: str | None = None, where: str = ""
    ) -> Params:
        """A validated copy with some parameters replaced (a scenario)."""
        return Params.from_mapping(
            {**self.model_dump(), **dict(overrides)}, source=source, where=where
        )

    def changed(self) -> dict[str, Any]:
        """The parameters that differ from the baseline, as plain values."""
        base = Params()
        return {
            name: getattr(self, name)
            for name in self.names()
            if getattr(self, name) != getattr(base, name)
        }


def check_names(values: Mapping[str, Any], *, source: str | None = None, where: str = "") -> None:
    """Reject unknown parameter names, suggesting the closest valid ones.

    Raises:
        ConfigError: ``FILE: key 'WHERE.NAME': unknown parameter; did you mean ...?``.
    """
    check_keys(
        values,
        Params.names(),
        source=source,
        where=where,
        what="parameter",
        allowed_text="the parameter names of sim/params.py (the table of docs/ODD.md)",
    )


def registry() -> list[dict[str, Any]]:
    """The registry as rows (name, default, unit, range, source, meaning, section)."""
    rows = []
    for name, field in Params.model_fields.items():
        extra = field.json_schema_extra or {}
        assert isinstance(extra, dict)
        bounds = {type(m).__name__: m for m in field.metadata}
        low = next(
            (getattr(m, a) for m in bounds.values() for a in ("ge", "gt") if hasattr(m, a)), None
        )
        high = next((m.le for m in bounds.values() if hasattr(m, "le")), None)
        rows.append(
            {
                "name": name,
                "default": field.default,
                "unit": extra.get("unit", ""),
                "range": _range_text(low, high),
                "source": extra.get("source", ""),
                "meaning": field.description or "",
                "section": extra.get("section", ""),
            }
        )
    return rows


def uncertain_ranges(*, implementation: bool | None = None) -> dict[str, tuple[float, float]]:
    """The parameters with an uncertainty range, and the range (registry order).

    ``implementation=True`` keeps the uncertainties about how the policy is carried out,
    False the others, None all of them.
    """
    ranges = {}
    for name, field in Params.model_fields.items():
        extra = field.json_schema_extra
        assert isinstance(extra, dict)
        bounds = extra.get("uncertain")
        if bounds and (implementation is None or extra.get("implementation") == implementation):
            low, high = (float(bound) for bound in bounds)  # type: ignore[union-attr, arg-type]
            ranges[name] = (low, high)
    return ranges


def _range_text(low: Any, high: Any) -> str:
    if low is None and high is None:
        return ""
    return f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
