"""Tests of sim.figures: what each figure draws matches the data it was given, in the
language it was asked for."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import is_color_like
from matplotlib.figure import Figure
from matplotlib.text import Text

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
from sim.figures import calibration as calibration_figures
from sim.figures.labels import LABELS, LANGUAGES, fields, labels
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
    assert "jobs funded most often" in fig.get_suptitle()


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


@pytest.mark.parametrize("filename", list(FIGURES))
def test_everything_a_figure_draws_lies_inside_it(model_runs, filename):
    # Constrained layout keeps what is drawn inside the figure, but the wijk map's
    # colour-bar label hung 3 pixels below the bottom edge (its descenders cut off in the
    # PNG). The tight box holds every artist drawn; half a pixel of slack for rounding.
    draw, table = FIGURES[filename]
    frame = model_runs[0] if table == "timeseries" else model_runs[1]
    # Five scenarios, as the growth experiment has: the panels take up more room.
    five = pd.concat(
        [frame.assign(scenario=frame["scenario"] + suffix) for suffix in ("", " (a)", " (b)")],
        ignore_index=True,
    )
    five = five[five["scenario"] != "fixed coaches (b)"]
    fig = draw(five)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    drawn = fig.get_tightbbox(canvas.get_renderer())  # inches
    width, height = fig.get_size_inches()
    slack = 0.5 / fig.dpi
    assert drawn.x0 >= -slack, (filename, drawn)
    assert drawn.y0 >= -slack, (filename, drawn)
    assert drawn.x1 <= width + slack, (filename, drawn)
    assert drawn.y1 <= height + slack, (filename, drawn)


# --- languages --------------------------------------------------------------------------------
def texts(fig) -> list[str]:
    """Every text the figure draws, tick labels included (they are set when drawn)."""
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_languages_have_the_same_keys_and_placeholders():
    assert set(LABELS) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(LABELS[lang]) == set(LABELS["en"]), lang
        for key, template in LABELS[lang].items():
            assert fields(template) == fields(LABELS["en"][key]), (lang, key)
    with pytest.raises(ValueError, match="unknown figure language 'fr'"):
        labels("fr")


# English that must not be left in a Dutch figure (the words of the labels with fields).
ENGLISH = re.compile(
    r"\b(observed|median of|in total|rejected|still employed|million|weeks"
    r"|most often|participants|date|Dec|Jan)\b"
)


@pytest.mark.parametrize(
    ("draw", "table", "at"),
    [
        (employed_fan, 0, None),
        (intake_funnel, 0, "2022-01-01"),
        (cost_per_year, 0, None),
        (cumulative_net_cost, 0, None),
        (binding_constraints, 0, None),
        (wijk_map, 1, "2022-01-01"),
    ],
)
def test_dutch_figures_are_drawn_in_dutch(model_runs, draw, table, at):
    kwargs = {"at": at} if at else {}
    dutch = texts(draw(model_runs[table], lang="nl", **kwargs))
    english = set(texts(draw(model_runs[table], lang="en", **kwargs)))
    words = {v for k, v in LABELS["en"].items() if "{" not in v and v != LABELS["nl"][k]}
    assert not words & set(dutch), words & set(dutch)
    assert not [t for t in dutch if ENGLISH.search(t)]
    assert set(dutch) != english


def test_dutch_funnel_names_the_observed_counts():
    ts = synthetic(np.full(len(DATES), 40), spoken_cum=150, started_cum=50)
    fig = intake_funnel(ts, at="2022-01-01", lang="nl")
    assert "gesproken\n(gemeld 151)" in texts(fig)
    assert fig.axes[0].get_xlabel() == "mensen op 26 dec 2021 (mediaan van 1 runs per scenario)"


# --- calibration --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def calibration_inputs():
    """The committed calibration, posterior and predictive check, with made-up series."""
    from sim.calibration.fit import DEFAULT_CONFIG, DEFAULT_POSTERIOR
    from sim.calibration.settings import load_calibration

    cal = load_calibration(DEFAULT_CONFIG)
    posterior = pd.read_parquet(DEFAULT_POSTERIOR)
    table = pd.read_csv(DEFAULT_CONFIG.parent / "ppc.csv")
    weeks = np.arange(160)
    draws = pd.DataFrame(
        {
            "series_employed": [np.minimum(weeks * k / 3, 50.0) for k in (1, 2, 3)],
            "series_spoken_cum": [weeks * k for k in (1, 2, 3)],
        }
    )
    populations = pd.DataFrame(
        {"t": [-1, 0, 1, 2], "epsilon": [np.inf, 8.0, 4.0, 2.0],
         "particles": [0, 100, 100, 100], "samples": [1, 200, 400, 1000]}
    )  # fmt: skip
    return cal, posterior, table, draws, populations


def test_calibration_figures_are_written_without_pyplot(calibration_inputs, tmp_path):
    paths = calibration_figures.save_figures(*calibration_inputs, tmp_path / "figures")
    assert [p.name for p in paths] == [
        "posterior_marginals.png", "ppc_targets.png", "ppc_wijk.png", "ppc_timeseries.png",
        "abc_progress.png",
    ]  # fmt: skip
    for path in paths:
        assert path.stat().st_size > 10_000, path.name
    script = "import sys, sim.figures.calibration; print('matplotlib.pyplot' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_calibration_figures_draw_what_they_are_given(calibration_inputs):
    cal, posterior, table, draws, populations = calibration_inputs
    words = labels("en")
    marginals = calibration_figures.posterior_marginals(cal, posterior, words)
    assert isinstance(marginals, Figure)
    shown = [ax for ax in marginals.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == [p.name for p in cal.free]
    # A panel per fitted target, titled with its name and date; red when outside.
    panels = [ax for ax in calibration_figures.ppc_targets(table, words).axes if ax.get_visible()]
    fit = table[table["use"] == "fit"]
    assert [ax.get_title() for ax in panels] == [
        f"{t} ({d})" for t, d in zip(fit["target"], fit["date"], strict=True)
    ]
    # Two series panels, their medians the median of the three made-up runs.
    series = calibration_figures.ppc_timeseries(cal, draws, words)
    assert [ax.get_title() for ax in series.axes] == [
        "employed: posterior predictive", "spoken_cum: posterior predictive",
    ]  # fmt: skip
    (median,) = [line for line in series.axes[1].get_lines() if line.get_label() == "median"]
    np.testing.assert_allclose(median.get_ydata(), np.arange(160) * 2)
    progress = calibration_figures.abc_progress(populations, words)
    assert progress.get_suptitle() == "ABC-SMC progress: 1,601 simulations"
    # Acceptance rate per generation (t >= 0): 100/200, 100/400, 100/1000.
    np.testing.assert_allclose(progress.axes[1].get_lines()[0].get_ydata(), [0.5, 0.25, 0.1])


def test_calibration_figures_in_dutch(calibration_inputs):
    cal, _, table, _, populations = calibration_inputs
    words = labels("nl")
    assert calibration_figures.abc_progress(populations, words).axes[0].get_xlabel() == "generatie"
    wijk = calibration_figures.ppc_wijk(cal, table, words)
    assert wijk.axes[0].get_xlabel() == (
        "deelnemers die in de wijk wonen, 1 jan 2022 (gemeld totaal 47)"
    )


def test_spread_labels_keep_their_order_and_their_distance():
    from sim.figures.sensitivity import spread

    heights = np.array([3.0, 1.0, 3.01, 2.99, 0.5])
    placed = spread(heights, gap=0.2)
    assert (placed >= heights).all()  # a label is never below its point
    order = np.argsort(heights, kind="stable")
    assert (np.diff(placed[order]) >= 0.2 - 1e-12).all()
    # Points far from the others keep their label at their own height.
    assert placed[1] == 1.0
    assert placed[4] == 0.5


def test_spread_moves_only_labels_side_by_side():
    from sim.figures.sensitivity import spread

    heights = np.array([1.0, 1.0, 1.05])
    spans = np.array([[0.0, 1.0], [5.0, 6.0], [0.5, 1.5]])  # the second stands apart
    placed = spread(heights, gap=0.2, spans=spans)
    assert placed[0] == 1.0
    assert placed[1] == 1.0
    assert placed[2] == pytest.approx(1.2)


@pytest.mark.parametrize(
    "mu_spread",
    [0.05, 1.0],
    ids=["stacked", "side_by_side"],
)
def test_no_two_names_in_a_morris_plane_are_printed_over_each_other(mu_spread):
    # Twelve named parameters at almost the same sigma: all at almost the same mu*
    # (stacked), or spread along it so that names start inside each other (side by side).
    from sim.figures.sensitivity import morris_chart

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "method": "morris",
            "output": "year_250_reached",
            "parameter": [f"parameter_{i}" for i in range(20)],
            "mu_star": 1.0 + rng.uniform(0, mu_spread, 20),
            "mu_star_conf": 0.1,
            "sigma": 2.0 + rng.uniform(0, 0.05, 20),
        }
    )
    names = {f"parameter_{i}": f"a long name for parameter {i}" for i in range(20)}
    fig = morris_chart(frame, "year_250_reached", names=names, output_label="x", unit="y")
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [text.get_window_extent() for text in ax.texts]
    assert len(boxes) == 12
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    axes_box = ax.get_window_extent()
    assert all(box.y1 <= axes_box.y1 for box in boxes)  # every name inside the plane


def test_a_morris_plane_in_euros_writes_whole_numbers_without_an_offset():
    from sim.figures.sensitivity import morris_chart

    frame = pd.DataFrame(
        {
            "method": "morris",
            "output": "cost_net_cum_2030",
            "parameter": ["a", "b", "c"],
            "mu_star": [2.5e6, 1.2e6, 0.3e6],
            "mu_star_conf": 1e5,
            "sigma": [3.0e6, 0.8e6, 0.2e6],
        }
    )
    fig = morris_chart(frame, "cost_net_cum_2030", names={}, output_label="x", unit="EUR")
    fig.canvas.draw()
    ax = fig.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        assert axis.get_offset_text().get_text() == ""  # no "1e6" in a corner
        ticks = [label.get_text() for label in axis.get_ticklabels() if label.get_text()]
        assert "1,000,000" in ticks or "2,000,000" in ticks, ticks
