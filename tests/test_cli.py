"""The command line: outputs of `basisbaan run`, bad input, foreign directories."""

from __future__ import annotations

import datetime as dt
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
    assert manifest["runs_finished"] == 3
    runs = pd.read_parquet(baseline_dir / "runs.parquet")
    assert len(runs) == 3
    assert (runs["seconds"] > 0).all()
    assert manifest["run_seconds"]["total"] == pytest.approx(runs["seconds"].sum())
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


# --- every command from the command line, and the installed `basisbaan` -----------------

TINY_CALIBRATION = """
name = "tiny"
targets = "targets.toml"
seed = 3
[priors.covid_factor]
low = 0.2
high = 1.0
reason = "a test"
[fixed]
households = 1500
inflow_households_per_year = 170
[distance]
kind = "sum_of_squares"
[abc]
population_size = 10
max_total_simulations = 20
max_generations = 2
[ppc]
draws = 10
"""


def test_calibrate_writes_the_posterior_and_the_predictive_check(tmp_path, capsys):
    # A tiny ABC-SMC (10 particles, at most 20 simulations, one core) on the observed
    # targets: what matters here is that the command runs end to end and says where it
    # wrote; recovery is tested in test_calibration.
    (tmp_path / "targets.toml").write_text(
        (ROOT / "calibration" / "targets.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    config = write(tmp_path / "tiny.toml", TINY_CALIBRATION)
    out = tmp_path / "out"
    assert main(["calibrate", str(config), "--workers", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("tiny: ")
    assert "generations after the calibration sample" in printed
    assert f"posterior -> {tmp_path / 'posterior.parquet'}" in printed
    assert f"predictive check -> {out / 'ppc.csv'}" in printed
    assert (tmp_path / "posterior.parquet").exists()
    assert (out / "ppc.csv").exists()
    ppc = pd.read_csv(out / "ppc.csv")
    assert set(ppc.columns) >= {"target", "observed", "q05", "q50", "q95"}


def test_calibrate_refuses_bad_workers_before_it_starts(tmp_path, capsys):
    assert main(["calibrate", "--workers", "0", "--out", str(tmp_path / "o")]) == 2
    assert "--workers" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_bench_prints_its_timings_and_those_of_the_anchors(tmp_path, capsys, monkeypatch):
    # The comparison with the numpy anchor is tested in test_bench; here it is a stand-in
    # with known medians, and the naive Mesa anchor a script that prints its seconds.
    import sim.bench

    calls = []

    def comparison(anchors, repeats):
        calls.append((anchors, repeats))
        return sim.bench.Comparison(
            replicate=sim.bench.BenchResult(0.5, 0.4, recipients=1_000, weeks=500, runs=3),
            calibration=sim.bench.BenchResult(0.1, 0.08, recipients=1_000, weeks=160, runs=3),
            evaluation=sim.bench.BenchResult(0.05, 0.04, recipients=1_000, weeks=159, runs=3),
            anchor_seconds=(0.25, 0.25, 0.25),
            load_average=(1.0, 1.5),
            evaluation_until=dt.date(2023, 3, 15),
        )

    monkeypatch.setattr(sim.bench, "compare_with_anchor", comparison)
    for name, seconds in (("numpy_bound.py", 0.25), ("naive_mesa.py", 5.0)):
        write(tmp_path / name, f"print({seconds})\n")
    assert main(["bench", "--repeats", "3", "--anchors", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert calls == [(tmp_path, 3)]
    # 0.5 s / 0.25 s = 2.00x; 0.1 s / 0.25 s = 0.40x; 0.05 s / 0.25 s = 0.20x;
    # 0.5 s / 5 s = 0.100x.
    assert printed[0] == (
        "one replicate 2020-03-01..2030-12-31: median 0.5000 s (min 0.4000 s, 3 runs) "
        "= 2.00x the numpy anchor"
    )
    assert printed[1].endswith("median 0.1000 s (min 0.0800 s, 3 runs) = 0.40x the numpy anchor")
    assert printed[2] == (
        "one calibration evaluation 2020-03-01..2023-03-15 (calibration/hanze.toml, a prior "
        "draw): median 0.0500 s (min 0.0400 s, 3 runs) = 0.20x the numpy anchor"
    )
    assert printed[3] == (
        "anchor numpy_bound.py (1000 recipients x 500 weeks): median 0.2500 s of 3 "
        "(0.2500, 0.2500, 0.2500)"
    )
    assert printed[4].startswith("anchor naive_mesa.py: 5.0000 s -> one replicate is 0.100x")
    assert printed[5].startswith("load average (1 min) 1.0 before, 1.5 after")


def test_the_console_script_is_installed_and_runs():
    # The console script of pyproject's [project.scripts], installed beside the
    # interpreter: run it, not `python -m sim.cli`.
    command = Path(sys.executable).parent / "basisbaan"
    assert command.exists(), f"{command} is not installed: pip install -e ."
    done = subprocess.run([str(command), "--help"], capture_output=True, text=True, check=True)
    for name in ("run", "calibrate", "forecast", "report", "bench"):
        assert name in done.stdout
    bench = subprocess.run(
        [str(command), "bench", "--repeats", "1"], capture_output=True, text=True, check=True
    )
    assert "one run 2020-03-01..2030-12-31: median" in bench.stdout
