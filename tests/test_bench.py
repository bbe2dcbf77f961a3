"""The speed benchmark: medians, ratios to the anchor timed in the same run, the load."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from sim.bench import CALIBRATION_UNTIL, BenchResult, _result, compare_with_anchor
from sim.simulation import DEFAULT_UNTIL
from sim.timeline import weeks_until


def test_a_result_is_the_median_and_the_minimum_of_its_runs():
    result = _result([0.3, 0.1, 0.2, 0.5], recipients=100, until=CALIBRATION_UNTIL)
    assert result == BenchResult(
        median_seconds=0.25, min_seconds=0.1, recipients=100, weeks=161, runs=4
    )
    assert result.ns_per_recipient_week == pytest.approx(0.25 / (100 * 161) * 1e9)


@pytest.fixture
def anchors(tmp_path) -> Path:
    """A stand-in numpy anchor that takes no time and says 0.05 s."""
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "numpy_bound.py").write_text("print('warming up')\nprint(0.05)\n")
    return folder


def test_both_runs_are_timed_against_the_anchor_before_each_round_and_at_the_end(anchors):
    comparison = compare_with_anchor(anchors, repeats=2, rounds=2)
    assert comparison.anchor_seconds == (0.05, 0.05, 0.05)
    assert comparison.replicate.runs == comparison.calibration.runs == 2
    assert comparison.replicate.weeks == weeks_until(DEFAULT_UNTIL) + 1
    assert comparison.calibration.weeks == weeks_until(CALIBRATION_UNTIL) + 1
    assert comparison.ratio(comparison.calibration) == pytest.approx(
        comparison.calibration.median_seconds / 0.05
    )
    assert all(load >= 0 for load in comparison.load_average)
    assert statistics.median(comparison.anchor_seconds) == comparison.anchor_median
