"""The README's code blocks work as written: every block runs (at tiny sizes) in a test.

:func:`test_every_code_block_of_the_readme_is_tested` fails when a block is added or
changed without a test here, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import _parser, main
from sim.experiment import load_experiment, parse_experiment
from sim.runner import run_experiment

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TINY = ["--replications", "1", "--until", "2020-03-15"]


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def indented() -> list[str]:
    """The indented blocks (four spaces, after a blank line), outside fenced blocks."""
    text = re.sub(r"```.*?```", "", README, flags=re.S)
    blocks = re.findall(r"(?:^|\n)\n((?:    .*\n|\n(?=    ))+)", text)
    return [re.sub(r"^    ", "", block, flags=re.M).strip("\n") for block in blocks]


SETUP_AND_RUN = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/basisbaan run"
CI = "bash .ci/run"
ERROR_LINE = (
    "basisbaan: my_experiment.toml: key 'scenarios.faster.covid_factor': Input should be less "
    "than or equal to 1 (got 1.5)"
)


def test_every_code_block_of_the_readme_is_tested():
    (synopsis,) = [block for block in indented() if block.startswith("basisbaan run [CONFIG]")]
    assert indented() == [SETUP_AND_RUN, CI, synopsis, ERROR_LINE]
    assert len(fenced("python")) == 2
    assert len(fenced("toml")) == 1
    assert len(re.findall(r"```", README)) == 2 * 3, "a fenced block without a test"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_setup_and_run_command_writes_what_the_readme_lists(in_tmp, capsys):
    """`.venv/bin/basisbaan run` (tiny): the files the paragraph after it promises."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["basisbaan"] == "sim.cli:main"
    assert main(["run", *TINY, "--workers", "1"]) == 0
    out = in_tmp / "results" / "baseline"
    promised = re.search(
        r"The first writes `results/baseline/`:(.*?)For the calibrated", README, re.S
    )
    assert promised is not None
    names = re.findall(r"`([\w./*]+)`", promised.group(1))
    assert {"timeseries.parquet", "summary.csv", "index.jsonl", "report.html"} <= set(names)
    for name in names:
        found = list(out.glob(name))
        assert found, f"the README promises {name}"
    assert len(list(out.glob("figures/*.png"))) == 6
    assert "-> results/baseline" in capsys.readouterr().out


def test_the_ci_command_runs_the_linters_and_the_tests():
    script = (ROOT / ".ci" / "run").read_text()
    for command in ("ruff check sim tests scripts", "ruff format --check", "mypy sim", "pytest"):
        assert command in script


def test_the_command_synopsis_lists_every_option_of_every_command():
    (synopsis,) = [block for block in indented() if block.startswith("basisbaan run [CONFIG]")]
    documented: dict[str, set[str]] = {}
    for command, rest in re.findall(r"^basisbaan (\w+)(.*(?:\n +[^b].*)*)", synopsis, re.M):
        documented[command] = set(re.findall(r"--[\w-]+", rest))
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(documented) == set(commands)
    for command, parser in commands.items():
        options = {o for o in parser._option_string_actions if o.startswith("--")}
        # --help and --debug are every command's, and said in the text.
        assert documented[command] == options - {"--help", "--debug"}, command
    assert "Every command\ntakes `--debug`" in README


def test_the_error_example_is_what_the_command_prints(in_tmp, capsys):
    (example,) = fenced("toml")
    shutil.copy(ROOT / "experiments" / "baseline.toml", in_tmp / "baseline.toml")
    faulty = example.replace("[scenarios.faster]\n", "[scenarios.faster]\ncovid_factor = 1.5\n", 1)
    (in_tmp / "my_experiment.toml").write_text(faulty)
    assert main(["run", "my_experiment.toml"]) == 2
    assert capsys.readouterr().err == ERROR_LINE + "\n"
    assert not (in_tmp / "results").exists()


def test_the_complete_experiment_example_runs_with_its_figures_and_report(in_tmp, capsys):
    """The example as written, at one replicate for two weeks: every run, summary.csv, the
    six figures and a report with every section (no column missing)."""
    (example,) = fenced("toml")
    shutil.copy(ROOT / "experiments" / "baseline.toml", in_tmp / "baseline.toml")
    (in_tmp / "my_experiment.toml").write_text(example)
    experiment = load_experiment("my_experiment.toml")
    assert set(experiment.scenarios) == {"announced", "more_coaches", "faster"}
    assert experiment.params("more_coaches").intake_coaches == {2020: 2.0, 2025: 6.0, 2027: 10.0}
    assert len(experiment.samples) == 16
    assert main(["run", "my_experiment.toml", *TINY, "--workers", "1"]) == 0
    out = in_tmp / "results" / "my_experiment"
    summary = pd.read_csv(out / "summary.csv")
    assert summary.groupby(["scenario", "sample"]).ngroups == 3 * 16
    assert len(list((out / "figures").glob("*.png"))) == 6
    report = (out / "report.html").read_text()
    assert "Not available" not in report
    assert "48 runs in" in capsys.readouterr().out


def test_the_python_example_runs():
    code = fenced("python")[0].replace('until="2030-12-31"', 'until="2022-12-31"')
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["model"].steps == 52
    assert namespace["faster"].ceiling_growth_per_year == {2020: 100.0}


def test_the_reading_example_runs_on_the_growth_scenarios(in_tmp):
    code = fenced("python")[1]
    growth = load_experiment(ROOT / "experiments" / "growth_scenarios.toml")
    growth = growth.with_settings(replicates=2, until="2020-06-30")
    run_experiment(growth, in_tmp / "results" / "growth_scenarios", workers=1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    ts, years = namespace["ts"], namespace["years"]
    assert ts.groupby(["scenario", "replicate"]).ngroups == len(growth.scenarios) * 2
    assert set(years["year"]) == {2020}


def test_the_example_parses_without_a_file_too():
    (example,) = fenced("toml")
    experiment = parse_experiment(
        tomllib.loads(example), source="README.md", base_dir=ROOT / "experiments"
    )
    assert experiment.outputs == ("employed", "cost_net_eur", "binding_constraint")
    assert {"employed", "job_ceiling", "cost_net_eur"} <= set(experiment.columns)
