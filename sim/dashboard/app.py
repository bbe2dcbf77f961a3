"""The dashboard's pages (Solara): "what if?" and one run up close.

The "what if?" page puts the levers (:mod:`sim.dashboard.levers`) in the sidebar and
the answers (:mod:`sim.dashboard.answers`) beside them. Every change of a valid lever
starts a comparison (:func:`compute`, a Solara task in a thread) that streams posterior
draws from the worker processes (:class:`sim.dashboard.compute.Engine`); starting it
again cancels the stale one. The draws finished so far are drawn every
:data:`REDRAW_SECONDS` in another task, so the page stays responsive and the answers
sharpen while the policy maker watches. The page reads no code or configuration from
the browser: only the values of its inputs, each checked against the registry.

The up-close page (:mod:`sim.dashboard.up_close`) shows one run of the chosen levers in
Mesa's SolaraViz.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import time
from pathlib import Path
from typing import Any

import solara
import solara.lab

from sim.calibration.fit import load_posterior
from sim.config.locations import GROWTH_SCENARIOS, config_file
from sim.dashboard import answers as answering
from sim.dashboard.compute import Comparison, Engine, comparison_experiment
from sim.dashboard.levers import (
    ANNOUNCED,
    LEVER_YEARS,
    TARGET_YEARS,
    Levers,
    experiment_text,
    lever_errors,
    levers_of,
    overrides,
)
from sim.dashboard.words import LANGUAGES, WORDS
from sim.experiment import Experiment, load_experiment
from sim.params import Params
from sim.report import write_report
from sim.report.context import FigureBlock

LANG_ENV = "BASISBAAN_DASHBOARD_LANG"
OUT_ENV = "BASISBAAN_DASHBOARD_OUT"
REPORTS_URL = "/dashboard-files"  # where the server serves OUT (saved files, reports)
UNTIL = "2030-12-31"
DEFAULT_DRAWS = 40
DRAWS_RANGE = (10, 200)
REDRAW_SECONDS = 2.0

ENGINE = Engine()


@functools.cache
def policy() -> Experiment:
    """The growth scenarios the dashboard compares with, to 2030."""
    return load_experiment(config_file(None, GROWTH_SCENARIOS)).with_settings(until=UNTIL)


@functools.cache
def announced() -> Params:
    """The announced policy's parameters."""
    return policy().params(ANNOUNCED)


@functools.cache
def posterior():
    """The committed posterior of the calibration."""
    return load_posterior(None)


def warm_up() -> int:
    """Compute the announced policy's default draws into the engine's cache.

    Run when the server starts, so that the page's first answer is there at once and a
    moved lever waits only for the chosen scenario. Returns the runs computed.
    """
    experiment = comparison_experiment(policy(), {}, posterior(), DEFAULT_DRAWS)
    return sum(1 for _ in ENGINE.stream(experiment))


def out_dir() -> Path:
    """Where saved experiments and reports go."""
    return Path(os.environ.get(OUT_ENV, "results/dashboard"))


lang = solara.reactive(os.environ.get(LANG_ENV) or "nl")
levers = solara.reactive(levers_of(announced()))
draws = solara.reactive(DEFAULT_DRAWS)
progress = solara.reactive((0, 0, 0.0))  # draws done, draws wanted, seconds
snapshot: solara.Reactive[Comparison | None] = solara.reactive(None)
shown: solara.Reactive[answering.Answers | None] = solara.reactive(None)
note = solara.reactive("")
report_file: solara.Reactive[Path | None] = solara.reactive(None)


def words() -> dict[str, str]:
    """The page's words in its language."""
    return WORDS[lang.value]


def set_lever(**changes: Any) -> None:
    """Change some levers (a new comparison starts)."""
    levers.value = levers.value.replace(**changes)


def setter(name: str, cast: Any = float) -> Any:
    """A callback that sets one lever to a number typed in (an emptied field keeps it)."""

    def on_value(value: float | None) -> None:
        if value is not None:
            set_lever(**{name: cast(value)})

    return on_value


def set_year(name: str, index: int, value: float | None) -> None:
    """Change one year of a per-year lever (an emptied field keeps its value)."""
    if value is not None:
        values = list(getattr(levers.value, name))
        values[index] = float(value)
        set_lever(**{name: tuple(values)})


@solara.lab.task
def compute(experiment: Experiment) -> None:
    """Stream the comparison's draws; a newer call cancels this one."""
    comparison = Comparison(experiment)
    total = experiment.replicates
    started = time.perf_counter()
    drawn = 0.0
    progress.value = (0, total, 0.0)
    for spec, tables in ENGINE.stream(experiment, cancelled=lambda: not compute.is_current()):
        comparison.add(spec, tables)
        done = len(comparison.complete())
        now = time.perf_counter()
        if done != progress.value[0]:
            progress.value = (done, total, now - started)
        if done and (now - drawn >= REDRAW_SECONDS or done == total):
            # A copy: the page draws it in another thread while this one adds runs.
            snapshot.value = Comparison(
                experiment, {s: dict(r) for s, r in comparison.runs.items()}
            )
            drawn = now


@solara.component
def YearInputs(name: str, label: str, error: str | None, disabled: bool = False) -> None:
    """A per-year lever: an input per year of :data:`LEVER_YEARS`."""
    values = getattr(levers.value, name)
    solara.Text(label, style={"font-size": "0.85rem"})
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        for index, year in enumerate(LEVER_YEARS):
            solara.InputFloat(
                str(year),
                value=round(values[index], 2),
                on_value=functools.partial(set_year, name, index),
                disabled=disabled,
                classes=[f"lever-{name}-{year}"],
                style={"max-width": "76px"},
            )
    if error:
        solara.Error(error, dense=True, classes=[f"error-{name}"])


@solara.component
def NumberLever(
    name: str, label: str, errors: dict[str, str], disabled: bool = False, whole: bool = False
) -> None:
    """A lever that is one number, with what is wrong with it below."""
    value = getattr(levers.value, name)
    field = solara.InputInt if whole else solara.InputFloat
    field(
        label,
        value=value,
        on_value=setter(name, int if whole else float),
        disabled=disabled,
        classes=[f"lever-{name}"],
    )
    if name in errors:
        solara.Error(errors[name], dense=True, classes=[f"error-{name}"])


@solara.component
def LeverPanel(errors: dict[str, str]) -> None:
    """Every lever, grouped as the programme is run."""
    w = words()
    lv = levers.value
    start = announced().job_ceiling_experiment
    with solara.Card(w["target_heading"], margin=0):
        NumberLever("target_jobs", w["target_jobs"], errors, whole=True)
        solara.Switch(
            label=w["grow_to_target"],
            value=lv.grow_to_target,
            on_value=lambda v: set_lever(grow_to_target=v, growth_by_year=lv.growth(start)),
        )
        solara.SliderInt(
            w["target_year"],
            value=lv.target_year,
            min=TARGET_YEARS[0],
            max=TARGET_YEARS[1],
            on_value=lambda v: set_lever(target_year=int(v)),
            disabled=not lv.grow_to_target,
        )
        # A column, so that the chosen year and the help each have their own line.
        with solara.Column(gap="4px", style={"padding": "0"}):
            solara.Text(f"{w['target_year']} {lv.target_year}", classes=["target-year"])
            solara.Text(w["target_help"].format(start=start), style={"font-size": "0.8rem"})
        if lv.grow_to_target:
            _Shown(lv.replace(growth_by_year=lv.growth(start)), w["growth_by_year"])
        else:
            YearInputs("growth_by_year", w["growth_by_year"], errors.get("growth_by_year"))
    FollowingLever(
        w["coaches_heading"],
        ("coaches_follow_jobs", w["coaches_follow"]),
        ("jobs_per_coach", w["jobs_per_coach"]),
        ("coaches_by_year", w["coaches_by_year"]),
        errors,
    )
    FollowingLever(
        w["tasks_heading"],
        ("tasks_follow_jobs", w["tasks_follow"]),
        ("tasks_per_100_jobs", w["tasks_per_100"]),
        ("tasks_by_year", w["tasks_by_year"]),
        errors,
    )
    with solara.Card(w["money_heading"], margin=0):
        YearInputs(
            "contributions_by_year", w["contributions_by_year"], errors.get("contributions_by_year")
        )
        solara.Switch(
            label=w["budget_on"],
            value=lv.budget_eur_per_year is not None,
            on_value=lambda v: set_lever(budget_eur_per_year=5_000_000.0 if v else None),
        )
        if lv.budget_eur_per_year is not None:
            NumberLever("budget_eur_per_year", w["budget"], errors)
        YearInputs("subsidies_by_year", w["subsidies_by_year"], errors.get("subsidies_by_year"))
    with solara.Card(w["draws"], margin=0):
        solara.SliderInt(
            w["draws"],
            value=draws.value,
            min=DRAWS_RANGE[0],
            max=DRAWS_RANGE[1],
            step=10,
            on_value=draws.set,
        )
        solara.Text(f"{w['draws']}: {draws.value}")
        solara.Text(w["draws_help"], style={"font-size": "0.8rem"})


@solara.component
def FollowingLever(
    heading: str,
    follow: tuple[str, str],
    rate: tuple[str, str],
    by_year: tuple[str, str],
    errors: dict[str, str],
) -> None:
    """Capacity that follows the jobs funded at a rate, or a schedule by year.

    Each of ``follow``, ``rate`` and ``by_year`` is the lever's name and its label.
    """
    lv = levers.value
    following = bool(getattr(lv, follow[0]))
    with solara.Card(heading, margin=0):
        solara.Switch(
            label=follow[1],
            value=following,
            on_value=lambda v: set_lever(**{follow[0]: v}),
        )
        NumberLever(rate[0], rate[1], errors, disabled=not following)
        YearInputs(by_year[0], by_year[1], errors.get(by_year[0]))


@solara.component
def _Shown(lv: Levers, label: str) -> None:
    """The jobs added per year that the even growth gives (read only)."""
    solara.Text(label, style={"font-size": "0.85rem"})
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        for year, value in zip(LEVER_YEARS, lv.growth_by_year, strict=True):
            solara.InputFloat(
                str(year),
                value=round(value, 1),
                disabled=True,
                classes=[f"lever-growth_by_year-{year}"],
                style={"max-width": "76px"},
            )


def save_experiment(chosen: dict[str, Any]) -> Path:
    """Write the chosen levers as an experiment file; returns its path."""
    stamp = dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    name = f"dashboard_{stamp}"
    path = out_dir() / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(experiment_text(name, policy(), chosen, draws.value), encoding="utf-8")
    return path


@solara.lab.task
def open_report(comparison: Comparison, language: str) -> None:
    """Write the comparison's results directory and its report (in a thread), then say where."""
    stamp = dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    directory = comparison.write(out_dir() / f"report_{stamp}")
    path = write_report(directory, lang=language)
    note.value = WORDS[language]["report_written"].format(path=path)
    report_file.value = path


@solara.component
def Status(errors: dict[str, str]) -> None:
    """Progress of the comparison, or what to correct."""
    w = words()
    if errors:
        solara.Error(w["fix_levers"], classes=["status-errors"])
        if "scenario" in errors:
            solara.Error(errors["scenario"], classes=["error-scenario"])
        return
    done, total, seconds = progress.value
    if total and done < total:
        solara.ProgressLinear(100 * done / total)
        solara.Text(w["computing"].format(done=done, total=total), classes=["status-computing"])
    elif total:
        solara.Text(
            w["done"].format(total=total, seconds=f"{seconds:.1f}"), classes=["status-done"]
        )


@solara.component
def Block(block: Any) -> None:
    """One answer: its heading, its findings, the figure."""
    if not isinstance(block, FigureBlock):
        solara.Warning(block.note)
        return
    heading, *_ = block.alt.split("; ")
    with solara.Card(heading, margin=0, classes=[f"answer-{block.key}"]):
        for line in block.findings:
            solara.Text(line, classes=["finding"], style={"display": "block"})
        solara.HTML(
            tag="img",
            attributes={
                "src": f"data:image/png;base64,{block.png}",
                "alt": block.alt,
                "data-figure": block.key,
                "style": "max-width: 100%;",
            },
        )
        solara.Text(block.caption, style={"font-size": "0.8rem", "color": "#555"})


@solara.lab.task
def draw(comparison: Comparison, language: str, everything: bool) -> None:
    """Draw the answers of the draws so far, block by block; a newer call stops this one.

    While draws still arrive only the first blocks are drawn, so the workers keep the
    processor; at the end (and on a change of language) every block.
    """
    ctx, answers = answering.numbers(comparison, language)
    old = shown.value
    if old is not None and old.blocks:
        answers = dataclasses.replace(answers, blocks=dict(old.blocks))
    shown.value = answers
    blocks = answering.BLOCKS if everything else answering.BLOCKS[: answering.FIRST]
    for block in blocks:
        if not draw.is_current():
            return
        figure = block(ctx)
        answers = dataclasses.replace(answers, blocks={**answers.blocks, block.__name__: figure})
        if draw.is_current():
            shown.value = answers


@solara.component
def AnswersView() -> None:
    """The answers for the draws finished so far."""
    w = words()
    current = snapshot.value
    language = lang.value

    def start() -> None:
        if current is not None:
            draw(current, language, len(current.complete()) == current.draws)

    solara.use_effect(start, [id(current), language])
    answers = shown.value
    if answers is None:
        solara.ProgressLinear(True)
        return
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, chance in answers.chances.items():
            with solara.Card(margin=0, classes=["chance"]):
                solara.Text(
                    w["chance"].format(year=answers.year) + f" ({name})",
                    style={"font-size": "0.85rem"},
                )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"{round(100 * chance)}%",
                    attributes={"data-scenario": name, "data-chance": repr(chance)},
                    style="font-size: 2rem; font-weight: bold;",
                )
    with solara.Card(w["difference_heading"], margin=0):
        solara.Text(answers.difference, classes=["difference"])
    for block in answering.BLOCKS:
        if block.__name__ in answers.blocks:
            Block(answers.blocks[block.__name__])


@solara.component
def Actions(chosen: dict[str, Any], valid: bool) -> None:
    """Save as experiment, open the report."""
    w = words()
    done, total, _ = progress.value
    current = snapshot.value

    def save() -> None:
        path = save_experiment(chosen)
        note.value = w["saved"].format(path=path)

    def report() -> None:
        if current is None or len(current.complete()) < current.draws:
            note.value = w["report_wait"]
            return
        note.value = ""
        report_file.value = None
        open_report(current, lang.value)

    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.Button(
            w["reset"], on_click=lambda: levers.set(levers_of(announced())), outlined=True
        )
        solara.Button(w["save"], on_click=save, disabled=not valid, classes=["save-experiment"])
        solara.Button(
            w["report"],
            on_click=report,
            disabled=not valid or not total or done < total or open_report.pending,
            classes=["open-report"],
        )
    if open_report.pending:
        solara.ProgressLinear(True)
    if note.value:
        solara.Info(note.value, classes=["note"])
    if report_file.value is not None:
        url = f"{REPORTS_URL}/{report_file.value.relative_to(out_dir()).as_posix()}"
        solara.HTML(
            tag="a",
            unsafe_innerHTML=w["report_link"],
            attributes={"href": url, "target": "_blank", "class": "report-link"},
        )


@solara.component
def LanguageSwitch() -> None:
    """Nederlands or English."""
    with solara.ToggleButtonsSingle(value=lang.value, on_value=lang.set, classes=["language"]):
        for code in LANGUAGES:
            solara.Button(code.upper(), value=code, classes=[f"lang-{code}"])


@solara.component
def WhatIf() -> None:
    """The "what if?" page."""
    w = words()
    lv = levers.value
    errors = lever_errors(lv, announced(), w)
    chosen = overrides(lv, announced()) if not errors else {}
    key = json.dumps(chosen, sort_keys=True, default=str) if not errors else ""

    def start() -> None:
        if key:
            experiment = comparison_experiment(policy(), chosen, posterior(), draws.value)
            compute(experiment)
        else:
            compute.cancel()

    solara.use_effect(start, [key, draws.value])
    solara.Title(w["title"])
    with solara.AppBar():
        LanguageSwitch()
    with solara.Sidebar():
        solara.Text(w["levers"], style={"font-weight": "bold"})
        LeverPanel(errors)
    with solara.Column():
        solara.Text(w["subtitle"])
        Status(errors)
        Actions(chosen, not errors)
        AnswersView()


@solara.component
def UpClosePage() -> None:
    """One run up close (imported here so the first page does not wait for it)."""
    from sim.dashboard.up_close import UpClose

    UpClose()


routes = [
    solara.Route(path="/", component=WhatIf, label="Wat als? / What if?"),
    solara.Route(path="run", component=UpClosePage, label="Eén run / One run"),
]
