"""The constraints that hold starts back, in the order that decides a week's report."""

from __future__ import annotations

import subprocess
import sys

from sim.constraints import CONSTRAINTS


def test_the_constraints_nearest_to_the_start_come_first():
    # A week held back by several reports the first: the jobs funded, then the money,
    # then tasks, then coaches; "candidates" when nothing else held.
    assert CONSTRAINTS == ("ceiling", "budget", "tasks", "coaches", "candidates")


def test_the_names_are_importable_without_the_model():
    # Summaries, figures and the report speak of constraints without importing Mesa.
    script = "import sys, sim.constraints; print('mesa' in sys.modules, 'sim.model' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]
