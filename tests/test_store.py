"""The result store: checksums in the index, damaged parts found on resume and on reading."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiment import parse_experiment
from sim.runner import run_experiment
from sim.store import (
    INDEX,
    TABLES,
    DamagedResultsError,
    ResultStore,
    StoreError,
    load_results,
    read_table,
    shared_reads,
)

SMALL = {
    "name": "small",
    "replicates": 3,
    "until": "2020-09-30",
    "params": {"households": 1_500, "inflow_households_per_year": 170},
    "scenarios": {"a": {}, "b": {"covid_factor": 0.9}},
}
KEYS = [f"{s}__s0000__r{r:05d}" for s in ("a", "b") for r in range(3)]


def small():
    return parse_experiment(SMALL, source="small.toml")


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store") / "small"
    run_experiment(small(), out, workers=1)
    return out


@pytest.fixture
def copy(finished, tmp_path) -> Path:
    out = tmp_path / "small"
    shutil.copytree(finished, out)
    return out


def part(directory: Path, table: str, key: str) -> Path:
    return directory / f"{table}.parquet" / f"{key}.parquet"


def middle_overwritten(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle : middle + 16] = b"\x00" * 16
    path.write_bytes(bytes(raw))


def test_the_index_holds_a_checksum_and_size_per_part_of_every_run(finished):
    lines = (finished / INDEX).read_text().splitlines()
    assert len(lines) == 6
    entries = [json.loads(line) for line in lines]
    assert sorted(e["run"] for e in entries) == sorted(KEYS)
    for entry in entries:
        assert set(entry["sha256"]) == set(TABLES)
        for table in TABLES:
            assert entry["bytes"][table] == part(finished, table, entry["run"]).stat().st_size
            assert len(entry["sha256"][table]) == 64


DAMAGES = {
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:-100]),
    "emptied": lambda path: path.write_bytes(b""),
    "middle bytes overwritten": middle_overwritten,
    "deleted": lambda path: path.unlink(),
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("table", ["timeseries", "runs"])
def test_resume_finds_a_damaged_part_redoes_its_run_and_says_which(copy, finished, damage, table):
    key = KEYS[4]
    DAMAGES[damage](part(copy, table, key))
    done, damaged = ResultStore(copy, small()).inspect()
    assert done == set(KEYS) - {key}
    assert [(d.key, d.path) for d in damaged] == [(key, part(copy, table, key))]
    report = run_experiment(small(), copy, workers=1)
    assert (report.runs_done, report.runs_skipped) == (1, 5)
    assert [d.key for d in report.redone] == [key]
    for name in ("timeseries", "by_wijk", "composition", "years"):
        pd.testing.assert_frame_equal(read_table(copy, name), read_table(finished, name))


@pytest.mark.parametrize("damage", ["truncated", "emptied", "middle bytes overwritten"])
def test_reading_names_the_damaged_file(copy, damage):
    path = part(copy, "timeseries", KEYS[2])
    DAMAGES[damage](path)
    with pytest.raises(DamagedResultsError, match=rf"^{path}: damaged \(") as caught:
        load_results(copy)
    assert "run the same experiment into this directory again" in str(caught.value)


def test_a_damaged_part_without_an_index_is_named_too(copy):
    # A directory written before the index existed is read part by part; Parquet itself
    # finds a file cut short (bytes overwritten in the middle it may not: the checksums
    # are what finds those).
    (copy / INDEX).unlink()
    path = part(copy, "timeseries", KEYS[1])
    DAMAGES["truncated"](path)
    with pytest.raises(DamagedResultsError, match=rf"^{path}: damaged"):
        load_results(copy)


def test_the_command_line_says_which_run_it_redid(copy, tmp_path, capsys):
    path = part(copy, "by_wijk", KEYS[0])
    middle_overwritten(path)
    config = tmp_path / "small.toml"
    config.write_text(
        "name = 'small'\nreplicates = 3\nuntil = 2020-09-30\n"
        "[params]\nhouseholds = 1500\ninflow_households_per_year = 170\n"
        "[scenarios.a]\n[scenarios.b]\ncovid_factor = 0.9\n"
    )
    assert main(["run", str(config), "--out", str(copy), "--workers", "1", "--no-figures"]) == 0
    out = capsys.readouterr().out
    assert "1 runs in" in out
    assert "(5 already done)" in out
    assert "redone, as a part was missing or damaged: 1 run(s)" in out
    assert f"{path} (its checksum differs from the one recorded when it was written)" in out


def test_reading_a_damaged_results_folder_on_the_command_line_exits_1_naming_the_file(copy, capsys):
    path = part(copy, "timeseries", KEYS[3])
    middle_overwritten(path)
    assert main(["report", str(copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"basisbaan: {path}: damaged (")
    assert err.count("\n") == 1


def test_a_run_out_of_the_index_is_not_read_and_runs_again(copy, finished):
    # A process killed after writing a run's parts but before indexing it.
    lines = (copy / INDEX).read_text().splitlines()
    (copy / INDEX).write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:30])
    unindexed = json.loads(lines[-1])["run"]
    assert len(read_table(copy, "runs")) == 5
    assert ResultStore(copy, small()).inspect() == (set(KEYS) - {unindexed}, [])
    report = run_experiment(small(), copy, workers=1)
    assert report.runs_done == 1
    assert len((copy / INDEX).read_text().splitlines()) == 6
    pd.testing.assert_frame_equal(
        read_table(copy, "timeseries"), read_table(finished, "timeseries")
    )


def test_a_missing_column_is_named(finished):
    with pytest.raises(StoreError, match=r"has no column nonsense: the experiment did not keep it"):
        read_table(finished, "timeseries", columns=["date", "nonsense"])


def test_inspect_writes_nothing(tmp_path):
    out = tmp_path / "new"
    assert ResultStore(out, small()).inspect() == (set(), [])
    assert not out.exists()


def test_a_table_is_sorted_by_scenario_replicate_and_date_as_pandas_sorts_it(finished):
    ts = read_table(finished, "timeseries")
    order = ["scenario", "sample", "replicate", "date"]
    expected = ts.sample(frac=1, random_state=0).sort_values(order, kind="stable")
    pd.testing.assert_frame_equal(ts, expected.reset_index(drop=True))
    assert ts["scenario"].iloc[0] == "a"


def test_within_shared_reads_a_table_is_read_once_and_outside_every_read_checks(copy):
    first = read_table(copy, "runs")
    with shared_reads():
        inside = read_table(copy, "runs")
        middle_overwritten(part(copy, "runs", KEYS[0]))
        again = read_table(copy, "runs")  # the table already read: no second pass
        again.loc[0, "replicate"] = 99  # a fresh frame each time: nobody shares a change
        pd.testing.assert_frame_equal(read_table(copy, "runs"), inside)
    pd.testing.assert_frame_equal(inside, first)
    with pytest.raises(DamagedResultsError, match=r"runs\.parquet"):
        read_table(copy, "runs")
