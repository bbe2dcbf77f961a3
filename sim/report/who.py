"""Section 4 of the report: who takes part, and where?

Who started a basisbaan against everyone who was eligible at some time (the share of
each group), and how many participants work in each of the 14 wijken and villages,
against the counts of 1 January 2022. Tables: :func:`composition_table`,
:func:`wijk_table`; words: :data:`WORDS` and the names of the groups in
:data:`LABELS`; markup: ``templates/who.html.j2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from sim.figures.experiment import wijk_map
from sim.figures.summaries import composition_against_eligible
from sim.observed import EMPLOYED_BY_WIJK_DATE
from sim.report.context import Context, FigureBlock, Missing
from sim.report.formats import format_jobs, format_share
from sim.report.results import Results
from sim.wijken import OBSERVED_2022_01_01, WIJKEN

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "4. Who takes part, and where?",
        "intro": (
            "Who started a basisbaan, against everyone who was eligible at some time, and where "
            "participants work: in the 14 wijken and villages of the municipality."
        ),
        "fig_composition_title": "Who takes part, against who could",
        "composition_finding": (
            "{group}: {participants} of participants against {eligible} of eligible ({scenario})"
        ),
        "cap_composition": (
            "Grey: share among everyone eligible; coloured: share among participants (mean of "
            "runs, with the 90% interval over runs)."
        ),
        "composition_table": "Composition at the end of the run",
        "composition_note": (
            "Share of each group among everyone who started up to the end of the run, and among "
            "everyone eligible at some time (mean over runs; 90% interval over runs in "
            "brackets). Groups overlap: a person is in several."
        ),
        "group": "Group",
        "eligible": "eligible",
        "fig_wijk_title": "Participants per wijk on {date}",
        "wijk_finding": "{scenario}: most in {wijk} ({count}), fewest in {fewest} ({low})",
        "cap_wijk_map": (
            "Schematic map of the 14 areas, north up: median number of participants working in "
            "each area at the end of the run."
        ),
        "wijk_table": "Participants per wijk",
        "wijk_note": (
            "Per scenario: median over runs at the end of the run ({end}) and, below it, on 1 "
            "January 2022, next to the count the municipality reported on 1 January 2022 (total "
            "47)."
        ),
        "wijk": "Wijk",
        "observed_2022": "observed 1 Jan 2022",
    },
    "nl": {
        "heading": "4. Wie doet mee, en waar?",
        "intro": (
            "Wie met een basisbaan begon, tegenover iedereen die ooit tot de doelgroep hoorde, "
            "en waar deelnemers werken: in de 14 wijken en dorpen van de gemeente."
        ),
        "fig_composition_title": "Wie doet mee, tegenover wie mee kon doen",
        "composition_finding": (
            "{group}: {participants} van de deelnemers tegenover {eligible} van de doelgroep "
            "({scenario})"
        ),
        "cap_composition": (
            "Grijs: aandeel onder iedereen in de doelgroep; gekleurd: aandeel onder de "
            "deelnemers (gemiddelde van de runs, met het 90%-interval over de runs)."
        ),
        "composition_table": "Samenstelling aan het eind van de run",
        "composition_note": (
            "Aandeel van elke groep onder iedereen die tot het eind van de run startte, en onder "
            "iedereen die ooit tot de doelgroep hoorde (gemiddelde over de runs; 90%-interval "
            "over de runs tussen haakjes). Groepen overlappen: iemand valt in meerdere."
        ),
        "group": "Groep",
        "eligible": "doelgroep",
        "fig_wijk_title": "Deelnemers per wijk op {date}",
        "wijk_finding": "{scenario}: de meeste in {wijk} ({count}), de minste in {fewest} ({low})",
        "cap_wijk_map": (
            "Schematische kaart van de 14 gebieden, noorden boven: mediaan aantal deelnemers dat "
            "aan het eind van de run in elk gebied werkt."
        ),
        "wijk_table": "Deelnemers per wijk",
        "wijk_note": (
            "Per scenario: mediaan over de runs aan het eind van de run ({end}) en daaronder op "
            "1 januari 2022, naast het aantal dat de gemeente op 1 januari 2022 meldde (totaal "
            "47)."
        ),
        "wijk": "Wijk",
        "observed_2022": "gemeld 1 jan 2022",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "women": "women",
        "aged 45+": "aged 45+",
        "aged 27-44": "aged 27–44",
        "single": "single",
        "single parent": "single parents",
        "couple": "couples",
        "debts": "with debts",
    },
    "nl": {
        "women": "vrouwen",
        "aged 45+": "45 jaar en ouder",
        "aged 27-44": "27–44 jaar",
        "single": "alleenstaanden",
        "single parent": "alleenstaande ouders",
        "couple": "samenwonenden en gehuwden",
        "debts": "met schulden",
    },
}


@dataclass(frozen=True)
class Composition:
    """Who takes part against who could.

    Attributes:
        eligible: group -> its share among everyone eligible at some time (mean over
            runs), in the order the groups are recorded.
        participants: a row per scenario and group: ``scenario``, ``group``, ``mean``,
            ``low``, ``high`` (the group's share among everyone who started: mean, 5th
            and 95th percentile over runs).
    """

    eligible: pd.Series
    participants: pd.DataFrame


def composition_table(results: Results) -> Composition:
    """The composition of participants against the eligible pool (samples pooled)."""
    comp = results.composition
    groups = list(dict.fromkeys(comp["group"]))
    eligible = comp.groupby("group")["eligible_share"].mean().reindex(groups)
    stats = (
        comp.groupby(["scenario", "group"])["participant_share"]
        .agg(mean="mean", low=lambda x: x.quantile(0.05), high=lambda x: x.quantile(0.95))
        .reset_index()
    )
    stats = stats[stats["scenario"].isin(results.scenarios)].reset_index(drop=True)
    return Composition(eligible, stats)


def area_names(results: Results) -> list[str]:
    """The municipality's areas in their order (Groningen's for older results)."""
    areas = results.areas
    return [area.name for area in areas] if areas else list(WIJKEN)


def wijk_table(results: Results) -> pd.DataFrame:
    """Participants working in each wijk: the median over runs, per scenario.

    Returns:
        A row per area of the municipality and scenario: ``wijk``, ``observed`` (for
        Groningen, the count of 1 January 2022; NaN elsewhere), ``scenario``, ``end``
        (at the end of the run) and ``early`` (in the last week up to 1 January 2022;
        NaN when the runs do not cover that day or are not Groningen's).
    """
    by_wijk = results.by_wijk
    end = by_wijk["date"].max()
    at_end = by_wijk[by_wijk["date"] == end].groupby(["scenario", "wijk"])["employed"].median()
    observed_day = pd.Timestamp(EMPLOYED_BY_WIJK_DATE)
    early = by_wijk[by_wijk["date"] <= observed_day]
    at_2022 = pd.Series(dtype=float)
    observed = OBSERVED_2022_01_01 if results.is_groningen else {}
    if observed and len(early) and by_wijk["date"].min() <= observed_day <= end:
        day = early["date"].max()
        at_2022 = early[early["date"] == day].groupby(["scenario", "wijk"])["employed"].median()
    rows = [
        {
            "wijk": wijk,
            "observed": observed.get(wijk, float("nan")),
            "scenario": s,
            "end": float(at_end.get((s, wijk), float("nan"))),
            "early": float(at_2022.get((s, wijk), float("nan"))),
        }
        for wijk in area_names(results)
        for s in results.scenarios
    ]
    return pd.DataFrame(rows, columns=["wijk", "observed", "scenario", "end", "early"])


def wijk_map_figure(ctx: Context, wijken: pd.DataFrame | None = None) -> FigureBlock | Missing:
    """Participants per wijk at the end, titled with the busiest and quietest wijk.

    Args:
        ctx: the report's context.
        wijken: :func:`wijk_table`, when already computed.
    """
    r = ctx.results
    w = ctx.words(WORDS)
    wijken = wijk_table(r) if wijken is None else wijken
    end = pd.Timestamp(r.by_wijk["date"].max())
    wijk_findings = []
    for s in ctx.scenarios:
        at_end = wijken[(wijken["scenario"] == s) & wijken["end"].notna()]
        if len(at_end):
            # Alphabetical, so that a tie names the first wijk by name.
            at_end = at_end.sort_values("wijk", kind="stable").set_index("wijk")["end"]
            wijk_findings.append(
                w["wijk_finding"].format(
                    scenario=s,
                    wijk=at_end.idxmax(),
                    count=format_jobs(float(at_end.max()), ctx.lang),
                    fewest=at_end.idxmin(),
                    low=format_jobs(float(at_end.min()), ctx.lang),
                )
            )
    return ctx.figure(
        "wijk_map",
        w["fig_wijk_title"].format(date=end.date().isoformat()),
        wijk_findings,
        lambda: wijk_map(r.by_wijk, lang=ctx.lang, areas=r.areas),
        w["cap_wijk_map"],
    )


def section(ctx: Context) -> Markup:
    """Section 4 as HTML."""
    r = ctx.results
    w = ctx.words(WORDS)
    labels = LABELS[ctx.lang]
    composition = composition_table(r)
    eligible, stats = composition.eligible, composition.participants
    first = ctx.scenarios[0]
    mine = stats[stats["scenario"] == first].set_index("group")["mean"]
    gaps = (mine - eligible).dropna()
    # The groups furthest under- and over-represented in the first scenario.
    findings = [
        w["composition_finding"].format(
            group=labels.get(group, group),
            participants=format_share(float(mine[group]), ctx.lang),
            eligible=format_share(float(eligible[group]), ctx.lang),
            scenario=first,
        )
        for group in dict.fromkeys([gaps.idxmin(), gaps.idxmax()] if len(gaps) else [])
    ]
    chart = stats.assign(group=stats["group"].map(lambda g: labels.get(g, g)))
    chart["scenario"] = pd.Categorical(chart["scenario"], ctx.scenarios)
    chart = chart.sort_values("scenario").astype({"scenario": str})
    composition_figure = ctx.figure(
        "composition",
        w["fig_composition_title"],
        findings,
        lambda: composition_against_eligible(
            chart,
            pd.Series(eligible.to_numpy(), index=[labels.get(g, g) for g in eligible.index]),
            ctx.colours,
            title="",
            lang=ctx.lang,
        ),
        w["cap_composition"],
    )
    wijken = wijk_table(r)
    wijk_figure = wijk_map_figure(ctx, wijken)
    return ctx.render(
        "who.html.j2",
        w,
        LABELS,
        composition_figure=composition_figure,
        eligible=eligible.to_dict(),
        participants=stats.set_index(["scenario", "group"]).to_dict("index"),
        wijk_figure=wijk_figure,
        wijken=area_names(r),
        observed=OBSERVED_2022_01_01 if r.is_groningen else None,
        at_wijk=wijken.set_index(["wijk", "scenario"]).to_dict("index"),
        early=bool(wijken["early"].notna().any()),
    )
