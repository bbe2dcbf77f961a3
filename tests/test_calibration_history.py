"""The calibration's history: generations written in bulk are the rows pyabc writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pyabc
import pytest

from sim.calibration.history import History, written_in_bulk

PARAMETERS = ["a", "b", "c"]
STATISTICS = ["x", "y"]
# Columns stamped with the clock when written: the two databases differ there only.
CLOCK_COLUMNS = {"population_end_time", "start_time", "end_time"}


def _generation(
    rng: np.random.Generator, particles: int, kind: type
) -> pyabc.population.Population:
    """A generation as pyabc's sampler hands it over, with a nested parameter too.

    pyabc's ``Parameter`` flattens the nested one to "nested.inner"; a plain dict
    keeps it nested, and pyabc's history stores it as "nested_inner".
    """
    return pyabc.population.Population(
        [
            pyabc.population.Particle(
                m=0,
                parameter=kind(
                    {
                        **{name: float(rng.normal()) for name in PARAMETERS},
                        "nested": {"inner": float(rng.normal())},
                    }
                ),
                weight=1.0 / particles,
                sum_stat={name: float(rng.normal()) for name in STATISTICS},
                distance=float(rng.random()),
                accepted=True,
                proposal_id=i % 2,
            )
            for i in range(particles)
        ]
    )


def _new_run(url: str) -> pyabc.ABCSMC:
    abc = pyabc.ABCSMC(
        lambda _: {"x": 0.0, "y": 0.0},
        pyabc.Distribution(a=pyabc.RV("norm")),
        pyabc.PNormDistance(),
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    abc.new(url, {"x": 1.0, "y": 2.0})
    return abc


def _rows(database: Path) -> dict[str, list[tuple]]:
    """Every table's rows in id order, without the clock columns."""
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("select name from sqlite_master where type = 'table'")
        ]
        rows = {}
        for table in tables:
            columns = [
                row[1]
                for row in connection.execute(f"pragma table_info({table})")
                if row[1] not in CLOCK_COLUMNS
            ]
            order = " order by id" if "id" in columns else ""
            rows[table] = connection.execute(
                f"select {', '.join(columns)} from {table}{order}"
            ).fetchall()
    return rows


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """Three generations written by pyabc's own history and by the bulk one."""
    folder = tmp_path_factory.mktemp("histories")
    generations = [
        _generation(np.random.default_rng(t), 40 + 10 * t, kind)
        for t, kind in enumerate([pyabc.Parameter, dict, pyabc.Parameter])
    ]
    databases = {}
    for label in ("pyabc", "bulk"):
        databases[label] = folder / f"{label}.db"
        abc = _new_run(f"sqlite:///{databases[label]}")
        history = written_in_bulk(abc) if label == "bulk" else abc.history
        assert isinstance(history, History) == (label == "bulk")
        for t, generation in enumerate(generations):
            history.append_population(t, 1.0 / (t + 1), generation, 100 + t, ["model"])
    return databases


def test_the_bulk_history_writes_the_rows_and_ids_pyabc_writes(both):
    ours, theirs = _rows(both["bulk"]), _rows(both["pyabc"])
    assert ours.keys() == theirs.keys()
    for table in theirs:
        assert ours[table] == theirs[table], table
    # Not vacuous: three generations of 40, 50 and 60 particles, each with four
    # parameters (the nested one named as above) and two statistics, after the
    # row pyabc keeps the observed statistics in (a particle without parameters): the
    # ids continue from rows already there.
    assert len(theirs["particles"]) == 1 + 150
    assert len(theirs["parameters"]) == 150 * 4
    assert len(theirs["summary_statistics"]) == 2 + 150 * 2
    assert {row[2] for row in theirs["parameters"]} == {*PARAMETERS, "nested.inner", "nested_inner"}


def test_pyabc_reads_the_bulk_history_as_its_own(both):
    ours = pyabc.History(f"sqlite:///{both['bulk']}", create=False)
    theirs = pyabc.History(f"sqlite:///{both['pyabc']}", create=False)
    assert ours.max_t == theirs.max_t == 2
    assert ours.total_nr_simulations == theirs.total_nr_simulations == 100 + 101 + 102
    for t in range(3):
        frame, weights = ours.get_distribution(m=0, t=t)
        expected_frame, expected_weights = theirs.get_distribution(m=0, t=t)
        assert frame.equals(expected_frame)
        np.testing.assert_array_equal(weights, expected_weights)
        statistics, names = ours.get_weighted_sum_stats(t)
        expected_statistics, expected_names = theirs.get_weighted_sum_stats(t)
        np.testing.assert_array_equal(statistics, expected_statistics)
        assert names == expected_names
    assert (
        ours.get_all_populations()
        .drop(columns="population_end_time")
        .equals(theirs.get_all_populations().drop(columns="population_end_time"))
    )
