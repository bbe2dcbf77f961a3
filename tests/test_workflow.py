"""When a new count arrives (calibration/README.md): add it, recalibrate, forecast, validate.

On a small calibration (a town of 1,500 households, two parameters, figures up to
mid-2021), each step of the documented workflow in turn: a figure dated after
``observed_until`` is refused until the date moves; the run made on the old figures
cannot be resumed on the new ones; the new posterior carries its ``observed_until``;
the forecast's manifest records that posterior's hash; ``validate`` scores the forecast
on a figure after it and refuses one the calibration already knew.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from sim.calibration.fit import load_posterior, run_calibration
from sim.calibration.settings import load_calibration
from sim.cli import main
from sim.config.errors import ConfigError

from .conftest import TWO_PRIORS_IN_A_TOWN

TARGET = """
[[target]]
name = "{name}"
statistic = "value_at"
column = "{column}"
date = {date}
value = {value}
source = "a council letter of {date}"
scale = {scale}
scale_reason = "about the spread between runs"
use = "fit"
"""

CALIBRATION = f"""
name = "town"
targets = "targets.toml"
seed = 3
{TWO_PRIORS_IN_A_TOWN}
[distance]
kind = "sum_of_squares"
[abc]
population_size = 20
max_total_simulations = 60
max_generations = 3
[ppc]
draws = 10
"""

POLICY = """
name = "town_policy"
seed = 5
until = 2022-12-31
[params]
households = 1500
inflow_households_per_year = 170
"""


def _targets(observed_until: str, *rows: dict) -> str:
    return f"observed_until = {observed_until}\n" + "".join(TARGET.format(**r) for r in rows)


SPOKEN = {"name": "spoken", "column": "spoken_cum", "date": "2021-07-01", "value": 12, "scale": 4}
EMPLOYED = {"name": "employed", "column": "employed", "date": "2021-07-01", "value": 5, "scale": 3}
NEW = {"name": "employed_new", "column": "employed", "date": "2022-01-01", "value": 8, "scale": 3}


def _calibrate(folder: Path, name: str, *, resume: bool = False):
    return run_calibration(
        folder / "town.toml",
        out_dir=folder / "out",
        posterior_path=folder / name,
        workers=1,
        figures=False,
        resume=resume,
    )


def test_a_new_count_goes_through_calibration_forecast_and_validation(tmp_path):
    (tmp_path / "town.toml").write_text(CALIBRATION, encoding="utf-8")
    targets = tmp_path / "targets.toml"
    targets.write_text(_targets("2021-07-31", SPOKEN, EMPLOYED), encoding="utf-8")
    first = _calibrate(tmp_path, "first.parquet")
    assert load_posterior(first.posterior_path).attrs["observed_until"] == "2021-07-31"

    # 1. The new count, added without moving observed_until, is refused.
    targets.write_text(_targets("2021-07-31", SPOKEN, EMPLOYED, NEW), encoding="utf-8")
    with pytest.raises(ConfigError, match="after observed_until"):
        load_calibration(tmp_path / "town.toml")

    # 2. With observed_until moved it is a target; the old run cannot be resumed on it.
    targets.write_text(_targets("2022-01-31", SPOKEN, EMPLOYED, NEW), encoding="utf-8")
    assert "employed_new" in {t.name for t in load_calibration(tmp_path / "town.toml").targets}
    with pytest.raises(ConfigError, match="other targets"):
        _calibrate(tmp_path, "second.parquet", resume=True)

    # 3. A new calibration sees the new figure.
    second = _calibrate(tmp_path, "second.parquet")
    posterior = load_posterior(second.posterior_path)
    assert posterior.attrs["observed_until"] == "2022-01-31"
    new = {"quantity": "employed", "date": "2022-01-01", "value": 8.0}
    assert new in posterior.attrs["observed"]

    # 4. The forecast made on it records the posterior's hash and its observed_until.
    (tmp_path / "policy.toml").write_text(POLICY, encoding="utf-8")
    forecast = tmp_path / "forecast"
    argv = ["forecast", "--policy", str(tmp_path / "policy.toml"), "--until", "2022-12-31"]
    argv += ["--posterior", str(second.posterior_path), "--draws", "3", "--ways", "1"]
    argv += ["--seeds", "1", "--workers", "1", "--out", str(forecast), "--no-figures"]
    assert main(argv) == 0
    manifest = json.loads((forecast / "manifest.json").read_text(encoding="utf-8"))
    made = manifest["forecast"]
    digest = hashlib.sha256(second.posterior_path.read_bytes()).hexdigest()
    assert made["posterior_sha256"] == digest
    assert made["observed_until"] == "2022-01-31"

    # 5. validate scores a figure after observed_until and refuses one before it.
    later = tmp_path / "later.toml"
    later.write_text(
        '[[observation]]\ndate = 2022-06-01\nquantity = "employed"\nvalue = 9\n'
        'source = "a council letter"\n',
        encoding="utf-8",
    )
    assert main(["validate", str(later), "--forecast", str(forecast), "--no-figures"]) == 0
    scored = pd.read_csv(forecast / "validation.csv")
    assert list(scored["value"]) == [9]
    assert 0 <= scored["pit"].iloc[0] <= 1
    known = tmp_path / "known.toml"
    known.write_text(later.read_text().replace("2022-06-01", "2021-12-01"), encoding="utf-8")
    assert main(["validate", str(known), "--forecast", str(forecast), "--no-figures"]) == 2
