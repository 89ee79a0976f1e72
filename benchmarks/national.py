"""A national review on this machine: ``python -m benchmarks.national [--count N] [--jobs J]``.

Generates ``count`` notices of 50-150 KB with site furniture (``benchmarks.synthetic.corpus``, seeded),
audits them from disk as one command (``notice-audit audit FOLDER --jobs J`` writing JSON Lines, the
format a run of that size uses), and measures the wall time and the peak memory of the whole process
tree. The issue's review is 40,000 pages: measuring 2,000 and extrapolating linearly (the audit's time
grows linearly with the number of pages, one at a time, and JSON Lines keeps memory flat) is said as
such beside the figure, never presented as a measurement of 40,000. Beside it, the floor: a bare
``BeautifulSoup(html, "lxml")`` parse of every tenth page, and what the target leaves each page against it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import measure
from benchmarks.synthetic import corpus

KiB = 1024
#: The review the issue sizes: 40,000 pages, in at most 15 minutes and 300 MB on 2 cores.
REVIEW_PAGES = 40_000
TARGET_MINUTES = 15.0
TARGET_PEAK_MB = 300.0
#: One page in this many is parsed bare for the floor (2,000 pages: 200 parses, a few seconds).
SAMPLE_EVERY = 10


@dataclass(frozen=True)
class Review:
    """One measured run and its extrapolation."""

    pages: int
    megabytes: float
    seconds: float
    peak_mb: float
    jobs: int
    #: A bare ``BeautifulSoup(html, "lxml")`` parse of one of these pages, in seconds (mean of a sample): the
    #: floor the issue's ratios are measured against.
    bare_parse_s: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def review_minutes(self) -> float:
        """The 40,000-page review at this run's rate (linear extrapolation)."""
        return REVIEW_PAGES / self.pages_per_second / 60

    @property
    def budget_s(self) -> float:
        """What the target leaves each page: seconds of one of the ``jobs`` processes."""
        return TARGET_MINUTES * 60 * self.jobs / REVIEW_PAGES

    @property
    def bare_minutes(self) -> float:
        """40,000 bare parses shared by ``jobs`` cores: the review's floor, before any audit."""
        return REVIEW_PAGES * self.bare_parse_s / self.jobs / 60


def measure_review(count: int, jobs: int, *, seed: int = 40) -> Review:
    """Generate ``count`` pages, audit them as one command, and measure it."""
    with tempfile.TemporaryDirectory(prefix="national-") as scratch:
        folder = Path(scratch) / "notices"
        paths = corpus(folder, count, seed, min_bytes=50 * KiB, max_bytes=150 * KiB)
        size = sum(p.stat().st_size for p in paths) / 1e6
        cmd = [sys.executable, "-m", "notice_audit", "audit", str(folder), "--jobs", str(jobs),
               "--format", "jsonl", "--output", str(Path(scratch) / "review.jsonl"), "--no-history",
               "--no-config"]
        run = measure.run(cmd, scratch=Path(scratch))
        if run.returncode not in (0, 1):
            raise RuntimeError(f"the audit exited {run.returncode}: {run.stderr.strip()[-500:]}")
        bare = bare_parse_seconds(paths[::SAMPLE_EVERY])
    return Review(count, size, run.seconds, run.tree_peak_kib / KiB, jobs, bare)


def bare_parse_seconds(paths: Sequence[Path]) -> float:
    """Mean seconds of a bare ``BeautifulSoup(html, "lxml")`` parse of each page, in this process (one core),
    each page's best of two; its bytes are read first, as the audit reads them from disk."""
    from bs4 import BeautifulSoup

    total = 0.0
    for path in paths:
        content = path.read_bytes()
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            BeautifulSoup(content, "lxml")
            best = min(best, time.perf_counter() - started)
        total += best
    return total / len(paths) if paths else 0.0


def report(review: Review) -> str:
    """The figures as Markdown lines, the extrapolation said as one."""
    return "\n".join([
        f"- {review.pages:,} generated notices of 50-150 KB ({review.megabytes:.0f} MB), `--jobs {review.jobs}`, "
        f"JSON Lines: {review.seconds:.0f} s, {review.pages_per_second:.1f} pages/s, peak {review.peak_mb:.0f} MB "
        "over the process tree.",
        f"- 40,000 pages at that rate (extrapolated, not measured): {review.review_minutes:.0f} minutes "
        f"(target ≤ {TARGET_MINUTES:g}); the peak above against the target of ≤ {TARGET_PEAK_MB:g} MB "
        "(JSON Lines keeps only a slim copy of each notice, so it grows little with the count).",
        *([] if not review.bare_parse_s else [
            f"- The floor: a bare `BeautifulSoup(html, \"lxml\")` parse of one of these pages takes "
            f"{review.bare_parse_s * 1000:.0f} ms (every {SAMPLE_EVERY}th page, in one process), so 40,000 bare "
            f"parses on {review.jobs} cores take {review.bare_minutes:.0f} minutes before anything is audited. "
            f"The target leaves each page {review.budget_s * 1000:.0f} ms of one core for reading the file, "
            f"parsing, extracting, judging and writing: {review.bare_parse_s / review.budget_s:.2f}x the speed of "
            "the bare parse, where the throughput target (section 1) asks for 0.5x.",
        ]),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__)
    parser.add_argument("--count", type=int, default=2000, help="notices to generate and audit (default 2000)")
    parser.add_argument("--jobs", type=int, default=2, help="audit processes (default 2)")
    args = parser.parse_args(argv)
    print(report(measure_review(args.count, args.jobs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
