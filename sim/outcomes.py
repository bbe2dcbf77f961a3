"""Named outcomes of a model week, declared once.

:data:`OUTCOMES` maps a column name to a module-level function of the model. The
same functions feed the weekly record (the time series), the experiment tables and
the calibration distance. They are plain functions, not lambdas, so they pickle
across process boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.agents import ExitReason, IntakeDecision

if TYPE_CHECKING:
    from sim.model import BasisbaanModel


def employed(m: BasisbaanModel) -> int:
    """Participants in a basisbaan."""
    return m.people.employed


def employed_permanent(m: BasisbaanModel) -> int:
    """Participants on a permanent contract."""
    return m.contracts.employed_permanent


def employed_women(m: BasisbaanModel) -> int:
    """Women in a basisbaan."""
    return m.people.employed_women


def employed_single_parents(m: BasisbaanModel) -> int:
    """Single parents in a basisbaan."""
    return m.people.employed_single_parents


def employed_couples(m: BasisbaanModel) -> int:
    """Participants who live as a couple."""
    return m.people.employed_couples


def employed_45_plus(m: BasisbaanModel) -> int:
    """Participants who were aged 45 or over when they started."""
    return m.people.employed_45_plus


def eligible(m: BasisbaanModel) -> int:
    """Eligible people on bijstand who have not been referred."""
    return m.eligible


def referred_cum(m: BasisbaanModel) -> int:
    """Candidates referred so far."""
    return m.referral.referred_cum


def waiting_for_intake(m: BasisbaanModel) -> int:
    """Referred candidates waiting for an intake slot."""
    return len(m.referral.waiting)


def in_intake(m: BasisbaanModel) -> int:
    """Candidates in intake conversations."""
    return m.intake.in_intake


def selected_waiting(m: BasisbaanModel) -> int:
    """Selected candidates not yet started (matching, waiting for tasks or a place)."""
    return len(m.intake.selected)


def waiting_for_tasks(m: BasisbaanModel) -> int:
    """Selected candidates ready to start whose wijk and nearby wijken lack fitting tasks."""
    return len(m.tasks.wanting)


def spoken_cum(m: BasisbaanModel) -> int:
    """Candidates who had at least one intake conversation."""
    return m.intake.spoken_cum


def started_cum(m: BasisbaanModel) -> int:
    """Participants who started a basisbaan."""
    return m.people.started_cum


def rejected_paid_work_cum(m: BasisbaanModel) -> int:
    """Rejected: still a prospect of paid work."""
    return m.intake.rejected_cum[IntakeDecision.PAID_WORK]


def rejected_health_cum(m: BasisbaanModel) -> int:
    """Rejected: physical limitations too great."""
    return m.intake.rejected_cum[IntakeDecision.HEALTH]


def rejected_volunteering_cum(m: BasisbaanModel) -> int:
    """Rejected: prefers to keep volunteering."""
    return m.intake.rejected_cum[IntakeDecision.VOLUNTEERING]


def rejected_other_cum(m: BasisbaanModel) -> int:
    """Rejected: cannot or dare not take the step."""
    return m.intake.rejected_cum[IntakeDecision.OTHER]


def exited_cum(m: BasisbaanModel) -> int:
    """Participants who left, for any reason."""
    return sum(m.contracts.exited_cum.values())


def exit_regular_job_cum(m: BasisbaanModel) -> int:
    """Left for a regular job."""
    return m.contracts.exited_cum[ExitReason.REGULAR_JOB]


def exit_sheltered_work_cum(m: BasisbaanModel) -> int:
    """Left for sheltered work (beschut werk)."""
    return m.contracts.exited_cum[ExitReason.SHELTERED_WORK]


def exit_retirement_cum(m: BasisbaanModel) -> int:
    """Left at state pension age."""
    return m.contracts.exited_cum[ExitReason.RETIREMENT]


def exit_death_cum(m: BasisbaanModel) -> int:
    """Died."""
    return m.contracts.exited_cum[ExitReason.DEATH]


def exit_self_employed_cum(m: BasisbaanModel) -> int:
    """Left to become self-employed."""
    return m.contracts.exited_cum[ExitReason.SELF_EMPLOYED]


def exit_quit_cum(m: BasisbaanModel) -> int:
    """Quit and returned to bijstand."""
    return m.contracts.exited_cum[ExitReason.QUIT]


def exit_end_of_term_cum(m: BasisbaanModel) -> int:
    """Reached the end of a time-limited job without a regular job (re-integration)."""
    return m.contracts.exited_cum[ExitReason.END_OF_TERM]


def job_ceiling(m: BasisbaanModel) -> int:
    """Jobs funded this week: the most participants the programme may employ."""
    return int(m.policy.job_ceiling[m.week])


def job_target(m: BasisbaanModel) -> float:
    """The council's target path: jobs it aims for this week."""
    return float(m.policy.job_target[m.week])


def willing_pool(m: BasisbaanModel) -> int:
    """Eligible people who would like (more) work and have not been referred yet."""
    return m.referral.willing_pool(m.week)


def task_collection(m: BasisbaanModel) -> float:
    """Tasks the municipality can collect per week (its task-collection capacity)."""
    return float(m.policy.task_acquisition[m.week])


def intake_coaches(m: BasisbaanModel) -> int:
    """Active intake coaches."""
    return int(m.policy.intake_coaches[m.week])


def tasks_total(m: BasisbaanModel) -> int:
    """Tasks collected from wijk organisations so far."""
    return m.tasks.tasks_total


def tasks_free(m: BasisbaanModel) -> int:
    """Tasks collected and not held."""
    return m.tasks.free_count


def hours_worked(m: BasisbaanModel) -> float:
    """Hours worked this week (contract hours covered by tasks, less sickness)."""
    return m.work.hours_worked


def contract_hours(m: BasisbaanModel) -> float:
    """Contract hours this week."""
    return m.work.contract_hours_total


def guidance_hours(m: BasisbaanModel) -> float:
    """On-the-job guidance hours this week."""
    return m.work.guidance_hours


def sick_absence_rate(m: BasisbaanModel) -> float:
    """Share of contract hours lost to sickness this week."""
    return m.work.sick_absence_rate


def no_absence_share(m: BasisbaanModel) -> float:
    """Share of participants with no sickness in the last 26 weeks (or since they started).

    As FACTS.md's 31 of 47 with 0% absence in H2 2021, which counts everyone employed at
    the end of the half-year, also those who started during it.
    """
    return m.work.no_absence_share


def cost_gross_eur(m: BasisbaanModel) -> float:
    """Gross cost this week."""
    return m.accounting.costs.gross


def cost_net_eur(m: BasisbaanModel) -> float:
    """Net cost this week."""
    return m.accounting.costs.net


def cost_wages_eur(m: BasisbaanModel) -> float:
    """Wage cost this week."""
    return m.accounting.costs.wages


def cost_employer_eur(m: BasisbaanModel) -> float:
    """Employer cost (Thermiek BV) this week."""
    return m.accounting.costs.employer


def cost_guidance_eur(m: BasisbaanModel) -> float:
    """Guiding organisations' cost this week."""
    return m.accounting.costs.guidance


def cost_coaches_eur(m: BasisbaanModel) -> float:
    """Municipal coaches' cost this week."""
    return m.accounting.costs.coaches


def contributions_eur(m: BasisbaanModel) -> float:
    """Contributions of work-providing parties this week."""
    return m.accounting.costs.contributions


def benefits_saved_eur(m: BasisbaanModel) -> float:
    """Benefits no longer paid this week."""
    return m.accounting.costs.benefits_saved


def supplements_eur(m: BasisbaanModel) -> float:
    """Supplements paid on top of the benefit this week (the 'supplement' design)."""
    return m.accounting.costs.supplements


def subsidies_eur(m: BasisbaanModel) -> float:
    """Subsidies received this week."""
    return m.accounting.costs.subsidies


def binding_constraint(m: BasisbaanModel) -> str:
    """What held starts back this week: ceiling, budget, tasks, coaches or candidates."""
    return m.binding_constraint


def employed_by_wijk(m: BasisbaanModel) -> tuple[int, ...]:
    """Participants per area, in the order of the parameters' areas."""
    return tuple(m.people.employed_by_wijk.tolist())


OUTCOMES: dict[str, Callable[[BasisbaanModel], object]] = {
    f.__name__: f
    for f in (
        employed,
        employed_permanent,
        employed_women,
        in_intake,
        waiting_for_tasks,
        spoken_cum,
        started_cum,
        rejected_paid_work_cum,
        rejected_health_cum,
        rejected_volunteering_cum,
        rejected_other_cum,
        exited_cum,
        exit_regular_job_cum,
        exit_sheltered_work_cum,
        exit_retirement_cum,
        exit_death_cum,
        exit_self_employed_cum,
        exit_quit_cum,
        hours_worked,
        guidance_hours,
        sick_absence_rate,
        cost_gross_eur,
        cost_net_eur,
        binding_constraint,
        # Beyond the contract columns: the funnel, the levers, composition and costs.
        eligible,
        referred_cum,
        waiting_for_intake,
        selected_waiting,
        job_ceiling,
        intake_coaches,
        tasks_total,
        tasks_free,
        contract_hours,
        no_absence_share,
        employed_single_parents,
        employed_couples,
        employed_45_plus,
        cost_wages_eur,
        cost_employer_eur,
        cost_guidance_eur,
        cost_coaches_eur,
        contributions_eur,
        benefits_saved_eur,
        subsidies_eur,
        # The growth mechanisms: the target, the capacity built, the pool of candidates.
        job_target,
        task_collection,
        willing_pool,
        # The designs of the 2022 letter.
        exit_end_of_term_cum,
        supplements_eur,
    )
}


class WeeklyRecord:
    """The weekly time series of one run: a row of every outcome after each step.

    It does what ``mesa.DataCollector(model_reporters=OUTCOMES)`` does, without the
    deep copy of every value that DataCollector makes, which took 40% of a run
    (written for speed; the values here are immutable numbers and strings).

    Args:
        outcomes: the outcomes recorded, by name (default: all of :data:`OUTCOMES`).
            A calibration records only what its targets read: the reporters only read
            the model, so the run is the same, and a run to 2023 is cheaper (written
            for speed).
        by_wijk: record the employed per wijk each week.

    Raises:
        ValueError: an outcome that is not in :data:`OUTCOMES`.
    """

    def __init__(self, outcomes: Iterable[str] | None = None, *, by_wijk: bool = True) -> None:
        self.names = tuple(OUTCOMES) if outcomes is None else tuple(outcomes)
        unknown = [name for name in self.names if name not in OUTCOMES]
        if unknown:
            raise ValueError(f"unknown outcomes {unknown}; known: {', '.join(OUTCOMES)}")
        self._reporters = tuple(OUTCOMES[name] for name in self.names)
        self._by_wijk = by_wijk
        self.rows: list[tuple[object, ...]] = []
        self.by_wijk: list[tuple[int, ...]] = []

    def collect(self, model: BasisbaanModel) -> None:
        """Append this week's row."""
        self.rows.append(tuple([report(model) for report in self._reporters]))
        if self._by_wijk:
            self.by_wijk.append(employed_by_wijk(model))

    def column(self, name: str) -> np.ndarray:
        """One numeric outcome's weekly values, as floats."""
        i = self.names.index(name)
        return np.array([row[i] for row in self.rows], float)

    def frame(self, leading: dict[str, object] | None = None) -> pd.DataFrame:
        """The rows as a DataFrame, one column per outcome, index = week.

        ``leading`` columns (such as the date and the seed) come first, in one
        construction with the outcomes (written for speed: inserting them afterwards
        moved every column again).
        """
        # Column by column: numbers through numpy, labels as lists, which gives the
        # dtypes ``DataFrame.from_records`` infers at a fifth of its cost (written for
        # speed: from_records converts every value through an object array).
        columns = zip(*self.rows, strict=True)
        return pd.DataFrame(
            {
                **(leading or {}),
                **{
                    name: np.array(values) if isinstance(values[0], int | float) else list(values)
                    for name, values in zip(self.names, columns, strict=True)
                },
            }
        )
