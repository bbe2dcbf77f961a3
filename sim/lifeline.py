"""A worker process exits when the process that started it is gone.

A process pool's workers wait on a pipe from their coordinator. When the coordinator is
killed (SIGKILL, an out-of-memory kill, a closed terminal) a worker that is running a
task, or blocked writing its result, does not notice: it lingers, holding memory and a
core, until someone kills it by hand. :func:`watch_coordinator` starts a thread that
waits on the parent's sentinel (``multiprocessing.parent_process()``) and ends the
process at once when the parent ends.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection
import os
import threading

_watching = False


def watch_coordinator() -> bool:
    """In a worker process, exit as soon as the parent process ends (idempotent).

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
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            # The results can go nowhere: end now, without cleanup that could block.
            os._exit(1)

        threading.Thread(target=watch, name="watch-coordinator", daemon=True).start()
    return True
