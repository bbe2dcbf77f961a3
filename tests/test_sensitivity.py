"""Sensitivity analyses (sim.sensitivity, sim.analysis): SALib through the project's pipeline.

Known answers as SALib tests them: the Ishigami function's Sobol' indices against their
analytic values, and Morris ranking a parameter with no effect last, both through the
same design -> per-point means -> analysis path the runner's analyses take. Then the
real model, the experiment files (bad input exits 2 before anything is written) and
the shipped files with tiny sizes.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import write_analysis
from sim.cli import main
from sim.experiment import load_experiment, parse_experiment
from sim.outputs import COLUMN_PREFIX
from sim.report import build_report
from sim.runner import run_experiment
from sim.sensitivity import Problem, Sensitivity, analyse, point_means, ranking

ROOT = Path(__file__).resolve().parents[1]
GROWTH = ROOT / "experiments" / "growth_scenarios.toml"

# Ishigami (1990), a = 7, b = 0.1, inputs uniform on [-pi, pi]: the analytic indices
# SALib's own tests use.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def _runs(design: np.ndarray, model, name: str, replicates: int = 3) -> pd.DataFrame:
    """The runs table an experiment of ``model`` would write: every point with each
    replicate's noise, the same noise at every point (common random numbers)."""
    noise = np.random.default_rng(5).normal(size=replicates)
    values = model(design)
    return pd.DataFrame(
        {
            "sample": np.repeat(np.arange(len(design)), replicates),
            "replicate": np.tile(np.arange(replicates), len(design)),
            f"{COLUMN_PREFIX}{name}": np.repeat(values, replicates) + np.tile(noise, len(design)),
        }
    )


def test_sobol_indices_of_ishigami_match_the_analytic_values():
    problem = Problem(("x1", "x2", "x3"), ((-math.pi, math.pi),) * 3)
    analysis = Sensitivity("sobol", problem, ("ishigami",), seed=11, samples=1024)
    design = analysis.design()
    assert design.shape == (analysis.points, 3) == (1024 * 5, 3)
    means = point_means(_runs(design, ishigami, "ishigami"), analysis.outputs, analysis.points)
    table = analyse(analysis, means).set_index("parameter")
    np.testing.assert_allclose(table["S1"], ISHIGAMI_S1, atol=0.05)
    np.testing.assert_allclose(table["ST"], ISHIGAMI_ST, atol=0.05)
    assert (table["S1_conf"] > 0).all()
    assert (table["ST_conf"] < 0.1).all()
    assert list(ranking(table.reset_index(), "ishigami")["parameter"]) == ["x1", "x2", "x3"]


def test_sobol_second_order_rows_name_each_pair():
    problem = Problem(("x1", "x2", "x3"), ((-math.pi, math.pi),) * 3)
    analysis = Sensitivity("sobol", problem, ("ishigami",), seed=3, samples=512, second_order=True)
    design = analysis.design()
    assert len(design) == 512 * 8
    means = point_means(_runs(design, ishigami, "ishigami"), analysis.outputs, analysis.points)
    table = analyse(analysis, means)
    pairs = table[table["other"].notna()].set_index(["parameter", "other"])
    assert len(pairs) == 3
    # Ishigami's only interaction is x1 with x3 (0.2437 - 0 in ST of x3).
    assert pairs.loc[("x1", "x3"), "S2"] == pytest.approx(0.2437, abs=0.1)
    assert abs(pairs.loc[("x1", "x2"), "S2"]) < 0.1


def test_an_output_that_never_moves_has_sobol_indices_of_zero():
    problem = Problem(("a", "b"), ((0.0, 1.0), (0.0, 1.0)))
    analysis = Sensitivity("sobol", problem, ("flat",), seed=1, samples=64)
    design = analysis.design()
    means = point_means(
        _runs(design, lambda x: np.zeros(len(x)), "flat", 1), ("flat",), len(design)
    )
    table = analyse(analysis, means)
    assert (table[["S1", "ST", "S1_conf", "ST_conf"]] == 0).all().all()


def test_morris_ranks_a_parameter_with_no_effect_last():
    problem = Problem(("x1", "x2", "x3", "dummy"), ((-math.pi, math.pi),) * 4)
    analysis = Sensitivity("morris", problem, ("ishigami",), seed=2, trajectories=20)
    design = analysis.design()
    assert design.shape == (20 * 5, 4)
    means = point_means(_runs(design, ishigami, "ishigami"), analysis.outputs, analysis.points)
    order = ranking(analyse(analysis, means), "ishigami")
    assert order["parameter"].iloc[-1] == "dummy"
    assert order["mu_star"].iloc[-1] == 0  # common random numbers: the noise cancels exactly
    assert order["mu_star"].iloc[0] > 1


def test_an_interrupted_morris_run_is_analysed_on_its_complete_trajectories():
    problem = Problem(("x1", "x2", "x3", "dummy"), ((-math.pi, math.pi),) * 4)
    longer = Sensitivity("morris", problem, ("ishigami",), seed=2, trajectories=20)
    shorter = Sensitivity("morris", problem, ("ishigami",), seed=2, trajectories=12)
    # SALib draws trajectory after trajectory: the shorter design is the longer one's start.
    np.testing.assert_array_equal(longer.design()[: shorter.points], shorter.design())
    runs = _runs(longer.design(), ishigami, "ishigami")
    interrupted = runs[runs["sample"] < shorter.points + 3]  # a trajectory begun, not finished
    means = point_means(interrupted, shorter.outputs, shorter.points)
    assert len(means) == shorter.points
    alone = point_means(runs[runs["sample"] < shorter.points], shorter.outputs, shorter.points)
    pd.testing.assert_frame_equal(analyse(shorter, means), analyse(shorter, alone))


def test_an_incomplete_design_is_refused():
    problem = Problem(("a", "b"), ((0.0, 1.0), (0.0, 1.0)))
    analysis = Sensitivity("morris", problem, ("y",), seed=2, trajectories=4)
    runs = _runs(analysis.design(), lambda x: x[:, 0], "y", 2)
    with pytest.raises(ValueError, match="incomplete"):
        point_means(runs[runs["sample"] != 3], ("y",), analysis.points)
    with pytest.raises(ValueError, match="incomplete"):
        point_means(runs.iloc[1:], ("y",), analysis.points)


# --- the experiment files ------------------------------------------------------------------


def _morris_file(tmp_path: Path, **sensitivity) -> Path:
    table = {
        "method": '"morris"',
        "scenario": '"announced"',
        "trajectories": "2",
        "parameters": '["share_willing", "coach_hiring_weeks", "supplement_step_factor"]',
        **sensitivity,
    }
    body = "\n".join(f"{key} = {value}" for key, value in table.items() if value is not None)
    path = tmp_path / "analysis.toml"
    path.write_text(
        f'name = "tiny_morris"\nextends = "{GROWTH.as_posix()}"\nreplicates = 1\n'
        f"[sensitivity]\n{body}\n",
        encoding="utf-8",
    )
    return path


def test_a_sensitivity_table_makes_a_design_of_one_scenario_with_shared_seeds(tmp_path):
    experiment = load_experiment(_morris_file(tmp_path, replicates=None))
    assert list(experiment.scenarios) == ["announced"]
    assert experiment.sensitivity is not None
    assert len(experiment.samples) == experiment.sensitivity.points == 2 * 4
    assert experiment.columns == ("employed",)
    runs = experiment.runs()
    assert len(runs) == 8
    assert {run.seed for run in runs} == {experiment.seeds()[0]}  # common random numbers
    design = experiment.sensitivity.design()
    coach = [run.sweep_values["coach_hiring_weeks"] for run in runs]
    assert coach == [round(x) for x in design[:, 1]]  # integers rounded, as run
    assert all(13 <= c <= 52 for c in coach)


def test_the_areas_are_sampled_as_one_number_that_stands_for_their_weights(tmp_path):
    path = _morris_file(tmp_path, parameters='["areas", "share_willing"]')
    experiment = load_experiment(path)
    run = experiment.runs()[0]
    power = run.sweep_values["areas"]
    assert 0.5 <= power <= 1.5
    weights = {area.name: area.weight for area in run.overrides["areas"]}
    assert weights["Haren"] == pytest.approx(0.4**power)
    assert weights["Vinkhuizen"] == pytest.approx(1.3**power)
    assert weights["Selwerd"] == 1.0


def test_morris_on_the_model_ranks_a_parameter_of_another_design_last(tmp_path):
    experiment = load_experiment(_morris_file(tmp_path))
    out = tmp_path / "out"
    report = run_experiment(experiment, out, workers=1)
    assert report.runs_done == 8
    written = write_analysis(out, experiment, figures=False)
    assert {p.name for p in written} == {"sensitivity.csv", "analysis.json"}
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns) == [
        "method", "output", "parameter", "mu_star", "mu_star_conf", "sigma", "mu"
    ]  # fmt: skip
    assert len(table) == 6 * 3  # every default output, every parameter
    for output in table["output"].unique():
        order = ranking(table, output)
        # supplement_step_factor acts only in the 'supplement' design: no effect at all.
        assert order["parameter"].iloc[-1] == "supplement_step_factor"
        assert order["mu_star"].iloc[-1] == 0
    year = ranking(table, "year_250_reached").set_index("parameter")
    assert year.loc["coach_hiring_weeks", "mu_star"] > 0


# --- bad input: exit 2, one line, nothing written -------------------------------------------

BAD = [
    ("method", {"method": '"moris"'}, "sensitivity.method", r"did you mean 'morris'"),
    (
        "output",
        {"outputs": '["year_250"]'},
        "sensitivity.outputs",
        r"did you mean 'year_250_reached'",
    ),
    (
        "parameter",
        {"parameters": '["share_wiling", "coach_hiring_weeks"]'},
        "sensitivity.parameters",
        r"unknown parameter 'share_wiling'; did you mean 'share_willing'",
    ),
    (
        "lever",
        {"parameters": '["intake_coaches", "share_willing"]'},
        "sensitivity.parameters",
        r"'intake_coaches' has no uncertainty range: it is a policy lever",
    ),
    (
        "fixed",
        {"parameters": '["wage_cost_per_year", "share_willing"]'},
        "sensitivity.parameters",
        r"'wage_cost_per_year' has no uncertainty range: it is fixed \(a figure of record",
    ),
    (
        "power_of_two",
        {"method": '"sobol"', "trajectories": None, "samples": "100"},
        "sensitivity.samples",
        r"must be a power of two .* the nearest are 64 and 128",
    ),
    (
        "sobol_trajectories",
        {"method": '"sobol"', "samples": "64"},
        "sensitivity.trajectories",
        r"is not a setting of method 'sobol' \(use 'samples'\)",
    ),
    ("key", {"trajectory": "3"}, "sensitivity.trajectory", r"did you mean 'trajectories'"),
    ("scenario", {"scenario": '"anounced"'}, "sensitivity.scenario", r"did you mean 'announced'"),
    (
        "no_scenario",
        {"scenario": None},
        "sensitivity.scenario",
        r"an analysis studies one scenario",
    ),
    ("odd_levels", {"levels": "5"}, "sensitivity.levels", r"must be even"),
    (
        "one_parameter",
        {"parameters": '["share_willing"]'},
        "sensitivity.parameters",
        r"at least two",
    ),
]


def _exits_2(tmp_path: Path, argv: list[str], capsys, key: str, message: str) -> None:
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1, err
    assert f"key '{key}': " in err, err
    assert re.search(message, err), err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "something was written"


@pytest.mark.parametrize(
    ("change", "key", "message"), [case[1:] for case in BAD], ids=[c[0] for c in BAD]
)
def test_bad_sensitivity_tables_exit_2_before_anything_is_written(
    tmp_path, capsys, change, key, message
):
    path = _morris_file(tmp_path, **change)
    _exits_2(tmp_path, ["run", str(path), "--out", str(tmp_path / "out")], capsys, key, message)


def test_a_sensitivity_table_beside_a_sweep_exits_2(tmp_path, capsys):
    path = _morris_file(tmp_path)
    path.write_text(
        path.read_text() + '[sweep]\nmethod = "lhs"\nsamples = 4\n'
        "[sweep.parameters]\ncovid_factor = [0.4, 0.8]\n"
    )
    _exits_2(
        tmp_path, ["run", str(path), "--out", str(tmp_path / "o")], capsys, "sweep",
        r"samples its own points",
    )  # fmt: skip


def test_samples_on_the_command_line_draw_the_design_anew(tmp_path, capsys):
    experiment = load_experiment(_morris_file(tmp_path)).with_settings(samples=3)
    assert experiment.sensitivity is not None
    assert experiment.sensitivity.trajectories == 3
    assert len(experiment.samples) == 3 * 4
    sobol = _morris_file(tmp_path, method='"sobol"', trajectories=None, samples="4")
    code = main(["run", str(sobol), "--samples", "6", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "--samples: must be a power of two" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- the shipped files, with tiny sizes ---------------------------------------------------------


def _tiny(path: Path, **analysis) -> object:
    """The shipped file with one replicate, a short horizon and a small design."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.update(replicates=1, until=pd.Timestamp("2023-06-30").date())
    table = "sensitivity" if "sensitivity" in data else "discovery"
    data[table].update(analysis)
    if "sweep" in data:
        data["sweep"]["samples"] = 4
    return parse_experiment(data, source=str(path), base_dir=path.parent)


SHIPPED = {
    "sensitivity_morris": {
        "trajectories": 2,
        "outputs": ["year_250_reached", "binding_candidates"],
    },
    "sensitivity_sobol": {"samples": 2, "outputs": ["year_250_reached", "binding_tasks"]},
    "discovery": {"condition": "binding_candidates > 0.05"},
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_analyses_run_with_tiny_sizes(name, tmp_path):
    path = ROOT / "experiments" / f"{name}.toml"
    shipped = load_experiment(path)
    assert shipped.is_analysis
    assert list(shipped.scenarios) == ["announced"]
    experiment = _tiny(path, **SHIPPED[name])
    out = tmp_path / name
    report = run_experiment(experiment, out, workers=2)
    assert report.runs_done == len(experiment.samples)
    written = write_analysis(out, experiment)
    table = out / ("discovery.csv" if name == "discovery" else "sensitivity.csv")
    assert table in written
    assert (out / "report.html") in written
    dutch = build_report(out, lang="nl")
    assert 'lang="nl"' in dutch
    heading = (
        "Wanneer schiet het beleid tekort?" if name == "discovery" else "Welke aannames doen ertoe?"
    )
    assert heading in dutch
    # One replicate a point: said in words, not "1 keer".
    assert experiment.replicates == 1
    assert "elk punt draait één keer" in dutch.lower() or "elk één keer" in dutch
    assert "1 keer" not in dutch
