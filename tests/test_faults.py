"""Faults of the system, through the command line: a full disk, a read-only or locked
folder, a closed output pipe, Ctrl-C, a killed coordinator, and a bug.

Each ends with one line on standard error and the exit status the README promises (2 for
a location refused before anything is written, 1 for a fault while working, 130 for
Ctrl-C); what was finished is kept, and the same command completes the rest.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim.runner
from sim.cli import main
from sim.store import INDEX, read_table

ROOT = Path(__file__).resolve().parents[1]
CONFIG = (
    "name = 'small'\nreplicates = 12\nuntil = 2020-06-30\n"
    "[params]\nhouseholds = 1500\ninflow_households_per_year = 170\n"
)


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture
def disk(tmp_path):
    """A small tmpfs of the given size (mount needs root; skipped where not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = []

    def make(size: str, *, readonly: bool = False) -> Path:
        options = f"size={size}" + (",ro" if readonly else "")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(
                f"mounting a tmpfs is not permitted here ({done.stderr.strip()}): the "
                "full-disk and read-only tests need root"
            )
        mounted.append(mount)
        return mount

    yield make
    for path in mounted:
        subprocess.run(["umount", str(path)], check=False)


def one_line(err: str) -> str:
    assert err.endswith("\n"), err
    assert err.count("\n") == 1, err
    return err.rstrip("\n")


def test_too_little_room_is_refused_before_anything_is_written(disk, config, capsys):
    mount = disk("1m")
    code = main(["run", str(config), "--out", str(mount / "out"), "--workers", "1"])
    assert code == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith(f"basisbaan: {mount / 'out'}: too little free space: about ")
    assert "is needed for 12 runs and the outputs, and 1.0 MB is free there" in err
    assert list(mount.iterdir()) == []


def test_a_disk_that_fills_up_part_way_exits_1_keeps_the_finished_runs_and_resumes(
    disk, config, tmp_path, capsys, monkeypatch
):
    # Another writer can fill the disk after the check: the estimate is made too small.
    mount = disk("600k")
    out = mount / "out"
    argv = ["run", str(config), "--out", str(out), "--workers", "1", "--no-figures"]
    with monkeypatch.context() as patch:
        patch.setattr(sim.runner, "bytes_needed", lambda *args, **kwargs: 0)
        assert main(argv) == 1
    err = one_line(capsys.readouterr().err)
    assert "No space left on device; runs finished so far are kept: run the same command" in err
    assert err.startswith(f"basisbaan: {out}/")
    finished = len((out / INDEX).read_text().splitlines())
    assert 1 <= finished < 12
    assert not list(out.rglob(".*.tmp")), "a temporary file was left behind"

    subprocess.run(["mount", "-o", "remount,size=16m", str(mount)], check=True)
    assert main(argv) == 0
    assert f"({finished} already done)" in capsys.readouterr().out
    assert main(["run", str(config), "--out", str(tmp_path / "whole"), "--workers", "1",
                 "--no-figures"]) == 0  # fmt: skip
    for table in ("timeseries", "by_wijk", "years", "runs"):
        pd.testing.assert_frame_equal(
            read_table(out, table).drop(columns="seconds", errors="ignore"),
            read_table(tmp_path / "whole", table).drop(columns="seconds", errors="ignore"),
        )


def test_a_read_only_file_system_is_refused(disk, config, capsys):
    mount = disk("1m", readonly=True)
    assert main(["run", str(config), "--out", str(mount / "out")]) == 2
    err = one_line(capsys.readouterr().err)
    assert err == f"basisbaan: {mount / 'out'}: is on a read-only file system ({mount})"


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root writes through folder permissions; the read-only tmpfs test covers a "
    "folder that cannot be written",
)
def test_a_folder_without_permission_is_refused(config, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    assert main(["run", str(config), "--out", str(locked / "out")]) == 2
    err = one_line(capsys.readouterr().err)
    assert err == f"basisbaan: {locked / 'out'}: cannot be written ({locked}): permission denied"


def _command(config: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sim.cli", "run", str(config), "--out", str(out), *extra]


def test_a_closed_output_pipe_stops_nothing_and_is_said_in_one_line(config, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(config, out, "--workers", "1", "--no-figures", "--replications", "2"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # as `| head -0` would: the first line printed finds no reader
    err = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert one_line(err) == (
        "basisbaan: standard output was closed before everything was printed (broken pipe); "
        "the work itself was completed"
    )
    assert (out / "summary.csv").exists()
    assert len((out / INDEX).read_text().splitlines()) == 2


def _wait_for_runs(out: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        index = out / INDEX
        if index.exists() and len(index.read_text().splitlines()) >= count:
            return
        time.sleep(0.02)
    raise AssertionError("the runs did not start")


def _as_in_a_terminal() -> None:
    """Give the command Ctrl-C as a terminal does, however the test suite was started.

    A shell without job control starts a background job (``.ci/run &``, a CI runner)
    with SIGINT ignored, every child inherits that, and Python then leaves SIGINT
    ignored: the command would rightly run to its end.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_in_one_line_and_the_same_command_completes_the_rest(tmp_path):
    config = tmp_path / "small.toml"
    config.write_text(
        # 24 runs to the end of 2022: enough that Ctrl-C after the second finished run
        # arrives before the last one, however fast the runs (or slow the test) are.
        CONFIG.replace("replicates = 12", "replicates = 24").replace("2020-06-30", "2022-12-31")
    )
    out = tmp_path / "out"
    command = _command(config, out, "--workers", "2", "--no-figures")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=_as_in_a_terminal,
    )  # fmt: skip
    _wait_for_runs(out, 2, process)
    os.killpg(process.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert one_line(err) == (
        "basisbaan: interrupted; runs finished so far are kept: run the same command again "
        "to complete the rest"
    )
    finished = len((out / INDEX).read_text().splitlines())
    assert 2 <= finished < 24, "the run was not interrupted part way"
    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert f"({finished} already done)" in resumed.stdout
    assert len(read_table(out, "runs")) == 24


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_exit_when_their_coordinator_is_killed(tmp_path):
    config = tmp_path / "small.toml"
    config.write_text(CONFIG.replace("until = 2020-06-30", "until = 2026-12-31"))
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(config, out, "--workers", "2", "--no-figures"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    _wait_for_runs(out, 1, process)
    workers = _children(process.pid)
    assert len(workers) >= 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # A worker blocked on its task or its result pipe lingered for minutes before the
    # watch; with it, workers end within about a second.
    deadline = time.time() + 20
    while time.time() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    lingering = [pid for pid in workers if _running(pid)]
    for pid in lingering:
        os.kill(pid, signal.SIGKILL)
    assert lingering == []


def test_a_bug_is_one_line_pointing_to_debug_and_debug_shows_the_traceback(
    config, tmp_path, capsys, monkeypatch
):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(sim.runner, "run_experiment", broken)
    argv = ["run", str(config), "--out", str(tmp_path / "out")]
    assert main(argv) == 1
    assert one_line(capsys.readouterr().err) == (
        "basisbaan: internal error: ZeroDivisionError: division by zero (this is a bug; run "
        "again with --debug for the traceback and report it)"
    )
    assert main([*argv, "--debug"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in broken" in err
    assert err.rstrip("\n").endswith("run again with --debug for the traceback and report it)")


def test_debug_shows_the_traceback_of_bad_input_too(tmp_path, capsys):
    path = tmp_path / "x.toml"
    path.write_text("name = 'x'\n[params]\ncovid_factor = nan\n")
    assert main(["run", str(path), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.rstrip("\n").endswith("key 'params.covid_factor': must be a finite number (got nan)")
