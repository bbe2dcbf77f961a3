"""Tests of sim.figures: what each figure draws matches the data it was given."""

from __future__ import annotations

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import is_color_like

from sim import Params
from sim.figures import (
    FIGURES,
    PALETTE,
    binding_constraints,
    cost_per_year,
    cumulative_net_cost,
    employed_fan,
    intake_funnel,
    save_figures,
    scenario_colours,
    wijk_map,
)
from sim.observed import EMPLOYED_BY_WIJK_2022
from sim.outcomes import OUTCOMES
from sim.simulation import run_replicate
from sim.wijken import WIJKEN

DATES = pd.date_range("2020-03-01", "2030-12-29", freq="7D")


def synthetic(employed: np.ndarray, *, scenario: str = "baseline", replicate: int = 0, **columns):
    """A weekly frame with every outcome column: zeros unless given (scalars or arrays)."""
    frame = pd.DataFrame(dict.fromkeys(OUTCOMES, 0), index=range(len(DATES)))
    frame["binding_constraint"] = "ceiling"
    frame["job_ceiling"] = 250
    for name, values in {"employed": employed, **columns}.items():
        frame[name] = values
    return frame.assign(date=DATES, replicate=replicate, seed=replicate, scenario=scenario)


def reaching(year: int | None, replicate: int = 0) -> pd.DataFrame:
    """A run at 100 jobs that jumps to 250 on 1 July of ``year`` (None: never)."""
    jump = pd.Timestamp(f"{year}-07-01") <= DATES if year else np.zeros(len(DATES), bool)
    return synthetic(np.where(jump, 250, 100), replicate=replicate)


@pytest.fixture(scope="module")
def model_runs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two scenarios x three replicates of the real model to 2024 (tables of run_replicate)."""
    scenarios = {
        "baseline": Params(),
        "fixed coaches": Params().with_overrides({"intake_coaches_follow_ceiling": False}),
    }
    ts, by_wijk = [], []
    for name, params in scenarios.items():
        for replicate, seed in enumerate((3, 4, 5)):
            run = run_replicate(params, seed=seed, until="2024-06-30", replicate=replicate)
            ts.append(run.timeseries.assign(scenario=name))
            by_wijk.append(run.by_wijk.assign(scenario=name))
    return pd.concat(ts, ignore_index=True), pd.concat(by_wijk, ignore_index=True)


def gids(fig, prefix: str) -> dict[str, object]:
    """The figure's patches whose gid starts with ``prefix``, by gid."""
    return {
        patch.get_gid(): patch
        for ax in fig.axes
        for patch in ax.patches
        if (patch.get_gid() or "").startswith(prefix)
    }


# --- colours --------------------------------------------------------------------------
def test_scenario_colours_are_distinct_and_baseline_first():
    names = ["growth", "baseline", "budget", "coaches", "tasks", "slow", "fast"]
    colours = scenario_colours(names)
    assert colours["baseline"] == PALETTE[0]
    assert len(set(colours.values())) == len(names)
    assert all(is_color_like(colour) for colour in colours.values())


def test_scenario_colours_are_stable():
    first = scenario_colours(["baseline", "growth", "budget"])
    again = scenario_colours(["growth", "budget", "baseline", "growth"])
    assert first == again
    # Without the baseline the others keep their colours.
    assert scenario_colours(["growth", "budget"]) == {k: first[k] for k in ("growth", "budget")}


# --- jobs filled --------------------------------------------------------------------------
def test_fan_title_names_the_year_250_jobs_are_filled():
    ts = pd.concat([reaching(year, r) for r, year in enumerate((2026, 2029, 2026, 2027))])
    title = employed_fan(ts).axes[0].get_title(loc="left")
    # Years some run had: half the runs by 2026, and 90% only once the last run is there.
    assert "filled in 2026 in the median run" in title
    assert "90% of runs by 2029" in title


def test_fan_title_says_when_250_jobs_are_never_reached():
    ts = pd.concat([reaching(None, 0), reaching(None, 1)])
    title = employed_fan(ts).axes[0].get_title(loc="left")
    assert "not reached by 2030" in title
    assert "median 100" in title


def test_fan_title_reports_a_minority_that_reaches():
    ts = pd.concat([reaching(2027, 0), reaching(None, 1), reaching(None, 2)])
    title = employed_fan(ts).axes[0].get_title(loc="left")
    assert "only 33% of runs" in title


def test_fan_median_line_is_the_median_across_runs(model_runs):
    ts, _ = model_runs
    ax = employed_fan(ts, title="given").axes[0]
    assert ax.get_title(loc="left") == "given"
    (line,) = [line for line in ax.get_lines() if line.get_label() == "fixed coaches"]
    expected = ts[ts["scenario"] == "fixed coaches"].groupby("date")["employed"].median()
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())


# --- funnel ---------------------------------------------------------------------------------
def test_funnel_bars_are_the_medians_at_the_date(model_runs):
    ts, _ = model_runs
    fig = intake_funnel(ts, at="2023-01-01")
    bars = gids(fig, "funnel:")
    assert len(bars) == 2 * 8
    rows = ts[ts["date"] == ts.loc[ts["date"] <= "2023-01-01", "date"].max()]
    medians = rows.groupby("scenario")[["spoken_cum", "rejected_health_cum", "employed"]].median()
    for scenario, row in medians.iterrows():
        for column, value in row.items():
            assert bars[f"funnel:{scenario}:{column}"].get_width() == pytest.approx(value)


def test_funnel_counts_runs_by_sample_and_replicate():
    runs = [
        synthetic(np.full(len(DATES), n), spoken_cum=3 * n, started_cum=n, replicate=r).assign(
            sample=s
        )
        for s, r, n in [(0, 0, 10), (0, 1, 20), (1, 0, 30), (1, 1, 100)]
    ]
    fig = intake_funnel(pd.concat(runs))
    assert gids(fig, "funnel:")["funnel:baseline:employed"].get_width() == 25
    assert "median of 4 runs" in fig.axes[0].get_xlabel()
    assert "baseline: 33%" in fig.get_suptitle()


def test_funnel_shows_the_observed_counts_only_near_january_2022(model_runs):
    ts, _ = model_runs
    near = [
        label.get_text() for label in intake_funnel(ts, at="2022-01-01").axes[0].get_yticklabels()
    ]
    late = [label.get_text() for label in intake_funnel(ts).axes[0].get_yticklabels()]
    assert any("observed 151" in label for label in near)
    assert any("observed 34" in label for label in near)
    assert not any("observed" in label for label in late)


def test_funnel_rejects_a_date_before_the_start(model_runs):
    ts, _ = model_runs
    with pytest.raises(ValueError, match="the runs start on 2020-03-01"):
        intake_funnel(ts, at="2019-12-31")


# --- costs ----------------------------------------------------------------------------------
def test_cost_bars_are_yearly_medians_in_million_eur():
    weekly = {"cost_wages_eur": 10_000.0, "benefits_saved_eur": 4_000.0}
    runs = [
        synthetic(np.full(len(DATES), 1), replicate=r, **{k: v * m for k, v in weekly.items()})
        for r, m in enumerate((1, 2, 10))  # median 2, mean 4.3
    ]
    fig = cost_per_year(pd.concat(runs))
    bars = fig.axes[0].patches
    heights = {bar.get_facecolor(): [] for bar in bars}
    for bar in bars:
        heights[bar.get_facecolor()].append(bar.get_height())
    # Two items drawn (the zero items are left out), 11 years each.
    assert sorted(len(h) for h in heights.values()) == [11, 11]
    weeks_2021 = int((DATES.year == 2021).sum())
    wages, benefits = sorted(heights.values(), key=lambda h: h[1], reverse=True)
    assert wages[1] == pytest.approx(2 * 10_000 * weeks_2021 / 1e6)  # median run: r = 1
    assert benefits[1] == pytest.approx(-2 * 4_000 * weeks_2021 / 1e6)


def test_cumulative_net_cost_ends_at_the_median_total(model_runs):
    ts, _ = model_runs
    ax = cumulative_net_cost(ts).axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_label() == "baseline"]
    totals = ts[ts["scenario"] == "baseline"].groupby("replicate")["cost_net_eur"].sum()
    assert line.get_ydata()[-1] == pytest.approx(totals.median() / 1e6)
    assert f"€{totals.median() / 1e6:.1f} million" in ax.get_title(loc="left")


# --- binding constraints ------------------------------------------------------------------
def test_binding_shares_add_up_and_match_the_weeks():
    constraint = np.where(np.arange(len(DATES)) % 4 == 0, "tasks", "ceiling")
    fig = binding_constraints(synthetic(np.zeros(len(DATES)), binding_constraint=constraint))
    left = fig.axes[0]
    widths = [bar.get_width() for bar in left.patches]
    assert sum(widths) == pytest.approx(100)
    weeks = constraint[1:]  # the first row is the starting state, not a week
    assert sorted(widths) == pytest.approx(
        sorted([100 * (weeks == c).mean() for c in ("tasks", "ceiling")])
    )
    assert "job ceiling most often" in fig.get_suptitle()


# --- map ------------------------------------------------------------------------------------
def test_wijk_map_has_fourteen_tiles_per_scenario(model_runs):
    _, by_wijk = model_runs
    fig = wijk_map(by_wijk)
    panels = [
        ax for ax in fig.axes if any((p.get_gid() or "").startswith("wijk:") for p in ax.patches)
    ]
    assert len(panels) == 2
    for ax in panels:
        assert sorted(p.get_gid() for p in ax.patches) == sorted(f"wijk:{w}" for w in WIJKEN)


def test_wijk_map_writes_the_medians_and_observed_counts_near_2022(model_runs):
    _, by_wijk = model_runs
    baseline = by_wijk[by_wijk["scenario"] == "baseline"]
    texts = {t.get_gid(): t.get_text() for t in wijk_map(baseline, at="2022-01-01").axes[0].texts}
    rows = baseline[
        baseline["date"] == baseline.loc[baseline["date"] <= "2022-01-01", "date"].max()
    ]
    medians = rows.groupby("wijk")["employed"].median()
    assert {w: texts[f"wijk-count:{w}"] for w in WIJKEN} == {w: f"{medians[w]:g}" for w in WIJKEN}
    assert {w: texts[f"wijk-observed:{w}"] for w in WIJKEN} == {
        w: f"obs. {n}" for w, n in EMPLOYED_BY_WIJK_2022.items()
    }
    later = [t.get_gid() or "" for t in wijk_map(baseline).axes[0].texts]
    assert not any(gid.startswith("wijk-observed:") for gid in later)


# --- files ----------------------------------------------------------------------------------
def test_save_figures_writes_every_png(model_runs, tmp_path):
    ts, by_wijk = model_runs
    paths = save_figures(ts, by_wijk, tmp_path / "new" / "figures")
    assert [p.name for p in paths] == list(FIGURES)
    assert {p.name for p in paths} == {
        "employed.png", "funnel.png", "cost_per_year.png", "cumulative_net_cost.png",
        "binding_constraints.png", "wijk_map.png",
    }  # fmt: skip
    for path in paths:
        assert path.parent == tmp_path / "new" / "figures"
        assert path.stat().st_size > 10_000
        height, width, _ = matplotlib.image.imread(path).shape
        assert 900 <= width <= 1300, path.name
        assert 300 <= height <= 1600, path.name
