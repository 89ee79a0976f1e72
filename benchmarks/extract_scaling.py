"""Extraction time against document size: is it linear? (issue: no catastrophic backtracking)

Runs parse + extract on documents of 1x, 2x, 4x and 8x a base size, for
realistic text, realistic HTML and hostile text, and fits the exponent k in
time ~ size^k by least squares on the logs. k near 1 is linear; the issue asks
for the 1 MB case to be shown. Run: ``python -m benchmarks.extract_scaling``.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable

from benchmarks.synthetic import hostile_text, notice_html, notice_text
from notice_audit.extract import extract
from notice_audit.model import Page
from notice_audit.parse import parse_page

MB = 1024 * 1024


def audit_seconds(page: Page, repeats: int) -> float:
    """Best of ``repeats`` runs of parse + extract (best-of damps a noisy shared machine)."""
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        extract(parse_page(page))
        best = min(best, time.perf_counter() - start)
    return best


def exponent(sizes: list[int], seconds: list[float]) -> float:
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-9)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


#: A case: how to make a document of about n bytes, and its media type.
Cases = dict[str, tuple[Callable[[int], str], str]]
FACTORS = (1, 2, 4, 8)
TABLE_HEAD = [f"| case | {' | '.join(f'{f}x' for f in FACTORS)} | exponent |", "|---|---|---|---|---|---|"]


def timed_sizes(cases: Cases, base: int,
                seconds_of: Callable[[Page], float]) -> list[tuple[str, list[int], list[float]]]:
    """Each case's documents of 1x to 8x ``base`` bytes: their sizes and the seconds ``seconds_of`` takes."""
    out = []
    for name, (make, media) in cases.items():
        sizes, seconds = [], []
        for factor in FACTORS:
            content = make(base * factor).encode()
            sizes.append(len(content))
            seconds.append(seconds_of(Page(f"{name}-{factor}", f"{name}-{factor}", content, media)))
        out.append((name, sizes, seconds))
    return out


def run(base: int, repeats: int) -> list[str]:
    cases: Cases = {
        "text": (notice_text, "text/plain"),
        "html": (notice_html, "text/html"),
        "hostile": (hostile_text, "text/plain"),
    }
    audit_seconds(Page("warm.txt", "warm.txt", notice_text(4096).encode(), "text/plain"), 1)  # load lexicons
    lines = list(TABLE_HEAD)
    for name, sizes, seconds in timed_sizes(cases, base, lambda page: audit_seconds(page, repeats)):
        cells = " | ".join(f"{s / MB:.2f} MB: {t:.2f} s" for s, t in zip(sizes, seconds, strict=True))
        lines.append(f"| {name} | {cells} | {exponent(sizes, seconds):.2f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=MB // 8, help="bytes at 1x (default 128 KiB, so 8x = 1 MiB)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    print("\n".join(run(args.base, args.repeats)))


if __name__ == "__main__":
    main()
