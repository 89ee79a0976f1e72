"""One steady-state audit pass, for counting instructions where seconds are too noisy to compare.

``python -m benchmarks.steady_pass CORPUS PASSES`` warms up (every lexicon compiled, as a run does once), then
audits every page of CORPUS (``real``: the 48 whole real notices of ``../shared/corpus-full``; ``national``:
four generated national-review pages of 50-150 KB) PASSES times: parse, extract, rules and the JSON report.
Run it under ``valgrind --tool=callgrind --callgrind-out-file=/dev/null`` with PASSES 1 and then 2: the
difference of the two instruction counts is one pass with every pattern already compiled, the same whatever
else the machine is doing. Two commits compare by running it from each tree with the same ``XDG_CACHE_HOME``
warmed first (a cold cache adds its one-off compiling to the first count).
"""

from __future__ import annotations

import argparse
import random
from typing import Any

from benchmarks.whole_notices import full_audit, real_pages, synthetic_pages

KiB = 1024


def national_pages(count: int = 4, seed: int = 3) -> list[Any]:
    """``count`` generated pages of 50-150 KB with site furniture, as the national review audits."""
    rng = random.Random(seed)
    return synthetic_pages([rng.randint(50 * KiB, 150 * KiB) for _ in range(count)], seed=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.steady_pass", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", choices=("real", "national"))
    parser.add_argument("passes", type=int)
    args = parser.parse_args(argv)

    from notice_audit.audit import warm_up
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    warm_up(checklist)
    pages = real_pages() if args.corpus == "real" else national_pages()
    for _ in range(args.passes):
        for page in pages:
            full_audit(page, checklist)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
