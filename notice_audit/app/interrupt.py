"""Stopping a run on SIGINT (Ctrl-C) and SIGTERM (``kill``, ``docker stop``, a CI job cancelled).

Both signals raise :class:`Interrupted` in the main thread, so that the run unwinds as it does for
an error: worker processes are ended (``workers``), half-written reports are removed (``report.output``)
and nothing is recorded in the history. It subclasses KeyboardInterrupt because that is what asyncio
and ``concurrent.futures`` let through at once rather than keep as a task's result. The command exits
with 128 plus the signal's number (130, 143), as a shell reports a process a signal ended.

While a run's results are being written (:func:`signals_held`), a first signal waits for the writing to
end, so that the reports, the baseline and the history record are all written or none is; a second
signal stops at once (a write that blocks, as into a FIFO nobody reads, can still be interrupted).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal; ``exit_code`` is the status to end with."""

    def __init__(self, signum: int, *, after_writing: bool = False) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.after_writing = after_writing

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _State:
    """What the handler needs: whether results are being written, and a signal that came meanwhile."""

    holding = False
    pending: int | None = None


def _handler(signum: int, frame: FrameType | None) -> None:
    if _State.holding and _State.pending is None:
        _State.pending = signum  # acted on when the writing ends
        return
    raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """For the length of one command: SIGINT and SIGTERM raise :class:`Interrupted`. Signals can only be
    handled in the main thread; a command run in another thread (an embedding program) leaves them alone.
    The previous handlers are restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _handler) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _State.holding, _State.pending = False, None


@contextmanager
def signals_held() -> Iterator[None]:
    """Write a run's results whole: a first signal during the block is acted on when it ends."""
    outer = _State.holding
    _State.holding = True
    signum = None
    try:
        yield
    finally:
        _State.holding = outer
        if not outer:
            signum, _State.pending = _State.pending, None
    if signum is not None:
        raise Interrupted(signum, after_writing=True)
