"""Experiment files: parsing, validation, runs and seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.config.errors import ConfigError
from sim.experiment import load_experiment, parse_experiment
from sim.params import Params

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "experiments").glob("*.toml"))


def test_the_three_promised_experiment_files_are_shipped():
    assert {p.stem for p in SHIPPED} >= {"baseline", "growth_scenarios", "sweep_example"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_files_parse_and_every_scenario_validates(path):
    experiment = load_experiment(path)
    for scenario in experiment.scenarios:
        for sample in range(len(experiment.samples)):
            assert isinstance(experiment.params(scenario, sample), Params)


def test_growth_scenarios_compare_the_policies_of_the_issue():
    experiment = load_experiment(ROOT / "experiments" / "growth_scenarios.toml")
    announced = experiment.params("announced")
    assert announced.ceiling_growth_per_year == {2022: 50.0}  # FACTS.md: +50 a year
    assert announced.job_ceiling_max == 250
    assert experiment.params("faster").ceiling_growth_per_year == {2020: 100.0}
    assert not experiment.params("coaches_constant").intake_coaches_follow_ceiling
    assert experiment.params("tasks_2022_pace").task_acquisition_per_week == {2020: 1.2}
    assert experiment.until.isoformat() == "2030-12-31"


def test_extends_inherits_params_seed_and_horizon(tmp_path):
    (tmp_path / "base.toml").write_text(
        "name='base'\nseed=5\nreplicates=3\nuntil=2026-12-31\n[params]\ncovid_factor=0.5\n"
    )
    (tmp_path / "child.toml").write_text(
        "name='child'\nextends='base.toml'\n[params]\nmatching_weeks=4\n[scenarios.a]\n[scenarios.b]\ncovid_factor=0.9\n"
    )
    child = load_experiment(tmp_path / "child.toml")
    assert (child.seed, child.replicates, child.until.year) == (5, 3, 2026)
    assert child.params("a").covid_factor == 0.5
    assert child.params("a").matching_weeks == 4
    assert child.params("b").covid_factor == 0.9


def test_runs_cover_scenarios_samples_and_replicates_with_shared_seeds():
    data = {
        "name": "x",
        "replicates": 3,
        "scenarios": {"a": {}, "b": {"covid_factor": 0.9}},
        "sweep": {"method": "grid", "parameters": {"matching_weeks": [1, 3]}},
    }
    experiment = parse_experiment(data, source="x.toml")
    runs = experiment.runs()
    assert len(runs) == 2 * 2 * 3
    assert len({r.key for r in runs}) == len(runs)
    # Common random numbers: replicate k has the same seed in every scenario and sample.
    for run in runs:
        assert run.seed == experiment.seeds()[run.replicate]
    assert len(set(experiment.seeds())) == 3
    assert {r.overrides["matching_weeks"] for r in runs} == {1, 3}


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_qmc_sweeps_stay_in_their_ranges_and_round_integers(method):
    data = {
        "name": "x",
        "sweep": {
            "method": method,
            "samples": 8,
            "parameters": {"covid_factor": [0.3, 0.9], "intake_slots_per_coach": [2, 9]},
        },
    }
    samples = parse_experiment(data, source="x.toml").samples
    assert len(samples) == 8
    assert all(0.3 <= s["covid_factor"] <= 0.9 for s in samples)
    assert all(isinstance(s["intake_slots_per_coach"], int) for s in samples)
    assert all(2 <= s["intake_slots_per_coach"] <= 9 for s in samples)
    # A Latin hypercube puts one sample in each of the 8 strata of every parameter.
    if method == "lhs":
        strata = sorted(int((s["covid_factor"] - 0.3) / 0.6 * 8) for s in samples)
        assert strata == list(range(8))


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"name": "x", "replicate": 3}, r"x.toml: key 'replicate': unknown key; did you mean 'replicates'\? allowed: name, description, "),
        ({"name": "x", "scenarios": {"a": {"intake_coach": 3}}}, r"x.toml: key 'scenarios.a.intake_coach': unknown key; did you mean 'intake_coaches'\? allowed: description, or a parameter name"),
        ({"name": "x", "scenarios": {"a": {"covid_factor": 2}}}, r"x.toml: key 'scenarios.a.covid_factor': .*less than or equal to 1 \(got 2\)"),
        ({"name": "x", "scenarios": {"a__b": {}}}, r"key 'scenarios.a__b': 'a__b' cannot be a file name: .*without '__'"),
        ({"name": "x", "replicates": 0}, r"key 'replicates': must be a whole number of at least 1"),
        ({"name": "x", "seed": -1}, r"key 'seed': must be a whole number of at least 0 and at most 9,223,372,036,854,775,807, got -1"),
        ({"name": "x", "until": "2099-01-01"}, r"key 'until'.*no later than"),
        ({"name": "x", "outputs": ["employd"]}, r"key 'outputs': unknown outcome 'employd'; did you mean 'employed'"),
        ({"name": "x", "sweep": {"method": "random", "parameters": {"covid_factor": [0, 1]}}}, r"key 'sweep.method': unknown sweep method 'random'; allowed: grid, lhs, sobol"),
        ({"name": "x", "sweep": {"samples": 4, "parameters": {"covid_factor": [0.9, 0.1]}}}, r"key 'sweep.parameters.covid_factor': must be \[low, high\] with low < high"),
        ({"name": "x", "sweep": {"samples": 4, "parameters": {"covid_factor": [0.5, 1.5]}}}, r"key 'sweep.parameters.covid_factor': .*less than or equal to 1"),
        ({"name": "x", "sweep": {"parameters": {"covid_factor": [0.1, 0.5]}}}, r"key 'sweep.samples': must be a whole number"),
        ({"name": "x", "sweep": {"method": "lhs", "samples": 2, "parameters": {"covid": [0.1, 0.5]}}}, r"key 'sweep.parameters.covid': unknown parameter"),
        ({"name": "a b"}, r"key 'name': 'a b' cannot be a file name: use 1 to 64 of the letters"),
        ({"name": "x", "params": {"part_time_start_hours": 32}, "scenarios": {"b": {"task_hours_max": 12}}, "sweep": {"method": "grid", "parameters": {"task_hours_min": [8, 16]}}},
         r"key 'scenarios.b.task_hours_max': task_hours_max \(12\) is below task_hours_min \(16\) \(a sweep sample in scenario 'b'\)"),
    ],
)  # fmt: skip
def test_every_validation_error_names_the_key(data, pattern):
    with pytest.raises(ConfigError, match=pattern):
        parse_experiment(data, source="x.toml")


def test_extends_a_missing_file_names_it_and_the_file_that_points_to_it(tmp_path):
    (tmp_path / "child.toml").write_text("name='c'\nextends='nowhere.toml'\n")
    with pytest.raises(ConfigError) as caught:
        load_experiment(tmp_path / "child.toml")
    assert str(caught.value) == (
        f"{tmp_path / 'child.toml'}: key 'extends': {tmp_path / 'nowhere.toml'} not found"
    )


def test_an_extends_cycle_is_shown_as_the_chain(tmp_path):
    (tmp_path / "a.toml").write_text("name='a'\nextends='b.toml'\n")
    (tmp_path / "b.toml").write_text("name='b'\nextends='a.toml'\n")
    with pytest.raises(ConfigError) as caught:
        load_experiment(tmp_path / "a.toml")
    assert str(caught.value) == (
        f"{tmp_path / 'b.toml'}: key 'extends': extends a file that extends this one: "
        "a cycle (a.toml -> b.toml -> a.toml)"
    )


def test_digest_changes_with_what_changes_the_numbers():
    a = parse_experiment({"name": "x"}, source="x.toml")
    assert (
        a.digest()
        == parse_experiment({"name": "x", "description": "prose"}, source="y.toml").digest()
    )
    assert a.digest() != a.with_settings(seed=1).digest()
    assert a.digest() != a.with_settings(replicates=2).digest()
    assert (
        a.digest()
        != parse_experiment({"name": "x", "params": {"covid_factor": 0.5}}, source="x").digest()
    )


def test_the_columns_always_kept_are_those_the_outputs_are_made_from():
    """Every weekly column the summary, figures, report or forecast name is kept in every
    run, whatever ``outputs`` says (read from their sources, wherever they move)."""
    from sim.experiment import ALWAYS_KEPT
    from sim.outcomes import OUTCOMES

    sim_dir = ROOT / "sim"
    sources = [
        *sim_dir.glob("figures*.py"), *sim_dir.glob("figures/**/*.py"),
        *sim_dir.glob("report*.py"), *sim_dir.glob("report/**/*"),
        sim_dir / "forecast.py", sim_dir / "summary.py",
    ]  # fmt: skip
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources if path.is_file())
    named = {name for name in OUTCOMES if re.search(rf"[\"']{name}[\"']", text)}
    assert named <= set(ALWAYS_KEPT), sorted(named - set(ALWAYS_KEPT))
    assert len(named) >= 20  # the scan finds the sources
    experiment = parse_experiment({"name": "x", "outputs": ["hours_worked"]}, source="x.toml")
    assert set(experiment.columns) == {"hours_worked", *ALWAYS_KEPT}
    assert list(experiment.columns) == [c for c in OUTCOMES if c in experiment.columns]
