"""Whole real notices against the bare bs4 parse, beside a seeded synthetic corpus of the same sizes.

The throughput section's real corpus is excerpts; users audit whole notices. This times every file
of ``../shared/corpus-full/notices`` (the full audit: ``parse_page``, ``audit_document``, the JSON
report) against ``BeautifulSoup(content, "lxml")`` of the same bytes, page by page in one process
after the warm-up, and does the same for a synthetic web page of each real file's size
(``synthetic.notice_page``, seeded), so that the two ratios can be read side by side. Nothing of
the real texts is printed: only counts, sizes and times.
Run: ``python -m benchmarks.whole_notices [--rounds 3] [--profile 15]``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.synthetic import notice_page

REPO = Path(__file__).resolve().parent.parent
NOTICES = REPO.parent / "shared" / "corpus-full" / "notices"


@dataclass
class Totals:
    """Seconds summed over a corpus: the bs4 floor and the full audit (best of the rounds, page by page)."""

    files: int
    size: int
    bs4: float
    audit: float

    @property
    def ratio(self) -> float:
        """Audit throughput as a share of the bare parse's (1.0: as fast as parsing alone)."""
        return self.bs4 / self.audit if self.audit else 0.0


def real_pages(folder: Path = NOTICES) -> list[Any]:
    """Every readable file of the folder, as the CLI reads it."""
    from notice_audit.sources.files import local_files, read_file

    return [read_file(p) for p in local_files(str(folder))]


def synthetic_pages(sizes: Sequence[int], seed: int = 19) -> list[Any]:
    """One seeded synthetic web page per size: the same density of notices as the real corpus."""
    from notice_audit.model import Page

    pages = []
    for i, size in enumerate(sizes):
        content = notice_page(size, seed=seed + i).encode()
        pages.append(Page(f"synthetic-{i}.html", f"synthetic-{i}.html", content, "text/html"))
    return pages


def full_audit(page: Any, checklist: Any) -> str:
    """What each benchmark that times or profiles whole audits does to one page: parse it, extract, evaluate
    and score, judge, and render the JSON report."""
    from notice_audit.audit import audit_document
    from notice_audit.auditor import make_report
    from notice_audit.formats.registry import render
    from notice_audit.parse import parse_page

    return render(make_report(checklist, [audit_document(parse_page(page), checklist)]), "json")


def time_corpus(pages: Sequence[Any], checklist: Any, rounds: int = 3) -> Totals:
    """The bare parse and the full audit of each page in turn, best of ``rounds`` for each page."""
    from bs4 import BeautifulSoup

    bs4_total = audit_total = 0.0
    for page in pages:
        best_bs4 = best_audit = float("inf")
        for _ in range(rounds):
            gc.collect()
            t0 = time.perf_counter()
            BeautifulSoup(page.content, "lxml")
            t1 = time.perf_counter()
            full_audit(page, checklist)
            t2 = time.perf_counter()
            best_bs4, best_audit = min(best_bs4, t1 - t0), min(best_audit, t2 - t1)
        bs4_total += best_bs4
        audit_total += best_audit
    return Totals(len(pages), sum(len(p.content) for p in pages), bs4_total, audit_total)


def _profiled(pages: Sequence[Any], checklist: Any) -> cProfile.Profile:
    """cProfile of a second full audit of every page: the first compiles the patterns first met in these
    pages, as a long run has, so that the profile is of the steady state."""

    def run() -> None:
        for page in pages:
            full_audit(page, checklist)

    run()
    profiler = cProfile.Profile()
    profiler.runcall(run)
    return profiler


def profile(pages: Sequence[Any], checklist: Any, top: int) -> str:
    """The top functions by own and by cumulative time of a profiled audit of every page (``_profiled``)."""
    profiler = _profiled(pages, checklist)
    out = []
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        text = buf.getvalue()
        out.append(f"--- top {top} by {key} ---\n" + text[text.find("   ncalls"):].rstrip())
    return "\n\n".join(out)


@dataclass(frozen=True)
class Hot:
    """One function's share of a profiled audit: where it is, how often it ran, its own and its cumulative time."""

    where: str  # file:line(function), the file's name only; a built-in by its name
    calls: int
    own: float
    cumulative: float


def top_functions(pages: Sequence[Any], checklist: Any, top: int) -> tuple[float, list[Hot]]:
    """The profiled total and the ``top`` functions by own time of a profiled audit of every page
    (``_profiled``), as numbers: the benchmark's table of where the time goes."""
    stats = pstats.Stats(_profiled(pages, checklist))
    rows = [Hot(name if file == "~" else f"{Path(file).name}:{line}({name})", calls, own, cumulative)
            for (file, line, name), (_prim, calls, own, cumulative, _callers) in stats.stats.items()]  # type: ignore[attr-defined]
    rows.sort(key=lambda h: h.own, reverse=True)
    return stats.total_tt, rows[:top]  # type: ignore[attr-defined]


def measure(rounds: int = 3, folder: Path = NOTICES) -> tuple[Totals, Totals]:
    """(real, synthetic) totals, measured side by side after the warm-up."""
    from notice_audit.audit import warm_up
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    warm_up(checklist)
    real = real_pages(folder)
    synthetic = synthetic_pages([len(p.content) for p in real])
    return time_corpus(real, checklist, rounds), time_corpus(synthetic, checklist, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="TOP", help="profile the real corpus instead")
    parser.add_argument("--synthetic", action="store_true", help="with --profile: the synthetic corpus")
    args = parser.parse_args()
    if args.profile:
        from notice_audit.audit import warm_up
        from notice_audit.rules.checklist import load_checklist

        checklist = load_checklist("uk-gdpr")
        warm_up(checklist)
        pages = real_pages()
        if args.synthetic:
            pages = synthetic_pages([len(p.content) for p in pages])
        print(profile(pages, checklist, args.profile))
        return
    for name, t in zip(("real whole notices", "synthetic, same sizes"), measure(args.rounds), strict=True):
        print(f"{name}: {t.files} files, {t.size / 1e6:.2f} MB, bs4 {t.bs4:.3f} s, audit {t.audit:.3f} s, "
              f"audit / bs4 throughput {t.ratio:.3f}x")


if __name__ == "__main__":
    main()
