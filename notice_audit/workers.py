"""Worker processes for ``--jobs`` (audit and crawl), and ending them whatever ends the run.

Extraction is CPU-bound, so parallel runs audit in processes. A pool left to itself outlives a run
that stops early: leaving ``ProcessPoolExecutor``'s block waits for every queued file, and a main
process ended by SIGTERM leaves its workers behind. So here:

- workers ignore SIGINT (a terminal's Ctrl-C reaches the whole process group; the main process decides)
  and die at once on SIGTERM;
- when the block is left by an exception (an error, :class:`~notice_audit.app.interrupt.Interrupted`, or a
  generator closed early), queued work is cancelled and every worker is terminated, not waited for;
- on Linux a worker is also sent SIGTERM when the main process dies, even by SIGKILL (``prctl``'s
  parent-death signal), so that no worker is left orphaned.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

#: How long a terminated worker is given to go before it is killed.
GRACE_S = 1.0
_PR_SET_PDEATHSIG = 1


@contextmanager
def worker_pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> Iterator[
        ProcessPoolExecutor]:
    """A pool of ``jobs`` processes, each set up by ``initializer(*initargs)``; waited for when the block
    completes, ended at once when it is left by an exception."""
    context = multiprocessing.get_context()
    parent = os.getpid() if context.get_start_method() == "fork" else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                               initargs=(parent, initializer, initargs))
    try:
        yield pool
    except BaseException:
        end_workers(pool)
        raise
    pool.shutdown(wait=True)


def end_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and terminate every worker (killing any that outlives :data:`GRACE_S`)."""
    # Before Python 3.14's terminate_workers() the processes are reachable only as _processes (3.11 to 3.14).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(GRACE_S)
            if process.is_alive():
                process.kill()
                process.join(GRACE_S)


def _start_worker(parent: int | None, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Runs first in every worker: its signals, its tie to the main process, then the caller's set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the run's handler: drop it
    _end_with_parent()
    if parent is not None and os.getppid() != parent:  # the main process died before the tie was made
        os._exit(0)
    initializer(*initargs)


def _end_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
