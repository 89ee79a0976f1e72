"""Where a full audit spends its time: cProfile of one synthetic notice, top functions.

Profiles parse + extract + rules + JSON report of one ``synthetic.notice_page`` (or, with
``--text``, ``notice_plain``) of ``--size`` KiB, after a warm-up audit, and prints the top
``--top`` functions by cumulative time and by own (total) time.
Run: ``python -m benchmarks.profile_audit [--size 256] [--top 15] [--text]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from benchmarks.synthetic import notice_page, notice_plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=256, help="KiB (default 256)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--text", action="store_true", help="plain text in place of an HTML page")
    args = parser.parse_args()

    from benchmarks.whole_notices import full_audit
    from notice_audit.model import Page
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    make, media = (notice_plain, "text/plain") if args.text else (notice_page, "text/html")
    content = make(args.size * 1024, seed=7).encode()
    page = Page("profile", "profile", content, media)

    def full() -> None:
        full_audit(page, checklist)

    full()  # warm-up: lexicons and compiled patterns
    started = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.runcall(full)
    seconds = time.perf_counter() - started
    print(f"{media}, {len(content) / 1000:.0f} KB: {seconds:.2f} s under the profiler")
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        text = out.getvalue()
        print(f"\n--- top {args.top} by {key} ---")
        print(text[text.find("   ncalls"):].rstrip())


if __name__ == "__main__":
    main()
