"""Every benchmark in one run, written to ``benchmarks/RESULTS.md``: ``python -m benchmarks``.

Measures, side by side in the same run (figures are ratios against a floor measured alongside,
never timed assertions in tests):

1. audit throughput (pages/s, MB/s) against bare ``BeautifulSoup(html, "lxml")`` on the same pages,
   on a seeded synthetic corpus (5 KB to 500 KB pages) and on ``../shared/corpus`` when present;
   then on the whole real notices of ``../shared/corpus-full`` beside synthetic pages of their sizes
   (``whole_notices.py``);
2. scaling: full-audit time for documents of 1x, 2x, 4x and 8x a base size, and the fitted exponent;
3. parallel audits: ``notice-audit audit --jobs N`` on 1, 2 and all cores;
4. crawl throughput over loopback: the Fetcher against a plain ``httpx.AsyncClient`` GET loop at
   the same concurrency, and the discovery crawl;
5. peak memory for 10,000 notices (JSON Lines and JSON reports), and the fetcher's oversized-page
   and gzip-bomb cases;
6. stopping a parallel audit with SIGINT and SIGTERM: time to exit over 20 tries, workers and files left;
7. start-up: a one-page audit, ``--version`` and ``--help`` as whole processes, beside the bare interpreter;
8. a national review: 2,000 generated notices of 50-150 KB audited with ``--jobs 2`` to JSON Lines, the
   40,000-page review extrapolated from its rate (``national.py``);
9. the test suite's wall time, as the README runs it, its CPU time (the wall's floor on these cores) and its
   heaviest files (not in a ``--quick`` run).

It also re-runs ``notice-audit evaluate`` on the three labelled splits of ``../shared`` (validation,
full-length, development) for the accuracy section. A
section that cannot run is recorded as "not measured: <reason>" and the rest go on. Options:
``--quick`` (a smoke run of about a minute, small sizes and counts), ``--output PATH``,
``--corpus PATH``, ``--only SECTION,...``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from benchmarks import measure
from benchmarks.extract_scaling import TABLE_HEAD, Cases, exponent, timed_sizes
from benchmarks.synthetic import corpus, hostile_template, hostile_text, notice_page, notice_plain
from notice_audit.formats.output import write_text

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "RESULTS.md"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
MB = 1_000_000
KiB = 1024
SECTIONS = ("accuracy", "throughput", "whole", "scaling", "parallel", "crawl", "memory", "interrupt", "startup",
            "national", "suite")
EARLIER = "## Earlier measurements"
BUSY = 0.2  # cores used by other processes above which a section's timings are flagged

TARGET_THROUGHPUT = 0.5  # audit at >= 0.5x the bare-parse throughput
TARGET_WHOLE_REAL = 0.25  # whole real notices (mostly text: a cheap floor) at >= 0.25x
TARGET_WHOLE_SYNTHETIC = 0.5  # synthetic web pages of the same sizes at >= 0.5x
TARGET_EXPONENT = 1.05  # time ~ size^k with k <= 1.05
TARGET_JOBS2 = 1.8  # --jobs 2 at >= 1.8x one job
TARGET_STOP_S = 2.0  # a parallel run stopped by a signal exits within a couple of seconds
TARGET_CRAWL = 0.8  # the Fetcher at >= 0.8x a plain httpx loop
TARGET_MEMORY_MB = 500  # 10,000 notices in under 500 MB
TARGET_SUITE_S = 45.0  # the test suite, wall time on this machine


@dataclass(frozen=True)
class Plan:
    """Sizes and counts of one run."""

    synthetic_count: int
    synthetic_max: int
    corpus_every: int  # audit every n-th file of the shared corpus
    scaling_base: int
    scaling_repeats: int
    parallel_rounds: int
    parallel_count: int  # pages of the parallel section's own corpus
    crawl_pages: int
    crawl_levels: tuple[int, ...]
    crawl_rounds: int
    discovery_pages: int
    memory_notices: int
    memory_json_notices: int  # the whole-report JSON comparison (slow: kept smaller)
    memory_min: int
    memory_max: int
    bomb_mib: int
    oversized_mib: int
    interrupt_tries: int
    startup_runs: int
    national_count: int  # generated notices of the national review (0: not run)
    profile_top: int  # functions listed from the whole notices' profile


FULL = Plan(synthetic_count=24, synthetic_max=500 * KiB, corpus_every=1, scaling_base=64 * KiB, scaling_repeats=3,
            parallel_rounds=2, parallel_count=96, crawl_pages=1000, crawl_levels=(8, 32), crawl_rounds=2,
            discovery_pages=300,
            memory_notices=10_000, memory_json_notices=2500, memory_min=2 * KiB, memory_max=4 * KiB,
            bomb_mib=1024, oversized_mib=256, interrupt_tries=20, startup_runs=11, national_count=2000, profile_top=15)
QUICK = Plan(synthetic_count=8, synthetic_max=50 * KiB, corpus_every=8, scaling_base=8 * KiB, scaling_repeats=1,
             parallel_rounds=1, parallel_count=8, crawl_pages=200, crawl_levels=(8,), crawl_rounds=1,
             discovery_pages=100,
             memory_notices=300, memory_json_notices=300, memory_min=2 * KiB, memory_max=4 * KiB,
             bomb_mib=64, oversized_mib=32, interrupt_tries=3, startup_runs=3, national_count=20, profile_top=5)


@dataclass
class Check:
    """One figure against its target; ``ok`` None when it could not be measured."""

    measure: str
    figure: str
    target: str
    ok: bool | None

    @property
    def verdict(self) -> str:
        return "not measured" if self.ok is None else ("PASS" if self.ok else "MISS")


@dataclass
class Section:
    key: str
    title: str
    body: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0
    others: float | None = None  # cores used by other processes meanwhile, on average


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds used by this process and its reaped children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class OtherLoad:
    """How many cores other processes kept busy over a stretch of time: the machine's busy CPU time
    (/proc/stat) less this process's and its children's, over the wall time."""

    def __init__(self) -> None:
        self.busy, self.own, self.wall = _busy_seconds(), _own_seconds(), time.perf_counter()

    def cores(self) -> float | None:
        busy = _busy_seconds()
        if busy is None or self.busy is None:
            return None
        wall = time.perf_counter() - self.wall
        return max(0.0, (busy - self.busy) - (_own_seconds() - self.own)) / wall if wall > 0 else None


class NotMeasured(Exception):
    """A section (or part of one) that cannot be measured in this environment; the message says why."""


@dataclass
class Context:
    plan: Plan
    quick: bool
    tmp: Path
    corpus: Path | None
    corpus_note: str
    previous: dict[str, str]  # sections of the RESULTS.md being replaced, by heading

    @cached_property
    def synthetic(self) -> list[Path]:
        """The seeded synthetic corpus of section 1 (written once, when first needed)."""
        return corpus(self.tmp / "synthetic", self.plan.synthetic_count, seed=1, min_bytes=5 * KiB,
                      max_bytes=self.plan.synthetic_max)

    @cached_property
    def parallel(self) -> list[Path]:
        """A larger seeded corpus for section 3, so that start-up is not most of a run."""
        return corpus(self.tmp / "parallel", self.plan.parallel_count, seed=2, min_bytes=5 * KiB,
                      max_bytes=self.plan.synthetic_max)


def log(message: str) -> None:
    print(f"[benchmarks {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rel(path: Path) -> str:
    """A path as the reader would type it from the repository root."""
    try:
        return os.path.relpath(path, REPO)
    except ValueError:
        return str(path)


def fmt_mb(size: float) -> str:
    return f"{size / MB:.2f} MB"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "notice_audit", *args]


def cli_failure(run: measure.Measured, what: str) -> str | None:
    """Why a CLI run produced no usable result, or None. Exit 1 is the gate failing, not an error."""
    if run.returncode in (0, 1) and run.traceback is None:
        return None
    tail = run.traceback or next((ln for ln in reversed(run.stderr.strip().splitlines()) if ln.strip()), "")
    return f"{what} exited {run.returncode}: {tail.strip()[:300]}"


_SUMMARY = re.compile(rb'"summary":\s*\{\s*"notices":\s*(\d+)')


def reported_notices(path: Path) -> int | None:
    """The notice count in a JSON or JSON Lines report's summary (read from its end), or None."""
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 64 * KiB))
        found = _SUMMARY.findall(fh.read())
    return int(found[-1]) if found else None


# ------------------------------------------------------------------------------------------ machine


def git_revision() -> str:
    """The checked-out commit (read only), and whether tracked files differ from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        # the results file itself (rewritten by the last run) does not change what is measured
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":(exclude)benchmarks/RESULTS.md"], cwd=REPO,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}{' with uncommitted changes' if dirty else ''}" if commit else "unknown"


def machine(revision: str) -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kib = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines()
                       if ln.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown"
    usable = len(os.sched_getaffinity(0))
    versions = []
    for name in ("bs4", "lxml", "httpx"):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version('beautifulsoup4' if name == 'bs4' else name)}")
        except Exception:
            continue
    from notice_audit import __version__


    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores ({usable} usable by this process); memory {memory}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); {platform.platform()}",
        f"- notice-audit {__version__} at commit {revision}; {', '.join(versions)}",
    ]


# ------------------------------------------------------------------------------------------ accuracy


ACCURACY_TITLE = "Accuracy on the labelled splits: validation, full-length, development"
RATCHET = REPO / "tests" / "data" / "accuracy_ratchet.yaml"
# Split names of `notice-audit evaluate`'s standard run, as the section reports them (validation and
# full-length first; development last, an upper bound).
SPLIT_TITLES = {
    "validation": "validation (excerpts, measured only)",
    "full": "full-length (whole notices)",
    "dev": "development (upper bound)",
}


def _accuracy_targets() -> dict[str, dict[str, float]]:
    """Each split's targets, from the ratchet the tests hold (one place for them); empty if it is absent."""
    import yaml

    if not RATCHET.is_file():
        return {}
    data = yaml.safe_load(RATCHET.read_text(encoding="utf-8"))
    return {name: {fig: entry["target"] for fig, entry in figs.items()} for name, figs in data["splits"].items()}


def _kept_accuracy(ctx: Context, why: str) -> Section:
    """The previous run's section, marked as such, when the labelled splits are not here to measure."""
    sec = Section("accuracy", ACCURACY_TITLE)
    kept = next((text for head, text in ctx.previous.items() if head.startswith("## Accuracy")), None)
    if kept is None:
        raise NotMeasured(why)
    body = kept.strip().splitlines()[1:]
    while body and (not body[0].strip() or body[0].startswith("_Not re-run")):
        body.pop(0)
    while body and (not body[-1].strip() or body[-1].startswith("_Section time")):
        body.pop()
    sec.body = [f"_Not re-run ({why}); the figures below are from the previous run._", "", *body]
    return sec


def section_accuracy(ctx: Context) -> Section:
    from notice_audit.evaluation import STANDARD_SPLITS

    if ctx.corpus is None:
        return _kept_accuracy(ctx, f"no labelled corpus ({ctx.corpus_note})")
    shared = ctx.corpus.parent
    absent = [rel(shared / folder) for _, labels, corpus in STANDARD_SPLITS for folder in (labels, corpus)
              if not (shared / folder).is_dir()]
    if absent:
        return _kept_accuracy(ctx, f"absent: {', '.join(dict.fromkeys(absent))}")
    sec = Section("accuracy", ACCURACY_TITLE)
    default = shared.resolve() == DEFAULT_CORPUS.parent.resolve()
    options = [] if default else ["--shared", str(shared)]
    command = "notice-audit evaluate" + ("" if default else f" --shared {rel(shared)}")
    out = ctx.tmp / "evaluate.json"
    run = measure.run(cli("evaluate", *options, "--format", "json", "--output", str(out)),
                      cwd=REPO, timeout=900, scratch=ctx.tmp)
    if run.returncode != 0 or not out.exists():
        raise NotMeasured(cli_failure(run, "evaluate") or f"evaluate exited {run.returncode}")
    table = measure.run(cli("evaluate", *options), cwd=REPO, timeout=900, scratch=ctx.tmp)
    data = json.loads(out.read_text())
    targets = _accuracy_targets()
    order = [name for name in SPLIT_TITLES if name in data["splits"]]

    def labelled(name: str) -> int:
        return len(list((REPO / data["splits"][name]["labels"]).glob("*.yaml")))  # the CLI ran in REPO

    def f1(counts: dict) -> float:
        """From the counts, not the JSON's 4-decimal F1: rounding that again to 3 can differ from the table."""
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)

    def figure(system: dict, which: str) -> float:
        if which.startswith("macro_f1_"):
            table = system[which.removeprefix("macro_f1_")]
            return sum(f1(c) for c in table.values()) / len(table)
        return f1(system["values"][which])

    def cell(split: dict, which: str) -> tuple[float, float]:
        return figure(split["tool"], which), figure(split["keyword_floor"], which)

    rows = [("macro F1, present", "macro_f1_present"), ("macro F1, missing", "macro_f1_missing"),
            ("lawful bases (values)", "lawful_bases"), ("rights (values)", "rights")]
    sec.body = [
        f"Command: `{command}` ({run.seconds:.0f} s): the three labelled splits of `{rel(shared)}` in one run.",
        "",
        "\"present\" counts an item as found when the audit reports it met or partial (conditions ignored);",
        "\"missing\" is the class an auditor acts on. Each figure is the tool's F1 with the keyword floor (a naive",
        "keyword search over the same texts, `notice_audit/evaluation/keywords.yaml`) in brackets. The validation",
        "split is measured only, never studied; the full-length notices are whole notices as users audit them.",
        "The development split holds the texts the rules were written from: its figures are an upper bound, not",
        "a result. Targets are those of `tests/data/accuracy_ratchet.yaml`.",
        "",
        "| | " + " | ".join(SPLIT_TITLES[n] for n in order) + " | target (" + " / ".join(order) + ") |",
        "|---|" + "---|" * len(order) + "---|",
    ]
    checks: dict[str, list[Check]] = {name: [] for name in order}  # reported split by split, dev last
    read = []
    for name in order:
        split, wanted = data["splits"][name], labelled(name)
        read.append(f"{split['documents']} of {wanted}")
        checks[name].append(Check(f"accuracy, {name}: labelled files read", f"{split['documents']} of {wanted}",
                                  "all", split["documents"] >= wanted))
    sec.body.append("| labelled files read | " + " | ".join(read) + " | all |")
    for title, key in rows:
        cells, wanted = [], []
        for name in order:
            tool, floor = cell(data["splits"][name], key)
            target = targets.get(name, {}).get(key)
            cells.append(f"**{tool:.3f}** ({floor:.3f})")
            wanted.append(f"{target:g}" if target is not None else "-")
            if target is not None:
                checks[name].append(Check(f"accuracy, {name}: {title}", f"{tool:.3f}", f">= {target:g}",
                                          tool >= target))
        sec.body.append(f"| {title} | " + " | ".join(cells) + " | >= " + " / ".join(wanted) + " |")
    contacts = ("emails", "phones", "postcodes")
    found = {n: [cell(data["splits"][n], c)[0] for c in contacts] for n in order}
    sec.body.append("| emails / phones / postcodes | " + " | ".join(
        " / ".join(f"{v:.3f}" for v in found[n]) for n in order) + " | dev >= 0.97 |")
    if "dev" in found:
        checks["dev"].append(Check("accuracy, dev: emails / phones / postcodes",
                                   " / ".join(f"{v:.3f}" for v in found["dev"]), ">= 0.97", min(found["dev"]) >= 0.97))
    sec.checks += [c for name in order for c in checks[name]]
    below = data.get("below_floor", {})
    sec.body.append("")
    if below:
        sec.body.append("Below the keyword floor (target: no row on any split): " + ", ".join(
            f"{row} ({', '.join(splits)})" for row, splits in below.items()) + ".")
    else:
        sec.body.append("No item or value is below the keyword floor on any split.")
    full_notices = shared / "corpus-full" / "notices"
    if full_notices.is_dir() and "full" in data["splits"]:
        kept_back = len([p for p in full_notices.iterdir() if p.is_file()]) - labelled("full")
        sec.body.append("")
        sec.body.append(f"{kept_back} further full-length notices carry no label: they are kept back for "
                        "independent measurement.")
    sec.body += ["", "```", *table.stdout.rstrip().splitlines(), "```"]
    return sec


# ------------------------------------------------------------------------------------------ 1. throughput


@dataclass
class Timed:
    size: int
    bs4: float
    parse: float  # notice_audit's parse_page
    audit: float  # extract + rules + scoring (audit_document)
    report: float  # rendering the JSON report

    @property
    def total(self) -> float:
        return self.parse + self.audit + self.report


def time_pages(pages: list, checklist: object) -> list[Timed]:  # type: ignore[type-arg]
    """bs4 floor and the full audit of each page, one after the other (so both see the same machine)."""
    from bs4 import BeautifulSoup

    from notice_audit.audit import audit_document
    from notice_audit.auditor import make_report
    from notice_audit.formats.registry import render
    from notice_audit.parse import parse_page

    out = []
    for page in pages:
        gc.collect()
        t0 = time.perf_counter()
        BeautifulSoup(page.content, "lxml")
        t1 = time.perf_counter()
        doc = parse_page(page)
        t2 = time.perf_counter()
        notice = audit_document(doc, checklist)  # type: ignore[arg-type]
        t3 = time.perf_counter()
        render(make_report(checklist, [notice]), "json")  # type: ignore[arg-type]
        t4 = time.perf_counter()
        out.append(Timed(len(page.content), t1 - t0, t2 - t1, t3 - t2, t4 - t3))
    return out


def throughput_rows(label: str, timed: list[Timed]) -> tuple[str, float]:
    size = sum(t.size for t in timed)
    bs4 = sum(t.bs4 for t in timed)
    full = sum(t.total for t in timed)
    ratio = bs4 / full
    row = (f"| {label} | {len(timed)} | {fmt_mb(size)} | {len(timed) / bs4:.1f} | {size / bs4 / MB:.2f} "
           f"| {len(timed) / full:.2f} | {size / full / MB:.3f} | **{ratio:.3f}** |")
    return row, ratio


def stage_row(label: str, timed: list[Timed]) -> str:
    full = sum(t.total for t in timed)
    parts = [sum(t.parse for t in timed), sum(t.audit for t in timed), sum(t.report for t in timed)]
    return (f"| {label} | {full:.2f} s | " + " | ".join(f"{p:.2f} s ({100 * p / full:.0f}%)" for p in parts)
            + f" | {sum(t.bs4 for t in timed):.2f} s |")


def floor_row(label: str, pages: list, timed: list[Timed], checklist: object) -> str:  # type: ignore[type-arg]
    """What the target leaves once our parse and the lexicons' searches alone are paid (``regex_floor``)."""
    from benchmarks.regex_floor import record, replay
    from notice_audit.parse import parse_page

    calls, _ = record([parse_page(page) for page in pages], checklist)
    regex = replay(calls)
    budget = sum(t.bs4 for t in timed) / TARGET_THROUGHPUT
    parse = sum(t.parse for t in timed)
    rest = sum(t.audit + t.report for t in timed) - regex
    return (f"| {label} | {budget:.2f} s | {parse:.2f} s | {regex:.2f} s ({len(calls):,}) "
            f"| **{budget - parse - regex:.2f} s** | {rest:.2f} s |")


def section_throughput(ctx: Context) -> Section:
    from notice_audit.rules.checklist import load_checklist
    from notice_audit.sources.files import local_files, read_file

    sec = Section("throughput", "1. Audit throughput against bare parsing")
    checklist = load_checklist("uk-gdpr")
    pages = [read_file(str(p)) for p in ctx.synthetic]
    from notice_audit.audit import warm_up

    warm_up(checklist)  # what a run pays once: lexicons loaded and compiled, the literal automaton built
    timed = time_pages(pages, checklist)
    head = ["| pages | n | size | bs4 pages/s | bs4 MB/s | audit pages/s | audit MB/s | audit / bs4 |",
            "|---|---|---|---|---|---|---|---|"]
    row, ratio = throughput_rows("synthetic corpus, all", timed)
    rows = [row]
    for low, high, name in ((0, 20 * KiB, "5-20 KB"), (20 * KiB, 100 * KiB, "20-100 KB"),
                            (100 * KiB, 10**9, "100-500 KB")):
        band = [t for t in timed if low <= t.size < high]
        if band:
            rows.append(throughput_rows(f"synthetic, {name}", band)[0])
    sec.checks.append(Check("1. audit / bare-parse throughput (synthetic)", f"{ratio:.3f}x",
                            f">= {TARGET_THROUGHPUT}x", ratio >= TARGET_THROUGHPUT))
    stages = [stage_row("synthetic corpus", timed)]
    floors = [floor_row("synthetic corpus", pages, timed, checklist)]
    corpus_note = ""
    if ctx.corpus is not None and ctx.corpus.is_dir():
        folder = ctx.corpus / "notices" if (ctx.corpus / "notices").is_dir() else ctx.corpus
        files = local_files(str(folder))[:: ctx.plan.corpus_every]
        real = []
        for path in files:
            try:
                real.append(read_file(path))
            except Exception:  # an unreadable file is the audit's business, not the benchmark's
                continue
        timed_real = time_pages(real, checklist)
        kinds: dict[str, int] = {}
        for page in real:
            kinds[page.media_type] = kinds.get(page.media_type, 0) + 1
        row_real, ratio_real = throughput_rows(f"`{rel(folder)}`", timed_real)
        rows.append(row_real)
        stages.append(stage_row(f"`{rel(folder)}`", timed_real))
        floors.append(floor_row(f"`{rel(folder)}`", real, timed_real, checklist))
        sec.checks.append(Check("1. audit / bare-parse throughput (real corpus)", f"{ratio_real:.3f}x",
                                f">= {TARGET_THROUGHPUT}x", ratio_real >= TARGET_THROUGHPUT))
        every = f"every {ctx.plan.corpus_every}th file, " if ctx.plan.corpus_every > 1 else ""
        corpus_note = (f"The real corpus ({every}{len(real)} files: "
                       + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                       + ") is mostly plain text: its bs4 floor parses those bytes with `BeautifulSoup(..., "
                       "\"lxml\")` all the same (lxml wraps text in `<html><body><p>`), so the floor is cheap and "
                       "the ratio is harsher than for HTML.")
    else:
        corpus_note = f"Real corpus: not measured ({ctx.corpus_note})."
    sizes = sorted(p.stat().st_size for p in ctx.synthetic)
    sec.body = [
        "The same pages, one after the other: `BeautifulSoup(html, \"lxml\")` (the floor) against the full audit "
        "(`parse_page`, `audit_document` with the uk-gdpr checklist, and `report.render(..., \"json\")`: "
        "extraction, rules and reporting), in this process after the warm-up every run does once "
        "(`audit.warm_up`: every lexicon loaded and compiled, the literal automaton built). MB = 10^6 bytes.",
        "",
        f"Synthetic corpus: `synthetic.corpus(folder, {len(sizes)}, seed=1)`, HTML pages with header, navigation, "
        "breadcrumbs, cookie banner, sidebar and footer around headings, paragraphs, lists and tables; sizes "
        f"log-uniform, {sizes[0] / 1000:.1f} KB to {sizes[-1] / 1000:.1f} KB (median "
        f"{sizes[len(sizes) // 2] / 1000:.1f} KB). {corpus_note}",
        "",
        *head, *rows,
        "",
        "Where the audit's time goes (same pages):",
        "",
        "| pages | audit total | parse_page | extract + rules | JSON report | bs4 floor |",
        "|---|---|---|---|---|---|",
        *stages,
        "",
        f"What the target leaves for the extractors' Python, the rules and the report: the budget is the "
        f"bs4 floor ÷ {TARGET_THROUGHPUT}; from it go our own `parse_page` and the searches of the lexicons' "
        "patterns that the literal prefilter lets through, recorded during one audit of the same pages and "
        "replayed alone (`benchmarks/regex_floor.py`; the count of searches in brackets). Those two cannot be "
        "tuned away in Python; a negative figure means the target is out of reach before any extractor logic "
        "runs. The last column is what that logic, the rules and the report take now.",
        "",
        "| pages | budget at the target | parse_page | lexicon searches alone | left | extractor logic, rules, "
        "report now |",
        "|---|---|---|---|---|---|",
        *floors,
    ]
    return sec


# ------------------------------------------------------------------------------------------ 1b. whole notices


WHOLE_TITLE = "1b. Whole real notices against bare parsing"


def section_whole(ctx: Context) -> Section:
    from benchmarks import whole_notices

    if ctx.corpus is None:
        raise NotMeasured(f"no shared corpus ({ctx.corpus_note})")
    folder = ctx.corpus.parent / "corpus-full" / "notices"
    if not folder.is_dir():
        raise NotMeasured(f"`{rel(folder)}` is absent")
    rounds = 1 if ctx.quick else 3
    real, synthetic = whole_notices.measure(rounds, folder)
    from notice_audit.rules.checklist import load_checklist

    total, hot = whole_notices.top_functions(whole_notices.real_pages(folder), load_checklist("uk-gdpr"),
                                             ctx.plan.profile_top)
    sec = Section("whole", WHOLE_TITLE)
    rows = []
    for label, t, target in ((f"`{rel(folder)}` (all files)", real, TARGET_WHOLE_REAL),
                             ("synthetic web pages, one of each real file's size", synthetic,
                              TARGET_WHOLE_SYNTHETIC)):
        rows.append(f"| {label} | {t.files} | {fmt_mb(t.size)} | {t.bs4:.3f} s | {t.audit:.3f} s "
                    f"| **{t.ratio:.3f}** | >= {target} |")
        sec.checks.append(Check(f"1b. audit / bare-parse throughput ({'real' if t is real else 'synthetic'} whole "
                                "notices)", f"{t.ratio:.3f}x", f">= {target}x", t.ratio >= target))
    sec.body = [
        "Every file of the full-length corpus, each audited whole (`parse_page`, `audit_document` with the "
        "uk-gdpr checklist, the JSON report) and parsed bare with `BeautifulSoup(content, \"lxml\")`, page by "
        f"page in one process after the warm-up (best of {rounds} per page); beside it, a seeded synthetic web page "
        "(`synthetic.notice_page`) of each real file's size, so the two corpora have the same density. Most real "
        "files are Markdown, templates or code: their bare parse is cheap, so their ratio is the harsher. "
        "`python -m benchmarks.whole_notices` runs this alone; `--profile 30` prints the top functions.",
        "",
        "| pages | files | size | bs4 floor | full audit | audit / bs4 | target |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Where the time goes: the {len(hot)} functions with the most time of their own in a profiled second audit "
        f"of every real file (`cProfile`, {total:.2f} s in all under the profiler, which inflates functions "
        "called often; regular-expression searches count as the `re` methods that ran them).",
        "",
        "| function | calls | own time | share | with what it calls |",
        "|---|---|---|---|---|",
        *(f"| `{h.where}` | {h.calls:,} | {h.own:.3f} s | {h.own / total:.1%} | {h.cumulative:.3f} s |"
          for h in hot),
    ]
    return sec


# ------------------------------------------------------------------------------------------ 2. scaling


def full_audit_seconds(page: object, repeats: int) -> float:
    """The best of ``repeats`` full audits of ``page``, in this process's CPU seconds (the audit runs on one
    thread: its CPU time is its work, whatever else the shared machine runs meanwhile)."""
    from benchmarks.whole_notices import full_audit
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    best = math.inf
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        full_audit(page, checklist)
        best = min(best, time.process_time() - start)
    return best


def section_scaling(ctx: Context) -> Section:
    from notice_audit.model import Page

    sec = Section("scaling", "2. Scaling with document size")
    base, repeats = ctx.plan.scaling_base, ctx.plan.scaling_repeats
    cases: Cases = {
        "web page (HTML, furniture)": (lambda n: notice_page(n, seed=7), "text/html"),
        "plain text": (lambda n: notice_plain(n, seed=7), "text/plain"),
        "hostile text": (hostile_text, "text/plain"),
        "hostile template": (hostile_template, "text/x-template"),
    }
    # warm-up: every lexicon loaded and compiled
    full_audit_seconds(Page("warm.txt", "warm.txt", notice_plain(4096).encode(), "text/plain"), 1)
    lines = list(TABLE_HEAD)

    # every size its best of ``repeats``: one run of the largest, which decides the fit most, moved the exponent
    # by up to 0.15 between runs of the same code on this shared machine
    for name, sizes, seconds in timed_sizes(cases, base, lambda page: full_audit_seconds(page, repeats)):
        k = exponent(sizes, seconds)
        cells = " | ".join(f"{s / MB:.3f} MB: {t:.2f} s" for s, t in zip(sizes, seconds, strict=True))
        lines.append(f"| {name} | {cells} | **{k:.2f}** |")
        sec.checks.append(Check(f"2. scaling exponent, {name}", f"{k:.2f}", f"<= {TARGET_EXPONENT}",
                                k <= TARGET_EXPONENT))
    sec.body = [
        f"Full audit (parse, extract, rules, JSON report) of one document of 1x, 2x, 4x and 8x {base // KiB} KiB "
        f"(CPU time of this process, best of {repeats} at every size); the exponent k is fitted by least squares to "
        "time ~ size^k (1 is linear). "
        "\"hostile\" is text built to make careless regular expressions backtrack (`synthetic.hostile_text`: long "
        "runs with no sentence end, names, dates and tags that never close); \"hostile template\" wraps it in "
        "template tags that never close (`synthetic.hostile_template`).",
        "",
        *lines,
    ]
    return sec


# ------------------------------------------------------------------------------------------ 3. parallel


def section_parallel(ctx: Context) -> Section:
    sec = Section("parallel", "3. Parallel audits (`audit --jobs N`)")
    folder = ctx.parallel[0].parent
    count = len(ctx.parallel)
    size = sum(p.stat().st_size for p in ctx.parallel)
    smallest = min(ctx.parallel, key=lambda p: p.stat().st_size)
    out = ctx.tmp / "start-up.json"
    startup = min(
        (measure.run(cli("audit", str(smallest), "--no-history", "--no-config", "--format", "json", "--output",
                         str(out)), cwd=REPO, timeout=600, scratch=ctx.tmp) for _ in range(2)),
        key=lambda r: r.seconds,
    )
    out.unlink(missing_ok=True)
    cores = len(os.sched_getaffinity(0))
    levels = sorted({1, 2, cores})
    best: dict[int, tuple[measure.Measured, float | None]] = {}  # jobs -> (fastest run, other load during it)
    failed: dict[int, str] = {}
    notes = []
    for round_ in range(ctx.plan.parallel_rounds):  # rounds interleave the levels: a busy spell hits each alike
        for jobs in levels:
            if jobs in failed:
                continue
            out = ctx.tmp / f"jobs-{jobs}.json"
            command = cli("audit", str(folder), "--jobs", str(jobs), "--no-history", "--no-config", "--format",
                          "json", "--output", str(out))
            log(f"parallel: --jobs {jobs} (round {round_ + 1})")
            load = OtherLoad()
            run = measure.run(command, cwd=REPO, timeout=1800, scratch=ctx.tmp)
            others = load.cores()
            got = reported_notices(out)
            failure = cli_failure(run, f"`audit --jobs {jobs}`")
            out.unlink(missing_ok=True)
            if got != count:
                failed[jobs] = failure or f"report holds {got} notices, not {count}"
                continue
            if failure and round_ == 0:
                notes.append(f"`--jobs {jobs}`: the report was complete, then the CLI {failure.split(' ', 3)[-1]}")
            if jobs not in best or run.seconds < best[jobs][0].seconds:
                best[jobs] = (run, others)
    rows = []
    base = best[1][0].seconds if 1 in best else None
    for jobs in levels:
        name = f"{jobs}{' (all cores)' if jobs == cores else ''}"
        if jobs in failed:
            rows.append(f"| {name} | not measured: {failed[jobs]} | | | | | |")
            continue
        run, others = best[jobs]
        speed = f"{base / run.seconds:.2f}x" if base else "n/a"
        rows.append(f"| {name} | {run.seconds:.1f} s | {count / run.seconds:.2f} | {size / run.seconds / MB:.3f} | "
                    f"**{speed}** | {run.tree_peak_kib / 1024:.0f} MiB | "
                    f"{'n/a' if others is None else f'{others:.2f}'} |")
    if 2 in best and base:
        speed_up = base / best[2][0].seconds
        sec.checks.append(Check("3. `--jobs 2` speed-up over one job", f"{speed_up:.2f}x", f">= {TARGET_JOBS2}x",
                                speed_up >= TARGET_JOBS2))
    else:
        sec.checks.append(Check("3. `--jobs 2` speed-up over one job", "not measured", f">= {TARGET_JOBS2}x", None))
    rounds = ctx.plan.parallel_rounds
    sec.body = [
        f"`python -m notice_audit audit FOLDER --jobs N --no-history --no-config --format json --output FILE` in a "
        f"subprocess, on a seeded synthetic corpus of its own (`synthetic.corpus(folder, {count}, seed=2)`, "
        f"{count} files, {fmt_mb(size)}); wall time includes interpreter start-up, loading the lexicons and "
        "writing the report"
        + (f"; the fastest of {rounds} rounds (the levels take turns)" if rounds > 1 else "")
        + f". {cores} cores usable here" + (", so \"all cores\" is `--jobs 2`." if cores == 2 else ".")
        + " The last column is how many cores other processes kept busy during that run: on a 2-core machine, "
        "anything above zero takes directly from `--jobs 2`.",
        "",
        f"Start-up, which no number of workers shortens: auditing one {smallest.stat().st_size / 1000:.0f} KB page "
        f"takes {startup.seconds:.1f} s (imports, every lexicon compiled, the report written). That is why this "
        f"section audits {count} pages rather than section 1's {len(ctx.synthetic)}: those take a few seconds, "
        "of which start-up would be a large share and would decide the ratio; real runs audit thousands.",
        "",
        "| jobs | wall time | pages/s | MB/s | speed-up vs 1 job | peak RSS, process tree (sampled) "
        "| other processes (cores) |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]
    if notes:
        sec.body += ["", *notes]
    return sec


# ------------------------------------------------------------------------------------------ 4. crawl


async def _drive(urls: list[str], concurrency: int, get: Callable[[str], object]) -> tuple[float, int]:
    queue = list(reversed(urls))
    total = 0

    async def worker() -> None:
        nonlocal total
        while queue:
            size = await get(queue.pop())  # type: ignore[misc]
            total += size

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, total


async def plain_httpx(urls: list[str], concurrency: int) -> tuple[float, int]:
    import httpx

    async with httpx.AsyncClient() as client:

        async def get(url: str) -> int:
            response = await client.get(url)
            response.raise_for_status()
            return len(response.content)

        return await _drive(urls, concurrency, get)


def fetch_config(concurrency: int) -> object:
    from notice_audit.fetch.config import FetchConfig

    return FetchConfig(concurrency=concurrency, per_host=concurrency, respect_robots=False, retries=0,
                       start_hosts=frozenset({"127.0.0.1"}))  # the servers are on loopback


async def with_fetcher(urls: list[str], concurrency: int) -> tuple[float, int]:
    from notice_audit.sources.web import NoticeFetcher as Fetcher

    async with Fetcher(fetch_config(concurrency)) as fetcher:  # type: ignore[arg-type]

        async def get(url: str) -> int:
            return len((await fetcher.fetch(url)).content)

        return await _drive(urls, concurrency, get)


async def discovery_crawl(start: str, concurrency: int, pages: int) -> tuple[float, int, int]:
    from notice_audit.crawl import CrawlOptions, crawl_async

    # the per-site page budget stops it after the index page and ``pages`` notices
    options = CrawlOptions(max_pages=pages + 1, max_depth=1, check_links=False, use_robots_sitemaps=False)
    started = time.perf_counter()
    result = await crawl_async([start], fetch_config(concurrency), options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return seconds, result.pages_fetched, sum(len(g.parts) for g in result.notices)


def section_crawl(ctx: Context) -> Section:
    from benchmarks.site import Site

    sec = Section("crawl", "4. Crawl throughput over loopback")
    plan = ctx.plan
    rows = []
    crawl_rows = []
    with Site(plan.crawl_pages) as site:
        urls = site.notice_urls
        for run in (plain_httpx, with_fetcher):  # warm-up: imports, first connections
            asyncio.run(run(urls[:50], 4))
        page_bytes = 0
        for c in plan.crawl_levels:
            best: dict[str, float] = {}
            for _ in range(plan.crawl_rounds):
                for name, run in (("httpx", plain_httpx), ("Fetcher", with_fetcher)):
                    gc.collect()
                    seconds, page_bytes = asyncio.run(run(urls, c))
                    best[name] = max(best.get(name, 0.0), len(urls) / seconds)
            ratio = best["Fetcher"] / best["httpx"]
            mb = page_bytes / len(urls) / MB
            rows.append(f"| {c} | {best['httpx']:.0f} ({best['httpx'] * mb:.1f} MB/s) | "
                        f"{best['Fetcher']:.0f} ({best['Fetcher'] * mb:.1f} MB/s) | **{ratio:.2f}** |")
            sec.checks.append(Check(f"4. Fetcher / plain httpx loop, {c} in flight", f"{ratio:.2f}x",
                                    f">= {TARGET_CRAWL}x", ratio >= TARGET_CRAWL))
        for c in plan.crawl_levels[:1]:
            seconds, fetched, notices = asyncio.run(discovery_crawl(site.base + "/", c, plan.discovery_pages))
            crawl_rows.append(f"| {c} | {fetched} pages ({notices} notices found) in {seconds:.2f} s | "
                              f"**{fetched / seconds:.0f} pages/s** |")
    sec.body = [
        f"A loopback site in its own process (`benchmarks/site.py`: keep-alive HTTP/1.1, an index page linking to "
        f"{plan.crawl_pages} notice pages of about {page_bytes / len(urls) / 1000:.0f} KB, "
        "`/privacy/notice-K`). Each URL fetched once per run, with C requests in flight (C workers over one "
        f"queue), best of {plan.crawl_rounds}. \"httpx\" is one plain `httpx.AsyncClient()` GET loop (default "
        "pool limits); \"Fetcher\" is `notice_audit.fetch.client.Fetcher` with "
        "`FetchConfig(concurrency=C, per_host=C, respect_robots=False, retries=0)` and no snapshot store, so it "
        "adds its own checks (redirects, size cap, streamed decoding) to the same transport.",
        "",
        "| in flight (C) | plain httpx, pages/s | Fetcher, pages/s | Fetcher / httpx |",
        "|---|---|---|---|",
        *rows,
        "",
        "The whole discovery crawl (`crawl.crawl_async` from the index page, `max_depth=1`, no link checks, robots "
        f"off, a budget of the index and {plan.discovery_pages} notices): fetching plus reading every page for "
        "notice links, parts and parents (extra: no target).",
        "",
        "| in flight | crawl | throughput |",
        "|---|---|---|",
        *crawl_rows,
    ]
    return sec


# ------------------------------------------------------------------------------------------ 5. memory


def section_memory(ctx: Context) -> Section:
    from benchmarks import fetch_memory

    sec = Section("memory", "5. Peak memory")
    plan = ctx.plan
    folder = ctx.tmp / "many"
    log(f"memory: writing {plan.memory_notices} notices")
    paths = corpus(folder, plan.memory_notices, seed=2, min_bytes=plan.memory_min, max_bytes=plan.memory_max,
                   text_share=1.0)
    size = sum(p.stat().st_size for p in paths)
    cores = len(os.sched_getaffinity(0))
    subset = ctx.tmp / "many-json"  # the first notices again (hard links), for the slower JSON comparison
    subset.mkdir()
    for path in paths[: plan.memory_json_notices]:
        try:
            os.link(path, subset / path.name)
        except OSError:
            (subset / path.name).write_bytes(path.read_bytes())
    rows = []
    runs = (("jsonl", folder, len(paths)), ("json", subset, min(len(paths), plan.memory_json_notices)))
    for fmt, target, count in runs:
        out = ctx.tmp / f"many.{fmt}"
        command = cli("audit", str(target), "--jobs", str(cores), "--no-history", "--no-config", "--format", fmt,
                      "--output", str(out))
        log(f"memory: {count} notices, --format {fmt}")
        run = measure.run(command, cwd=REPO, timeout=3600, scratch=ctx.tmp)
        got = reported_notices(out)
        report_size = out.stat().st_size if out.exists() else 0
        out.unlink(missing_ok=True)
        failure = cli_failure(run, f"`audit --format {fmt}`")
        label = "JSON Lines (streamed)" if fmt == "jsonl" else "JSON (whole report in memory)"
        what = f"5. peak memory, {count:,} notices (JSON Lines, --jobs {cores})"
        if got != count:
            reason = failure or f"report holds {got} notices, not {count}"
            rows.append(f"| {label} | {count:,} | not measured: {reason} | | | | |")
            if fmt == "jsonl":
                sec.checks.append(Check(what, "not measured", f"< {TARGET_MEMORY_MB} MB", None))
            continue
        growth = " / ".join(f"{run.main_rss_at(s) * KiB / MB:.0f}" for s in (0.25, 0.5, 0.75, 1.0))
        note = f" (then the CLI {failure.split(' ', 3)[-1]})" if failure else ""
        peak = run.hwm_sum_kib * KiB / MB
        rows.append(f"| {label} | {count:,} | {run.seconds:.0f} s{note} | {report_size / MB:.0f} MB | "
                    f"**{peak:.0f} MB** | {run.largest_kib * KiB / MB:.0f} MB | {growth} |")
        if fmt == "jsonl":
            sec.checks.append(Check(what, f"{peak:.0f} MB", f"< {TARGET_MEMORY_MB} MB", peak < TARGET_MEMORY_MB))
    kinds = {p.suffix for p in paths}
    sec.body = [
        f"`python -m notice_audit audit FOLDER --jobs {cores} --no-history --no-config --format FORMAT --output FILE` "
        f"on {len(paths):,} synthetic notices (`synthetic.corpus(folder, {len(paths)}, seed=2, "
        f"min_bytes={plan.memory_min}, max_bytes={plan.memory_max}, text_share=1.0)`: {fmt_mb(size)}, "
        f"{', '.join(sorted(kinds))}; whole but short notices, about as long as the texts of the real corpus, so "
        "that 10,000 of them can be audited in a few minutes; a report's size depends on what a notice says more "
        "than on its length). The whole-report JSON comparison audits the first "
        f"{min(len(paths), plan.memory_json_notices):,} of them only, to keep the run short. "
        "\"Peak\" is the sum of each process's own peak RSS (VmHWM) over the CLI and its worker processes, an upper "
        "bound (forked workers share pages with their parent); \"largest process\" is exact (`wait4`). The last "
        "column samples the main process's RSS at 25/50/75/100% of the run: flat means memory does not grow with "
        "the number of notices (the final spike of rendering a whole report can fall between samples). "
        "MB = 10^6 bytes.",
        "",
        "| report | notices | wall time | report size | peak, all processes | largest process "
        "| main RSS over the run (MB) |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]
    log("memory: fetcher cases")
    try:
        fetched = fetch_memory.measure(10 * 1024 * 1024, plan.bomb_mib, plan.oversized_mib)
    except Exception as exc:
        sec.body += ["", f"Fetcher cases: not measured: {exc}"]
        return sec
    sec.body += [
        "",
        "The fetcher on hostile pages (`benchmarks/fetch_memory.py`: 10 MiB cap, each case in its own process "
        "against a loopback server; MiB):",
        "",
        *fetch_memory.table(fetched),
        "",
        "The fetcher decodes the raw stream itself in pieces of at most 256 KiB, so the cap holds on decompressed "
        "bytes.",
    ]
    baseline = fetched[0][2]["maxrss_kib"]
    for case, _label, result in fetched[1:3]:
        stopped = str(result["outcome"]).startswith("FetchError")
        over = (result["maxrss_kib"] - baseline) / 1024
        sec.checks.append(Check(f"5. crawler, {'oversized page' if case == 'oversized' else 'gzip bomb'}",
                                f"{'stopped at the cap' if stopped else result['outcome']}, {over:+.1f} MiB RSS",
                                "stops at the 10 MiB cap", stopped))
    return sec


# ------------------------------------------------------------------------------------------ the document


def split_sections(text: str) -> dict[str, str]:
    """A Markdown document's level-2 sections by heading line (the text before the first is dropped)."""
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("## "):
            if current is not None:
                out[current] = "\n".join(lines).rstrip() + "\n"
            current, lines = line, [line]
        elif current is not None:
            lines.append(line)
    if current is not None:
        out[current] = "\n".join(lines).rstrip() + "\n"
    return out


def render(ctx: Context, sections: list[Section], command: str, started: datetime, seconds: float,
           machine_lines: list[str]) -> str:
    checks = [c for s in sections for c in s.checks]
    out = [
        "# Benchmark and accuracy results",
        "",
        f"Generated by `{command}` on {started.strftime('%Y-%m-%d %H:%M UTC')} in {seconds / 60:.1f} minutes"
        + (" (`--quick`: small sizes and counts, a smoke run; not the figures to quote)" if ctx.quick else "")
        + ". Every figure below comes from this one run; targets are ratios against a floor measured alongside, "
        "never timed assertions in tests.",
        "",
        *machine_lines,
        "",
    ]
    busy = [s for s in sections if s.others is not None and s.others >= BUSY]
    if busy:
        out += [f"**The machine was not idle:** other processes kept up to {max(s.others or 0 for s in busy):.1f} "
                f"of {os.cpu_count()} cores busy on average during {', '.join(s.key for s in busy)} (see each "
                "section's footer); timings and speed-ups there are pessimistic. Re-run on a quiet machine for "
                "figures to quote.", ""]
    out += [
        "## Summary",
        "",
        "| measure | figure | target | result |",
        "|---|---|---|---|",
        *(f"| {c.measure} | {c.figure} | {c.target} | {c.verdict} |" for c in checks),
        "",
    ]
    for sec in sections:
        load = f"; other processes kept {sec.others:.2f} cores busy meanwhile" if sec.others is not None else ""
        out += [f"## {sec.title}", "", *sec.body, "", f"_Section time: {sec.seconds:.0f} s{load}._", ""]
    earlier = next((text for head, text in ctx.previous.items() if head.startswith(EARLIER)), None)
    if earlier:
        out += [earlier.rstrip(), ""]
    return "\n".join(out)


def write_results(path: Path, text: str) -> None:
    """RESULTS.md written atomically (the project's own writer), readable by everyone like any checked-in file."""
    write_text(path, text)
    os.chmod(path, 0o644)


# ------------------------------------------------------------------------------------------ 6. interruption


def section_interrupt(ctx: Context) -> Section:
    import signal
    import statistics

    from benchmarks.interrupt import stop_once

    sec = Section("interrupt", "6. Stopping a parallel run")
    folder = ctx.tmp / "interrupt"
    folder.mkdir(exist_ok=True)
    texts = [notice_plain(120 * KiB, seed=seed) for seed in range(8)]
    for k in range(160):
        (folder / f"notice-{k:03}.txt").write_text(texts[k % len(texts)], encoding="utf-8")
    out_dir = ctx.tmp / "interrupt-out"
    out_dir.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rows = []
    for name, signum, group in (("SIGINT to the process group (Ctrl-C)", signal.SIGINT, True),
                                ("SIGTERM to the main process (kill)", signal.SIGTERM, False)):
        stops = []
        for k in range(ctx.plan.interrupt_tries):
            log(f"interrupt: {name}, try {k + 1}")
            command = cli("audit", str(folder), "--jobs", "2", "--no-history", "--no-config", "--output",
                          str(out_dir / ("report.jsonl" if k % 2 else "report.json")))
            stops.append(stop_once(command, signum, group=group, out_dir=out_dir, env=env, cwd=REPO))
        times = sorted(s.seconds for s in stops if s.seconds is not None)
        hung = sum(1 for s in stops if s.seconds is None)
        codes = sorted({s.code for s in stops if s.code is not None})
        left = sum(s.workers_left for s in stops)
        files = sum(s.files_left for s in stops)
        worst = times[-1] if times else float("nan")
        median = statistics.median(times) if times else float("nan")
        rows.append(f"| {name} | {len(stops)} | {median:.2f} s | {worst:.2f} s | {hung} | "
                    f"{', '.join(map(str, codes))} | {left} | {files} |")
        expected = 128 + signum
        ok = hung == 0 and codes == [expected] and left == 0 and files == 0 and worst <= TARGET_STOP_S
        sec.checks.append(Check(f"6. {signal.Signals(signum).name}: slowest exit of {len(stops)}, exit {expected}, "
                                "nothing left", f"{worst:.2f} s, {hung} hung, {left} workers and {files} files left",
                                f"<= {TARGET_STOP_S:g} s, none left", ok))
    sec.body = [
        "`notice-audit audit DIR --jobs 2` over 160 plain-text notices of about 120 KB "
        f"(`benchmarks/interrupt.py`), stopped {ctx.plan.interrupt_tries} times per signal once both workers "
        "were auditing (each had used CPU time); JSON and JSON Lines reports alternate. The time is from the "
        "signal to the main process's exit; a run still there after 10 s counts as hung. \"Workers left\" are "
        "worker processes still running 0.1 s after the exit; \"files left\" anything in the output folder "
        "(a report or a temporary file).",
        "",
        "| signal | tries | median | slowest | hung | exit status | workers left | files left |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    return sec


# ------------------------------------------------------------------------------------------ 7. start-up


def section_startup(ctx: Context) -> Section:
    from benchmarks import startup

    sec = Section("startup", TITLES["startup"])
    folder = ctx.tmp / "startup"
    folder.mkdir(exist_ok=True)
    timings = startup.measure(folder, ctx.plan.startup_runs)
    audit = next(t for t in timings if t.case.argv[-len(startup.AUDIT):] == startup.AUDIT and not t.case.cold_cache)
    sec.checks.append(Check("7. one-page audit start-up (wall median, whole process)",
                            f"{audit.wall_median:.2f} s ({audit.cpu_median:.2f} s CPU)",
                            f"<= {startup.TARGET_AUDIT_S:g} s", audit.wall_median <= startup.TARGET_AUDIT_S))
    sec.body = [
        f"Each command run {ctx.plan.startup_runs} times in turn with the others after one warm-up each "
        "(`benchmarks/startup.py`): bytecode cached as for an installed package, the checklist cache filled by the "
        "warm-up (the cold-cache row starts each run with an empty one). Medians; CPU is the process's own user + "
        "system time.",
        "",
        *startup.table(timings),
    ]
    return sec


def section_national(ctx: Context) -> Section:
    from benchmarks import national

    review = national.measure_review(ctx.plan.national_count, 2)
    sec = Section("national", TITLES["national"])
    sec.checks.append(Check("8. national review, 40,000 pages with `--jobs 2` (extrapolated)",
                            f"{review.review_minutes:.0f} min ({review.pages_per_second:.1f} pages/s)",
                            f"<= {national.TARGET_MINUTES:g} min", review.review_minutes <= national.TARGET_MINUTES))
    sec.checks.append(Check("8. national review, peak memory of the process tree", f"{review.peak_mb:.0f} MB",
                            f"<= {national.TARGET_PEAK_MB:g} MB", review.peak_mb <= national.TARGET_PEAK_MB))
    sec.checks.append(Check("8. national review, bare bs4 parses of its 40,000 pages on 2 cores (the floor)",
                            f"{review.bare_minutes:.0f} min ({review.bare_parse_s * 1000:.0f} ms a page)",
                            f"<= {national.TARGET_MINUTES:g} min", review.bare_minutes <= national.TARGET_MINUTES))
    sec.body = [
        f"`python -m benchmarks.national --count {ctx.plan.national_count} --jobs 2`: {ctx.plan.national_count:,} "
        "seeded synthetic notices of 50-150 KB with site furniture, audited from disk as one command writing JSON "
        "Lines; the 40,000-page review is this run's rate extrapolated, not measured.",
        "",
        national.report(review),
    ]
    return sec


def suite_files(junit_xml: str) -> list[tuple[str, float, int]]:
    """(test file, seconds, tests) of a pytest JUnit XML report, the heaviest file first: each test's time is
    its setup, call and teardown, so a module's fixtures count towards its first test's file."""
    import xml.etree.ElementTree as ET  # deferred: only this section reads XML

    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    for case in ET.fromstring(junit_xml).iter("testcase"):
        parts = (case.get("classname") or "").split(".")
        module = next((k for k, part in enumerate(parts) if part.startswith("test_")), len(parts) - 1)
        name = "/".join(parts[:module + 1]) + ".py"
        seconds[name] = seconds.get(name, 0.0) + float(case.get("time") or 0)
        counts[name] = counts.get(name, 0) + 1
    return sorted(((name, seconds[name], counts[name]) for name in seconds), key=lambda row: (-row[1], row[0]))


def section_suite(ctx: Context) -> Section:
    if ctx.quick:
        raise NotMeasured("not in a --quick run (the suite takes minutes)")
    sec = Section("suite", TITLES["suite"])
    junit = ctx.tmp / "suite.xml"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
                         cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = (run.stdout.strip().splitlines() or ["(no output)"])[-1]
    if run.returncode != 0:
        raise NotMeasured(f"the suite failed: {summary}")
    sec.checks.append(Check("9. test suite, wall time (pytest-xdist on every core)", f"{seconds:.0f} s",
                            f"< {TARGET_SUITE_S:g} s", seconds < TARGET_SUITE_S))
    cores = len(os.sched_getaffinity(0))
    sec.checks.append(Check("9. test suite, its CPU time over the cores (the wall's floor)", f"{cpu / cores:.0f} s",
                            f"< {TARGET_SUITE_S:g} s", cpu / cores < TARGET_SUITE_S))
    files = suite_files(junit.read_text(encoding="utf-8"))
    total = sum(s for _, s, _ in files) or 1.0
    sec.body = [
        f"`python -m pytest -q` in the repository, as the README runs it (pytest-xdist, `-n auto`: {cores} "
        f"workers here), timed whole as one process: {seconds:.1f} s; pytest said: {summary}",
        "",
        f"The floor: the suite and every process it started (workers, the command lines it runs, Chromium) used "
        f"{cpu:.0f} s of CPU (user + system, as the kernel counts it for each process reaped). On {cores} cores no "
        f"scheduling brings the wall under {cpu / cores:.0f} s; the target needs the CPU under "
        f"{TARGET_SUITE_S * cores:.0f} s.",
        "",
        f"The heaviest test files (each test's setup, call and teardown summed: {total:.0f} s over the workers):",
        "",
        "| file | tests | seconds | share |",
        "|---|---|---|---|",
        *(f"| `{name}` | {count} | {secs:.1f} s | {secs / total:.0%} |" for name, secs, count in files[:10]),
    ]
    return sec


RUNNERS: dict[str, Callable[[Context], Section]] = {
    "accuracy": section_accuracy,
    "throughput": section_throughput,
    "whole": section_whole,
    "scaling": section_scaling,
    "parallel": section_parallel,
    "crawl": section_crawl,
    "memory": section_memory,
    "interrupt": section_interrupt,
    "startup": section_startup,
    "national": section_national,
    "suite": section_suite,
}
TITLES = {
    "accuracy": ACCURACY_TITLE,
    "throughput": "1. Audit throughput against bare parsing",
    "whole": WHOLE_TITLE,
    "scaling": "2. Scaling with document size",
    "parallel": "3. Parallel audits (`audit --jobs N`)",
    "crawl": "4. Crawl throughput over loopback",
    "memory": "5. Peak memory",
    "interrupt": "6. Stopping a parallel run",
    "startup": "7. Start-up",
    "national": "8. A national review",
    "suite": "9. The test suite",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: small sizes and counts (~1 minute)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the results (default: {rel(DEFAULT_OUTPUT)})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"the shared corpus of real notices (default: {rel(DEFAULT_CORPUS)}; skipped when absent)")
    parser.add_argument("--only", help=f"comma-separated sections to run ({', '.join(SECTIONS)}); the others are "
                        "recorded as not run")
    args = parser.parse_args(argv)
    only = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    corpus_path: Path | None = args.corpus.resolve()
    corpus_note = f"`{rel(corpus_path)}` found"
    if not corpus_path.is_dir():
        corpus_note = f"`{rel(corpus_path)}` is absent"
        corpus_path = None
    previous = split_sections(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
    command = "python -m benchmarks" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    revision = git_revision()  # before the run: the commit measured is the one checked out at the start
    machine_lines = machine(revision)
    sections: list[Section] = []
    with tempfile.TemporaryDirectory(prefix="notice-audit-bench-") as tmp:
        ctx = Context(QUICK if args.quick else FULL, args.quick, Path(tmp), corpus_path, corpus_note, previous)
        for key in SECTIONS:
            if key not in only:
                sections.append(Section(key, TITLES[key], [f"_Not run (`--only {args.only}`)._"]))
                continue
            log(f"{key} ...")
            t0 = time.perf_counter()
            load = OtherLoad()
            try:
                sec = RUNNERS[key](ctx)
            except NotMeasured as exc:
                sec = Section(key, TITLES[key], [f"Not measured: {exc}"])
            except Exception as exc:  # one broken section must not lose the others
                detail = traceback.format_exc(limit=-3).strip().splitlines()
                sec = Section(key, TITLES[key], [f"Not measured: {type(exc).__name__}: {exc}", "", "```",
                                                 *detail[-8:], "```"])
                log(f"{key} failed: {type(exc).__name__}: {exc}")
            sec.seconds = time.perf_counter() - t0
            sec.others = load.cores()
            log(f"{key} done in {sec.seconds:.0f} s (other processes: {sec.others or 0:.2f} cores)")
            sections.append(sec)
    head_after = git_revision()
    if head_after.split()[0] != revision.split()[0]:
        machine_lines.append(f"- **The checkout changed during the run** (now {head_after}): sections that "
                             "started after the change measured the new code.")
    text = render(ctx, sections, command, started_at, time.perf_counter() - started, machine_lines)
    write_results(args.output, text)
    log(f"wrote {args.output} in {(time.perf_counter() - started) / 60:.1f} minutes")
    for check in (c for s in sections for c in s.checks):
        print(f"{check.verdict:>12}  {check.measure}: {check.figure} (target {check.target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
