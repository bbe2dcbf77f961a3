"""A worker process follows its coordinator: it leaves Ctrl-C to it, and dies with it.

A process pool's workers wait on a pipe from their coordinator. When the coordinator is
killed (SIGKILL, an out-of-memory kill, a closed terminal) a worker that is running a
task, or blocked writing its result, does not notice: it lingers, holding memory and a
core, until someone kills it by hand. :func:`watch_coordinator` starts a thread that
waits on the parent's sentinel (``multiprocessing.parent_process()``) and ends the
process at once when the parent ends.

Ctrl-C in a terminal interrupts every process of the group. A worker interrupted in
the middle of a task prints a traceback that tells the user nothing; the coordinator is
the one that stops the work, keeps what is finished and says so in one line. So a
worker ignores SIGINT (:func:`ignore_interrupts`); started with SIGINT ignored, a
spawned worker ignores it from its first instruction (Python leaves an ignored SIGINT
alone), which :func:`interrupts_ignored` arranges around starting workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Iterator

_watching = False


def watch_coordinator() -> bool:
    """In a worker process: ignore Ctrl-C, and exit as soon as the parent ends (idempotent).

    Returns:
        Whether a watch runs (False in a process that no ``multiprocessing`` parent
        started, such as the coordinator itself).
    """
    global _watching
    parent = mp.parent_process()
    if parent is None or parent.sentinel is None:
        return False
    if not _watching:
        _watching = True
        ignore_interrupts()
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            # The results can go nowhere: end now, without cleanup that could block.
            os._exit(1)

        threading.Thread(target=watch, name="watch-coordinator", daemon=True).start()
    return True


def ignore_interrupts() -> None:
    """Ignore SIGINT in this process (only possible from the main thread)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Start processes inside this block: they begin with SIGINT ignored.

    The coordinator ignores SIGINT for as long as the block lasts (the few milliseconds
    of starting the processes): a Ctrl-C in that instant is lost, not half-handled.
    Outside the main thread, where signals cannot be set, it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
