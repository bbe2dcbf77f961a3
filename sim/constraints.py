"""The constraints that can hold the programme's starts back, and their order.

A light module of names only, so that summaries, figures and the report can speak of
the constraints without importing the model (and Mesa).
"""

from __future__ import annotations

# When several hold in one week, the nearest to the start wins: the first listed here.
CONSTRAINTS: tuple[str, ...] = ("ceiling", "budget", "tasks", "coaches", "candidates")
