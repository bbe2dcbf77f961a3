"""The speed benchmark: its arithmetic, a tiny timed run, and the anchors it runs."""

from __future__ import annotations

import pytest

from sim import Params
from sim.bench import BenchResult, bench_replicate, time_anchor
from sim.simulation import DEFAULT_UNTIL
from sim.timeline import weeks_until

from .conftest import SMALL


def test_nanoseconds_per_recipient_week():
    # 0.5 s for 1,000 recipients over 500 weeks: 0.5 / 500,000 s = 1,000 ns.
    result = BenchResult(median_seconds=0.5, min_seconds=0.4, recipients=1_000, weeks=500)
    assert result.ns_per_recipient_week == pytest.approx(1_000.0)


def test_a_small_benchmark_times_each_repeat_to_2030():
    result = bench_replicate(repeats=2, params=Params().with_overrides(SMALL))
    # One row per week from 1 March 2020 to 31 December 2030, the start included.
    assert result.weeks == weeks_until(DEFAULT_UNTIL) + 1 == 566
    assert 0 < result.min_seconds <= result.median_seconds
    # The people on bijstand at the start of a small town of 1,500 households: some,
    # and at most two per household (a couple).
    assert 0 < result.recipients <= 2 * SMALL["households"]
    assert result.ns_per_recipient_week > 0


def test_an_anchor_is_run_with_the_size_and_its_last_line_is_its_seconds(tmp_path):
    script = tmp_path / "anchor.py"
    script.write_text(
        "import sys\nprint('warming up')\nprint(int(sys.argv[1]) / int(sys.argv[2]))\n",
        encoding="utf-8",
    )
    assert time_anchor(script, 30, 4) == 7.5
    failing = tmp_path / "failing.py"
    failing.write_text("raise SystemExit(3)\n", encoding="utf-8")
    with pytest.raises(Exception, match="returned non-zero exit status 3"):
        time_anchor(failing, 1, 1)
