"""The result store: atomic parts, resume, refusals; checksums in the index, damaged parts
found on resume and on reading."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sim.store as store
from sim.cli import main
from sim.experiment import parse_experiment
from sim.runner import run_experiment
from sim.store import (
    COMPRESSED_FROM_ROWS,
    INDEX,
    MANIFEST,
    TABLES,
    DamagedResultsError,
    ResultStore,
    StoreError,
    git_revision,
    load_results,
    read_manifest,
    read_table,
    shared_reads,
    to_parquet_bytes,
)

ONE = {"name": "one", "replicates": 2, "seed": 5, "until": "2022-06-30", "scenarios": {"a": {}}}


def experiment(**changes):
    return parse_experiment({**ONE, **changes}, source="one.toml")


def parts(scenario="a", replicate=0, seconds=1.0, rows=2):
    """One run's five tables as Parquet bytes, with a marker value per table."""
    keys = {"scenario": scenario, "sample": 0, "replicate": replicate}
    dates = pd.date_range("2020-03-01", periods=rows, freq="7D")
    frames = {
        "timeseries": pd.DataFrame({**keys, "date": dates, "employed": range(rows)}),
        "by_wijk": pd.DataFrame({**keys, "date": dates, "wijk": "Beijum", "employed": 1}),
        "composition": pd.DataFrame({**keys, "group": ["women"], "participant_share": [0.5]}),
        "years": pd.DataFrame({**keys, "year": [2020], "cost_net_eur": [1.0]}),
        "runs": pd.DataFrame(
            {**keys, "seed": [11 + replicate], "seconds": [seconds], "year_250": [2027.5]},
            index=[0],
        ),
    }
    return {table: to_parquet_bytes(frame) for table, frame in frames.items()}


@pytest.fixture
def opened(tmp_path):
    results = ResultStore(tmp_path / "out", experiment())
    assert results.open() == set()
    return results


def test_open_makes_the_directory_the_tables_and_a_running_manifest(opened):
    for table in TABLES:
        assert (opened.directory / f"{table}.parquet").is_dir()
    manifest = read_manifest(opened.directory)
    exp = opened.experiment
    assert manifest["status"] == "running"
    assert manifest["experiment_hash"] == exp.digest()
    assert manifest["name"] == "one"
    assert manifest["master_seed"] == 5
    assert manifest["replicates"] == 2
    assert manifest["seeds"] == exp.seeds()
    assert manifest["until"] == "2022-06-30"
    assert manifest["runs_total"] == 2  # 1 scenario x 1 sample x 2 replicates
    assert manifest["package_version"] == store.__version__
    assert manifest["description"] == exp.description
    assert manifest["experiment_file"] == "one.toml"
    assert manifest["experiment_text"] == exp.text
    assert manifest["experiment"] == json.loads(json.dumps(exp.identity(), default=str))
    assert manifest["scenario_descriptions"] == exp.scenario_descriptions
    assert manifest["git_revision"] == store.git_revision()
    assert manifest["started"].endswith("+00:00")  # in UTC
    # Written for people to read too: indented JSON.
    text = (opened.directory / MANIFEST).read_text(encoding="utf-8")
    assert text == json.dumps(manifest, indent=2)


def test_the_manifest_names_the_areas_the_target_and_the_municipality(opened, tmp_path):
    # Without a profile: the registry's Groningen, its areas and the council's 250.
    manifest = read_manifest(opened.directory)
    areas = [area.model_dump() for area in opened.experiment.params("a").areas]
    assert manifest["municipality"] is None
    assert manifest["target_jobs"] == 250
    assert manifest["areas"] == json.loads(json.dumps(areas, default=str))
    assert len(manifest["areas"]) > 1
    # With the Amersfoort profile (municipalities/amersfoort.toml): its target of 75.
    there = parse_experiment({**ONE, "municipality": "amersfoort"}, source="one.toml")
    results = ResultStore(tmp_path / "amersfoort", there)
    results.open()
    manifest = read_manifest(results.directory)
    assert manifest["municipality"] == json.loads(json.dumps(there.municipality.manifest()))
    assert manifest["municipality"]["name"] == "amersfoort"
    assert manifest["target_jobs"] == 75
    areas = [area.model_dump() for area in there.params("a").areas]
    assert manifest["areas"] == json.loads(json.dumps(areas, default=str))


def test_the_room_asked_for_counts_each_run_its_weeks_and_the_outputs():
    # 96 kB a run and 128 bytes a week; 4 MB for the summary, figures and report.
    assert store.bytes_needed(2, 10) == 2 * (96 * 1024 + 128 * 10) + 4 * 1024 * 1024
    assert store.bytes_needed(3, 100, outputs=False) == 3 * (96 * 1024 + 128 * 100)
    assert store.bytes_needed(0, 100, outputs=False) == 0


def test_a_failed_write_names_the_file_it_was_writing(tmp_path):
    # A full disk raises OSError(ENOSPC) without a file name: the store adds it.
    target = tmp_path / "x.parquet"
    named = store._naming(OSError(28, "No space left on device"), target)
    assert isinstance(named, OSError)
    assert (named.errno, named.strerror, named.filename) == (
        28,
        "No space left on device",
        str(target),
    )
    # An error that names a file already, has no errno, or is no OSError, stays as it is.
    for error in (OSError(13, "Permission denied", "/elsewhere"), OSError("odd"), KeyError("k")):
        assert store._naming(error, target) is error


def test_a_damaged_part_is_named_with_what_to_do(tmp_path):
    assert store._damaged(tmp_path / "p.parquet", "missing") == (
        f"{tmp_path / 'p.parquet'}: damaged (missing); run the same experiment into this "
        "directory again to redo that run"
    )


def test_the_runs_of_a_sweep_count_every_sample(tmp_path):
    # 1 scenario x 2 samples x 2 replicates.
    sweep = {"method": "grid", "parameters": {"matching_weeks": [1, 3]}}
    results = ResultStore(tmp_path / "out", experiment(sweep=sweep))
    results.open()
    assert read_manifest(results.directory)["runs_total"] == 4


def test_a_run_written_is_finished_and_read_back(opened):
    opened.write_run("a-0-0", parts())
    assert opened.finished() == {"a-0-0"}
    for table in TABLES:
        assert (opened.directory / f"{table}.parquet" / "a-0-0.parquet").exists()
    # No temporary file is left behind.
    assert not list(opened.directory.rglob("*.tmp"))
    assert opened.load("timeseries")["employed"].tolist() == [0, 1]
    assert load_results(opened.directory)["employed"].tolist() == [0, 1]


def test_the_runs_part_is_written_last(opened):
    # A run cut off part way (here: its years table is missing) has no runs part, so it
    # is not finished and will be run again.
    cut = parts()
    del cut["years"]
    with pytest.raises(KeyError):
        opened.write_run("a-0-0", cut)
    assert (opened.directory / "composition.parquet" / "a-0-0.parquet").exists()
    assert not (opened.directory / "runs.parquet" / "a-0-0.parquet").exists()
    assert opened.finished() == set()


@pytest.mark.parametrize("table", TABLES)
def test_a_run_with_a_part_cut_short_or_missing_is_not_finished(opened, table):
    opened.write_run("a-0-0", parts())
    opened.write_run("a-0-1", parts(replicate=1))
    part = opened.directory / f"{table}.parquet" / "a-0-0.parquet"
    part.write_bytes(part.read_bytes()[:-1])  # the closing magic bytes cut short
    assert opened.finished() == {"a-0-1"}
    part.unlink()
    assert opened.finished() == {"a-0-1"}


def test_reopening_returns_the_finished_runs_and_clears_stale_temporaries(opened):
    opened.write_run("a-0-0", parts())
    stale = opened.directory / "timeseries.parquet" / ".a-0-1.tmp"
    stale.write_bytes(b"half")
    again = ResultStore(opened.directory, experiment())
    assert again.open() == {"a-0-0"}
    assert not stale.exists()
    assert read_manifest(opened.directory)["status"] == "running"


def test_a_directory_of_another_experiment_is_refused(opened):
    opened.write_run("a-0-0", parts())
    other = ResultStore(opened.directory, experiment(seed=6))
    with pytest.raises(StoreError) as refused:
        other.open()
    assert str(refused.value) == (
        f"{opened.directory}: holds results of another experiment ('one', hash "
        f"{opened.experiment.digest()}); this one has hash {other.experiment.digest()}. "
        "Use --out to choose a new directory, or remove the old one."
    )
    # Nothing was touched.
    assert read_manifest(opened.directory)["master_seed"] == 5
    assert opened.finished() == {"a-0-0"}


def test_a_non_empty_directory_without_a_manifest_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError) as refused:
        ResultStore(tmp_path / "out", experiment()).open()
    assert str(refused.value) == (
        f"{tmp_path / 'out'}: is not empty and holds no manifest.json: not a results "
        "directory of this project. Use --out to choose a new directory."
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["notes.txt"]


def test_an_empty_directory_is_used(tmp_path):
    (tmp_path / "out").mkdir()
    assert ResultStore(tmp_path / "out", experiment()).open() == set()
    assert (tmp_path / "out" / MANIFEST).exists()


def test_an_unreadable_manifest_is_a_store_error(opened):
    (opened.directory / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match=r"manifest\.json: cannot be read: "):
        ResultStore(opened.directory, experiment()).open()


def test_finish_records_status_and_timings_from_the_index(opened, monkeypatch):
    opened.write_run("a-0-1", parts(replicate=1, seconds=3.0), seconds=3.0)
    opened.write_run("a-0-0", parts(replicate=0, seconds=1.0), seconds=1.0)
    # A run redone (a damaged part found on resume) counts once, with its last time.
    opened.write_run("a-0-1", parts(replicate=1, seconds=5.0), seconds=5.0)

    # The timings come from the index: reading the runs table back grew the
    # coordinator's memory with every run (issue 14: flat memory).
    def no_reading(*args, **kwargs):
        raise AssertionError("finish read a table")

    monkeypatch.setattr(ResultStore, "load", no_reading)
    started = dt.datetime(2024, 5, 1, 10, 0, 0)
    manifest = opened.finish(started=started, workers="1 (in process)")
    assert manifest == read_manifest(opened.directory)
    assert manifest["status"] == "complete"
    assert manifest["last_started"] == "2024-05-01T10:00:00"
    assert manifest["workers"] == "1 (in process)"
    assert manifest["runs_finished"] == 2
    assert manifest["run_seconds"] == {"total": 6.0, "median": 3.0, "max": 5.0}
    # Each run's keys, seed and seconds stay in runs.parquet, not in the manifest,
    # which would grow with the runs.
    assert "runs" not in manifest
    assert manifest["finished"] >= manifest["started"]


def test_finish_times_runs_indexed_without_seconds_from_the_runs_table(opened):
    opened.write_run("a-0-1", parts(replicate=1, seconds=3.0), seconds=3.0)
    opened.write_run("a-0-0", parts(replicate=0, seconds=1.0))  # no seconds on its line
    manifest = opened.finish(started=dt.datetime(2024, 5, 1), workers="dashboard")
    assert manifest["runs_finished"] == 2
    assert manifest["run_seconds"] == {"total": 4.0, "median": 2.0, "max": 3.0}


def test_read_table_sorts_by_run_and_date_and_reads_the_columns_asked(opened):
    opened.write_run("b-0-0", parts(scenario="b", rows=3))
    opened.write_run("a-0-1", parts(replicate=1, rows=3))
    opened.write_run("a-0-0", parts(rows=3))
    ts = read_table(opened.directory, "timeseries")
    assert list(zip(ts["scenario"], ts["replicate"], strict=True)) == [
        ("a", 0), ("a", 0), ("a", 0), ("a", 1), ("a", 1), ("a", 1), ("b", 0), ("b", 0), ("b", 0),
    ]  # fmt: skip
    assert ts["date"].is_monotonic_increasing is False  # dates restart with each run
    assert (
        ts.groupby(["scenario", "replicate"])["date"]
        .apply(lambda d: d.is_monotonic_increasing)
        .all()
    )
    assert list(ts.index) == list(range(9))
    only = read_table(opened.directory, "timeseries", columns=["scenario", "employed"])
    assert list(only.columns) == ["scenario", "employed"]
    assert list(opened.load("years", columns=["year"]).columns) == ["year"]


def test_reading_a_table_with_no_runs_is_a_store_error(opened, tmp_path):
    with pytest.raises(StoreError, match=r"timeseries\.parquet: holds no results"):
        read_table(opened.directory, "timeseries")
    with pytest.raises(StoreError, match="holds no results"):
        read_table(tmp_path / "nowhere", "runs")
    with pytest.raises(StoreError, match=r"nowhere: not a results directory \(no manifest\.json\)"):
        read_manifest(tmp_path / "nowhere")
    assert ResultStore(tmp_path / "nowhere", experiment()).finished() == set()


def test_parquet_bytes_hold_the_frame_without_its_index(tmp_path):
    frame = pd.DataFrame({"x": [1, 2]}, index=[5, 7])
    data = to_parquet_bytes(frame)
    assert data[-4:] == b"PAR1"
    (tmp_path / "f.parquet").write_bytes(data)
    back = pd.read_parquet(tmp_path / "f.parquet")
    assert list(back.columns) == ["x"]
    assert back["x"].tolist() == [1, 2]
    # No index column is stored; a part of a few rows is not compressed, a part of
    # many rows (a run's weeks) is compressed with zstd.
    stored = pq.ParquetFile(tmp_path / "f.parquet")
    assert stored.schema_arrow.names == ["x"]
    assert stored.metadata.row_group(0).column(0).compression == "UNCOMPRESSED"
    weeks = pd.DataFrame({"x": range(COMPRESSED_FROM_ROWS)})
    (tmp_path / "weeks.parquet").write_bytes(to_parquet_bytes(weeks))
    stored = pq.ParquetFile(tmp_path / "weeks.parquet")
    assert stored.metadata.row_group(0).column(0).compression == "ZSTD"


def test_git_revision_of_this_checkout_is_a_commit_hash(tmp_path, monkeypatch):
    # The revision is that of the code, wherever the command is run from: a commit hash
    # in a git checkout (CI clones the repository), 'unknown' in a copy without git.
    monkeypatch.chdir(tmp_path)
    revision = git_revision()
    # A checkout: .git in the code's folder or any above it (a copy such as mutmut's
    # mutants/ inside a checkout is in it too).
    if any((folder / ".git").exists() for folder in Path(store.__file__).resolve().parents):
        assert re.fullmatch(r"[0-9a-f]{40}(\+modified)?", revision), revision
    else:
        assert revision == "unknown"


class FakeGit:
    """Stands in for subprocess.run: answers rev-parse and status, honours check=True."""

    def __init__(self, head="abc123\n", status=" M sim/model.py\n", failing=()):
        self.head, self.status, self.failing = head, status, failing
        self.calls = []

    def __call__(self, command, **kwargs):
        self.calls.append((command, kwargs))
        code = 128 if command[1] in self.failing else 0
        if code and kwargs.get("check"):
            raise subprocess.CalledProcessError(code, command)
        out = self.head if command[1] == "rev-parse" else self.status
        return subprocess.CompletedProcess(command, code, stdout="" if code else out, stderr="")


def test_git_revision_names_the_commit_and_whether_the_tree_was_modified(monkeypatch):
    git = FakeGit()
    monkeypatch.setattr(store.subprocess, "run", git)
    assert git_revision() == "abc123+modified"
    package = Path(store.__file__).resolve().parent
    assert [command for command, _ in git.calls] == [
        ["git", "rev-parse", "HEAD"],
        ["git", "status", "--porcelain", "--untracked-files=no"],
    ]
    for _, kwargs in git.calls:
        assert kwargs["cwd"] == package
        assert kwargs["capture_output"] is True
        assert kwargs["text"] is True
        assert kwargs["timeout"] == 5
    monkeypatch.setattr(store.subprocess, "run", FakeGit(status=""))
    assert git_revision() == "abc123"


def test_git_revision_is_unknown_outside_a_checkout_and_clean_when_status_fails(monkeypatch):
    monkeypatch.setattr(store.subprocess, "run", FakeGit(failing=("rev-parse",)))
    assert git_revision() == "unknown"
    # A failing status (an odd checkout) does not stop the run: the tree counts as clean.
    monkeypatch.setattr(store.subprocess, "run", FakeGit(failing=("status",)))
    assert git_revision() == "abc123"

    def no_git(command, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(store.subprocess, "run", no_git)
    assert git_revision() == "unknown"


def test_the_manifest_is_replaced_whole(opened):
    # Written to a temporary name and renamed: no temporary is left, and the file is JSON.
    opened._write_manifest({"status": "x", "when": dt.date(2024, 1, 2)})
    assert json.loads((opened.directory / MANIFEST).read_text()) == {
        "status": "x",
        "when": "2024-01-02",
    }
    assert not list(opened.directory.glob(".*.tmp"))


def test_tables_are_read_in_run_date_year_and_wijk_order_whatever_the_files(tmp_path):
    # Part files are named by run key, so "a-10-0" (sample 10) sorts before "a-2-0"; the
    # rows of a part may come in any order. Reading sorts by scenario, sample,
    # replicate, then date, year or wijk.
    out = tmp_path / "out"
    results = ResultStore(out, experiment())
    results.open()
    for sample in (10, 2):
        keys = {"scenario": "a", "sample": sample, "replicate": 0}
        frames = {
            "timeseries": pd.DataFrame(
                {**keys, "date": pd.to_datetime(["2020-03-15", "2020-03-01"]), "employed": 1}
            ),
            "by_wijk": pd.DataFrame({**keys, "date": pd.Timestamp("2020-03-01"),
                                     "wijk": ["Selwerd", "Beijum"], "employed": 1}),
            "composition": pd.DataFrame({**keys, "group": ["women"]}),
            "years": pd.DataFrame({**keys, "year": [2021, 2020]}),
            "runs": pd.DataFrame({**keys, "seed": [1], "seconds": [1.0]}),
        }  # fmt: skip
        results.write_run(f"a-{sample}-0", {k: to_parquet_bytes(f) for k, f in frames.items()})
    ts = read_table(out, "timeseries")
    assert ts["sample"].tolist() == [2, 2, 10, 10]
    assert ts["date"].dt.day.tolist() == [1, 15, 1, 15]
    assert read_table(out, "years")["year"].tolist() == [2020, 2021, 2020, 2021]
    assert read_table(out, "by_wijk")["wijk"].tolist() == [
        "Beijum", "Selwerd", "Beijum", "Selwerd",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "runs_in_parts",
    [
        [[("b", 0), ("a", 1)], [("a", 0)]],  # a part holding two runs
        [[("a", 1)], [("a", 1)], [("a", 0)]],  # two parts holding the same run
        [[("b", 0)], [("a", 1)], [("a", 0)]],  # one run a part: each part sorted alone
    ],
)
def test_any_parts_read_in_the_order_one_stable_sort_of_all_rows_gives(tmp_path, runs_in_parts):
    # Parts that each hold one run are sorted one by one and put in run order (for
    # speed); anything else is sorted as a whole. Either way the rows come out as
    # pandas' stable sort of all of them puts them.
    out = tmp_path / "out"
    results = ResultStore(out, experiment())
    results.open()
    written = []
    for number, runs in enumerate(runs_in_parts):
        frame = pd.DataFrame(
            [
                {"scenario": scenario, "sample": 0, "replicate": replicate,
                 "date": pd.Timestamp("2020-03-01") + pd.Timedelta(weeks=week),
                 "wijk": wijk, "employed": 100 * number + 10 * week + len(wijk)}
                for scenario, replicate in runs
                for week in (2, 0, 1)
                for wijk in ("Selwerd", "Beijum")
            ]
        )  # fmt: skip
        results.write_run(f"part-{number}", dict.fromkeys(TABLES, to_parquet_bytes(frame)))
        written.append(frame)
    order = ["scenario", "sample", "replicate", "date", "wijk"]
    expected = pd.concat(written).sort_values(order, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(read_table(out, "by_wijk"), expected, check_dtype=False)


# --- integrity: checksums in the index, damaged parts found and named ---------------------

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


def _without_index(finished: Path, tmp_path: Path) -> Path:
    """A copy read as a directory written before there was an index (no checksums)."""
    out = tmp_path / "old"
    shutil.copytree(finished, out)
    (out / INDEX).unlink()
    return out


class _Unreadable:
    """Stands in for pyarrow's ParquetFile: Arrow's message for a damaged file, 3 lines."""

    MESSAGE = "Parquet file is damaged\nwhile reading its footer\nat byte 812"

    def __init__(self, source, *, opens: bool):
        if not opens:
            raise pa.ArrowInvalid(self.MESSAGE)
        self.schema_arrow = pa.schema([("employed", pa.int64())])

    def read(self, columns=None):
        raise pa.ArrowInvalid(self.MESSAGE)


@pytest.mark.parametrize("opens", [False, True], ids=["on opening", "on reading"])
def test_a_part_arrow_cannot_read_is_named_with_the_first_line_of_why(
    finished, tmp_path, monkeypatch, opens
):
    # Without an index there is no checksum to compare: the damage shows when Arrow
    # reads the file. The message names the file and keeps Arrow's first line, so that
    # it stays one line (the README's promise for every failure).
    out = _without_index(finished, tmp_path)
    monkeypatch.setattr(store.pq, "ParquetFile", lambda source: _Unreadable(source, opens=opens))
    first = part(out, "runs", KEYS[0])
    with pytest.raises(DamagedResultsError) as raised:
        read_table(out, "runs")
    assert str(raised.value) == store._damaged(first, "Parquet file is damaged")


def test_a_part_of_an_old_directory_is_read_without_checksums(finished, tmp_path):
    out = _without_index(finished, tmp_path)
    pd.testing.assert_frame_equal(read_table(out, "runs"), read_table(finished, "runs"))
    middle_overwritten(part(out, "runs", KEYS[0]))
    with pytest.raises(DamagedResultsError, match=re.escape(str(part(out, "runs", KEYS[0])))):
        read_table(out, "runs")


def test_damaged_bytes_in_the_index_spoil_only_their_own_line(copy):
    # A line of the index with bytes that are not UTF-8 (a disk fault) marks its run as
    # not finished; the runs on the lines after it stand.
    lines = (copy / INDEX).read_bytes().splitlines(keepends=True)
    spoiled = json.loads(lines[1])["run"]
    lines[1] = b"\xff\xfe" + lines[1][2:]  # the line is no longer JSON
    (copy / INDEX).write_bytes(b"".join(lines))
    assert set(store._read_index(copy)) == set(KEYS) - {spoiled}


def test_an_index_that_cannot_be_read_is_named(copy):
    (copy / INDEX).unlink()
    (copy / INDEX).mkdir()  # reading a folder fails with an OSError other than "missing"
    with pytest.raises(StoreError) as raised:
        store._read_index(copy)
    assert str(raised.value).startswith(f"{copy / INDEX}: cannot be read: ")


def test_a_forecasts_manifest_records_its_posterior_and_when_it_was_made(tmp_path):
    # Pre-registration (the calibration issue): a forecast's manifest names the
    # posterior it drew from and the moment it was made; an experiment has no record.
    provenance = {"posterior_sha256": "ab" * 32, "observed_until": "2023-03-31"}
    forecast = dataclasses.replace(experiment(), provenance=provenance)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)  # recorded to the second
    ResultStore(tmp_path / "forecast", forecast).open()
    record = read_manifest(tmp_path / "forecast")["forecast"]
    assert {k: record[k] for k in provenance} == provenance
    assert before <= dt.datetime.fromisoformat(record["made"]) <= dt.datetime.now(dt.UTC)
    ResultStore(tmp_path / "plain", experiment()).open()
    assert read_manifest(tmp_path / "plain")["forecast"] is None


def test_a_missing_part_is_named_as_missing(copy):
    gone = part(copy, "years", KEYS[2])
    gone.unlink()
    with pytest.raises(DamagedResultsError) as raised:
        read_table(copy, "years")
    assert str(raised.value) == store._damaged(gone, "missing")


def test_two_missing_columns_are_both_named(finished):
    with pytest.raises(StoreError, match=r"has no column nonsense, rubbish: the experiment"):
        read_table(finished, "timeseries", columns=["date", "nonsense", "rubbish"])


def test_an_index_line_without_every_table_marks_nothing(copy):
    # A line whose checksums or sizes lack a table (damage that left valid JSON) does
    # not count the run as finished: it runs again.
    lines = (copy / INDEX).read_text().splitlines()
    for field in ("sha256", "bytes"):
        entry = json.loads(lines[0])
        del entry[field]["years"]
        (copy / INDEX).write_text("\n".join([json.dumps(entry), *lines[1:]]) + "\n")
        assert set(store._read_index(copy)) == {json.loads(line)["run"] for line in lines[1:]}


def test_resuming_removes_the_damaged_runs_parts_and_keeps_the_other_runs_indexed(copy):
    damaged = part(copy, "timeseries", KEYS[1])
    middle_overwritten(damaged)
    results = ResultStore(copy, small())
    assert results.open() == set(KEYS) - {KEYS[1]}
    assert not any(path.exists() for path in results._parts(KEYS[1]).values())
    assert set(store._read_index(copy)) == set(KEYS) - {KEYS[1]}


def test_within_shared_reads_each_directory_and_column_choice_is_its_own(finished, copy):
    middle_overwritten(part(copy, "timeseries", KEYS[0]))  # only the copy is damaged
    with shared_reads():
        assert len(read_table(finished, "timeseries").columns) > 1
        # The columns asked for, not the whole table read just before.
        assert list(read_table(finished, "timeseries", columns=["date"]).columns) == ["date"]
        with pytest.raises(DamagedResultsError):
            read_table(copy, "timeseries")


def test_shared_reads_work_in_a_new_thread(finished):
    # The dashboard writes its report in a thread of its own: its block starts there.
    def read_twice():
        with shared_reads():
            return read_table(finished, "runs").equals(read_table(finished, "runs"))

    with cf.ThreadPoolExecutor(1) as pool:
        assert pool.submit(read_twice).result()


def test_a_failed_write_of_a_part_or_the_index_names_its_file_and_leaves_no_temporary(
    opened, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_bytes", full)
        with pytest.raises(OSError, match="No space left on device") as raised:
            opened.write_run("a-0-0", parts())
    assert raised.value.filename == str(opened.directory / "timeseries.parquet" / "a-0-0.parquet")
    with monkeypatch.context() as patch:
        patch.setattr(store, "open", full, raising=False)
        with pytest.raises(OSError, match="No space left on device") as raised:
            opened.write_run("a-0-0", parts())
    assert raised.value.filename == str(opened.directory / INDEX)
    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_text", full)
        with pytest.raises(OSError, match="No space left on device") as raised:
            store._write_atomically(opened.directory / MANIFEST, "{}")
    assert raised.value.filename == str(opened.directory / MANIFEST)
    assert not list(opened.directory.rglob("*.tmp"))
