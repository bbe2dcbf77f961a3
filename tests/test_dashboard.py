"""The dashboard's levers, their mapping to a scenario, the saved experiment and the
streamed comparison (sim.dashboard; the pages are tested in a browser in
test_dashboard_browser.py)."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import pytest

from sim.cli import main
from sim.dashboard.compute import Comparison, Engine, comparison_experiment
from sim.dashboard.levers import (
    LEVER_YEARS,
    allowed_range,
    experiment_text,
    lever_errors,
    levers_of,
    overrides,
)
from sim.dashboard.words import WORDS
from sim.experiment import load_experiment, parse_experiment
from sim.params import Params
from sim.report import write_report
from sim.store import read_manifest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def policy():
    return load_experiment(ROOT / "experiments" / "growth_scenarios.toml")


@pytest.fixture(scope="module")
def announced(policy):
    return policy.params("announced")


def test_the_announced_levers_are_no_override(announced):
    levers = levers_of(announced)
    assert levers.grow_to_target
    assert levers.target_jobs == 250
    assert levers.target_year == 2026  # +50 a year from 2023 reaches 250 at the end of 2026
    assert overrides(levers, announced) == {}


def test_the_target_and_its_year_set_an_even_growth(announced):
    levers = levers_of(announced).replace(target_jobs=300, target_year=2025)
    chosen = overrides(levers, announced)
    assert chosen["job_ceiling_max"] == 300
    params = Params.from_mapping(chosen)
    assert all(params.ceiling_growth_per_year[y] == pytest.approx(250 / 3) for y in (2023,))
    assert params.ceiling_growth_per_year.get(2024, 250 / 3) == pytest.approx(250 / 3)


def test_levers_by_year_map_to_year_schedules_and_back(announced):
    levers = levers_of(announced).replace(
        grow_to_target=False,
        growth_by_year=(50, 50, 80, 80, 80, 80, 80, 80),
        coaches_follow_jobs=False,
        coaches_by_year=(2, 4, 6, 6, 6, 6, 6, 6),
        budget_eur_per_year=6e6,
        subsidies_by_year=(200_000, 0, 100_000, 0, 0, 0, 0, 0),
    )
    chosen = overrides(levers, announced)
    assert chosen["ceiling_growth_per_year"] == {2022: 50.0, 2025: 80.0}
    assert chosen["intake_coaches"] == {2020: 2.0, 2024: 4.0, 2025: 6.0}
    assert chosen["intake_coaches_follow_ceiling"] is False
    assert chosen["budget_net_eur_per_year"] == 6e6
    assert "subsidies" in chosen
    params = Params.from_mapping(chosen)
    back = levers_of(params)
    assert back.growth_by_year == levers.growth_by_year
    assert back.coaches_by_year == levers.coaches_by_year
    assert back.subsidies_by_year == levers.subsidies_by_year
    assert overrides(back, announced) == chosen


def test_schedule_bounds_come_from_the_registry():
    assert allowed_range("intake_coaches") == (0, 1_000)
    assert allowed_range("job_ceiling_max") == (0, 100_000)
    assert allowed_range("jobs_per_intake_coach") == (0, 10_000)


def test_a_lever_out_of_range_is_named_in_the_page_language(announced):
    coaches = list(levers_of(announced).coaches_by_year)
    coaches[LEVER_YEARS.index(2025)] = -3
    levers = levers_of(announced).replace(coaches_by_year=tuple(coaches))
    dutch = lever_errors(levers, announced, WORDS["nl"])
    english = lever_errors(levers, announced, WORDS["en"])
    assert dutch["coaches_by_year"] == "2025: -3: moet tussen 0 en 1\u202f000 liggen"
    assert english["coaches_by_year"] == "2025: -3: must be between 0 and 1\u202f000"


def test_a_coach_for_zero_jobs_is_refused(announced):
    levers = levers_of(announced).replace(jobs_per_coach=0.0)
    assert "jobs_per_coach" in lever_errors(levers, announced, WORDS["en"])


def test_a_combination_the_registry_refuses_is_reported(announced):
    levers = levers_of(announced).replace(target_jobs=20)  # below the experiment's 50 jobs
    errors = lever_errors(levers, announced, WORDS["en"])
    assert set(errors) == {"scenario"}
    assert "job_ceiling_max" in errors["scenario"]
    assert lever_errors(levers_of(announced), announced, WORDS["en"]) == {}


def test_the_saved_experiment_round_trips_and_runs(tmp_path, policy, announced):
    levers = levers_of(announced).replace(
        target_jobs=300, target_year=2027, coaches_follow_jobs=False
    )
    chosen = overrides(levers, announced)
    text = experiment_text("my_choice", policy, chosen, draws=7)
    path = tmp_path / "my_choice.toml"
    path.write_text(text, encoding="utf-8")
    experiment = parse_experiment(
        tomllib.loads(text), source=str(path), base_dir=ROOT / "experiments"
    )
    assert experiment.name == "my_choice"
    assert experiment.replicates == 7
    assert experiment.seed == policy.seed
    assert set(experiment.scenarios) == {"announced", "chosen"}
    assert experiment.params("announced") == announced
    assert experiment.params("chosen") == Params.from_mapping(chosen)
    assert levers_of(experiment.params("chosen")) == levers
    out = tmp_path / "out"
    argv = ["run", str(path), "--replications", "1", "--until", "2020-05-31"]
    assert main([*argv, "--workers", "1", "--no-figures", "--out", str(out)]) == 0
    assert (out / "summary.csv").exists()


@pytest.fixture(scope="module")
def engine():
    engine = Engine(workers=1)
    yield engine
    engine.close()


def test_a_comparison_streams_both_scenarios_with_common_random_numbers(tmp_path, engine, policy):
    from sim.calibration.fit import load_posterior

    short = dataclasses.replace(policy.with_settings(until="2023-06-30"))
    experiment = comparison_experiment(short, {"ceiling_growth_per_year": 100}, load_posterior(), 2)
    comparison = Comparison(experiment)
    for spec, tables in engine.stream(experiment):
        comparison.add(spec, tables)
    assert comparison.complete() == [0, 1]
    runs = comparison.tables()["runs"]
    seeds = runs.groupby("replicate")["seed"].nunique()
    assert (seeds == 1).all()  # draw k has one seed in both scenarios
    ts = comparison.tables()["timeseries"]
    early = ts[ts["date"] < "2022-12-01"].pivot_table(
        index=["replicate", "date"], columns="scenario", values="employed"
    )
    assert (early["announced"] == early["chosen"]).all()  # the same until the policies part
    assert ts.groupby("scenario")["job_ceiling"].max()["chosen"] > 100

    # Cached now: nothing runs again, and a cancelled stream stops at once.
    assert len(list(engine.stream(experiment, cancelled=lambda: True))) == 4
    results = comparison.results({"announced": "A", "chosen": "B"})
    assert results is not None
    assert results.scenarios == ("A", "B")
    assert set(results.p250["scenario"]) == {"A", "B"}

    saved = comparison.write(tmp_path / "report")
    # Each saved run's time is on its index line, so finishing reads no table back.
    entries = [json.loads(line) for line in (saved / "index.jsonl").read_text().splitlines()]
    assert len(entries) == 4
    assert sum(entry["seconds"] for entry in entries) == pytest.approx(
        read_manifest(saved)["run_seconds"]["total"]
    )
    assert sum(entry["seconds"] for entry in entries) == pytest.approx(runs["seconds"].sum())
    report = write_report(saved, lang="nl")
    assert "uw keuze" not in report.read_text(encoding="utf-8")  # the ids, not page names
    assert "chosen" in report.read_text(encoding="utf-8")


def test_a_new_lever_cancels_the_stream_before_its_runs(engine, policy):
    from sim.calibration.fit import load_posterior

    short = policy.with_settings(until="2021-06-30")
    experiment = comparison_experiment(short, {"ceiling_growth_per_year": 70}, load_posterior(), 6)
    seen = []
    for spec, _ in engine.stream(experiment, cancelled=lambda: len(seen) >= 2):
        seen.append(spec)
    assert 2 <= len(seen) < 12
