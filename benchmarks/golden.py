"""Every output format for the real corpus and the demo site, written so that two commits can be compared
byte for byte: ``python -m benchmarks.golden OUT`` then ``diff -r OUT-before OUT-after``.

A refactoring must not change what users get. Each corpus folder of ``../shared`` (excerpts, whole
notices) is audited once per path the command line has (a JSON report, and a streamed JSON Lines
report), every other format is rendered from the JSON with ``notice-audit report``, and the demo site
is crawled the same way, served on a fixed loopback port. ``SOURCE_DATE_EPOCH`` fixes the reports'
time. The outputs hold corpus text, so they stay outside the repository; compare them with
``diff -rq`` (names only): kept-back notices are not to be read, even in a diff.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from notice_audit.demo import SITE
from notice_audit.demo.server import serve_site

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = {"corpus": SHARED / "corpus" / "notices", "corpus-full": SHARED / "corpus-full" / "notices"}
RENDERED = ("table", "markdown", "html", "csv", "sarif", "junit", "summary")
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
DEMO_PORT = 47821


def _cli(*args: str, cwd: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "notice_audit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"notice-audit {' '.join(args)}: exit {proc.returncode}: {proc.stderr.strip()}")


def _write_set(out: Path, name: str, run: tuple[str, ...]) -> None:
    """One run's JSON and JSON Lines reports (both written by the run itself), the rest rendered from the JSON."""
    report = out / f"{name}.json"
    _cli(*run, "--format", "json", "--output", str(report), cwd=REPO)
    _cli(*run, "--format", "jsonl", "--output", str(out / f"{name}.jsonl"), cwd=REPO)
    for fmt in RENDERED:
        _cli("report", str(report), "--format", fmt, "--output", str(out / f"{name}.{fmt}"), cwd=REPO)


def write_all(out: Path) -> list[Path]:
    """Write every output into ``out``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    common = ("--no-config", "--no-history", "--as-of", "2026-01-01")
    for name, folder in CORPORA.items():
        if not folder.is_dir():
            print(f"golden: {folder} is absent; {name} not written", file=sys.stderr)
            continue
        _write_set(out, name, ("audit", str(folder), *common))
    with serve_site(SITE, port=DEMO_PORT) as base:  # the same port every run: reports quote URLs
        _write_set(out, "demo", ("crawl", base, "--allow-host", "127.0.0.1", "--no-snapshots", *common))
    return sorted(p for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.golden", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write into (outside the repository)")
    args = parser.parse_args(argv)
    files = write_all(args.out)
    print(f"golden: {len(files)} files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
