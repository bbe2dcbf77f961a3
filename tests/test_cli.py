"""The command line: outputs of `basisbaan run`, bad input, foreign directories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "baseline"
    code = main(["run", str(ROOT / "experiments" / "baseline.toml"), "--out", str(out), "--replications", "3",
                 "--until", "2024-12-31", "--workers", "1"])  # fmt: skip
    assert code == 0
    return out


def test_run_writes_the_promised_files(baseline_dir):
    for name in ("timeseries.parquet", "by_wijk.parquet", "summary.csv", "manifest.json"):
        assert (baseline_dir / name).exists(), name
    manifest = json.loads((baseline_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["replicates"] == 3
    assert len(manifest["seeds"]) == 3
    assert manifest["experiment_hash"]
    assert manifest["git_revision"]
    assert manifest["package_version"]
    assert len(manifest["runs"]) == 3
    assert all(r["seconds"] > 0 for r in manifest["runs"])
    ts = pd.read_parquet(baseline_dir / "timeseries.parquet")
    assert sorted(ts["replicate"].unique()) == [0, 1, 2]
    assert sorted(ts["seed"].unique()) == sorted(manifest["seeds"])
    figures = {p.name for p in (baseline_dir / "figures").glob("*.png")}
    assert {"employed.png", "funnel.png", "cost_per_year.png"} <= figures


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 'x'\n[params]\nreferals_per_coach_week = 2\n", r"key 'params.referals_per_coach_week'.*did you mean 'referrals_per_coach_week'"),
        ("name = 'x'\n[params]\nshare_women = 1.2\n", r"key 'params.share_women'.*less than or equal to 1"),
        ("name = 'x'\n[params]\ncovid_factor = -0.5\n", r"key 'params.covid_factor'.*greater than or equal to 0"),
        ("name = 'x'\n[params]\nhouseholds = 'lots'\n", r"key 'params.households': must be a number, not text in quotes \(got 'lots'\)"),
        ("name = 'x'\nuntil = 2019-01-01\n", r"key 'until'.*after the programme start"),
        ("name = 'x'\n[params]\nadditional_work_hours = 4\n",
         r"additional_work_hours \(4\) is less than the smallest task \(task_hours_min = 8\)"),
        ("name = 'x'\nreplicate = 3\n", r"key 'replicate'.*did you mean 'replicates'"),
        ("name = 'x'\n[params\n", r"not valid TOML"),
    ],
)  # fmt: skip
def test_bad_config_exits_2_with_one_clear_message_and_writes_nothing(
    tmp_path, capsys, text, message
):
    config = write(tmp_path / "bad.toml", text)
    out = tmp_path / "out"
    assert main(["run", str(config), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err
    assert pytest.importorskip("re").search(message, err), err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_file_and_bad_flags_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["run", str(ROOT / "experiments" / "baseline.toml"), "--until", "2019-05-01",
                 "--out", str(tmp_path / "o")]) == 2  # fmt: skip
    assert "--until" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_directory_of_another_experiment_is_refused(baseline_dir, tmp_path, capsys):
    before = sorted(p.name for p in (baseline_dir / "timeseries.parquet").iterdir())
    code = main(["run", str(ROOT / "experiments" / "baseline.toml"), "--out", str(baseline_dir), "--seed", "99",
                 "--replications", "3", "--until", "2024-12-31"])  # fmt: skip
    assert code == 2
    assert "holds results of another experiment" in capsys.readouterr().err
    assert sorted(p.name for p in (baseline_dir / "timeseries.parquet").iterdir()) == before


def test_the_console_script_is_installed():
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "bench"):
        assert command in done.stdout
