"""One run up close: Mesa's SolaraViz stepping one run of the chosen levers week by week.

The run is draw k of the dashboard's comparison in the chosen scenario: the same
parameters and seed as in the answers (:class:`UpCloseModel`, a
:class:`~sim.model.BasisbaanModel` that SolaraViz can make anew with another draw).
Beside the controls: the week in one sentence, participants per wijk on the map, the
intake funnel, the queues, and what held starts back week by week. The figures are
the project's (:mod:`sim.figures`), except the queues, drawn here. Mesa's command
console, which would run Python typed in the browser, is not offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.user_param import Slider

from sim.dashboard import app
from sim.dashboard.levers import CHOSEN, overrides
from sim.dashboard.words import WORDS
from sim.figures import binding_constraints, intake_funnel, wijk_map
from sim.figures.style import new_figure
from sim.model import BasisbaanModel
from sim.params import Params
from sim.report.limits import LABELS
from sim.timeline import week_dates
from sim.wijken import WIJKEN

QUEUES = ("waiting_for_intake", "in_intake", "selected_waiting", "waiting_for_tasks")
QUEUE_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7")


class UpCloseModel(BasisbaanModel):
    """Draw ``draw`` (from 1) of a comparison's scenario, with that draw's seed.

    Args:
        runs: per draw, the run's parameter overrides and seed.
        draw: which draw, from 1.
        rng: ignored (the draw's seed is used), so that SolaraViz may pass one.
    """

    def __init__(
        self, runs: Sequence[tuple[dict[str, Any], int]] = (), draw: int = 1, rng: Any = None
    ):
        overrides, seed = runs[draw - 1] if runs else ({}, 1)
        super().__init__(Params.from_mapping(overrides), rng=seed)
        self.draw = draw


def weeks(model: BasisbaanModel) -> pd.DataFrame:
    """The run's weekly table so far, dated."""
    frame = model.record.frame()
    return frame.assign(date=week_dates(len(frame)))


def queues(ts: pd.DataFrame, words: dict[str, str]) -> Figure:
    """The queues of the intake week by week: waiting, in intake, selected, waiting for tasks."""
    fig = new_figure(3.2)
    ax = fig.add_subplot()
    for column, colour in zip(QUEUES, QUEUE_COLOURS, strict=True):
        ax.plot(ts["date"], ts[column], color=colour, lw=1.6, label=words[column])
    ax.set_ylabel(words["queue_axis"])
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    ax.set_title(words["queue_title"], loc="left")
    return fig


def Week(model: BasisbaanModel) -> Any:
    """The week in one sentence."""
    words = WORDS[app.lang.value]
    constraint = LABELS[app.lang.value].get(model.binding_constraint, model.binding_constraint)
    return solara.Text(
        words["up_close_week"].format(
            date=model.date.isoformat(), employed=model.employed, constraint=constraint
        ),
        classes=["up-close-week"],
    )


def WijkMap(model: BasisbaanModel) -> Any:
    """Participants per wijk this week."""
    counts = model.record.by_wijk[-1]
    frame = pd.DataFrame(
        {"date": pd.Timestamp(model.date), "replicate": 0, "wijk": list(WIJKEN), "employed": counts}
    )
    return solara.FigureMatplotlib(wijk_map(frame, lang=app.lang.value), format="png")


def Funnel(model: BasisbaanModel) -> Any:
    """The intake funnel up to this week."""
    return solara.FigureMatplotlib(intake_funnel(weeks(model), lang=app.lang.value), format="png")


def Queues(model: BasisbaanModel) -> Any:
    """The queues week by week."""
    return solara.FigureMatplotlib(queues(weeks(model), WORDS[app.lang.value]), format="png")


def Binding(model: BasisbaanModel) -> Any:
    """What held starts back, per year so far."""
    ts = weeks(model)
    if len(ts) < 2:
        return solara.Text("")
    return solara.FigureMatplotlib(binding_constraints(ts, lang=app.lang.value), format="png")


@solara.component
def UpClose() -> None:
    """The page: SolaraViz with the chosen levers' runs, a draw at a time."""
    words = WORDS[app.lang.value]
    chosen = overrides(app.levers.value, app.announced())
    draws = app.draws.value

    def runs() -> tuple[tuple[dict[str, Any], int], ...]:
        experiment = app.comparison_experiment(app.policy(), chosen, app.posterior(), draws)
        return tuple((s.overrides, s.seed) for s in experiment.runs() if s.scenario == CHOSEN)

    planned = solara.use_memo(runs, [repr(chosen), draws])
    model = solara.use_memo(lambda: UpCloseModel(runs=planned, draw=1), [planned])
    solara.Text(words["up_close_intro"])
    SolaraViz(
        model,
        components=[(Week, 0), (WijkMap, 0), (Funnel, 0), (Queues, 0), (Binding, 0)],
        model_params={
            "runs": planned,
            "draw": Slider(words["draw"], 1, 1, len(planned), 1),
        },
        name=words["up_close"],
        play_interval=300,
    )
