"""Every figure of the project, in one place, drawn in the language asked for.

- :mod:`sim.figures.experiment`: the figures of every run (jobs filled, the intake
  funnel, cost per year, cumulative net cost, binding constraints, the wijk map) and
  :func:`save_figures`, which writes them as PNG files;
- :mod:`sim.figures.summaries`: figures of tables the report has summarised (reaching
  250, who pays, who takes part, net cost against a budget);
- :mod:`sim.figures.calibration`: the calibration's figures and the report's
  predictive check;
- :mod:`sim.figures.labels`: their words in English and Dutch;
- :mod:`sim.figures.style`: size, scenario colours and titles, shared by all.

Every figure function takes ``lang`` and returns a :class:`matplotlib.figure.Figure`
built without pyplot.
"""

from __future__ import annotations

from sim.figures.experiment import (
    FIGURES,
    binding_constraints,
    cost_per_year,
    cumulative_net_cost,
    employed_fan,
    intake_funnel,
    save_figures,
    wijk_map,
)
from sim.figures.labels import LANGUAGES, labels
from sim.figures.style import DPI, PALETTE, WIDTH, scenario_colours

__all__ = [
    "DPI",
    "FIGURES",
    "LANGUAGES",
    "PALETTE",
    "WIDTH",
    "binding_constraints",
    "cost_per_year",
    "cumulative_net_cost",
    "employed_fan",
    "intake_funnel",
    "labels",
    "save_figures",
    "scenario_colours",
    "wijk_map",
]
