"""Scenario discovery (sim.discovery): PRIM from EMA Workbench on a sweep's runs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.discovery import Condition, Discovery, density_needed, discover
from sim.experiment import load_experiment

ROOT = Path(__file__).resolve().parents[1]
GROWTH = ROOT / "experiments" / "growth_scenarios.toml"


def _sweep(n: int = 2_000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.uniform(size=(n, 5)), columns=["a", "b", "c", "d", "e"])


def _discovery(**settings) -> Discovery:
    condition = Condition("year_250_reached", ">=", 2027.0)
    return Discovery(condition, ("a", "b", "c", "d", "e"), **settings)


def test_prim_finds_a_planted_box():
    x = _sweep()
    y = ((x["a"] > 0.7) & (x["c"] < 0.3)).to_numpy()
    boxes = discover(_discovery(), x, y)
    first = boxes.table[boxes.table["box"] == 1].set_index("parameter")
    assert set(first.index) == {"a", "c"}
    # The box of most coverage at a density of 0.8: it holds the planted one and is no
    # wider than that density allows along each edge (0.3 / 0.8 of the range).
    assert 1 - 0.3 / 0.8 <= first.loc["a", "low"] <= 0.72
    assert 0.28 <= first.loc["c", "high"] <= 0.3 / 0.8
    assert first["coverage"].iloc[0] > 0.8
    assert first["density"].iloc[0] >= 0.8
    assert list(boxes.table.columns) == ["box", "parameter", "low", "high", "coverage", "density"]
    assert boxes.of_interest == y.sum()


def test_prim_finds_two_planted_boxes_one_after_the_other():
    x = _sweep(3_000, seed=2)
    # Each box holds 1/16 of the runs, above PRIM's smallest box (mass_min, 5%).
    y = (((x["a"] > 0.75) & (x["b"] > 0.75)) | ((x["d"] < 0.25) & (x["e"] < 0.25))).to_numpy()
    boxes = discover(_discovery(boxes=3), x, y)
    found = [set(rows["parameter"]) for _, rows in boxes.table.groupby("box")]
    assert {"a", "b"} in found
    assert {"d", "e"} in found
    assert boxes.summary["coverage"].sum() > 0.8


def test_edges_that_chance_made_look_dense_are_not_kept():
    # Thirty inputs, two of which matter: the condition holds in 95% of the runs in the
    # planted box and in 55% elsewhere. Peeling alone also trims a noise input (x23
    # here) and finds two more boxes of over twenty restrictions each; no restriction
    # kept may have a quasi-p-value above QP_LIMIT, so only the planted pair is left.
    rng = np.random.default_rng(5)
    names = [f"x{i}" for i in range(30)]
    x = pd.DataFrame(rng.uniform(size=(2_000, 30)), columns=names)
    inside = ((x["x0"] > 0.5) & (x["x1"] < 0.6)).to_numpy()
    y = np.where(inside, rng.uniform(size=2_000) < 0.95, rng.uniform(size=2_000) < 0.55)
    condition = Condition("year_250_reached", ">=", 2027.0)
    boxes = discover(Discovery(condition, tuple(names), boxes=3), x, y)
    assert set(boxes.table["parameter"]) == {"x0", "x1"}
    assert boxes.summary["box"].tolist() == [1]
    # The box of most coverage at a density of 0.8 may reach past the planted edges
    # into runs where the condition holds at 0.55: by at most 0.6 of the planted width
    # along one edge ((0.95 - 0.8) / (0.8 - 0.55)), 0.3 for x0 and 0.36 for x1; it may
    # stop short of an edge by one peel (peel_alpha: 5% of the cases, 0.05 here).
    first = boxes.table.set_index("parameter")
    assert 0.5 - 0.3 <= first.loc["x0", "low"] <= 0.55
    assert 0.55 <= first.loc["x1", "high"] <= 0.6 + 0.36


def test_an_integer_input_is_boxed_like_any_other():
    # Integer parameters (weeks, counts) reach PRIM as int64 columns; its pasting step
    # writes limits between two integers into them.
    x = _sweep(2_000, seed=4)
    x["a"] = (x["a"] * 50).round().astype("int64")
    y = ((x["a"] > 35) & (x["c"] < 0.3)).to_numpy()
    boxes = discover(_discovery(), x, y)
    first = boxes.table[boxes.table["box"] == 1].set_index("parameter")
    assert set(first.index) == {"a", "c"}
    assert 30 <= first.loc["a", "low"] <= 36


def test_a_condition_that_holds_everywhere_or_nowhere_has_no_box():
    x = _sweep(200)
    for y in (np.ones(200, bool), np.zeros(200, bool)):
        boxes = discover(_discovery(), x, y)
        assert boxes.table.empty
        assert boxes.summary.empty


def test_a_common_failure_needs_a_box_denser_than_the_base_rate():
    assert density_needed(0.8, 0.9) == pytest.approx(0.95)
    assert density_needed(0.8, 0.2) == 0.8
    x = _sweep(2_000, seed=3)
    y = ((x["a"] > 0.3) | (x["c"] < 0.5)).to_numpy()  # in ~85% of the runs
    boxes = discover(_discovery(), x, y)
    assert (boxes.summary["restricted"] > 0).all()
    assert (boxes.table["density"] >= density_needed(0.8, y.mean()) - 1e-12).all()


def test_condition_holds_compares_and_never_matches_nan():
    condition = Condition("year_250_reached", ">=", 2027.0)
    assert condition.holds(np.array([2026.9, 2027.0, np.nan])).tolist() == [False, True, False]
    assert str(condition) == "year_250_reached >= 2027"


# --- experiment files ----------------------------------------------------------------------------


def _file(tmp_path: Path, discovery: str, sweep: str | None = None) -> Path:
    sweep = (
        sweep
        if sweep is not None
        else (
            '[sweep]\nmethod = "lhs"\nsamples = 6\nuncertainties = ["share_willing", "areas"]\n'
            "[sweep.parameters]\ntasks_per_week_per_100_jobs = [4.0, 8.0]\n"
        )
    )
    path = tmp_path / "discovery.toml"
    path.write_text(
        f'name = "tiny_discovery"\nextends = "{GROWTH.as_posix()}"\nreplicates = 1\n{sweep}'
        f'[discovery]\nscenario = "announced"\n{discovery}\n',
        encoding="utf-8",
    )
    return path


def test_a_discovery_samples_levers_beside_the_uncertainties(tmp_path):
    experiment = load_experiment(_file(tmp_path, 'condition = "year_250_reached >= 2027"'))
    assert experiment.discovery is not None
    assert experiment.discovery.inputs == ("share_willing", "areas", "tasks_per_week_per_100_jobs")
    assert experiment.sweep is not None
    assert experiment.sweep.parameters["share_willing"] == [0.13, 0.18]
    assert experiment.sweep.parameters["areas"] == [0.5, 1.5]
    points = pd.DataFrame(experiment.sweep.values)
    assert points["tasks_per_week_per_100_jobs"].between(4, 8).all()
    assert points["share_willing"].between(0.13, 0.18).all()


BAD = [
    (
        "no_output",
        'condition = "year_250 >= 2027"',
        "discovery.condition",
        r"did you mean 'year_250_reached'",
    ),
    (
        "no_operator",
        'condition = "year_250_reached 2027"',
        "discovery.condition",
        r"OUTPUT OPERATOR NUMBER",
    ),
    ("missing", "boxes = 2", "discovery.condition", r"is missing"),
    (
        "density",
        'condition = "year_250_reached >= 2027"\nmin_density = 1.5',
        "discovery.min_density",
        r"from 0 to 1",
    ),
    (
        "key",
        'condition = "year_250_reached >= 2027"\nbox = 2',
        "discovery.box",
        r"did you mean 'boxes'",
    ),
]


@pytest.mark.parametrize(("table", "key", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_discovery_tables_exit_2_before_anything_is_written(
    tmp_path, capsys, table, key, message
):
    path = _file(tmp_path, table)
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1, err
    assert f"key '{key}': " in err, err
    assert re.search(message, err), err
    assert not (tmp_path / "out").exists()


def test_a_discovery_without_a_sweep_exits_2(tmp_path, capsys):
    path = _file(tmp_path, 'condition = "year_250_reached >= 2027"', sweep="")
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "key 'discovery': needs a [sweep]" in capsys.readouterr().err


def test_a_lever_among_the_sweeps_uncertainties_exits_2(tmp_path, capsys):
    sweep = '[sweep]\nmethod = "lhs"\nsamples = 4\nuncertainties = ["share_willing", "ceiling_growth_per_year"]\n'
    path = _file(tmp_path, 'condition = "year_250_reached >= 2027"', sweep=sweep)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "key 'sweep.uncertainties': 'ceiling_growth_per_year' has no uncertainty range" in err
