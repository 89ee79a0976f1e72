"""Start-up: a one-page audit, ``--version`` and ``--help`` timed as whole processes, beside the bare interpreter.

Each command runs ``runs`` times, in turn with the others (A B C … A B C …), so that a machine that slows down
or speeds up meanwhile weighs on all alike; the figures are medians of wall time and of CPU time (the child's
own user + system time, from its resource usage). Bytecode is written and read as an installed package's is,
and the warm-up run fills the checklist cache (``XDG_CACHE_HOME`` in a folder of the run's own), as a user's
first run does; the "cold cache" row gives each run an empty cache. ``python -m benchmarks.startup`` prints
the table alone; ``python -m benchmarks --only startup`` writes it into RESULTS.md.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "tests" / "data" / "docs" / "privacy.html"
#: The issue's target for a one-page audit's wall time.
TARGET_AUDIT_S = 0.5
AUDIT = ("audit", "privacy.html", "--output", "/dev/null", "--no-history", "--no-config")


@dataclass(frozen=True)
class Case:
    label: str
    argv: tuple[str, ...]
    cold_cache: bool = False  # a fresh, empty cache folder for every run


CASES = (
    Case("interpreter alone (`python -c pass`)", ("-c", "pass")),
    Case("`notice-audit --version`", ("-m", "notice_audit", "--version")),
    Case("`notice-audit --help`", ("-m", "notice_audit", "--help")),
    Case("`notice-audit audit privacy.html` (3 KB page, to JSON)", ("-m", "notice_audit", *AUDIT)),
    Case("the same, cold checklist cache", ("-m", "notice_audit", *AUDIT), cold_cache=True),
)


@dataclass(frozen=True)
class Timing:
    case: Case
    wall: list[float]
    cpu: list[float]
    codes: set[int]

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def _once(case: Case, folder: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """One run: (wall seconds, CPU seconds, exit status)."""
    if case.cold_cache:
        cache = Path(tempfile.mkdtemp(dir=folder, prefix="cold-"))
        env = {**env, "XDG_CACHE_HOME": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *case.argv], cwd=folder, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if case.cold_cache:
        shutil.rmtree(cache, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def measure(folder: Path, runs: int) -> list[Timing]:
    """Every case ``runs`` times, in turn, after one warm-up run each; ``folder`` holds the page and the cache."""
    shutil.copyfile(PAGE, folder / "privacy.html")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(folder / "cache"), NO_COLOR="1", COLUMNS="80")
    for case in CASES:
        _once(case, folder, env)
    results: dict[Case, list[tuple[float, float, int]]] = {case: [] for case in CASES}
    for _ in range(runs):
        for case in CASES:
            results[case].append(_once(case, folder, env))
    return [Timing(case, [r[0] for r in rows], [r[1] for r in rows], {r[2] for r in rows})
            for case, rows in results.items()]


def table(timings: list[Timing]) -> list[str]:
    """The Markdown table of medians (and ranges of wall time)."""
    rows = ["| command | runs | wall median | wall min–max | CPU median | exit |", "|---|---|---|---|---|---|"]
    for t in timings:
        rows.append(f"| {t.case.label} | {len(t.wall)} | {t.wall_median:.3f} s | {min(t.wall):.3f}–{max(t.wall):.3f} s "
                    f"| {t.cpu_median:.3f} s | {', '.join(map(str, sorted(t.codes)))} |")
    return rows


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory(prefix="notice-audit-startup-") as tmp:
        print("\n".join(table(measure(Path(tmp), runs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
