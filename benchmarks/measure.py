"""Running a command while watching its memory: wall time, exit status and peak RSS of its process tree.

Linux only (reads ``/proc``). The tree's peak is sampled (the sum of every process's VmRSS, every
``interval`` seconds); each process's own high-water mark (VmHWM) is read at each sample too, and
the largest process's exact peak comes from ``wait4``'s resource usage. Forked workers share pages
with their parent copy-on-write, so the sum of their RSS over-counts: it is an upper bound.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

KiB = 1024


@dataclass
class Measured:
    """One command's run."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    largest_kib: int  # exact: the largest single process in the tree (wait4 ru_maxrss)
    tree_peak_kib: int  # sampled: most RSS held by the whole tree at once
    hwm_sum_kib: int  # every process's own peak, summed (upper bound of the tree's peak)
    processes: int  # processes seen in the tree, the command itself included
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (seconds, main RSS, tree RSS) in KiB

    @property
    def traceback(self) -> str | None:
        """The last line of a Python traceback on standard error, if the command crashed."""
        if "Traceback (most recent call last)" not in self.stderr:
            return None
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else "traceback"

    def main_rss_at(self, share: float) -> int:
        """The command's own RSS (KiB) at the sample nearest ``share`` (0..1) of the run."""
        if not self.timeline:
            return 0
        want = share * self.seconds
        return min(self.timeline, key=lambda s: abs(s[0] - want))[1]


def _status(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in KiB, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    rss = hwm = 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out: set[int] = set()
    todo = [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def run(cmd: list[str], *, cwd: str | Path | None = None, timeout: float = 3600, interval: float = 0.2,
        rescan_every: int = 5, env: dict[str, str] | None = None, scratch: Path | None = None) -> Measured:
    """Run ``cmd`` to the end (killing its process group after ``timeout`` seconds) and measure it."""
    scratch = scratch or Path("/tmp")
    out_path, err_path = scratch / f".measure-{os.getpid()}.out", scratch / f".measure-{os.getpid()}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                                start_new_session=True)
        pids: set[int] = {proc.pid}
        hwm: dict[int, int] = {}
        tree_peak = 0
        timeline: list[tuple[float, int, int]] = []
        tick = 0
        while True:
            done, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if done:
                break
            elapsed = time.perf_counter() - started
            if elapsed > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            if tick % rescan_every == 0:
                pids = {proc.pid} | _descendants(proc.pid) | pids
            tick += 1
            total = main = 0
            for pid in list(pids):
                got = _status(pid)
                if got is None:
                    if pid != proc.pid:
                        pids.discard(pid)
                    continue
                rss, peak = got
                total += rss
                hwm[pid] = max(hwm.get(pid, 0), peak)
                if pid == proc.pid:
                    main = rss
            tree_peak = max(tree_peak, total)
            timeline.append((elapsed, main, total))
            time.sleep(interval)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    largest = usage.ru_maxrss  # KiB on Linux; the largest of the process and its waited-for descendants
    return Measured(seconds, proc.returncode, stdout, stderr, largest, max(tree_peak, largest),
                    max(sum(hwm.values()), largest), max(1, len(hwm)), timeline)
