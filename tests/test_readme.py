"""The README's examples work as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sim.experiment import parse_experiment

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_complete_experiment_example_is_valid():
    (example,) = blocks("toml")
    experiment = parse_experiment(
        tomllib.loads(example), source="README.md", base_dir=ROOT / "experiments"
    )
    assert set(experiment.scenarios) == {"announced", "more_coaches", "faster"}
    assert experiment.params("more_coaches").intake_coaches == {2020: 2.0, 2025: 6.0, 2027: 10.0}
    assert len(experiment.samples) == 16


def test_the_python_example_runs():
    code = blocks("python")[0].replace('until="2030-12-31"', 'until="2022-12-31"')
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["model"].steps == 52


def test_the_two_commands_are_the_ones_ci_runs():
    assert ".venv/bin/basisbaan run" in README
    assert "bash .ci/run" in README
    assert "pytest" in (ROOT / ".ci" / "run").read_text()
