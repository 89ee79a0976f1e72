"""Stopping a parallel run: how long from SIGINT or SIGTERM to exit, and what is left behind.

``python -m benchmarks --only interrupt`` runs ``notice-audit audit DIR --jobs 2`` again and again,
waits until both workers are auditing, sends the signal (SIGINT to the whole process group, as a
terminal's Ctrl-C does; SIGTERM to the main process, as ``kill`` does) and times the exit. Each try
also records the exit status, the workers still running afterwards and the files left in the output
folder. The process helpers (reading ``/proc``) are shared with ``tests/test_interrupt.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: How long a run may take to exit before it is called hung (and killed).
HANG_S = 10.0


def _stat(pid: int | str) -> list[str] | None:
    """/proc/PID/stat's fields from the state on (the name, in brackets, may hold spaces), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:  # read often while waiting: plain bytes, no pathlib
            text = file.read().decode("latin-1")
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rsplit(")", 1)[1].split()


@dataclass(frozen=True)
class Proc:
    """A process as first seen: its id and start time (so that a reused id is not mistaken for it)."""

    pid: int
    start: str

    def running(self) -> bool:
        fields = _stat(self.pid)
        return fields is not None and fields[19] == self.start and fields[0] != "Z"

    def cpu_ticks(self) -> int:
        fields = _stat(self.pid)
        return int(fields[11]) + int(fields[12]) if fields is not None and fields[19] == self.start else 0


def children(pid: int) -> list[Proc]:
    """The living processes whose parent is ``pid`` (every process's /proc entry read)."""
    return _living_children(pid, (name for name in os.listdir("/proc") if name.isdigit()))


def _living_children(pid: int, candidates: Iterable[str]) -> list[Proc]:
    found = []
    for name in candidates:
        fields = _stat(name)
        if fields is not None and fields[1] == str(pid) and fields[0] != "Z":
            found.append(Proc(int(name), fields[19]))
    return found


def _children_hint(pid: int) -> list[Proc] | None:
    """The living children of ``pid`` as its threads' /proc/PID/task/TID/children lists them: cheap, but
    Linux calls those lists a hint (one may miss a process starting or ending meanwhile); None where the
    kernel has no such file."""
    try:
        names = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as file:
                names += file.read().decode("ascii").split()
    except FileNotFoundError:
        if Path(f"/proc/{pid}").exists():
            return None  # no children files in this kernel
        return []  # the process has gone
    except ProcessLookupError:
        return []
    return _living_children(pid, names)


def busy_workers(proc: subprocess.Popen[bytes], count: int, timeout: float) -> list[Proc] | None:
    """Wait until ``proc`` has ``count`` child processes that have each used CPU time (auditing); None if
    it ends first or ``timeout`` passes. The workers given are found by reading every process's /proc entry;
    the waiting polls the cheaper hint of /proc/PID/task/*/children (some milliseconds less every 20 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        hint = _children_hint(proc.pid)
        if hint is None or (len(hint) >= count and all(w.cpu_ticks() >= 5 for w in hint)):
            workers = children(proc.pid)
            if len(workers) >= count and all(w.cpu_ticks() >= 5 for w in workers):
                return workers
        time.sleep(0.02)
    return None


def send(proc: subprocess.Popen[bytes], signum: int, *, group: bool) -> None:
    """Send ``signum`` to the whole process group of ``proc`` (as a terminal's Ctrl-C does) or to it alone
    (as ``kill`` does)."""
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)


@dataclass(frozen=True)
class Stop:
    """One try: seconds from the signal to exit (None: hung), exit status, workers left, files left."""

    seconds: float | None
    code: int | None
    workers_left: int
    files_left: int


def stop_once(command: Sequence[str], signum: int, *, group: bool, out_dir: Path, env: dict[str, str],
              cwd: Path) -> Stop:
    """Start ``command`` (in a process group of its own), wait for two busy workers, send ``signum``."""
    proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    workers = busy_workers(proc, 2, timeout=120)
    if workers is None:
        proc.kill()
        raise RuntimeError(f"no two busy workers (exit {proc.wait()})")
    sent = time.perf_counter()
    send(proc, signum, group=group)
    try:
        proc.wait(timeout=HANG_S)
        seconds: float | None = time.perf_counter() - sent
    except subprocess.TimeoutExpired:
        seconds = None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    time.sleep(0.1)  # a worker the kernel is still reaping is not "left"
    left = [w for w in workers if w.running()]
    for worker in left:
        os.kill(worker.pid, signal.SIGKILL)
    files = list(out_dir.iterdir())
    for file in files:
        file.unlink()
    return Stop(seconds, proc.returncode if seconds is not None else None, len(left), len(files))
