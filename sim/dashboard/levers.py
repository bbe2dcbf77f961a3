"""The dashboard's levers, and how they map to a scenario's parameter overrides.

A policy maker sets :class:`Levers`; :func:`overrides` turns them into the parameter
overrides of one scenario (only what differs from the announced policy, so the
announced levers give no override at all), :func:`lever_errors` checks every lever
against the registry's allowed range (:mod:`sim.params`) and words what is wrong in
the page's language, and :func:`levers_of` reads the levers back from parameters, so
a saved experiment opens with the levers it was saved with.

The mapping, lever by lever (years are calendar years, from :data:`FIRST_LEVER_YEAR`
to the horizon; years before keep the registry's history):

- *the target and its year*: ``job_ceiling_max`` is the target; with "grow evenly to
  the target", the jobs added per year are the same every year, so that the council's
  target path (from ``job_ceiling_experiment`` jobs at the start of
  :data:`FIRST_LEVER_YEAR`) reaches the target at the end of the target year:
  (target - experiment) / (target year - first year + 1). 250 by the end of 2026 is
  +50 a year: the announced policy;
- *jobs added per year, by year*: ``ceiling_growth_per_year`` as a year schedule
  (used instead of the even growth when the policy maker sets each year);
- *intake coaches*: ``intake_coaches_follow_ceiling``, ``jobs_per_intake_coach`` and
  ``intake_coaches`` by year (the least number, or the number when they do not follow);
- *task collection*: ``task_collection_follows_ceiling``,
  ``tasks_per_week_per_100_jobs`` and ``task_acquisition_per_week`` by year;
- *contributions*: ``contributions_per_job_year`` by year;
- *a yearly budget*: ``budget_net_eur_per_year`` (none, or euros a year);
- *subsidies*: ``subsidies``, an amount per year received on 1 October (the date the
  registry assumes for the 2023 subsidy).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import AfterValidator

from sim.config.errors import ConfigError
from sim.experiment import Experiment
from sim.params import FIRST_YEAR, Params, ScheduleRange, in_force
from sim.report.formats import toml_value

ANNOUNCED = "announced"  # the policy's scenario the levers start from
CHOSEN = "chosen"
FIRST_LEVER_YEAR = 2023
LAST_LEVER_YEAR = 2030
LEVER_YEARS = tuple(range(FIRST_LEVER_YEAR, LAST_LEVER_YEAR + 1))
TARGET_YEARS = (FIRST_LEVER_YEAR, 2035)  # the target years a policy maker may choose
SUBSIDY_DAY = (10, 1)  # subsidies of a year arrive on 1 October

YearValues = tuple[float, ...]
"""One value per year of :data:`LEVER_YEARS`."""


@dataclass(frozen=True)
class Levers:
    """What a policy maker sets. Per-year values are for the years of :data:`LEVER_YEARS`.

    Attributes:
        target_jobs: the final number of jobs (``job_ceiling_max``).
        grow_to_target: grow evenly so that the target is reached by ``target_year``;
            False uses ``growth_by_year``.
        target_year: the year by whose end the target path reaches the target.
        growth_by_year: jobs added per year.
        coaches_follow_jobs: hire a coach per ``jobs_per_coach`` jobs funded.
        jobs_per_coach: jobs funded per intake coach, when coaches follow the jobs.
        coaches_by_year: intake coaches (at least these when they follow the jobs).
        tasks_follow_jobs: collect tasks in step with the jobs funded.
        tasks_per_100_jobs: tasks collected per week per 100 jobs funded.
        tasks_by_year: tasks collected per week (at least this when following the jobs).
        contributions_by_year: contributions of work-providing parties, EUR per job-year.
        budget_eur_per_year: a yearly net budget (EUR), or None for none.
        subsidies_by_year: one-off subsidies (EUR) received on 1 October of each year.
    """

    target_jobs: int
    grow_to_target: bool
    target_year: int
    growth_by_year: YearValues
    coaches_follow_jobs: bool
    jobs_per_coach: float
    coaches_by_year: YearValues
    tasks_follow_jobs: bool
    tasks_per_100_jobs: float
    tasks_by_year: YearValues
    contributions_by_year: YearValues
    budget_eur_per_year: float | None
    subsidies_by_year: YearValues

    def replace(self, **changes: Any) -> Levers:
        """A copy with some levers changed."""
        return dataclasses.replace(self, **changes)

    def growth(self, experiment_jobs: int) -> YearValues:
        """The jobs added in each year: even to the target, or as set by year."""
        if not self.grow_to_target:
            return self.growth_by_year
        years = self.target_year - FIRST_LEVER_YEAR + 1
        rate = max(self.target_jobs - experiment_jobs, 0) / years
        return tuple(rate for _ in LEVER_YEARS)


# The registry parameter behind each lever, for its allowed range.
PARAMETER_OF: dict[str, str] = {
    "target_jobs": "job_ceiling_max",
    "growth_by_year": "ceiling_growth_per_year",
    "jobs_per_coach": "jobs_per_intake_coach",
    "coaches_by_year": "intake_coaches",
    "tasks_per_100_jobs": "tasks_per_week_per_100_jobs",
    "tasks_by_year": "task_acquisition_per_week",
    "contributions_by_year": "contributions_per_job_year",
    "budget_eur_per_year": "budget_net_eur_per_year",
}


def levers_of(params: Params) -> Levers:
    """The levers that give ``params`` (the announced policy, or a saved scenario).

    A growth that is the same every year and reaches the target at the end of a year
    opens as "grow evenly to the target"; any other growth opens year by year.
    """
    growth = _by_year(params.ceiling_growth_per_year)
    start = params.job_ceiling_experiment
    target_year, even = _even_target_year(growth, params.job_ceiling_max - start)
    return Levers(
        target_jobs=params.job_ceiling_max,
        grow_to_target=even,
        target_year=target_year,
        growth_by_year=growth,
        coaches_follow_jobs=params.intake_coaches_follow_ceiling,
        jobs_per_coach=params.jobs_per_intake_coach,
        coaches_by_year=_by_year(params.intake_coaches),
        tasks_follow_jobs=params.task_collection_follows_ceiling,
        tasks_per_100_jobs=params.tasks_per_week_per_100_jobs,
        tasks_by_year=_by_year(params.task_acquisition_per_week),
        contributions_by_year=_by_year(params.contributions_per_job_year),
        budget_eur_per_year=params.budget_net_eur_per_year,
        subsidies_by_year=tuple(
            sum(v for day, v in params.subsidies.items() if day.year == year)
            for year in LEVER_YEARS
        ),
    )


def overrides(levers: Levers, announced: Params) -> dict[str, Any]:
    """The parameter overrides of the levers' scenario, on top of the announced policy.

    Only what differs from ``announced`` is listed (a schedule counts as different when
    its value differs in some year), so the announced levers give ``{}``.
    """
    growth = levers.growth(announced.job_ceiling_experiment)
    values: dict[str, Any] = {
        "job_ceiling_max": levers.target_jobs,
        "ceiling_growth_per_year": _schedule(announced.ceiling_growth_per_year, growth),
        "intake_coaches_follow_ceiling": levers.coaches_follow_jobs,
        "jobs_per_intake_coach": levers.jobs_per_coach,
        "intake_coaches": _schedule(announced.intake_coaches, levers.coaches_by_year),
        "task_collection_follows_ceiling": levers.tasks_follow_jobs,
        "tasks_per_week_per_100_jobs": levers.tasks_per_100_jobs,
        "task_acquisition_per_week": _schedule(
            announced.task_acquisition_per_week, levers.tasks_by_year
        ),
        "contributions_per_job_year": _schedule(
            announced.contributions_per_job_year, levers.contributions_by_year
        ),
        "budget_net_eur_per_year": levers.budget_eur_per_year,
        "subsidies": _subsidies(announced.subsidies, levers.subsidies_by_year),
    }
    return {
        name: value for name, value in values.items() if not _same(value, getattr(announced, name))
    }


def allowed_range(name: str) -> tuple[float | None, float | None]:
    """The registry's lowest and highest value of a parameter (None: no bound)."""
    low = high = None
    for rule in Params.model_fields[name].metadata:
        if isinstance(rule, AfterValidator) and isinstance(rule.func, ScheduleRange):
            return rule.func.ge, rule.func.le
        low = next((getattr(rule, a) for a in ("ge", "gt") if hasattr(rule, a)), low)
        high = getattr(rule, "le", high)
    return low, high


def lever_errors(levers: Levers, announced: Params, words: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with the levers, in the page's words: lever -> message.

    Each lever is checked against its parameter's allowed range in the registry; when
    every lever is in range, the scenario as a whole is validated by the registry
    (checks across parameters), reported under the key ``"scenario"``.

    Args:
        levers: the levers as set.
        announced: the announced policy the levers apply to.
        words: the page's phrases (``out_of_range``, ``at_least``, ``year_value``,
            ``combination``) in its language.
    """
    errors: dict[str, str] = {}
    for lever, name in PARAMETER_OF.items():
        low, high = allowed_range(name)
        value = getattr(levers, lever)
        if value is None:
            continue
        pairs = (
            zip(LEVER_YEARS, value, strict=True) if isinstance(value, tuple) else [(None, value)]
        )
        for year, amount in pairs:
            if _outside(amount, low, high, strict=name == "jobs_per_intake_coach"):
                bound = (
                    words["out_of_range"].format(low=_plain(low), high=_plain(high))
                    if high is not None
                    else words["at_least"].format(low=_plain(low))
                )
                where = words["year_value"].format(year=year) if year is not None else ""
                errors[lever] = f"{where}{_plain(amount)}: {bound}"
                break
    if not TARGET_YEARS[0] <= levers.target_year <= TARGET_YEARS[1]:
        errors["target_year"] = words["out_of_range"].format(
            low=TARGET_YEARS[0], high=TARGET_YEARS[1]
        )
    if not errors:
        try:
            Params.from_mapping(
                {**announced.model_dump(), **overrides(levers, announced)}, source="dashboard"
            )
        except ConfigError as error:
            errors["scenario"] = words["combination"].format(message=error.message)
    return errors


# ---------------------------------------------------------------------------------
def _by_year(schedule: Mapping[int, float]) -> YearValues:
    return tuple(float(in_force(schedule, year)) for year in LEVER_YEARS)


def _even_target_year(growth: YearValues, to_grow: int) -> tuple[int, bool]:
    """The target year of an even growth, and whether ``growth`` is one."""
    rate = growth[0]
    if rate <= 0 or any(value != rate for value in growth):
        return LAST_LEVER_YEAR, False
    years = to_grow / rate
    whole = round(years)
    even = math.isclose(years, whole, rel_tol=1e-9) and whole >= 1
    year = FIRST_LEVER_YEAR + whole - 1
    return year, even and TARGET_YEARS[0] <= year <= TARGET_YEARS[1]


def _schedule(history: Mapping[int, float], values: YearValues) -> dict[int, float]:
    """A year schedule: the history before the lever years, then a value per year.

    A year whose value is the one already in force is left out, so an unchanged
    schedule is written as briefly as the registry's.
    """
    schedule = {year: float(v) for year, v in history.items() if year < FIRST_LEVER_YEAR}
    if not schedule:
        schedule[FIRST_YEAR] = float(in_force(history, FIRST_YEAR))
    for year, value in zip(LEVER_YEARS, values, strict=True):
        if float(value) != in_force(schedule, year):
            schedule[year] = float(value)
    return schedule


def _subsidies(history: Mapping[dt.date, float], values: YearValues) -> dict[dt.date, float]:
    """The subsidies before the lever years, then each year's on 1 October."""
    sums = {day: amount for day, amount in history.items() if day.year < FIRST_LEVER_YEAR}
    for year, amount in zip(LEVER_YEARS, values, strict=True):
        if amount:
            sums[dt.date(year, *SUBSIDY_DAY)] = float(amount)
    return sums


def _same(value: Any, announced: Any) -> bool:
    """Whether a lever's value is the announced one (schedules: in every year)."""
    if isinstance(value, dict) and value and isinstance(next(iter(value)), int):
        years = range(FIRST_YEAR, LAST_LEVER_YEAR + 1)
        return all(in_force(value, y) == in_force(announced, y) for y in years)
    if isinstance(value, dict):
        return {d: v for d, v in value.items() if v} == {d: v for d, v in announced.items() if v}
    return bool(value == announced)


def _outside(value: float, low: float | None, high: float | None, *, strict: bool) -> bool:
    if not math.isfinite(value):
        return True
    if low is not None and (value < low or (strict and value <= low)):
        return True
    return high is not None and value > high


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:,.10g}".replace(",", "\u202f")


def experiment_text(
    name: str, policy: Experiment, chosen: Mapping[str, Any], draws: int, description: str = ""
) -> str:
    """The comparison as an experiment file that ``basisbaan run`` reads unchanged.

    Self-contained: the policy's base parameters, seed and horizon, its announced
    scenario and the chosen one (the chosen overrides on top of the announced).

    Args:
        name: the experiment's name (a folder name: results go to ``results/NAME/``).
        policy: the growth scenarios the dashboard compares with.
        chosen: the chosen scenario's overrides (:func:`overrides`).
        draws: the replicates (the dashboard's posterior draws).
        description: what the levers were chosen for.
    """
    announced = policy.scenarios[ANNOUNCED]
    lines = [
        "# Saved from the basisbaan dashboard: the announced policy and the levers chosen.",
        "# Run it with `basisbaan run FILE`, or from the posterior draws as the dashboard",
        f"# does with `basisbaan forecast --policy FILE --draws {draws}`.",
        f"name = {toml_value(name)}",
        f"description = {toml_value(description or 'Levers chosen on the dashboard.')}",
        f"seed = {policy.seed}",
        f"replicates = {draws}",
        f"until = {policy.until.isoformat()}",
        "",
        "[params]",
        *(f"{key} = {toml_value(value)}" for key, value in policy.base.items()),
        "",
        f"[scenarios.{ANNOUNCED}]",
        f"description = {toml_value(policy.scenario_descriptions.get(ANNOUNCED, ''))}",
        *(f"{key} = {toml_value(value)}" for key, value in announced.items()),
        "",
        f"[scenarios.{CHOSEN}]",
        f"description = {toml_value('The levers chosen on the dashboard.')}",
        *(
            f"{key} = {toml_value(value)}"
            for key, value in {**announced, **chosen}.items()
            if value is not None
        ),
    ]
    return "\n".join(lines) + "\n"
