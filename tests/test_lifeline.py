"""A worker exits when the process that started it dies (sim.lifeline)."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from pathlib import Path

import pytest

from sim.lifeline import watch_coordinator


def test_the_coordinator_itself_has_nothing_to_watch():
    assert watch_coordinator() is False


def _worker(pid_file: str, watch: bool) -> None:
    if watch:
        assert watch_coordinator() is True
        assert watch_coordinator() is True  # a second call starts no second watch
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(120)  # a long task: without the watch it outlives its coordinator


def _coordinator(pid_file: str, watch: bool) -> None:
    worker = mp.get_context("spawn").Process(target=_worker, args=(pid_file, watch))
    worker.start()
    worker.join()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("watch", [True, False])
def test_a_watching_worker_ends_with_its_coordinator(tmp_path, watch):
    pid_file = tmp_path / "worker.pid"
    coordinator = mp.get_context("spawn").Process(target=_coordinator, args=(str(pid_file), watch))
    coordinator.start()
    deadline = time.time() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.time() < deadline, "the worker did not start"
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    os.kill(coordinator.pid, signal.SIGKILL)
    coordinator.join()
    # A watching worker ends within a second; the control is given two seconds to show
    # that it does not.
    deadline = time.time() + (10 if watch else 2)
    while _alive(worker) and time.time() < deadline:
        time.sleep(0.05)
    lingering = _alive(worker)
    if lingering:
        os.kill(worker, signal.SIGKILL)
    # Without the watch the worker lingers (what the watch is for); with it, it ends.
    assert lingering is not watch
