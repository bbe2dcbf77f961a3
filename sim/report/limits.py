"""Section 2 of the report: what limits growth?

The intake funnel at the end of the run, which constraint held new starts back (over
the whole run and in its last year), the pool of candidates the coaches draw from and
the yield of the intake year by year, and, per scenario, the lever to pull. Tables:
:func:`funnel_table`, :func:`binding_table`, :func:`pool_table`, :func:`lever_table`;
words: :data:`WORDS`
and the names of constraints, levers and rejection reasons in :data:`LABELS`; markup:
``templates/limits.html.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from markupsafe import Markup

from sim.constraints import CONSTRAINTS
from sim.figures.experiment import binding_constraints, intake_funnel
from sim.report.context import Context, FigureBlock, Missing
from sim.report.formats import format_jobs, format_share
from sim.report.results import RUN_KEYS, Results

# Selected candidates waiting for tasks (a year's mean) from which the report points out
# that tasks held growth back, whatever constraint the weekly record names.
WAITING_FOR_TASKS_NOTE = 10
# At the target size, the ceiling holds by design once this share of it is filled.
FULL_SHARE = 0.95
# The stages of the intake as rows of the funnel table: (words, weekly column).
FUNNEL = (
    ("stage_eligible", "eligible"),
    ("stage_referred", "referred_cum"),
    ("stage_spoken", "spoken_cum"),
    ("paid_work", "rejected_paid_work_cum"),
    ("health", "rejected_health_cum"),
    ("volunteering", "rejected_volunteering_cum"),
    ("other", "rejected_other_cum"),
    ("stage_started", "started_cum"),
    ("stage_exited", "exited_cum"),
    ("stage_employed", "employed"),
)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "2. What limits growth?",
        "intro": (
            "Every week the model records which constraint held new starts back: too few "
            "candidates, too few intake coaches, too few tasks in the wijken, the jobs "
            "jobs funded or the budget. The one that holds most often is the lever to pull."
        ),
        "fig_funnel_title": "Instroom: how many of those spoken to start",
        "funnel_finding": "{scenario}: {started} of {spoken} spoken to started ({share})",
        "cap_intake_funnel": (
            "Median of the runs at the end of the run; paler bars: candidates who dropped "
            "out during the intake conversations, by reason."
        ),
        "funnel_table": "Instroom at the end of the run ({end})",
        "funnel_note": (
            "Median over runs. Eligible: people on bijstand who meet the criteria and have "
            "not been referred (at the end). Rejected: dropped out during the intake "
            "conversations, by reason."
        ),
        "stage": "Stage",
        "stage_eligible": "eligible, not referred",
        "stage_referred": "referred",
        "stage_spoken": "spoken to (intake conversations)",
        "stage_rejected": "rejected: {reason}",
        "stage_started": "started a basisbaan",
        "stage_exited": "uitstroom (left again)",
        "stage_employed": "in a basisbaan at the end",
        "fig_binding_title": "What held new starts back",
        "binding_finding": "{scenario}: mostly {constraint} ({share} of weeks)",
        "cap_binding_constraints": (
            "Left: share of all weeks in which each constraint held starts back; right: the "
            "same per calendar year."
        ),
        "binding_table": "Share of weeks each constraint held starts back",
        "binding_note": (
            "Whole run: from summary.csv (mean over runs). Last year: the year up to the "
            "end of the run, where the lever matters now. When several constraints hold in "
            "the same week the model records the first of: jobs funded, budget, tasks, "
            "coaches, candidates. Selected candidates who wait for tasks count against the "
            "jobs funded, so a shortage of tasks can show as the jobs funded."
        ),
        "whole_run": "whole run",
        "last_year": "last year",
        "pool_table": "The pool of candidates, and the yield of the intake",
        "pool_note": (
            "Median over runs. Pool: people on bijstand who meet the criteria, would like "
            "(more) work and have not been referred yet, on 1 January (FACTS.md: 'ruim "
            "1,200' of ~7,500 long-term households want work). Yield: of those spoken to in "
            "the year before, the share who started (pooled over runs). Coaches refer the "
            "most promising first, so the yield falls as the pool is worked."
        ),
        "new_year": "1 January",
        "pool": "pool",
        "yield": "yield",
        "lever": "Lever",
        "lever_advice": "{scenario}: in the last year mostly {constraint} — {lever}.",
        "lever_full": (
            "{scenario}: with {jobs} of {ceiling} jobs filled the programme is at its target "
            "size; the jobs funded hold by design, there is no lever to pull."
        ),
        "tasks_hidden": (
            "Note: in {year} on average {waiting} selected candidates waited for tasks, "
            "taking places among the jobs funded: tasks held growth back more than the record "
            "shows — collect more tasks in the wijken."
        ),
    },
    "nl": {
        "heading": "2. Wat remt de groei?",
        "intro": (
            "Het model houdt elke week bij wat nieuwe starters tegenhield: te weinig "
            "kandidaten, te weinig intakecoaches, te weinig taken in de wijken, de "
            "gefinancierde banen of het budget. Wat het vaakst remt, is de knop om aan te "
            "draaien."
        ),
        "fig_funnel_title": "Instroom: hoeveel gesproken kandidaten starten",
        "funnel_finding": (
            "{scenario}: {started} van {spoken} gesproken kandidaten gestart ({share})"
        ),
        "cap_intake_funnel": (
            "Mediaan van de runs aan het eind van de run; lichtere balken: kandidaten die "
            "tijdens de intakegesprekken afvielen, naar reden."
        ),
        "funnel_table": "Instroom aan het eind van de run ({end})",
        "funnel_note": (
            "Mediaan over de runs. Doelgroep: mensen in de bijstand die aan de criteria "
            "voldoen en (aan het eind) niet zijn aangemeld. Afgevallen: gestopt tijdens de "
            "intakegesprekken, naar reden."
        ),
        "stage": "Fase",
        "stage_eligible": "doelgroep, niet aangemeld",
        "stage_referred": "aangemeld",
        "stage_spoken": "gesproken (intakegesprekken)",
        "stage_rejected": "afgevallen: {reason}",
        "stage_started": "gestart in een basisbaan",
        "stage_exited": "uitstroom (weer vertrokken)",
        "stage_employed": "in een basisbaan aan het eind",
        "fig_binding_title": "Wat hield nieuwe starters tegen",
        "binding_finding": "{scenario}: vooral {constraint} ({share} van de weken)",
        "cap_binding_constraints": (
            "Links: aandeel van alle weken waarin elke beperking starters tegenhield; rechts: "
            "hetzelfde per kalenderjaar."
        ),
        "binding_table": "Aandeel weken waarin elke beperking starters tegenhield",
        "binding_note": (
            "Hele run: uit summary.csv (gemiddelde over de runs). Laatste jaar: het jaar tot "
            "het eind van de run, waar de knop nu telt. Als in dezelfde week meerdere "
            "beperkingen gelden, noteert het model de eerste van: gefinancierde banen, "
            "budget, taken, coaches, kandidaten. Geselecteerde kandidaten die op taken wachten "
            "tellen mee voor de gefinancierde banen, dus een tekort aan taken kan als de "
            "gefinancierde banen verschijnen."
        ),
        "whole_run": "hele run",
        "last_year": "laatste jaar",
        "pool_table": "De pool van kandidaten, en de opbrengst van de intake",
        "pool_note": (
            "Mediaan over de runs. Pool: mensen in de bijstand die aan de criteria voldoen, "
            "(meer) willen werken en nog niet zijn aangemeld, op 1 januari (FACTS.md: 'ruim "
            "1.200' van ~7.500 langdurige huishoudens willen werken). Opbrengst: van de "
            "gesproken kandidaten in het jaar ervoor, het aandeel dat startte (over de runs "
            "samen). Coaches melden de meest kansrijken eerst aan, dus de opbrengst daalt "
            "naarmate de pool wordt uitgeput."
        ),
        "new_year": "1 januari",
        "pool": "pool",
        "yield": "opbrengst",
        "lever": "Knop",
        "lever_advice": "{scenario}: in het laatste jaar vooral {constraint} — {lever}.",
        "lever_full": (
            "{scenario}: met {jobs} van {ceiling} banen ingevuld heeft het programma zijn "
            "beoogde omvang; de gefinancierde banen remmen zoals bedoeld, er is geen knop om "
            "aan te draaien."
        ),
        "tasks_hidden": (
            "Let op: in {year} wachtten gemiddeld {waiting} geselecteerde kandidaten op "
            "taken, op gefinancierde plaatsen: taken remden de groei meer dan de "
            "registratie laat zien — haal meer taken op in de wijken."
        ),
    },
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # constraints
        "ceiling": "the jobs funded",
        "budget": "the budget",
        "tasks": "too few tasks in the wijken",
        "coaches": "too few intake coaches",
        "candidates": "too few candidates",
        # levers
        "lever_ceiling": "fund more jobs a year",
        "lever_budget": "raise the budget",
        "lever_tasks": "collect more tasks: talk with more wijk organisations",
        "lever_coaches": "add intake coaches",
        "lever_candidates": (
            "widen the pool: reach more people who want work, or widen the criteria"
        ),
        # rejection reasons
        "paid_work": "still a prospect of paid work",
        "health": "physical limitations too great",
        "volunteering": "prefers current volunteering",
        "other": "cannot or dare not take the step",
    },
    "nl": {
        "ceiling": "de gefinancierde banen",
        "budget": "het budget",
        "tasks": "te weinig taken in de wijken",
        "coaches": "te weinig intakecoaches",
        "candidates": "te weinig kandidaten",
        "lever_ceiling": "financier meer banen per jaar",
        "lever_budget": "verhoog het budget",
        "lever_tasks": "haal meer taken op: spreek meer wijkorganisaties",
        "lever_coaches": "zet meer intakecoaches in",
        "lever_candidates": (
            "vergroot de pool: bereik meer mensen die willen werken, of verruim de criteria"
        ),
        "paid_work": "nog perspectief op betaald werk",
        "health": "fysieke beperkingen te groot",
        "volunteering": "houdt liever het huidige vrijwilligerswerk",
        "other": "kan of durft de stap niet te zetten",
    },
}


def funnel_table(results: Results) -> pd.DataFrame:
    """The intake funnel at the end of the run: the median over runs of each stage.

    Returns:
        A row per scenario (index), a column per weekly column of :data:`FUNNEL` that
        the runs kept.
    """
    ends = results.end_values([column for _, column in FUNNEL])
    stages = [c for c in ends.columns if c not in RUN_KEYS]
    return ends.groupby("scenario")[stages].median()


def binding_table(results: Results) -> pd.DataFrame:
    """The share of weeks each constraint held starts back, per scenario.

    Returns:
        A row per scenario and constraint: ``whole``, the mean over runs of the whole
        run's share (summary.csv, samples pooled; NaN without it), and ``last_year``,
        the share of the weeks of all runs in the year up to the end (NaN when the runs
        did not keep ``binding_constraint``).
    """
    ts = results.timeseries
    recent = None
    if results.has("binding_constraint"):
        weeks = ts[ts["date"] > results.end - pd.Timedelta(days=365)]
        recent = weeks.groupby("scenario")["binding_constraint"].value_counts(normalize=True)
    rows = []
    for scenario in results.scenarios:
        for constraint in CONSTRAINTS:
            whole = results.measure(f"binding_{constraint}", scenario)
            rows.append(
                {
                    "scenario": scenario,
                    "constraint": constraint,
                    "whole": float(whole["mean"]) if whole is not None else float("nan"),
                    "last_year": (
                        float(recent.get((scenario, constraint), 0.0))
                        if recent is not None
                        else float("nan")
                    ),
                }
            )
    return pd.DataFrame(rows, columns=["scenario", "constraint", "whole", "last_year"])


def pool_table(results: Results) -> pd.DataFrame:
    """The pool of willing candidates on 1 January, and the intake's yield the year before.

    Returns:
        A row per scenario and year: ``pool``, the median over runs of the willing pool
        in the last week ending on or before 1 January of ``year``, and ``yield``, of all
        people spoken to in the year before (all runs together), the share who started
        (NaN for the first year). Empty when the runs did not keep ``willing_pool``,
        ``spoken_cum`` and ``started_cum``.
    """
    columns = ["scenario", "year", "pool", "yield"]
    read = ["willing_pool", "spoken_cum", "started_cum"]
    if not results.has(*read):
        return pd.DataFrame(columns=columns)
    # Only the columns read: filtering the whole table each year copied every column
    # (written for speed).
    ts = results.timeseries[[*RUN_KEYS, "date", *read]]
    first, last = results.start.year + 1, results.end.year
    rows = []
    for year in range(first, last + 1):
        upto = ts[ts["date"] <= pd.Timestamp(year, 1, 1)]
        at_new_year = upto.groupby(RUN_KEYS, sort=False)[
            ["willing_pool", "spoken_cum", "started_cum"]
        ].last()
        year_before = ts[ts["date"] <= pd.Timestamp(year - 1, 1, 1)]
        before = year_before.groupby(RUN_KEYS, sort=False)[["spoken_cum", "started_cum"]].last()
        for scenario, mine in at_new_year.groupby(level="scenario", sort=False):
            spoken = started = float("nan")
            if len(before):
                prior = before.xs(scenario, level="scenario")
                now = mine.droplevel("scenario")
                spoken = float((now["spoken_cum"] - prior["spoken_cum"]).sum())
                started = float((now["started_cum"] - prior["started_cum"]).sum())
            rows.append(
                {
                    "scenario": scenario,
                    "year": year,
                    "pool": float(mine["willing_pool"].median()),
                    "yield": started / spoken if spoken else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def top_constraint(shares: Mapping[str, float]) -> tuple[str, float]:
    """The constraint that held most often (the first listed on a tie).

    Args:
        shares: constraint -> share of weeks; empty when nothing was recorded.

    Returns:
        The constraint and its share; ``("candidates", nan)`` without shares.
    """
    if not shares:
        return "candidates", float("nan")
    name = max(CONSTRAINTS, key=lambda c: shares.get(c, 0.0))
    return name, shares.get(name, 0.0)


def shares_of(binding: pd.DataFrame, scenario: str, column: str) -> dict[str, float]:
    """One scenario's shares from :func:`binding_table` (empty when none were recorded)."""
    mine = binding[binding["scenario"] == scenario].set_index("constraint")[column]
    return {} if mine.isna().all() else {c: float(v) for c, v in mine.items()}


def worst_year_waiting_for_tasks(results: Results) -> pd.DataFrame:
    """Per scenario, the year with most selected candidates waiting for tasks.

    The median over runs of each year's mean. Those candidates count against the jobs
    ceiling when new candidates are admitted to the intake, so a task shortage can be
    recorded as the ceiling holding starts back.

    Returns:
        Index scenario; columns ``year`` and ``waiting``. Empty when the runs did not
        keep ``waiting_for_tasks``.
    """
    if not results.has("waiting_for_tasks"):
        return pd.DataFrame(columns=["year", "waiting"])
    ts = results.timeseries
    frame = ts.assign(year=pd.to_datetime(ts["date"]).dt.year)
    yearly = frame.groupby([*RUN_KEYS, "year"])["waiting_for_tasks"].mean()
    medians = yearly.groupby(["scenario", "year"]).median()
    rows = {}
    for s in results.scenarios:
        if s in medians.index.get_level_values("scenario"):
            mine = medians.xs(s, level="scenario")
            rows[s] = {"year": int(mine.idxmax()), "waiting": float(mine.max())}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["year", "waiting"])


def lever_table(results: Results) -> pd.DataFrame:
    """Per scenario, what held starts back in the last year and whether that is by design.

    Returns:
        A row per scenario (index): ``constraint`` (most often in the last year),
        ``jobs`` and ``ceiling`` (medians over runs at the end), ``at_target`` (the
        ceiling holds because the programme has reached its target size: no lever to
        pull), and ``waiting_year`` and ``waiting`` (the year most selected
        candidates waited for tasks, and how many), with ``tasks_hidden`` when that is
        at least :data:`WAITING_FOR_TASKS_NOTE`.
    """
    funnel = funnel_table(results)
    binding = binding_table(results)
    waiting = worst_year_waiting_for_tasks(results)
    ceilings = (
        results.end_values(["job_ceiling"]).groupby("scenario")["job_ceiling"].median()
        if results.has("job_ceiling")
        else pd.Series(dtype=float)
    )
    rows = []
    for s in results.scenarios:
        name, _ = top_constraint(shares_of(binding, s, "last_year"))
        jobs = float(funnel.loc[s, "employed"]) if "employed" in funnel else float("nan")
        ceiling = float(ceilings.get(s, float("nan")))
        year, count = (
            (int(waiting.loc[s, "year"]), float(waiting.loc[s, "waiting"]))
            if s in waiting.index
            else (None, float("nan"))
        )
        rows.append(
            {
                "scenario": s,
                "constraint": name,
                "jobs": jobs,
                "ceiling": ceiling,
                "at_target": name == "ceiling"
                and ceiling >= results.target_jobs
                and jobs >= FULL_SHARE * ceiling,
                "waiting_year": year,
                "waiting": count,
                "tasks_hidden": count >= WAITING_FOR_TASKS_NOTE,
            }
        )
    return pd.DataFrame(rows).astype({"waiting_year": "Int64"}).set_index("scenario")


def binding_constraints_figure(
    ctx: Context, binding: pd.DataFrame | None = None
) -> FigureBlock | Missing:
    """What held starts back over time, titled with what held most often per scenario.

    Args:
        ctx: the report's context.
        binding: :func:`binding_table`, when already computed.
    """
    r = ctx.results
    w = ctx.words(WORDS)
    labels = LABELS[ctx.lang]
    binding = binding_table(r) if binding is None else binding
    whole = {s: top_constraint(shares_of(binding, s, "whole")) for s in ctx.scenarios}
    return ctx.figure(
        "binding_constraints",
        w["fig_binding_title"],
        [
            w["binding_finding"].format(
                scenario=s, constraint=labels.get(name, name), share=format_share(share, ctx.lang)
            )
            for s, (name, share) in whole.items()
        ],
        lambda: binding_constraints(r.timeseries, lang=ctx.lang),
        w["cap_binding_constraints"],
        ["binding_constraint"],
    )


def section(ctx: Context) -> Markup:
    """Section 2 as HTML."""
    r = ctx.results
    w = ctx.words(WORDS)
    funnel = funnel_table(r)
    findings = []
    for s in ctx.scenarios:
        if s in funnel.index and {"started_cum", "spoken_cum"} <= set(funnel.columns):
            started, spoken = (
                float(funnel.loc[s, "started_cum"]),
                float(funnel.loc[s, "spoken_cum"]),
            )
            findings.append(
                w["funnel_finding"].format(
                    scenario=s,
                    started=format_jobs(started, ctx.lang),
                    spoken=format_jobs(spoken, ctx.lang),
                    share=format_share(started / spoken if spoken else float("nan"), ctx.lang),
                )
            )
    funnel_figure = ctx.figure(
        "intake_funnel",
        w["fig_funnel_title"],
        findings,
        lambda: intake_funnel(r.timeseries, lang=ctx.lang, observed_counts=r.is_groningen),
        w["cap_intake_funnel"],
        [column for _, column in FUNNEL if column not in ("eligible", "exited_cum")],
    )
    binding = binding_table(r)
    binding_figure = binding_constraints_figure(ctx, binding)
    return ctx.render(
        "limits.html.j2",
        w,
        LABELS,
        funnel_figure=funnel_figure,
        binding_figure=binding_figure,
        stages=[(key, column) for key, column in FUNNEL if column in funnel.columns],
        funnel=funnel.to_dict("index"),
        constraints=CONSTRAINTS,
        binding=binding.set_index(["scenario", "constraint"]).to_dict("index"),
        levers=lever_table(r).to_dict("index"),
        pool=pool_table(r).set_index(["year", "scenario"]).to_dict("index"),
        pool_years=sorted(pool_table(r)["year"].unique().tolist()),
    )
