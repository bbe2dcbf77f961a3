"""Municipality profiles: Groningen unchanged, Amersfoort and any other place checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import Params
from sim.config.errors import ConfigError
from sim.config.profiles import REQUIRED_FIGURES, load_profile, parse_profile
from sim.experiment import load_experiment
from sim.simulation import run_replicate
from sim.timeline import WEEKS_PER_YEAR

from .conftest import REPO

PROFILES = REPO / "municipalities"


def test_groningen_through_its_profile_is_the_registry_exactly():
    profile = load_profile(PROFILES / "groningen.toml")
    assert Params.from_mapping(profile.overrides) == Params()
    # And the same numbers, run for run (the fixed-seed baseline is unchanged).
    with_profile = run_replicate(Params.from_mapping(profile.overrides), 7, "2022-06-30")
    without = run_replicate(Params(), 7, "2022-06-30")
    pd.testing.assert_frame_equal(with_profile.timeseries, without.timeseries)


def test_amersfoort_uses_the_facts_and_marks_the_rest_as_assumptions():
    profile = load_profile(PROFILES / "amersfoort.toml")
    # FACTS.md: 2,881 bijstand benefits on 1 Jan 2020.
    assert profile.overrides["households"] == 2_881
    assert profile.sources["households"].startswith("FACTS.md")
    # The motion's government CAO is an assumption a local user replaces.
    assert "wage_cost_per_year" in profile.assumptions
    assert "households" not in profile.assumptions
    assert set(REQUIRED_FIGURES) <= set(profile.overrides)
    params = Params.from_mapping(profile.overrides)
    assert len(params.areas) == 11
    assert params.programme_start.year == 2027


def test_nothing_happens_before_the_programme_starts():
    params = Params.from_mapping(load_profile(PROFILES / "amersfoort.toml").overrides)
    ts = run_replicate(params, 3, "2028-06-30").timeseries
    before = ts[ts["date"] < "2027-01-01"]
    assert (before[["employed", "referred_cum", "tasks_total", "job_ceiling"]] == 0).all().all()
    after = ts[ts["date"] >= "2027-06-30"]
    assert after["employed"].max() > 0
    assert after["job_ceiling"].max() <= params.job_ceiling_max


FIGURES = "\n".join(
    [
        "[figures]",
        'households = { value = 600, source = "assumption: test" }',
        'inflow_households_per_year = { value = 50, source = "assumption: test" }',
        'programme_start = { value = 2020-03-01, source = "assumption: test" }',
        'job_ceiling_experiment = { value = 10, source = "assumption: test" }',
        'job_ceiling_max = { value = 10, source = "assumption: test" }',
        'wage_cost_per_year = { value = 30000.0, source = "assumption: test" }',
        'employer_cost_per_year = { value = 600.0, source = "assumption: test" }',
        'guidance_cost_first_year = { value = 4000.0, source = "assumption: test" }',
        'guidance_cost_later_years = { value = 3000.0, source = "assumption: test" }',
        'coach_cost_per_year = { value = 1500.0, source = "assumption: test" }',
        'benefit_saved_per_year = { value = 14000.0, source = "FACTS.md: test" }',
        'share_willing = { value = 0.6, source = "assumption: test" }',
    ]
)


def profile_text(**changes: str) -> str:
    """A tiny valid profile of three areas in a row (A - B - C), with changed parts."""
    parts = {
        "head": 'name = "dorp"\ndisplay_name = "Gemeente Dorp"\n',
        "figures": FIGURES,
        "areas": "\n".join(
            [
                '[[areas]]\nname = "A"\nweight = 1.0\nnear = ["B"]\nsource = "assumption: test"',
                '[[areas]]\nname = "B"\nweight = 1.0\nnear = ["A", "C"]\nsource = "assumption: test"',
                '[[areas]]\nname = "C"\nweight = 1.0\nnear = ["B"]\nsource = "assumption: test"',
            ]
        ),
    }
    parts.update(changes)
    return "\n".join([parts["head"], parts["figures"], parts["areas"]]) + "\n"


def run_cli(tmp_path: Path, profile: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "dorp.toml").write_text(profile, encoding="utf-8")
    (tmp_path / "exp.toml").write_text(
        'name = "dorp_run"\nmunicipality = "dorp.toml"\nreplicates = 2\nuntil = 2021-06-30\n',
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(tmp_path / "exp.toml"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )


def test_a_tiny_profile_of_three_areas_runs_end_to_end(tmp_path):
    out = tmp_path / "out"
    result = run_cli(tmp_path, profile_text(), "--workers", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    by_wijk = pd.read_parquet(out / "by_wijk.parquet")
    assert sorted(by_wijk["wijk"].unique()) == ["A", "B", "C"]
    assert (out / "figures" / "wijk_map.png").stat().st_size > 10_000
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Gemeente Dorp" in report
    assert "10 jobs" in report  # the target is the profile's, not Groningen's 250


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        (
            {"figures": FIGURES.replace("households =", "househlds =")},
            "figures.househlds",
            "did you mean 'households'",
        ),
        (
            {
                "figures": FIGURES
                + '\nshare_couples = { value = 0.7, source = "assumption: test" }\n'
                + 'share_single_parents = { value = 0.5, source = "assumption: test" }\n'
            },
            "figures.share_single_parents",
            "share_couples \\+ share_single_parents is more than 1",
        ),
        (
            {
                "areas": '[[areas]]\nname = "A"\nweight = 1.0\nsource = "assumption: t"\n'
                '[[areas]]\nname = "B"\nweight = 1.0\nsource = "assumption: t"'
            },
            "figures.areas",
            "area 'A' has no neighbours",
        ),
        (
            {
                "figures": FIGURES.replace(
                    'wage_cost_per_year = { value = 30000.0, source = "assumption: test" }', ""
                )
            },
            "figures",
            "missing wage_cost_per_year",
        ),
        (
            {"figures": FIGURES.replace('source = "FACTS.md: test"', 'sauce = "FACTS.md"')},
            "figures.benefit_saved_per_year.sauce",
            "did you mean 'source'",
        ),
    ],
    ids=["unknown key", "shares over 1", "no neighbours", "missing cost", "no source"],
)
def test_a_bad_profile_stops_with_exit_2_naming_file_and_key_and_writes_nothing(
    tmp_path, changes, key, message
):
    out = tmp_path / "out"
    result = run_cli(tmp_path, profile_text(**changes), "--workers", "1", "--out", str(out))
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "dorp.toml" in line
    assert f"key '{key}'" in line
    assert re.search(message, line), line
    assert not out.exists()


def test_a_profile_needs_every_cost_item_and_its_areas():
    with pytest.raises(ConfigError, match=r"missing .*coach_cost_per_year"):
        parse_profile(
            {
                "name": "x",
                "figures": {
                    name: {"value": Params().model_dump()[name], "source": "assumption: t"}
                    for name in REQUIRED_FIGURES
                    if name != "coach_cost_per_year"
                },
                "areas": [{"name": "A", "weight": 1.0, "source": "assumption: t"}],
            },
            source="x.toml",
        )


def test_the_shipped_amersfoort_experiment_runs(tmp_path):
    experiment = load_experiment(REPO / "experiments" / "amersfoort.toml")
    assert experiment.municipality is not None
    assert experiment.municipality.name == "amersfoort"
    motion = experiment.params("motion")
    cao_wsw = experiment.params("cao_wsw")
    # The motion's government CAO costs more than Groningen's CAO Wsw job.
    assert motion.wage_cost_per_year > cao_wsw.wage_cost_per_year == 27_387
    ts = run_replicate(motion, 1, "2029-12-31").timeseries
    assert ts["employed"].max() > 0
    # Wages follow the profile's wage cost: EUR 32,000 a year for 32 contract hours.
    wage_years = ts["cost_wages_eur"].sum() / 32_000
    assert np.isclose(wage_years, ts["contract_hours"].sum() / 32 / WEEKS_PER_YEAR)
